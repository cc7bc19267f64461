# advlab — build, serve, package and test. `make serve`, `make dist` and `make test` work on a fresh
# machine: each first runs scripts/setup.sh, which installs what is missing for that goal and does
# nothing when all is present.

SHELL := /bin/bash
PORT ?= 8000
WASM_TARGET := target/wasm32-unknown-unknown/release/advlab.wasm
RUST_SOURCES := $(shell find src -name '*.rs') Cargo.toml Cargo.lock
WASM_RUSTFLAGS := -C target-feature=+simd128 -D warnings

# Two ways to build the wasm. Where rustup has the wasm32-unknown-unknown target (macOS, Windows/WSL,
# CI runners: `rustup target add wasm32-unknown-unknown`), plain cargo. Where it cannot be added
# (these Debian machines), Debian's rustc-web builds std for wasm from source. `make WASM_TOOLCHAIN=...`
# forces one.
RUSTUP_WASM := $(shell d="$$(rustc --print sysroot 2>/dev/null)/lib/rustlib/wasm32-unknown-unknown/lib"; test -d "$$d" && echo yes)
WASM_TOOLCHAIN ?= $(if $(RUSTUP_WASM),rustup,debian)
ifeq ($(WASM_TOOLCHAIN),rustup)
WASM_BUILD := RUSTFLAGS="$(WASM_RUSTFLAGS)" cargo build --release --target wasm32-unknown-unknown --lib
else
WASM_BUILD := RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="$(WASM_RUSTFLAGS)" \
	/usr/bin/cargo build --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort --lib
endif

.PHONY: serve serve-dist dist test setup wasm fmt-check clippy native-test doc browser-test bench fuzz models

serve: pkg/advlab_bg.wasm
	python3 scripts/serve.py --port $(PORT)

# The built site, as a static host would serve it.
serve-dist: dist
	python3 scripts/serve.py --port $(PORT) --root dist

setup:
	@bash scripts/setup.sh test

wasm: pkg/advlab_bg.wasm

pkg/advlab_bg.wasm: $(RUST_SOURCES)
	@bash scripts/setup.sh serve
	$(WASM_BUILD)
	wasm-bindgen --target web --out-dir pkg --no-typescript --remove-name-section $(WASM_TARGET)

# dist/: the static site and dist/advlab.html, the single offline file (scripts/build-dist.mjs).
dist: pkg/advlab_bg.wasm $(wildcard www/*.* www/panels/*.js) scripts/build-dist.mjs
	@bash scripts/setup.sh dist
	node scripts/build-dist.mjs

test: setup fmt-check clippy native-test doc browser-test

fmt-check:
	cargo fmt --check

clippy:
	cargo clippy --all-targets -- -D warnings

native-test:
	cargo test

# The API docs must build without a warning (broken links, docs that no longer match the code).
doc:
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps

# The long fuzz run (tests/fuzz): at least a million hostile inputs to the file parsers and the
# worker's request decoder, none panicking, aborting or holding more than 256 MB, and the CLI's
# writes under every file-size limit up to a file's size (the old file or a complete new one,
# never a part). FUZZ_SEED picks the inputs; `cargo test` runs a short round of the same suite.
FUZZ_INPUTS ?= 1000000
fuzz:
	FUZZ_INPUTS=$(FUZZ_INPUTS) cargo test --test fuzz -- --ignored --nocapture

browser-test: dist
	cd tests/browser && node --test --test-concurrency=1 --test-force-exit --test-reporter=spec *.test.mjs

# The shipped reference models (models/*.safetensors, src/scenarios/reference.rs): `make models`
# trains every one natively and seeded with the report's recipes and checks that the committed
# files are exactly what training gives (about 15 minutes on 2 cores); `make models WRITE=1`
# writes them instead.
models:
	cargo run --release -- models --dir models $(if $(WRITE),,--check)

bench: setup pkg/advlab_bg.wasm
	cargo run --release -- bench train
	cargo run --release -- bench train --arch cifar-seed
	cd tests/browser && node bench.mjs
