#!/usr/bin/env bash
# Benchmarks the release build in headless Firefox and headless Chromium and rewrites
# BENCHMARKS.md: model load, 1-sample reconstruct latency, drawing conversion, batch-64 train
# step, for both tensor backends (the default build and the other one); training throughput in
# the page's Worker, with the single-threaded and the threaded module at each thread count;
# where a training step's time goes (perf on the native build); what a cold first visit
# fetches and how soon it rebuilds a stroke; wasm, weight and data sizes; the soak (memory over long use, the main thread while the Worker
# trains); and anomaly detection with every shipped model. The fuzzing figures come from the
# last pkg-scripts/fuzz.sh run (tests/fuzz/results.json).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

need_test_tools
"$ROOT/pkg-scripts/build.sh"

work=$(mktemp -d)
mkdir -p "$work/serve"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
say "building the burn-ndarray variant for comparison (the default build uses burn-flex)"
PKG_OUT="$work/serve/pkg-other" "$ROOT/pkg-scripts/build.sh" --no-default-features --features backend-ndarray

# The site as it ships, plus the benchmark page and the other build.
for entry in www/*; do ln -s "$ROOT/$entry" "$work/serve/$(basename "$entry")"; done
ln -s "$ROOT/pkg-scripts/bench" "$work/serve/bench"
mkdir -p "$work/results"
PORT="${PORT:-8765}"
python3 pkg-scripts/bench/serve.py "$work/serve" "$PORT" "$work/results" &
sleep 1

run_browser() { # name
  local label="$1"
  say "$label"
  bench_page_in_browser "$1" "http://127.0.0.1:$PORT/bench/bench.html?label=$label" \
    "$work/results/$label.json" "$work/profile-$1"
  cat "$work/results/$label.json"; echo
}

run_browser firefox
run_browser chromium

say "a cold first visit, 5 loads in each browser"
"$(need_e2e_python)" pkg-scripts/bench/cold_load.py www "$work/cold-load.json"

say "soak: long use in one page, and the main thread while the Worker trains"
"$(need_e2e_python)" pkg-scripts/bench/soak.py www "$work/soak.json"

say "the per-frame update with every view open"
"$(need_e2e_python)" pkg-scripts/bench/frame_budget.py www "$work/frames.json"

say "where a batch-64 training step's time goes (native, perf)"
if ! pkg-scripts/bench/profile-step.sh "$work/step-profile.json"; then
  echo '{"error": "perf could not profile the step on this machine (see bench.sh'"'"'s output)"}' >"$work/step-profile.json"
fi

say "anomaly detection with every shipped model (native)"
cargo run --quiet --bin anomaly-report > "$work/anomaly.md"

say "the variational models' dreams against a plain model's (native)"
cargo run --quiet --bin dream-report > "$work/dreams.md"

python3 pkg-scripts/bench/report.py "$work/results" "$work/serve" \
  "$(firefox-esr --version)" "$(chromium --version)" "$work/anomaly.md" "$work/cold-load.json" "$work/soak.json" \
  "$work/dreams.md" "$work/frames.json" "$work/step-profile.json" > BENCHMARKS.md
say "wrote BENCHMARKS.md"
cat BENCHMARKS.md
