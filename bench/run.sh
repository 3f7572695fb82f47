#!/usr/bin/env bash
# What `make bench` does: nnlib against numpy, PyTorch (when installed) and
# linfa, side by side, on this machine. Writes target/bench/results.csv,
# results.md (the tables) and results.json (every run's times).
#
#   bash bench/run.sh            # full run (≥ 5 runs and ≥ 1 s per measurement)
#   bash bench/run.sh --quick    # 5 runs each
#   bash bench/run.sh --only P1_linreg_gd,P2_mlp_bc
#
# Python comes from the benchmarks' own venv (BENCH_VENV, default
# target/bench-venv), made from bench/requirements.txt on first use;
# `bash bench/deps.sh` adds the optional PyTorch. BENCH_THREADS (default 2)
# threads for every implementation.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${BENCH_VENV:-target/bench-venv}
start=$(date +%s)
bash bench/venv.sh
cargo build --release -q -p nnlib-bench
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are dropped by run.py for the benchmark
# processes alone (and recorded in results.md).
"$VENV/bin/python" bench/run.py --rust-bin target/release/nnlib-bench "$@"
echo "bench: done in $(( $(date +%s) - start )) s"
