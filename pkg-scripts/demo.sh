#!/usr/bin/env bash
# One command to see the page: installs what is missing, builds the release site and serves
# www/ on http://127.0.0.1:8000 (PORT=... to change). Quick when everything is already built.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

"$ROOT/pkg-scripts/build.sh"
need_command python3 python3
PORT="${PORT:-8000}"
say "serving www/ — open http://127.0.0.1:$PORT/ (Ctrl+C to stop)"
# With the cross-origin isolation headers, so that training uses every core (pkg-scripts/serve.py).
exec python3 "$ROOT/pkg-scripts/serve.py" www "$PORT"
