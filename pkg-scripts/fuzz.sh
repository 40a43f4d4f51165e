#!/usr/bin/env bash
# Fuzzes the parsers of files the page is handed (tests/fuzz: model files, data files, the PCA
# baseline's file, classifier files) with cargo-fuzz (libFuzzer) on a nightly toolchain, both from the registries.
#   pkg-scripts/fuzz.sh [SECONDS] [TARGET...]   each target for SECONDS (default 600)
# Each run starts from the target's committed corpus (tests/fuzz/corpus/TARGET) and from the
# shipped files (www/models, the test digits); what it finds that is new joins the corpus, which
# is then minimised (cargo fuzz cmin, files over 100 kB dropped) to stay small enough to commit.
# A crash or a hang stops the run with its input under tests/fuzz/artifacts/TARGET: make it a
# regression test and fix it.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(model_file data_file pca_file classifier_file)

need_fuzz_tools
"$ROOT/pkg-scripts/fetch-data.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds="$work/seeds"
mkdir -p "$seeds/model_file" "$seeds/data_file" "$seeds/pca_file" "$seeds/classifier_file"
cp www/models/*.aepg "$seeds/model_file/"
cp www/models/*.pca "$seeds/pca_file/"
cp www/models/*.aeclf "$seeds/classifier_file/"
gzip -dc www/data/mnist-test.bin.gz > "$seeds/data_file/mnist-test.bin"
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')

failed=0
for target in "${targets[@]}"; do
  corpus="tests/fuzz/corpus/$target"
  mkdir -p "$corpus"
  say "fuzzing $target for $seconds s"
  status=0
  # -timeout: an input that takes more than 10 s is a hang; -max_len: the largest shipped file.
  cargo +nightly fuzz run --fuzz-dir tests/fuzz --target-dir "$target_dir/fuzz" --release \
    "$target" "$corpus" "$seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -max_len=1000000 -rss_limit_mb=4096 \
    -print_final_stats=1 2>&1 | tee "$work/$target.log" | grep -vE '^#[0-9]+' || status=$?
  # Keep only inputs that reach code no smaller one does, and none over 100 kB: the corpus is
  # committed. (The shipped files seed every run anyway.)
  cargo +nightly fuzz cmin --fuzz-dir tests/fuzz --target-dir "$target_dir/fuzz" --release \
    "$target" "$corpus" -- -max_len=1000000 >"$work/$target.cmin.log" 2>&1
  find "$corpus" -type f -size +100k -delete
  executions=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$work/$target.log" | tail -1 | awk '{ print $2 }')
  echo "$target $seconds ${executions:-0} $(find "$corpus" -type f | wc -l) $status" >> "$work/runs.txt"
  if [ "$status" -ne 0 ]; then
    echo "fuzzing $target failed: its input is under tests/fuzz/artifacts/$target" >&2
    failed=1
  fi
done

# Runs of 10 minutes or more are the record that BENCHMARKS.md reports (pkg-scripts/bench.sh):
# each target's latest such run replaces its earlier one in tests/fuzz/results.json.
if [ "$seconds" -ge 600 ]; then
  python3 - "$work/runs.txt" "$(rustup run nightly rustc --version)" tests/fuzz/results.json <<'PY'
import datetime, json, pathlib, sys
runs_file, toolchain, results = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
checks = {
    "model_file": "a model file is refused, or rebuilds any image as an image",
    "data_file": "a data file is refused, or its digits write back to the same bytes",
    "pca_file": "the PCA file is refused, or rebuilds any image as an image",
    "classifier_file": "a classifier file is refused, or gives probabilities for any image",
}
record = json.loads(results.read_text()) if results.exists() else {"runs": []}
by_target = {run["target"]: run for run in record["runs"]}
for line in open(runs_file):
    target, seconds, executions, corpus, status = line.split()
    by_target[target] = {"target": target, "checks": checks[target], "seconds": int(seconds),
                         "executions": int(executions), "corpus": int(corpus),
                         "failures": 0 if status == "0" else 1,
                         "date": datetime.date.today().isoformat(), "toolchain": toolchain}
record["runs"] = [by_target[t] for t in checks if t in by_target]
results.write_text(json.dumps(record, indent=1) + "\n")
PY
  say "updated tests/fuzz/results.json"
fi
exit "$failed"
