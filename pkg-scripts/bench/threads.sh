#!/usr/bin/env bash
# Runs only the training Worker with each training module (bench.js, ?only=threads) in headless
# Firefox and Chromium on the built site (pkg-scripts/build.sh first), and prints its part of
# BENCHMARKS.md ("Training on every core"), for comparing changes to a training step without
# the whole bench. bench.sh runs it too, with everything else.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
cd "$ROOT"

work=$(mktemp -d)
mkdir -p "$work/serve" "$work/results"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
for entry in www/*; do ln -s "$ROOT/$entry" "$work/serve/$(basename "$entry")"; done
ln -s "$ROOT/pkg-scripts/bench" "$work/serve/bench"
PORT="${PORT:-8767}"
python3 pkg-scripts/bench/serve.py "$work/serve" "$PORT" "$work/results" &
sleep 1

for name in ${BROWSERS:-firefox chromium}; do
  say "$name"
  bench_page_in_browser "$name" "http://127.0.0.1:$PORT/bench/bench.html?label=$name&only=threads" \
    "$work/results/$name.json" "$work/profile-$name"
done
python3 - "$work/results" <<'PY'
import json, pathlib, sys
sys.path.insert(0, "pkg-scripts/bench")
from threads_section import threads_section
results = {path.stem: json.loads(path.read_text()) for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json"))}
print(threads_section(results))
PY
