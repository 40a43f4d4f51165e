#!/usr/bin/env bash
# Builds the release site into www/: the wasm module and its JS glue into www/pkg (PKG_OUT to
# change), and the MNIST subset into www/data. Afterwards www/ is a complete static site.
# Extra arguments go to cargo, e.g. `--no-default-features --features backend-flex`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

need_build_tools
"$ROOT/pkg-scripts/fetch-data.sh"
out="${PKG_OUT:-www/pkg}"
say "building the wasm module (release) into $out"
cargo build --release --lib --target wasm32-unknown-unknown "$@"
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
# The registry-installed CLI at the pinned version; dropping the name section saves about a
# tenth of the download (it only names functions in stack traces).
wasm-bindgen --target web --out-dir "$out" --remove-name-section --remove-producers-section \
  "$target_dir/wasm32-unknown-unknown/release/autoencoder_playground.wasm"
ls -l "$out"/*.wasm
