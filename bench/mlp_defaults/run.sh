#!/usr/bin/env bash
# What `make bench-mlp` does: nnlib's MlpClassifier::params() against
# scikit-learn's MLPClassifier(), both with their defaults, on the same
# held-out splits of digits, breast_cancer, two_moons and scikit-learn's iris,
# wine and a synthetic set; as loaded and standardised. Writes
# target/bench/mlp_defaults.md (the table) and target/bench/mlp_defaults/
# (the shared inputs and every fit's row, results-*.csv).
#
#   bash bench/mlp_defaults/run.sh                     # nnlib's old and current defaults, scikit-learn's (10 splits)
#   SEEDS=3 bash bench/mlp_defaults/run.sh
#   VARIANTS='default sklearn h=100,lr=0.01' bash bench/mlp_defaults/run.sh   # see mlp_defaults.rs
#   SKLEARN=0 bash bench/mlp_defaults/run.sh           # keep scikit-learn's last results
#
# scikit-learn comes from bench/requirements-sklearn.txt, installed into the
# benchmarks' venv (BENCH_VENV, default target/bench-venv) by bench/deps.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${BENCH_VENV:-target/bench-venv}
SEEDS=${SEEDS:-10}
OUT=target/bench/mlp_defaults
bash bench/deps.sh sklearn
cargo build --release -q -p nnlib-bench --bin mlp-defaults
BIN=${CARGO_TARGET_DIR:-target}/release/mlp-defaults
# One thread on each side: matrixmultiply (nnlib) and OpenBLAS (numpy, under scikit-learn).
export MATMUL_NUM_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
py() { "$VENV/bin/python" bench/mlp_defaults/sklearn_side.py "$@"; }
mkdir -p "$OUT"
py export "$OUT"
"$BIN" prepare "$OUT" --seeds "$SEEDS"
rm -f "$OUT"/results-nnlib*.csv
i=0
for v in ${VARIANTS:-old default sklearn}; do
    i=$((i + 1))
    echo "mlp-defaults: nnlib $v"
    "$BIN" fit "$OUT" "$v" --seeds "$SEEDS" > "$OUT/results-nnlib$i.csv"
done
if [ "${SKLEARN:-1}" != 0 ] || [ ! -f "$OUT/results-sklearn.csv" ]; then
    echo "mlp-defaults: scikit-learn"
    py fit "$OUT" --seeds "$SEEDS" > "$OUT/results-sklearn.csv"
fi
py summarise "$OUT" --out target/bench/mlp_defaults.md
