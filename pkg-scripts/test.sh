#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine too: installs what is missing (Firefox ESR,
# Chromium, geckodriver, chromedriver, the wasm toolchain, the data, a Python venv with
# selenium, axe-core, cargo-fuzz and a nightly toolchain with rust-src, which the fuzzer and
# the threaded training module need), then runs the native tests, fuzzes the file parsers for a
# few seconds each, runs the browser tests in headless Firefox, builds the site (its three
# modules, pkg-scripts/build.sh), runs the end-to-end tests (real mouse actions through
# WebDriver) in headless Firefox and Chromium, and type-checks the non-default tensor backend
# for wasm32.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

need_cargo_tools_and_fuzzer() {
  need_test_cargo_tools
  need_fuzz_tools
  need_threads_tools
}

# Two lanes, so that a fresh machine keeps both cores busy: the tools cargo builds from source
# build beside the crate's native build, and the burn-ndarray type-check runs beside the
# browser tests (whose release link and test runs use one core).
need_test_packages
e2e_python=$(need_e2e_python)
export AXE_SCRIPT
AXE_SCRIPT=$(need_axe_core)
trap stop_jobs EXIT
start_job cargo-tools need_cargo_tools_and_fuzzer
"$ROOT/pkg-scripts/fetch-data.sh"

say "native tests (training build)"
cargo test --all-targets

say "native tests of the inference build (no burn)"
cargo test --lib --no-default-features

join_job cargo-tools
say "fuzzing the file parsers briefly, from their committed corpus"
"$ROOT/pkg-scripts/fuzz.sh" 10

# Its own target directory: cargo locks a target directory for one build at a time.
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
start_job ndarray-check env CARGO_TARGET_DIR="$target_dir/ndarray-check" \
  cargo check --quiet --lib --target wasm32-unknown-unknown --no-default-features --features backend-ndarray

say "browser tests in headless Firefox"
log=$(mktemp)
trap 'rm -f "$log"; stop_jobs' EXIT
# --release: unoptimised burn is too slow in the browser. A wasm test binary without
# wasm_bindgen_test_configure!(run_in_browser) would be skipped without a word, so count.
GECKODRIVER="$(command -v geckodriver)" \
  wasm-pack test --headless --firefox --release --mode no-install -- --test web 2>&1 | tee "$log"
passed=$(grep -oE 'test result: ok\. [0-9]+ passed' "$log" | awk '{ sum += $4 } END { print sum + 0 }')
if [ "$passed" -eq 0 ]; then
  echo "the browser ran no tests: is every wasm test file configured with run_in_browser?" >&2
  exit 1
fi
say "browser tests passed: $passed"

say "building the site for the end-to-end tests"
"$ROOT/pkg-scripts/build.sh"

say "end-to-end tests in headless Firefox and Chromium (WebDriver)"
"$e2e_python" -m pytest -p no:cacheprovider -q tests/e2e

say "type-checking the other tensor backend (burn-ndarray) for wasm32"
join_job ndarray-check
