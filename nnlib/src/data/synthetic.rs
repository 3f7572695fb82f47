//! Small generated datasets whose true structure is known, for checking that
//! a model learns what it should. The same seed always gives the same data.

use std::f64::consts::PI;

use linfa::{Dataset, DatasetBase};
use ndarray::{Array1, Array2, Axis, Ix1};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::{Error, Result};

/// Points on the line `y = slope * x + intercept` plus Gaussian noise:
/// `x` is uniform in [-1, 1] and the noise has mean 0 and standard
/// deviation `noise_std`. One feature named `x`, targets named `y`.
///
/// # Errors
///
/// [`Error::InvalidParameter`] if `n < 2`, if `noise_std` is negative or
/// not finite, or if `slope` or `intercept` is not finite.
pub fn noisy_line(
    n: usize,
    slope: f64,
    intercept: f64,
    noise_std: f64,
    seed: u64,
) -> Result<Dataset<f64, f64, Ix1>> {
    check_n(n)?;
    check_noise(noise_std)?;
    check_finite_parameter("slope", slope)?;
    check_finite_parameter("intercept", intercept)?;
    crate::memory::check(crate::memory::f64_bytes(&[n, 3]), || format!("noisy_line of {n} samples"))?;

    let mut rng = StdRng::seed_from_u64(seed);
    let x = Array1::from_shape_fn(n, |_| rng.gen_range(-1.0..=1.0));
    let y = x.mapv(|x| slope * x + intercept + noise_std * standard_normal(&mut rng));
    if y.iter().any(|v| !v.is_finite()) {
        return Err(Error::Overflow {
            what: "noisy_line's targets (slope, intercept or noise_std too large)".into(),
        });
    }
    Ok(Dataset::new(x.insert_axis(Axis(1)), y).with_feature_names(vec!["x"]).with_target_names(vec!["y"]))
}

/// The classic "two moons" of scikit-learn's `make_moons`: two interleaved
/// half circles that no straight line can separate.
///
/// * label 0: `n / 2` points on the upper half of the unit circle centred
///   at (0, 0): `(cos t, sin t)` for `t` evenly spaced in [0, π];
/// * label 1: the other `n - n / 2` points on the lower half of the unit
///   circle centred at (1, 0.5): `(1 - cos t, 0.5 - sin t)`.
///
/// Gaussian noise with standard deviation `noise_std` is added to both
/// coordinates, and the samples are shuffled so the two classes are mixed.
/// Features are named `x1` and `x2`, targets `label`.
///
/// # Errors
///
/// [`Error::InvalidParameter`] if `n < 2` or if `noise_std` is negative or
/// not finite.
pub fn two_moons(n: usize, noise_std: f64, seed: u64) -> Result<DatasetBase<Array2<f64>, Array1<usize>>> {
    check_n(n)?;
    check_noise(noise_std)?;
    // The shuffled points (3 words each), the records (2) and the labels (1).
    crate::memory::check(crate::memory::f64_bytes(&[n, 6]), || format!("two_moons of {n} samples"))?;

    let n_upper = n / 2;
    let mut points: Vec<([f64; 2], usize)> = Vec::with_capacity(n);
    for t in half_circle_angles(n_upper) {
        points.push(([t.cos(), t.sin()], 0));
    }
    for t in half_circle_angles(n - n_upper) {
        points.push(([1.0 - t.cos(), 0.5 - t.sin()], 1));
    }

    let mut rng = StdRng::seed_from_u64(seed);
    points.shuffle(&mut rng);
    let mut records = Array2::zeros((n, 2));
    for (mut row, (point, _)) in records.rows_mut().into_iter().zip(&points) {
        row[0] = point[0] + noise_std * standard_normal(&mut rng);
        row[1] = point[1] + noise_std * standard_normal(&mut rng);
    }
    if records.iter().any(|v| !v.is_finite()) {
        return Err(Error::Overflow { what: "two_moons' points (noise_std too large)".into() });
    }
    let labels: Array1<usize> = points.iter().map(|&(_, label)| label).collect();
    Ok(DatasetBase::new(records, labels)
        .with_feature_names(vec!["x1", "x2"])
        .with_target_names(vec!["label"]))
}

/// `count` angles evenly spaced from 0 to π (just 0 if `count` is 1).
fn half_circle_angles(count: usize) -> impl Iterator<Item = f64> {
    let step = if count > 1 { PI / (count - 1) as f64 } else { 0.0 };
    (0..count).map(move |i| i as f64 * step)
}

/// One draw from the standard normal distribution N(0, 1) by the
/// Box–Muller transform: if u1 and u2 are independent and uniform on
/// (0, 1], then `sqrt(-2 ln u1) * cos(2π u2)` is N(0, 1).
/// (rand 0.8 alone has no normal distribution; that lives in `rand_distr`.)
fn standard_normal(rng: &mut StdRng) -> f64 {
    // `gen` is uniform on [0, 1); `1 - gen` is on (0, 1], so ln(u1) is finite.
    let u1 = 1.0 - rng.gen::<f64>();
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos()
}

fn check_n(n: usize) -> Result<()> {
    if n >= 2 {
        return Ok(());
    }
    Err(Error::InvalidParameter { name: "n", reason: format!("need at least 2 samples, got {n}") })
}

fn check_noise(noise_std: f64) -> Result<()> {
    if noise_std.is_finite() && noise_std >= 0.0 {
        return Ok(());
    }
    Err(Error::InvalidParameter {
        name: "noise_std",
        reason: format!("must be a finite number >= 0, got {}", crate::numfmt::num(noise_std)),
    })
}

fn check_finite_parameter(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() {
        return Ok(());
    }
    Err(Error::InvalidParameter {
        name,
        reason: format!("must be a finite number, got {}", crate::numfmt::num(value)),
    })
}
