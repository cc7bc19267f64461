#!/usr/bin/env bash
# Installs what advlab needs to build the wasm and run the browser tests, skipping what is present:
# Debian's Rust-for-web toolchain (rustc/cargo 1.96 + std source + rust-lld), Chromium,
# wasm-bindgen-cli at the exact version of the pinned wasm-bindgen crate, and the npm packages of
# the browser tests. Safe to run again: a second run with nothing missing takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
# fonts-nanum: a Korean font, so the Korean interface is legible in headless Chromium screenshots.
APT_PACKAGES=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 chromium fonts-nanum)

need_apt=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$p")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_apt[@]}" </dev/null
fi

have_wb=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wb" != "$WASM_BINDGEN_VERSION" ]; then
  echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (found: ${have_wb:-none})"
  # Not --locked: its lock file asks for a webpki-roots version the registry here lacks.
  cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm ci only when the lock file changed since the last install (a stamp records its hash).
lock_sum=$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)
if [ "$(cat tests/browser/node_modules/.advlab-lock-sha256 2>/dev/null)" != "$lock_sum" ]; then
  echo "setup: installing browser-test npm packages"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > tests/browser/node_modules/.advlab-lock-sha256
fi
