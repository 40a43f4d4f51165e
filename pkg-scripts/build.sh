#!/usr/bin/env bash
# Builds the release site into www/: the wasm module and its JS glue into www/pkg, and the
# MNIST subset into www/data. Afterwards www/ is a complete static site.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

need_build_tools
"$ROOT/pkg-scripts/fetch-data.sh"
say "building the wasm module (release)"
# --mode no-install: use the registry-installed wasm-bindgen on PATH, and fail loudly if it
# is missing rather than downloading a binary.
wasm-pack build --release --target web --mode no-install --out-dir www/pkg --no-pack "$@"
rm -f www/pkg/.gitignore
ls -l www/pkg/*.wasm
