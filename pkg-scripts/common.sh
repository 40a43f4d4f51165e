# Shared helpers for the pkg-scripts: each installs only what is missing, from the package
# registries (Debian's apt, crates.io via cargo, npm), never a prebuilt binary from elsewhere.
# Source it; it does not run anything by itself.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The wasm-bindgen version pinned with "=" in Cargo.toml, as resolved in Cargo.lock: the CLI
# must match it exactly or the generated JS glue and the wasm disagree.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# apt packages, installed only when one is missing (needs root, as on CI).
need_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing from Debian: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# need_cargo_tool BINARY CRATE [VERSION] [--locked]: cargo install unless BINARY already
# reports VERSION (or, without a version, unless it exists at all).
need_cargo_tool() {
  local bin="$1" crate="$2" version="${3:-}" locked="${4:-}"
  if command -v "$bin" >/dev/null 2>&1; then
    if [ -z "$version" ] || "$bin" --version 2>/dev/null | grep -qF " $version"; then
      return 0
    fi
  fi
  say "installing $crate ${version:-(latest)} with cargo install (takes a few minutes, once)"
  local args=("$crate")
  [ -n "$version" ] && args+=(--version "$version")
  [ -n "$locked" ] && args+=(--locked)
  cargo install --force "${args[@]}"
}

# need_command COMMAND PACKAGE...: apt-install the packages when COMMAND is not on PATH (a tool
# installed some other way, such as a newer Node.js, is left alone).
need_command() {
  local cmd="$1"
  shift
  command -v "$cmd" >/dev/null 2>&1 || need_apt "$@"
}

need_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return 0
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

# Everything needed to build the site: the wasm32 target, the wasm-bindgen CLI matching the
# pinned library, and Node.js/npm (for the data package). No wasm-opt: see Cargo.toml.
need_build_tools() {
  need_command npm nodejs npm ca-certificates
  need_wasm_target
  # Without --locked: the CLI's own lock file pins dependencies this toolchain may not build.
  need_cargo_tool wasm-bindgen wasm-bindgen-cli "$(wasm_bindgen_version)"
}

# What the browser tests and benchmarks need on top: wasm-pack (test runner), the browsers
# and geckodriver.
need_test_tools() {
  need_test_packages
  need_test_cargo_tools
}

# The test tools from Debian (installed first: dpkg takes one installer at a time) and the
# wasm32 target.
need_test_packages() {
  need_apt firefox-esr chromium chromium-driver
  need_command npm nodejs npm ca-certificates
  need_command c++ g++
  need_wasm_target
}

# The test tools cargo builds from source: the wasm-bindgen CLI, wasm-pack and geckodriver.
need_test_cargo_tools() {
  # Without --locked: the CLI's own lock file pins dependencies this toolchain may not build.
  need_cargo_tool wasm-bindgen wasm-bindgen-cli "$(wasm_bindgen_version)"
  need_cargo_tool wasm-pack wasm-pack "" --locked
  need_cargo_tool geckodriver geckodriver "" --locked
}

# Runs `"$@"` in the background as job NAME, its output kept for `join_job NAME`: for work that
# can go on beside the foreground's (tool builds beside the crate's, a type-check beside the
# browser tests), where one of them leaves a core idle (a link, a single-threaded test run).
declare -A JOB_PIDS=()
JOB_LOGS=""
start_job() {
  local name="$1"
  shift
  [ -n "$JOB_LOGS" ] || JOB_LOGS=$(mktemp -d)
  say "started in the background: $name"
  ("$@") >"$JOB_LOGS/$name.log" 2>&1 &
  JOB_PIDS[$name]=$!
}

# Stops the background jobs still running (and the commands they started): for an EXIT trap,
# so that a failing suite leaves no build behind.
stop_jobs() {
  local pid
  for pid in "${JOB_PIDS[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
}

# Waits for job NAME, prints what it printed, and fails as it failed.
join_job() {
  local name="$1" status=0
  wait "${JOB_PIDS[$name]}" || status=$?
  say "background job $name ended (status $status):"
  cat "$JOB_LOGS/$name.log"
  return "$status"
}

# The nightly toolchain from rustup (cargo-fuzz and the threaded training module need it).
need_nightly() {
  if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    say "installing the nightly toolchain with rustup ($1 needs it)"
    rustup toolchain install nightly --profile minimal
  fi
}

# What the threaded training module's build needs (pkg-scripts/build.sh): the nightly toolchain
# and its standard library's source, which `-Z build-std` rebuilds with atomics (the shipped
# wasm32 standard library is built without them).
need_threads_tools() {
  need_nightly "the threaded training module"
  if ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
    say "adding rust-src to the nightly toolchain (the threaded module rebuilds std from it)"
    rustup component add rust-src --toolchain nightly
  fi
}

# cargo-fuzz and the nightly toolchain it needs, and a C++ compiler for libFuzzer.
need_fuzz_tools() {
  need_nightly cargo-fuzz
  need_cargo_tool cargo-fuzz cargo-fuzz "" --locked
  # libfuzzer-sys compiles libFuzzer (C++) on first use.
  need_command c++ g++
}

# axe-core, the accessibility checker the end-to-end tests inject into the page, from its npm
# package at a pinned version, kept between runs. Prints the path of its script.
AXE_CORE_VERSION=4.14.1
need_axe_core() {
  local prefix="$HOME/.cache/autoencoder-playground/axe-core-$AXE_CORE_VERSION"
  local script="$prefix/node_modules/axe-core/axe.min.js"
  if [ ! -s "$script" ]; then
    need_command npm nodejs npm ca-certificates >&2
    say "installing axe-core $AXE_CORE_VERSION with npm" >&2
    npm install --silent --no-audit --no-fund --prefix "$prefix" "axe-core@$AXE_CORE_VERSION" >&2
  fi
  echo "$script"
}

# The end-to-end tests' Python environment (selenium, pytest from tests/e2e/requirements.txt)
# in a venv kept between runs; reinstalled when the requirements change. Prints its python.
need_e2e_python() {
  local venv="${E2E_VENV:-$HOME/.cache/autoencoder-playground/e2e-venv}"
  local requirements="$ROOT/tests/e2e/requirements.txt"
  local stamp="$venv/requirements.sha256"
  local wanted
  wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    echo "$venv/bin/python"
    return 0
  fi
  need_command python3 python3
  # Debian's python3 makes venvs only with python3-venv installed.
  if ! python3 -m venv --clear "$venv" >/dev/null 2>&1; then
    need_apt python3-venv >&2
    python3 -m venv --clear "$venv" >&2
  fi
  say "installing the end-to-end test packages into $venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
  echo "$wanted" >"$stamp"
  echo "$venv/bin/python"
}

# Opens the benchmark page URL in headless NAME (firefox or chromium) with a fresh profile and
# waits up to 10 minutes for the page's result, the JSON file RESULT that the bench server
# (pkg-scripts/bench/serve.py) writes when the page posts it. bench.sh and bench/part.sh.
bench_page_in_browser() { # NAME URL RESULT PROFILE
  local name="$1" url="$2" result="$3" profile="$4" browser
  mkdir -p "$profile"
  case "$name" in
    firefox) firefox-esr --headless --no-remote --profile "$profile" "$url" >/dev/null 2>&1 & ;;
    chromium) chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$url" >/dev/null 2>&1 & ;;
  esac
  browser=$!
  for _ in $(seq 600); do
    [ -s "$result" ] && break
    sleep 1
  done
  kill "$browser" 2>/dev/null || true
  wait "$browser" 2>/dev/null || true
  [ -s "$result" ] || { echo "$name: no result within 10 minutes" >&2; exit 1; }
}
