//! Helpers shared by the integration tests: finite differences, tolerant
//! comparisons, small random matrices and the standardised data sets.
//!
//! Each test file uses only some of them.
#![allow(dead_code)]

use nnlib::data::{self, Standardizer};
use nnlib::ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// `f'(x)` by central differences, `(f(x + h) - f(x - h)) / (2h)`, with an
/// explicit step `h`. Dividing by `(x + h) - (x - h)` (what the machine really
/// stepped) instead of `2h` removes the rounding of `x ± h` for huge `x`.
pub fn central_diff_h(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    let (xp, xm) = (x + h, x - h);
    (f(xp) - f(xm)) / (xp - xm)
}

/// Central difference with a step relative to the size of `x`:
/// `h = 1e-6 · max(1, |x|)`, so that `x ± h` differs from `x` even at 1e300.
pub fn central_diff(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    central_diff_h(f, x, 1e-6 * x.abs().max(1.0))
}

/// True when `|a - b| <= atol + rtol · max(|a|, |b|)`.
pub fn close(a: f64, b: f64, rtol: f64, atol: f64) -> bool {
    (a - b).abs() <= atol + rtol * a.abs().max(b.abs())
}

/// Panics with both numbers and `what` unless [`close`] holds.
#[track_caller]
pub fn assert_close(a: f64, b: f64, rtol: f64, atol: f64, what: &str) {
    assert!(close(a, b, rtol, atol), "{what}: {a:e} vs {b:e} (difference {:e})", (a - b).abs());
}

/// Element-wise [`assert_close`] for two matrices of the same shape.
#[track_caller]
pub fn assert_all_close(a: &Array2<f64>, b: &Array2<f64>, rtol: f64, atol: f64, what: &str) {
    assert_eq!(a.shape(), b.shape(), "{what}: shapes differ");
    for ((ij, &x), &y) in a.indexed_iter().zip(b.iter()) {
        assert_close(x, y, rtol, atol, &format!("{what} at {ij:?}"));
    }
}

/// A seeded `rows × cols` matrix of uniform numbers in `[lo, hi)`.
pub fn uniform(rows: usize, cols: usize, lo: f64, hi: f64, seed: u64) -> Array2<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array2::from_shape_fn((rows, cols), |_| rng.gen_range(lo..hi))
}

/// `rows` random probability rows of `cols` entries (positive, each summing to 1).
pub fn random_distributions(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut p = uniform(rows, cols, 0.1, 1.0, seed);
    for mut row in p.rows_mut() {
        let s = row.sum();
        row /= s;
    }
    p
}

/// Class labels as `f64` 0/1 in one column (a BCE target).
pub fn labels_to_column(labels: &Array1<usize>) -> Array2<f64> {
    Array2::from_shape_fn((labels.len(), 1), |(i, _)| labels[i] as f64)
}

/// The breast-cancer data split 80/20 with seed 42, standardised with a
/// [`Standardizer`] fitted on the training part only.
pub struct BreastCancer {
    pub x_train: Array2<f64>,
    pub y_train: Array1<usize>,
    pub x_test: Array2<f64>,
    pub y_test: Array1<usize>,
}

pub fn breast_cancer() -> BreastCancer {
    let all = data::breast_cancer().expect("data/breast_cancer.csv loads");
    let (train, test) = data::train_test_split(&all, 0.2, 42).expect("split");
    let scaler = Standardizer::fit(train.records.view()).expect("fit scaler");
    BreastCancer {
        x_train: scaler.transform(train.records.view()).expect("transform train"),
        y_train: train.targets.clone(),
        x_test: scaler.transform(test.records.view()).expect("transform test"),
        y_test: test.targets.clone(),
    }
}

/// Fraction of equal entries of two label vectors.
pub fn fraction_equal(a: &Array1<usize>, b: &Array1<usize>) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).filter(|(p, t)| p == t).count() as f64 / a.len() as f64
}

/// `n_per_class` points around each of the given centres (Gaussian-ish noise
/// of the given spread, from the sum of uniforms), labelled 0, 1, 2, ...
pub fn blobs(
    centres: &[[f64; 2]],
    n_per_class: usize,
    spread: f64,
    seed: u64,
) -> (Array2<f64>, Array1<usize>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let n = centres.len() * n_per_class;
    let mut x = Array2::zeros((n, 2));
    let mut y = Array1::zeros(n);
    for i in 0..n {
        // Interleave the classes so any prefix of the rows holds all of them.
        let class = i % centres.len();
        for d in 0..2 {
            // Sum of three uniforms on [-1, 1]: bell-shaped, standard deviation 1.
            let noise: f64 = (0..3).map(|_| rng.gen_range(-1.0..1.0)).sum();
            x[[i, d]] = centres[class][d] + spread * noise;
        }
        y[i] = class;
    }
    (x, y)
}
