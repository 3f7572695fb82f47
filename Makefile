# Rust neural-network workshop: JupyterLab + the evcxr Rust kernel + nnlib.
# `make help` lists the targets. Everything is idempotent: a second run only
# checks stamps and is quick.
#
# Python: .venv is always created from whichever `python3` is first on PATH
# (pyenv, system, or an activated conda env made from environment.yml), and
# requirements.txt is pip-installed into it. Override with `make PYTHON=python3.11`.
# Rust: evcxr_jupyter is cargo-installed into $CARGO_HOME/bin (~/.cargo/bin).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

PYTHON        ?= python3
VENV          := .venv
VPY           := $(VENV)/bin/python
EVCXR_VERSION := 0.22.0
RUST_MIN      := 1.95
CARGO_ROOT    ?= $(or $(CARGO_INSTALL_ROOT),$(CARGO_HOME),$(HOME)/.cargo)
EVCXR_BIN     := $(CARGO_ROOT)/bin/evcxr_jupyter
LAB_PORT      ?= 8888
NOTEBOOKS     := $(wildcard notebooks/*.ipynb) $(wildcard tools/*.ipynb)

export PATH := $(CARGO_ROOT)/bin:$(PATH)
# Jupyter must pick the kernel registered inside .venv over any user-wide `rust` kernel.
export JUPYTER_PREFER_ENV_PATH := 1

.PHONY: help venv evcxr kernel warmup lab test test-rust test-notebooks clean-kernel strip check-stripped

help: ## show this help
	@echo "Rust neural-network workshop. Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'
	@echo "Variables: PYTHON=$(PYTHON)  LAB_PORT=$(LAB_PORT)  CARGO_ROOT=$(CARGO_ROOT)"
	@echo "Notebook tests: NB_DIR=dir NB_ALL=1 (include _*.ipynb) NB_SOLUTIONS=0|1 (one mode only)"

# ---------------------------------------------------------------- installs

venv: $(VENV)/.requirements.stamp ## create .venv and pip-install requirements.txt (only when it changed)

$(VENV)/.requirements.stamp: requirements.txt
	@if [ ! -x $(VPY) ]; then \
	  echo "Creating $(VENV) with $$(command -v $(PYTHON)) ($$($(PYTHON) --version 2>&1))"; \
	  $(PYTHON) -m venv $(VENV) || { echo "error: '$(PYTHON) -m venv' failed (Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }; \
	fi
	$(VPY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@cp requirements.txt $@

evcxr: ## cargo-install evcxr_jupyter 0.22.0 unless it is already installed (checks rustc >= 1.95)
	@bash tools/ensure_evcxr.sh $(EVCXR_VERSION) "$(CARGO_ROOT)" $(RUST_MIN)

kernel: venv evcxr ## register the Rust kernel inside .venv (EVCXR_CONFIG_DIR -> evcxr/)
	@$(VPY) tools/kernelspec.py "$(EVCXR_BIN)"

warmup: kernel ## compile nnlib and its dependencies for the kernel once (skipped when already done)
	@$(VPY) tools/warmup.py

# ---------------------------------------------------------------- use

lab: kernel ## install everything, warm the kernel up, then start JupyterLab on notebooks/ and print its URL
	@$(VPY) tools/warmup.py || echo "warning: the warm-up failed (see above); starting JupyterLab anyway" >&2
	@token=$$($(VPY) -c 'import secrets; print(secrets.token_hex(24))'); \
	flags=(--notebook-dir notebooks --ip 127.0.0.1 --port $(LAB_PORT) --ServerApp.port_retries=0); \
	if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ] && [ "$$(uname)" != Darwin ]; then flags+=(--no-browser); fi; \
	if [ "$$(id -u)" = 0 ]; then flags+=(--allow-root); fi; \
	echo; \
	echo "  JupyterLab: http://127.0.0.1:$(LAB_PORT)/lab?token=$$token"; \
	echo "  (open it in a browser; Ctrl-C here stops the server; LAB_PORT=... picks another port)"; \
	echo; \
	JUPYTER_TOKEN=$$token exec $(VENV)/bin/jupyter lab "$${flags[@]}"

# Both suites run even when the first fails, so one run reports everything;
# on success pytest's summary is the last line.
test: kernel ## install everything, then cargo test --workspace and the notebook tests (pytest)
	@cargo_rc=0; pytest_rc=0; \
	echo "+ cargo test --workspace"; cargo test --workspace || cargo_rc=$$?; \
	echo "+ $(VPY) -m pytest tests -v"; $(VPY) -m pytest tests -v || pytest_rc=$$?; \
	if [ $$cargo_rc != 0 ]; then echo "make test: cargo test --workspace FAILED (exit $$cargo_rc), see above" >&2; fi; \
	exit $$(( cargo_rc != 0 ? cargo_rc : pytest_rc ))

test-rust: ## only cargo test --workspace
	cargo test --workspace

test-notebooks: kernel ## only the notebook tests (pytest tests -v)
	$(VPY) -m pytest tests -v

clean-kernel: ## delete the Rust kernel's build folders (rebuilt by the next kernel or `make warmup`)
	@$(PYTHON) tools/evcxr_kernel.py --clean
	@rm -f target/evcxr-warmup.stamp

strip: ## remove outputs from notebooks/*.ipynb and tools/*.ipynb (they are committed without)
	@$(PYTHON) tools/strip_outputs.py $(NOTEBOOKS)

check-stripped: ## fail if a notebook has outputs
	@$(PYTHON) tools/strip_outputs.py --check $(NOTEBOOKS)

# ---------------------------------------------------------------- benchmarks

bench: ## nnlib against numpy, PyTorch (if installed) and linfa -> target/bench/results.{csv,md}
	bash bench/run.sh

bench-deps: ## optional: install PyTorch for make bench (the Linux wheel is large, ~5 GB)
	bash bench/deps.sh
