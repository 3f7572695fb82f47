#!/usr/bin/env bash
# make bench-backends: for each backend (matrixmultiply alone, + gemm, + faer),
# a cold release build in a target folder of its own (wall and CPU seconds, the
# crates it compiles: what it would add to every learner's first kernel), then
# the products of P3's shapes and a 2048² product, f64, 2 threads.
# Results: target/bench/backends.txt.
set -euo pipefail
cd "$(dirname "$0")"
out=../../target/bench/backends.txt
mkdir -p ../../target/bench
: > "$out"
export MATMUL_NUM_THREADS=${BENCH_THREADS:-2} RAYON_NUM_THREADS=${BENCH_THREADS:-2}
for feat in none gemm faer; do
  dir=../../target/backends-$feat
  rm -rf "$dir"
  args=(--release --locked)  # never empty: "${args[@]}" of an empty array fails under set -u in bash < 4.4
  if [ "$feat" != none ]; then args+=(--features "$feat"); fi
  TIMEFORMAT='%R %U %S'
  log=../../target/bench/backends-$feat.build.log
  if ! times=$( { time cargo build -q "${args[@]}" --target-dir "$dir" >"$log" 2>&1; } 2>&1 ); then
    echo "error: cargo build --features $feat failed (bench/backends/; see $log)" >&2
    exit 1
  fi
  read -r wall user sys <<<"$times"
  crates=$(find "$dir/release/deps" -name '*.rlib' | wc -l)
  echo "$feat: cold build ${wall} s wall, ${user} s user + ${sys} s sys CPU, $crates crates" | tee -a "$out"
done
for feat in none gemm faer; do
  echo "== products with matrixmultiply$( [ $feat = none ] || echo " and $feat")" | tee -a "$out"
  "../../target/backends-$feat/release/nnlib-backends-bench" | tee -a "$out"
done
echo "wrote target/bench/backends.txt"
