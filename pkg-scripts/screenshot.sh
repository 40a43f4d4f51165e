#!/usr/bin/env bash
# Takes screenshots of the built page in headless Chromium, as a user would see it:
#   pkg-scripts/screenshot.sh OUT.png [WIDTH] [HEIGHT] [QUERY] [FRAGMENT]
# e.g. pkg-scripts/screenshot.sh /tmp/phone.png 360 1400 "digit=17"
#   pkg-scripts/screenshot.sh --readme
# remakes the README's screenshots (www/img/screenshot-*.png, pkg-scripts/readme_screenshots.py):
# the drawing page, and the explorer, "Dream up digits" and "What autoencoders are for".
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

need_apt chromium
[ -f www/pkg/autoencoder_playground_bg.wasm ] || "$ROOT/pkg-scripts/build.sh"
PORT="${PORT:-8766}"
# Served as demo.sh serves it (cross-origin isolated): without the headers the service worker
# would reload the page to add them while the shot is taken.
python3 "$ROOT/pkg-scripts/serve.py" www "$PORT" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1

shoot() { # OUT WIDTH HEIGHT QUERY FRAGMENT
  local profile
  profile=$(mktemp -d)
  # The virtual time budget lets the page load its models and the data before the shot.
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --window-size="$2,$3" --virtual-time-budget=20000 --screenshot="$1" \
    "http://127.0.0.1:$PORT/index.html?$4${5:+#$5}" 2>/dev/null
  rm -rf "$profile"
  echo "wrote $1"
}

if [ "${1:-}" = "--readme" ]; then
  # Scrolled sections need a driven browser: selenium from the end-to-end tests' venv.
  "$(need_e2e_python)" pkg-scripts/readme_screenshots.py "http://127.0.0.1:$PORT" www/img
else
  shoot "$1" "${2:-1280}" "${3:-900}" "${4:-digit=17}" "${5:-}"
fi
