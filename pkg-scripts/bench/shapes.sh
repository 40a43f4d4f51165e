#!/usr/bin/env bash
# Runs only the shape-teaching benchmark (bench.js, ?only=shapes) in headless Firefox and
# Chromium on the built site (pkg-scripts/build.sh first), and prints its part of BENCHMARKS.md.
# bench.sh runs it too, with everything else.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
cd "$ROOT"

work=$(mktemp -d)
mkdir -p "$work/serve" "$work/results"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
for entry in www/*; do ln -s "$ROOT/$entry" "$work/serve/$(basename "$entry")"; done
ln -s "$ROOT/pkg-scripts/bench" "$work/serve/bench"
PORT="${PORT:-8766}"
python3 pkg-scripts/bench/serve.py "$work/serve" "$PORT" "$work/results" &
sleep 1

for name in firefox chromium; do
  say "$name"
  bench_page_in_browser "$name" "http://127.0.0.1:$PORT/bench/bench.html?label=$name&only=shapes" \
    "$work/results/$name.json" "$work/profile-$name"
done
python3 pkg-scripts/bench/shapes_table.py "$work/results"/*.json
