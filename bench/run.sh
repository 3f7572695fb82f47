#!/usr/bin/env bash
# What `make bench` does: nnlib against numpy, PyTorch (when installed) and
# linfa, side by side, on this machine. Writes target/bench/results.csv,
# results.md (the tables) and results.json (every run's times).
#
#   bash bench/run.sh            # full run (≥ 5 runs and ≥ 1 s per measurement)
#   bash bench/run.sh --quick    # 5 runs each
#   bash bench/run.sh --only P1_linreg_gd,P2_mlp_bc
#   bash bench/run.sh --scaling  # the size sweep instead (make bench-scaling):
#                                # target/bench/scaling.{csv,md}, docs/scaling*.svg
#
# Python comes from the benchmarks' own venv (BENCH_VENV, default
# target/bench-venv), made from bench/requirements.txt on first use;
# `bash bench/deps.sh` adds the optional PyTorch. BENCH_THREADS (default 2)
# threads for every implementation.
#
# nnlib is measured twice when the system OpenBLAS is installed (Debian/Ubuntu:
# apt-get install libopenblas-dev): as notebooks build it, and with its `blas`
# feature (column nnlib+blas). BENCH_BLAS=0 skips the second build, BENCH_BLAS=1
# makes a missing OpenBLAS an error.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${BENCH_VENV:-target/bench-venv}
start=$(date +%s)
bash bench/venv.sh

have_openblas() {
    pkg-config --exists openblas 2>/dev/null && return 0
    # Debian's libopenblas-dev has no .pc file in some releases: look for the linker's name.
    ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so '
}
blas_args=()
if [ "${BENCH_BLAS:-auto}" != 0 ]; then
    if have_openblas; then
        # The blas build first, copied aside: the default build below is the one
        # left at target/release/nnlib-bench (cargo keeps both, so neither rebuilds).
        cargo build --release -q -p nnlib-bench --features blas
        mkdir -p target/bench
        cp target/release/nnlib-bench target/bench/nnlib-bench-blas
        blas_args=(--rust-blas-bin target/bench/nnlib-bench-blas)
    elif [ "${BENCH_BLAS:-auto}" = 1 ]; then
        echo "error: BENCH_BLAS=1 but no system OpenBLAS was found (libopenblas.so)." >&2
        echo "  Debian/Ubuntu: apt-get install libopenblas-dev" >&2
        exit 1
    else
        echo "bench: no system OpenBLAS (Debian/Ubuntu: apt-get install libopenblas-dev): nnlib+blas skipped"
    fi
fi
cargo build --release -q -p nnlib-bench
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are dropped by run.py for the benchmark
# processes alone (and recorded in results.md).
if [ "${1:-}" = --scaling ]; then
    shift
    "$VENV/bin/python" bench/scaling.py --rust-bin target/release/nnlib-bench "${blas_args[@]}" "$@"
else
    "$VENV/bin/python" bench/run.py --rust-bin target/release/nnlib-bench "${blas_args[@]}" "$@"
fi
echo "bench: done in $(( $(date +%s) - start )) s"
