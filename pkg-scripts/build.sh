#!/usr/bin/env bash
# Builds the release site into www/: the two wasm modules and their JS glue into www/pkg
# (PKG_OUT to change), and the MNIST subset into www/data. Afterwards www/ is a complete static
# site. The modules are one crate built twice:
#   autoencoder_playground.js            the training build (burn): the training Worker's, and
#                                        the whole API for anyone who imports it
#   autoencoder_playground_inference.js  without burn (no default features): what the page
#                                        itself loads first, a subset of the same API
# Extra arguments go to the training build's cargo, e.g. `--no-default-features --features
# backend-ndarray`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

need_build_tools
"$ROOT/pkg-scripts/fetch-data.sh"
out="${PKG_OUT:-www/pkg}"
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
# The registry-installed CLI at the pinned version; dropping the name section saves about a
# tenth of the download (it only names functions in stack traces).
bindgen() {
  wasm-bindgen --target web --out-dir "$out" --remove-name-section --remove-producers-section "$@"
}

say "building the training module (release) into $out"
cargo build --release --lib --target wasm32-unknown-unknown "$@"
bindgen "$target_dir/wasm32-unknown-unknown/release/autoencoder_playground.wasm"

# Its own target directory: with the same one, each build would overwrite the other's
# artefacts and rebuild the crate every time.
# Dependencies optimised for size, this crate for speed (its inference loops): a smaller module
# with every reconstruction as fast (BENCHMARKS.md, "Size").
say "building the inference module (release, no burn) into $out"
CARGO_TARGET_DIR="$target_dir/inference" \
  cargo build --release --lib --target wasm32-unknown-unknown --no-default-features \
  --config 'profile.release.package."*".opt-level="s"'
bindgen --out-name autoencoder_playground_inference \
  "$target_dir/inference/wasm32-unknown-unknown/release/autoencoder_playground.wasm"
ls -l "$out"/*.wasm
