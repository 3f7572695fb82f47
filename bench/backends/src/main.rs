//! Products in P3's shapes and 2048², f64, 2 threads: matrixmultiply vs gemm vs faer.
use std::time::Instant;

/// Threads for every backend: MATMUL_NUM_THREADS (run.sh sets it from BENCH_THREADS), default 2.
fn threads() -> usize {
    std::env::var("MATMUL_NUM_THREADS").ok().and_then(|v| v.parse().ok()).unwrap_or(2)
}

fn median(mut v: Vec<f64>) -> f64 { v.sort_by(|a, b| a.partial_cmp(b).unwrap()); v[v.len() / 2] }

/// C (m×n) = A (m×k, row-major) · B where B is given as (n×k, row-major) transposed: like Z = A Wᵀ.
fn mm_matrixmultiply(m: usize, k: usize, n: usize, a: &[f64], bt: &[f64], c: &mut [f64]) {
    unsafe {
        matrixmultiply::dgemm(m, k, n, 1.0, a.as_ptr(), k as isize, 1, bt.as_ptr(), 1, k as isize, 0.0, c.as_mut_ptr(), n as isize, 1);
    }
}

#[cfg(feature = "gemm")]
fn mm_gemm(m: usize, k: usize, n: usize, a: &[f64], bt: &[f64], c: &mut [f64]) {
    unsafe {
        gemm::gemm(m, n, k, c.as_mut_ptr(), 1, n as isize, false, a.as_ptr(), 1, k as isize, bt.as_ptr(), k as isize, 1,
                   0.0, 1.0, false, false, false, gemm::Parallelism::Rayon(threads()));
    }
}

#[cfg(feature = "faer")]
fn mm_faer(m: usize, k: usize, n: usize, a: &[f64], bt: &[f64], c: &mut [f64]) {
    use faer::{MatRef, MatMut, Par, Accum};
    let a = MatRef::from_row_major_slice(a, m, k);
    let b = MatRef::from_row_major_slice(bt, n, k).transpose();
    let c = MatMut::from_row_major_slice_mut(c, m, n);
    faer::linalg::matmul::matmul(c, Accum::Replace, a, b, 1.0, Par::rayon(threads()));
}

fn bench(name: &str, f: &dyn Fn(usize, usize, usize, &[f64], &[f64], &mut [f64]), m: usize, k: usize, n: usize) {
    let a: Vec<f64> = (0..m * k).map(|i| ((i * 7919) % 1000) as f64 / 1000.0 - 0.5).collect();
    let bt: Vec<f64> = (0..n * k).map(|i| ((i * 104729) % 1000) as f64 / 1000.0 - 0.5).collect();
    let mut c = vec![0.0; m * n];
    f(m, k, n, &a, &bt, &mut c);
    let reps = (2e10 / (2.0 * (m * k * n) as f64)).clamp(5.0, 2000.0) as usize;
    let mut times = vec![];
    for _ in 0..7 {
        let t = Instant::now();
        for _ in 0..reps { f(m, k, n, &a, &bt, &mut c); }
        times.push(t.elapsed().as_secs_f64() / reps as f64);
    }
    let t = median(times);
    println!("{name:16} {m:5}x{k:5}x{n:5}  {:9.3} ms  {:6.1} GFLOP/s  (check {:.6})", t * 1e3, 2.0 * (m * k * n) as f64 / t / 1e9, c[c.len() / 3]);
}

fn main() {
    let shapes = [(2048, 2048, 2048), (256, 784, 256), (256, 256, 784), (256, 256, 10), (10000, 784, 256)];
    for &(m, k, n) in &shapes {
        bench("matrixmultiply", &mm_matrixmultiply, m, k, n);
        #[cfg(feature = "gemm")]
        bench("gemm", &mm_gemm, m, k, n);
        #[cfg(feature = "faer")]
        bench("faer", &mm_faer, m, k, n);
    }
}
