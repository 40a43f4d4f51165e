#!/usr/bin/env bash
# Renders the web app manifest's PNG icons (www/img/icon-192.png, icon-512.png) from
# www/favicon.svg with headless Chromium, so that the icons and the favicon stay one drawing.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
need_apt chromium

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for size in 192 512; do
  printf '<!doctype html><body style="margin:0"><img src="file://%s/www/favicon.svg" width="%s" height="%s" style="display:block">' \
    "$ROOT" "$size" "$size" > "$work/icon.html"
  chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" --hide-scrollbars \
    --default-background-color=00000000 --window-size="$size,$size" \
    --screenshot="$ROOT/www/img/icon-$size.png" "file://$work/icon.html" 2>/dev/null
  say "www/img/icon-$size.png"
done
