# advlab — build, serve and test. `make serve` and `make test` work on a fresh machine: both
# first run scripts/setup.sh, which installs what is missing (Debian packages, the matching
# wasm-bindgen-cli, the browser tests' npm packages) and does nothing when all is present.

SHELL := /bin/bash
PORT ?= 8000
WASM_TARGET := target/wasm32-unknown-unknown/release/advlab.wasm
# The Debian toolchain (rustc-web 1.96 + std source) builds std for wasm32; rustup's cannot here.
WASM_ENV := RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C target-feature=+simd128 -D warnings"
RUST_SOURCES := $(shell find src -name '*.rs') Cargo.toml Cargo.lock

.PHONY: serve test setup wasm fmt-check clippy native-test browser-test bench clean-pkg

serve: setup pkg/advlab_bg.wasm
	python3 scripts/serve.py --port $(PORT)

setup:
	@bash scripts/setup.sh

wasm: pkg/advlab_bg.wasm

pkg/advlab_bg.wasm: $(RUST_SOURCES)
	$(WASM_ENV) /usr/bin/cargo build --release --target wasm32-unknown-unknown \
		-Zbuild-std=std,panic_abort --lib
	wasm-bindgen --target web --out-dir pkg --no-typescript --remove-name-section $(WASM_TARGET)

test: setup fmt-check clippy native-test pkg/advlab_bg.wasm browser-test

fmt-check:
	cargo fmt --check

clippy:
	cargo clippy --all-targets -- -D warnings

native-test:
	cargo test

browser-test: pkg/advlab_bg.wasm
	cd tests/browser && node --test --test-concurrency=1 --test-force-exit --test-reporter=spec *.test.mjs

bench: setup pkg/advlab_bg.wasm
	cargo run --release -- bench train
	cd tests/browser && node bench.mjs
