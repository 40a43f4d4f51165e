#!/usr/bin/env bash
# Takes screenshots of the built page in headless Chromium, as a user would see it:
#   pkg-scripts/screenshot.sh OUT.png [WIDTH] [HEIGHT] [QUERY]
# e.g. pkg-scripts/screenshot.sh /tmp/phone.png 360 1400 "digit=17"
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

out="$1" width="${2:-1280}" height="${3:-900}" query="${4:-digit=17}"
need_apt chromium
[ -f www/pkg/autoencoder_playground_bg.wasm ] || "$ROOT/pkg-scripts/build.sh"
profile=$(mktemp -d)
PORT="${PORT:-8766}"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory www >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$profile"' EXIT
sleep 1
# The virtual time budget lets the page load the model and the data before the shot.
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --window-size="$width,$height" --virtual-time-budget=15000 --screenshot="$out" \
  "http://127.0.0.1:$PORT/index.html?$query" 2>/dev/null
echo "wrote $out"
