#!/usr/bin/env bash
# Builds the release site into www/: the wasm modules and their JS glue into www/pkg
# (PKG_OUT to change), and the MNIST subset into www/data. Afterwards www/ is a complete static
# site. The modules are one crate built four times:
#   autoencoder_playground.js            the training build (burn): the training Worker's, and
#                                        the whole API for anyone who imports it
#   autoencoder_playground_threads.js    the same with the `threads` feature, atomics and shared
#                                        memory (nightly, std rebuilt): the training Worker's
#                                        when the page is cross-origin isolated
#   autoencoder_playground_inference.js  without burn (feature `page`): what the page itself
#                                        loads first, a subset of the same API
#   autoencoder_playground_later.js      without burn (feature `later`): what the sections
#                                        further down load when one is first seen (a model's
#                                        insides, the classifiers, the t-SNE map)
# Extra arguments go to the training build's cargo, e.g. `--no-default-features --features
# backend-ndarray`; with any, the threaded module is not built (it is the default backend's).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

need_build_tools
if [ $# -eq 0 ]; then need_threads_tools; fi
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

# The page's two modules, each without burn and with the exports of one cargo feature.
# Each has its own target directory (the threaded one too): with a shared one, each build would
# overwrite the other's artefacts and rebuild the crate every time.
# Dependencies optimised for size, this crate for speed (its inference loops): a smaller module
# with every reconstruction as fast (BENCHMARKS.md, "Size").
page_module() { # name, feature
  say "building the $1 module (release, no burn) into $out"
  CARGO_TARGET_DIR="$target_dir/$1" \
    cargo build --release --lib --target wasm32-unknown-unknown --no-default-features \
    --features "$2" --config 'profile.release.package."*".opt-level="s"'
  bindgen --out-name "autoencoder_playground_$1" \
    "$target_dir/$1/wasm32-unknown-unknown/release/autoencoder_playground.wasm"
}
page_module inference page
page_module later later
if [ $# -eq 0 ]; then
  # Shared memory needs atomics in every crate, std included: std is rebuilt with them
  # (`-Z build-std`, nightly only). RUSTFLAGS replaces .cargo/config.toml's flags, so simd128
  # is named again; bulk-memory and mutable-globals are what wasm-bindgen's thread support uses.
  # The linker is told to make the memory shared and imported (the pool's Workers instantiate
  # the module on the same memory), with room to grow to 1 GiB, and to export the thread-local
  # storage's setup, which wasm-bindgen calls on each thread: rustc does not ask for either.
  say "building the threaded training module (release, nightly, atomics) into $out"
  shared_memory=()
  for arg in --shared-memory --import-memory --max-memory=1073741824 --export=__wasm_init_tls \
    --export=__tls_size --export=__tls_align --export=__tls_base; do
    shared_memory+=(-C "link-arg=$arg")
  done
  RUSTFLAGS="-C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128" \
    CARGO_TARGET_DIR="$target_dir/threads" \
    cargo +nightly rustc --release --lib --crate-type cdylib --target wasm32-unknown-unknown \
    --features threads -Z build-std=panic_abort,std -- "${shared_memory[@]}"
  bindgen --out-name autoencoder_playground_threads \
    "$target_dir/threads/wasm32-unknown-unknown/release/autoencoder_playground.wasm"
fi
ls -l "$out"/*.wasm
