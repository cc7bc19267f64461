#!/usr/bin/env bash
# Installs what advlab needs, skipping what is present. A second run with nothing missing takes
# about a second. What is needed depends on the goal:
#
#   scripts/setup.sh serve   a wasm toolchain and wasm-bindgen-cli (make serve)
#   scripts/setup.sh dist    + the build tools' npm packages (esbuild; make dist)
#   scripts/setup.sh test    + Chromium, a Korean font and the browser tests' npm packages (make test)
#
# The wasm toolchain: rustup's wasm32-unknown-unknown target when it is installed (the normal case
# on macOS, Windows/WSL and CI runners); otherwise Debian's Rust-for-web packages, which build std
# for wasm from source (rustc-web cargo-web rust-web-src rust-web-llvm lld-22). On a system without
# apt, this script says what to install instead of failing halfway.
set -euo pipefail
cd "$(dirname "$0")/.."

goal=${1:-test}
case "$goal" in serve|dist|test) ;; *) echo "usage: scripts/setup.sh [serve|dist|test]" >&2; exit 2 ;; esac

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
missing=()   # what cannot be installed here, said plainly at the end

rustup_has_wasm() {
  local sysroot
  sysroot=$(rustc --print sysroot 2>/dev/null) || return 1
  [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]
}

apt_packages=()
if ! rustup_has_wasm; then
  apt_packages+=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22)
fi
if [ "$goal" = test ]; then
  # fonts-nanum: a Korean font, so the Korean interface is legible in headless Chromium screenshots.
  apt_packages+=(chromium fonts-nanum)
fi

need_apt=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$p")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_apt[@]}" </dev/null
  else
    for p in "${need_apt[@]}"; do
      case "$p" in
        rustc-web) missing+=("the wasm target of your Rust toolchain: rustup target add wasm32-unknown-unknown (Rust from https://rustup.rs)") ;;
        chromium) [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=("Chromium or Chrome for the browser tests: install it and set CHROMIUM=/path/to/chrome") ;;
      esac
    done
  fi
fi

if ! command -v cargo >/dev/null 2>&1; then
  missing+=("Rust and cargo: https://rustup.rs")
else
  have_wb=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have_wb" != "$WASM_BINDGEN_VERSION" ]; then
    echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (found: ${have_wb:-none})"
    # Not --locked: its lock file asks for a webpki-roots version the registry here lacks.
    cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
fi

# npm ci in `dir` only when its lock file changed since the last install (a stamp records its hash).
npm_install() {
  local dir=$1
  if ! command -v npm >/dev/null 2>&1; then
    missing+=("Node.js 20 or newer with npm (https://nodejs.org), for $dir")
    return
  fi
  local lock_sum
  lock_sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$dir/node_modules/.advlab-lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
    echo "setup: installing npm packages of $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_sum" > "$dir/node_modules/.advlab-lock-sha256"
  fi
}
[ "$goal" = serve ] || npm_install scripts
[ "$goal" = test ] && npm_install tests/browser

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: this system has no apt-get; please install:" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 1
fi
