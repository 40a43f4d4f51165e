#!/usr/bin/env bash
# Re-quantises the shipped models from their float weights: the version-1 (f16) files as they
# were trained, taken from the repository's history, through `quantize-models` (GPTQ, as few
# bits as keep each model's test MSE within 0.9 % of its float figure). Rewrites www/models/
# and the manifest's sizes, bits and figures. Needs the data file (pkg-scripts/fetch-data.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# The last commit whose models were the float (f16, version-1) files.
FLOAT_MODELS_COMMIT=4d6aa73^
sources=$(mktemp -d)
trap 'rm -rf "$sources"' EXIT
for file in $(python3 -c 'import json; print(" ".join(m["file"] for m in json.load(open("www/models/manifest.json"))["models"]))'); do
  git show "$FLOAT_MODELS_COMMIT:www/models/$file" > "$sources/$file"
done
cargo run --release --bin quantize-models -- "$sources"
