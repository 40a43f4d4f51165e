#!/usr/bin/env bash
# Where a batch-64 training step's time goes: runs the native step-profile tool (the bench
# page's course-note model, one thread, as in the browser's single-threaded module) under
# `perf` and sorts the samples (bench/step_profile.py). Writes OUT.json. Native, not wasm: the
# browsers' profilers do not see inside wasm functions as finely, and the split is burn's.
# usage: profile-step.sh OUT.json
set -euo pipefail
source "$(dirname "$0")/../common.sh"
cd "$ROOT"
out="$1"

need_apt linux-perf
cargo build --quiet --bin step-profile
binary="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/debug/step-profile"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ms_per_step=$(RAYON_NUM_THREADS=1 "$binary" --steps 1000 | awk '{ print $1 }')
# DWARF call stacks (the build has no frame pointers); a 64 KiB stack copy holds gemm's deep
# stack buffers, with which a smaller copy loses the frames above.
RAYON_NUM_THREADS=1 perf record --quiet -F 499 --call-graph dwarf,65528 -o "$work/perf.data" -- \
  "$binary" --steps 300 >/dev/null
perf script -i "$work/perf.data" -F period,ip,sym --no-inline 2>/dev/null |
  python3 "$ROOT/pkg-scripts/bench/step_profile.py" "$ms_per_step" >"$out"
cat "$out"
