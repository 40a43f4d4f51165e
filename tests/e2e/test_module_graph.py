"""The page's modules import one way: no module imports one that imports it back, directly or
around a loop (the Rust side has the same rule, checked by the layering in src/lib.rs). Reads the
files; no browser."""

import re
from pathlib import Path

JS = Path(__file__).resolve().parents[2] / "www" / "js"
# Static `import … from "./x.js"` and dynamic `import("./x.js")`, outside comments.
IMPORT = re.compile(r'^\s*import\b[^;]*?from\s+"\./([^"]+)"|\bimport\("\./([^"]+)"\)', re.M)


def imports(path):
    code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith(("*", "/")))
    return {a or b for a, b in IMPORT.findall(code)}


def test_no_module_imports_itself_around_a_loop():
    graph = {path.name: imports(path) for path in JS.glob("*.js")}
    assert graph["main.js"] >= {"model-store.js", "model-picker.js"}, "the import pattern missed main.js's imports"
    loops = []

    def visit(name, path):
        for target in graph.get(name, ()):
            if target in path:
                loops.append(path[path.index(target):] + [target])
            else:
                visit(target, path + [target])

    for name in graph:
        visit(name, [name])
    assert not loops, f"import loops: {loops}"
