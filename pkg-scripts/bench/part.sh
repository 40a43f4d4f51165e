#!/usr/bin/env bash
# Runs one part of the bench page alone (bench.js, ?only=PART) in headless Firefox and Chromium
# (BROWSERS to choose) on the built site (pkg-scripts/build.sh first), and prints that part of
# BENCHMARKS.md, for comparing changes without the whole bench. bench.sh runs every part.
#   shapes   teaching a shape in the Worker ("Teaching a shape in the Worker")
#   threads  the training Worker with each training module ("Training on every core")
# usage: pkg-scripts/bench/part.sh shapes|threads
set -euo pipefail
source "$(dirname "$0")/../common.sh"
cd "$ROOT"

part="${1:-}"
case "$part" in
  shapes) section="shapes_table:shapes_section" ;;
  threads) section="threads_section:threads_section" ;;
  *) echo "usage: $0 shapes|threads" >&2; exit 2 ;;
esac

work=$(mktemp -d)
mkdir -p "$work/serve" "$work/results"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
for entry in www/*; do ln -s "$ROOT/$entry" "$work/serve/$(basename "$entry")"; done
ln -s "$ROOT/pkg-scripts/bench" "$work/serve/bench"
PORT="${PORT:-8766}"
python3 pkg-scripts/bench/serve.py "$work/serve" "$PORT" "$work/results" &
sleep 1

for name in ${BROWSERS:-firefox chromium}; do
  say "$name"
  bench_page_in_browser "$name" "http://127.0.0.1:$PORT/bench/bench.html?label=$name&only=$part" \
    "$work/results/$name.json" "$work/profile-$name"
done
python3 - "$section" "$work/results" <<'PY'
import importlib, json, pathlib, sys
sys.path.insert(0, "pkg-scripts/bench")
module, function = sys.argv[1].split(":")
results = {path.stem: json.loads(path.read_text()) for path in sorted(pathlib.Path(sys.argv[2]).glob("*.json"))}
for label, run in results.items():
    if "error" in run:
        sys.exit(f"{label} failed: {run['error']}")
print(getattr(importlib.import_module(module), function)(results))
PY
