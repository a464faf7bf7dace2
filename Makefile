# One task runner for Rust, Python and Node: build, test, lint, demo, bench.
SHELL := /bin/bash
ROOT := $(abspath .)
export CARGO_BUILD_TARGET ?= x86_64-unknown-linux-gnu
export PYO3_PYTHON ?= $(shell command -v python3)
TARGET_DIR := $(ROOT)/target/$(CARGO_BUILD_TARGET)
EMULATOR := $(TARGET_DIR)/debug/flarekit-emulator
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
SHARED := $(ROOT)/../shared/cloudflare-api

.PHONY: all build build-rust emulator test test-rust test-generated lint demo generate bench bench-quick clean

all: build

build: build-rust

build-rust:
	cargo build --workspace --exclude flarekit-python --exclude flarekit-node

emulator:
	cargo build -p flarekit-emulator

generate:
	python3 tools/generate.py

# Fails when ../shared is present and the committed generated files are stale.
test-generated:
	python3 tools/generate.py --check

test-rust: emulator
	cargo test -p flarekit -p flarekit-emulator

test: test-generated test-rust

lint:
	cargo fmt --all -- --check
	cargo clippy -p flarekit -p flarekit-emulator --all-targets -- -D warnings

demo: emulator
	cargo build -p flarekit --example quickstart
	bash examples/demo.sh

clean:
	cargo clean
