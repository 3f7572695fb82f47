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
CHROMIUM      ?= /usr/bin/chromium
export CHROMIUM
E2E_NODE_DEPS := e2e/node_modules/.npm-ci.stamp
MATHJAX_DEPS  := tools/mathjax/node_modules/.npm-ci.stamp
NOTEBOOKS     := $(wildcard notebooks/*.ipynb) $(wildcard tools/*.ipynb)

export PATH := $(CARGO_ROOT)/bin:$(PATH)
# Jupyter must pick the kernel registered inside .venv over any user-wide `rust` kernel.
export JUPYTER_PREFER_ENV_PATH := 1

# Every target is phony: several share a name with a folder (bench, e2e, docs, tools, ...),
# and make would otherwise call such a target "up to date" and do nothing.
# tests/test_makefile.py checks that every target listed by `make help` is here.
.PHONY: help venv evcxr kernel warmup lab test test-rust test-notebooks clean-kernel strip check-stripped \
        chromium e2e-deps e2e e2e-selftest html figures bench bench-deps bench-scaling bench-backends bench-mlp \
        bench-kernel test-binder hub hub-deps test-hub

help: ## show this help
	@echo "Rust neural-network workshop. Targets:"
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'
	@echo "Variables: PYTHON=$(PYTHON)  LAB_PORT=$(LAB_PORT)  CARGO_ROOT=$(CARGO_ROOT)"
	@echo "Notebook tests: NB_DIR=dir NB_SOLUTIONS=0|1 (one mode only) NB_BARE=Name,...|all|0 (the bare-kernel run)"
	@echo "  deadlines (s): NB_STARTUP_TIMEOUT=60 NB_SILENCE_TIMEOUT=60 NB_CELL_TIMEOUT=600 NB_DEP_CELL_TIMEOUT=1800"
	@echo "Site: HTML_FORCE=1 (make html executes every notebook again instead of reusing target/notebooks/)"
	@echo "Browser tests: E2E_ONLY='Name ...' (some notebooks) E2E_SELFTEST=0 (skip the self-test) CHROMIUM=$(CHROMIUM)"

# ---------------------------------------------------------------- installs

venv: $(VENV)/.requirements.stamp ## create .venv and pip-install requirements.txt (only when it changed)

$(VENV)/.requirements.stamp: requirements.txt
	@if [ ! -x $(VPY) ]; then \
	  echo "Creating $(VENV) with $$(command -v $(PYTHON)) ($$($(PYTHON) --version 2>&1))"; \
	  $(PYTHON) -m venv $(VENV) || { echo "error: '$(PYTHON) -m venv' failed (Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }; \
	fi
	$(VPY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@cp requirements.txt $@

evcxr: ## cargo-install evcxr_jupyter 0.22.0 unless it is already installed (checks rustc >= 1.95; opt-level 1, progress every 30 s)
	@PYTHON=$(PYTHON) bash tools/ensure_evcxr.sh $(EVCXR_VERSION) "$(CARGO_ROOT)" $(RUST_MIN)

# venv and evcxr at once: pip's ~25 s hide inside cargo's minutes on a fresh machine. No
# --output-sync: it would hold back the install's progress lines until the end.
kernel: ## register the Rust kernel inside .venv (EVCXR_CONFIG_DIR -> evcxr/)
	@$(MAKE) -j2 -s venv evcxr
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

# All suites run even when one fails, so one run reports everything; on success
# the e2e summary (`e2e: N passed, 0 failed`) is the last line. The notebook
# tests write target/notebooks/, which `make e2e`'s `make html` then reuses.
# One line per suite, so `make -n test` prints them instead of running them
# (make runs a line that calls $(MAKE) even under -n).
test: kernel ## install everything, then cargo test --workspace, the notebook tests (pytest), the room's hub (make test-hub) and the browser tests (make e2e)
	@mkdir -p target && rm -f target/make-test.failed
	@echo "+ cargo test --workspace"; cargo test --workspace || echo "cargo test --workspace (exit $$?)" >> target/make-test.failed
	@echo "+ $(VPY) -m pytest tests -v"; $(VPY) -m pytest tests -v || echo "the notebook tests, pytest (exit $$?)" >> target/make-test.failed
	@echo "+ make test-hub"; if [ "$$(id -u)" = 0 ]; then $(MAKE) test-hub || echo "the room's hub, make test-hub (exit $$?)" >> target/make-test.failed; else echo "make test-hub: NOT RUN: it creates system users and mounts, so it needs root (CI runs as root); run: sudo make test-hub"; fi
	@echo "+ make e2e"; $(MAKE) e2e || echo "the browser tests, make e2e (exit $$?)" >> target/make-test.failed
	@if [ -s target/make-test.failed ]; then sed 's/^/make test: FAILED: /' target/make-test.failed >&2; echo "(see above)" >&2; exit 1; fi

test-rust: ## only cargo test --workspace
	cargo test --workspace

test-notebooks: kernel ## only the notebook tests (pytest tests -v)
	$(VPY) -m pytest tests -v

# ---------------------------------------------------------------- browser tests and site

chromium: ## install Debian's chromium for the browser tests unless it is there (apt-get, needs root)
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests (apt-get install chromium)..."; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji; \
	  [ -x "$(CHROMIUM)" ] || { echo "error: apt-get installed chromium but $(CHROMIUM) does not exist; set CHROMIUM=..." >&2; exit 1; }; \
	else \
	  echo "error: $(CHROMIUM) is missing. The browser tests need Chromium: as root run" >&2; \
	  echo "  apt-get update && apt-get install -y chromium" >&2; \
	  echo "(Debian/Ubuntu), or point CHROMIUM=/path/to/chromium at another Chromium build." >&2; \
	  exit 1; \
	fi

e2e-deps: $(E2E_NODE_DEPS) ## npm ci in e2e/ (playwright-core, pinned by e2e/package-lock.json; no browser download)

# npm ci in a folder with a package-lock.json, once per change of the lock.
define npm_ci
	@command -v node >/dev/null && command -v npm >/dev/null || \
	  { echo "error: Node.js 20+ and npm are needed for $(2) (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || \
	  { echo "error: Node.js 20 or newer is needed for $(2), found $$(node --version)" >&2; exit 1; }
	cd $(1) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@
endef

$(E2E_NODE_DEPS): e2e/package.json e2e/package-lock.json
	$(call npm_ci,e2e,the browser tests)

$(MATHJAX_DEPS): tools/mathjax/package.json tools/mathjax/package-lock.json
	$(call npm_ci,tools/mathjax,make html (MathJax for the pages))

# The site is rendered first (reusing the notebook tests' executed copies when
# they are fresh), so the browser also checks its pages offline (--site).
e2e: kernel chromium e2e-deps ## browser tests: the site's pages offline, then every notebook in JupyterLab, Run All, checked (screenshots: target/e2e/)
	@$(VPY) tools/warmup.py || echo "warning: the warm-up failed (see above); the first notebook will compile the kernel's dependencies" >&2
	@$(MAKE) html || echo "warning: make html failed (see above); the site's check will report it" >&2
	@node e2e/run.js $(if $(filter 0,$(E2E_SELFTEST)),,--selftest) --site $(E2E_ONLY)

e2e-selftest: kernel chromium e2e-deps ## only the e2e driver's self-test: it must fail on e2e/fixtures (a panic, a plot shown as text) and pass a good one
	@node e2e/selftest.js

html: kernel $(MATHJAX_DEPS) ## execute every notebook (or reuse fresh copies in target/notebooks/) and render site/<name>.html and site/index.html (MathJax included: readable offline)
	@$(VPY) tools/render_html.py $(if $(filter 1,$(HTML_FORCE)),--force)

figures: kernel ## redraw the README's pictures in docs/: runs the notebooks that draw them with NNLIB_FIGURES_DIR=docs
	@NNLIB_FIGURES_DIR=$(CURDIR)/docs $(VPY) tools/figures.py

# ---------------------------------------------------------------- housekeeping

clean-kernel: ## delete the Rust kernel's build folders (rebuilt by the next kernel or `make warmup`)
	@$(PYTHON) tools/evcxr_kernel.py --clean
	@rm -f target/evcxr-warmup.stamp

strip: ## remove outputs from notebooks/*.ipynb and tools/*.ipynb (they are committed without)
	@$(PYTHON) tools/strip_outputs.py $(NOTEBOOKS)

check-stripped: ## fail if a notebook has outputs
	@$(PYTHON) tools/strip_outputs.py --check $(NOTEBOOKS)

# ---------------------------------------------------------------- benchmarks

bench: ## nnlib (also with OpenBLAS, if installed) against numpy, PyTorch (if installed), linfa -> target/bench/results.md
	bash bench/run.sh

bench-scaling: ## one training step swept over width and batch -> target/bench/scaling.md, docs/scaling*.svg
	bash bench/run.sh --scaling

bench-backends: ## the pure-Rust product backends (matrixmultiply, gemm, faer): cold build cost and speed -> target/bench/backends.txt
	bash bench/backends/run.sh

bench-deps: ## optional: install PyTorch for make bench (the Linux wheel is large, ~5 GB) and scikit-learn for make bench-mlp
	bash bench/deps.sh

bench-mlp: ## MlpClassifier::params() against scikit-learn's MLPClassifier() on held-out splits -> target/bench/mlp_defaults.md
	bash bench/mlp_defaults/run.sh

bench-kernel: kernel ## the learner's loop: kernel start, :dep, cell latency, every notebook, warm and cold -> target/bench/kernel.{csv,md}
	$(VPY) bench/kernel.py $(BENCH_KERNEL_ARGS)

# ---------------------------------------------------------------- the image for a room (binder/)

test-binder: kernel ## only the image's checks: binder/postBuild and start in a fresh home, a notebook on its warm build, the z2jh files (tests/test_binder.py)
	$(VPY) -m pytest tests/test_binder.py -v

# ---------------------------------------------------------------- teaching a room (hub/, hub/README.md)

# The room: a root-owned folder learners can read (toolchain, nnlib, vendored crates,
# the warm build, the Python of the hub and of every learner's server). ROOM_PYTHON
# must be a Python every user can run (not one under /root, e.g. pyenv's).
ROOM          ?= /opt/nn-workshop-room
ROOM_PYTHON   ?= /usr/bin/python3
# make test-hub uses a room of its own (one per checkout), never the teacher's.
TEST_ROOM     ?= /opt/nn-workshop-room-test-$(shell printf %s "$(CURDIR)" | sha256sum | cut -c1-10)
HUB_NODE_DEPS := hub/node_modules/.npm-ci.stamp

$(HUB_NODE_DEPS): hub/package.json hub/package-lock.json
	$(call npm_ci,hub,the hub's configurable-http-proxy)

# $(call room_venv,ROOM): $(ROOM)/venv from hub/requirements.txt, again only when that file changed.
define room_venv
	@[ "$$(id -u)" = 0 ] || { echo "error: the room's hub runs as root (each learner's server runs as their own system user); run make as root" >&2; exit 1; }
	@[ -x "$(ROOM_PYTHON)" ] || { echo "error: ROOM_PYTHON=$(ROOM_PYTHON) does not exist; point it at a Python 3.9+ every user can run" >&2; exit 1; }
	@if ! cmp -s hub/requirements.txt $(1)/venv/.requirements.stamp; then \
	  echo "Creating the room's Python $(1)/venv with $(ROOM_PYTHON) ($$($(ROOM_PYTHON) --version 2>&1))"; \
	  mkdir -p $(1) && chmod 755 $(1); \
	  $(ROOM_PYTHON) -m venv $(1)/venv || { echo "error: '$(ROOM_PYTHON) -m venv' failed (Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }; \
	  $(1)/venv/bin/pip install --disable-pip-version-check -q -r hub/requirements.txt || { echo "error: pip install -r hub/requirements.txt into $(1)/venv failed (see above)" >&2; exit 1; }; \
	  chmod -R go+rX,go-w $(1)/venv; \
	  cp hub/requirements.txt $(1)/venv/.requirements.stamp; \
	fi
endef

hub-deps: evcxr $(HUB_NODE_DEPS) ## the hub's installs: $(ROOM)/venv (hub/requirements.txt) and configurable-http-proxy (hub/package-lock.json)
	$(call room_venv,$(ROOM))

hub: hub-deps ## serve the workshop to a room: JupyterHub on NN_HUB_IP:NN_HUB_PORT (127.0.0.1:8000), one system user per learner, warm kernels (hub/README.md)
	@NN_ROOM=$(ROOM) $(ROOM)/venv/bin/python hub/serve.py

test-hub: evcxr chromium e2e-deps $(HUB_NODE_DEPS) ## the hub for real on 127.0.0.1: 4 learners run Linear_Regression at once, isolation, limits, Chromium -> target/hub/
	$(call room_venv,$(TEST_ROOM))
	NN_ROOM=$(TEST_ROOM) $(TEST_ROOM)/venv/bin/python hub/test_hub.py
