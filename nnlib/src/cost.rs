//! Cost functions `C(ŷ, y)`, each value next to its gradient `dC/dŷ`.
//!
//! Every cost here is an element-wise loss `ℓ(ŷ, y)` added up over the outputs
//! of a sample and **averaged over the n samples** (rows) of a batch:
//!
//! `C = (1/n) Σ_i Σ_j ℓ(ŷ_ij, y_ij)`, so `dC/dŷ_ij = ℓ'(ŷ_ij, y_ij) / n`.
//!
//! For one output column this is exactly the lecture's MSE, MAE, BCE, hinge and
//! Poisson. The lecture writes categorical cross-entropy and KL divergence as
//! *sums* over samples; nnlib divides them by n as well, so that the learning
//! rate means the same thing for every batch size. Multiply by n to get the
//! lecture's number. The lecture's Huber formula is per sample; nnlib averages it.
//!
//! Logarithms never see 0: predictions are clamped to `[PROB_FLOOR, 1 - PROB_FLOOR]` (BCE) or
//! `[PROB_FLOOR, ∞)` (CCE, KL, Poisson) with `PROB_FLOOR = 1e-12` before any `ln`. The clamp
//! is there for predictions of exactly 0 or 1, which are valid: a sigmoid or
//! softmax rounds to exactly 0 or 1 in f64 once `|z|` exceeds about 37, and
//! `ln 0 = -∞` would stop training. It moves such a prediction by at most
//! 1e-12. A prediction *outside* `[0, 1]` (or below 0 for Poisson) is not a
//! probability at all: [`Cost::value`] and [`Cost::gradient`] reject it
//! rather than clamp it to a made-up cost such as `-ln 1e-12 = 27.6`. When the
//! output activation is sigmoid with BCE, or softmax with CCE, the network
//! skips the clamp altogether and uses the fused, exact form
//! `delta = dC/dz = (a - y) / n` (`Cost::fused_delta_into`).

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::numfmt::num;
use ndarray::{Array2, ArrayView2, Zip};

/// The smallest probability a logarithm sees (the "clamp" of the module docs).
/// Not a learning rate, nor Adam's epsilon.
pub const PROB_FLOOR: f64 = 1e-12;

fn clamp_prob(p: f64) -> f64 {
    p.clamp(PROB_FLOOR, 1.0 - PROB_FLOOR)
}
fn clamp_pos(p: f64) -> f64 {
    p.max(PROB_FLOOR)
}

// ---------------------------------------------------------------------------
// Element-wise losses ℓ(ŷ, y): value, then derivative with respect to ŷ.
// Private: a learner reaches them as `Cost::Mse.loss(ŷ, y)` and `.loss_prime`.
// ---------------------------------------------------------------------------

/// Squared error `(y - ŷ)²`.
fn squared_error(y_hat: f64, y: f64) -> f64 {
    (y - y_hat).powi(2)
}
/// `d/dŷ (y - ŷ)² = 2 (ŷ - y)`.
fn squared_error_prime(y_hat: f64, y: f64) -> f64 {
    2.0 * (y_hat - y)
}

/// Absolute error `|y - ŷ|`.
fn absolute_error(y_hat: f64, y: f64) -> f64 {
    (y - y_hat).abs()
}
/// `d/dŷ |y - ŷ| = sign(ŷ - y)` (0 where ŷ = y, the subgradient's middle).
fn absolute_error_prime(y_hat: f64, y: f64) -> f64 {
    if y_hat > y {
        1.0
    } else if y_hat < y {
        -1.0
    } else {
        0.0
    }
}

/// Binary cross-entropy `-[y ln ŷ + (1 - y) ln(1 - ŷ)]`, ŷ and 1 - ŷ at least `PROB_FLOOR` inside the logs.
fn binary_cross_entropy(y_hat: f64, y: f64) -> f64 {
    // A term whose weight is 0 is 0 (as in `cross_entropy`), so a right
    // prediction of exactly 0 or 1 costs exactly 0, not the clamp's 1e-12.
    let term = |weight: f64, p: f64| if weight == 0.0 { 0.0 } else { weight * clamp_pos(p).ln() };
    -(term(y, y_hat) + term(1.0 - y, 1.0 - y_hat))
}
/// `d/dŷ = (ŷ - y) / (ŷ (1 - ŷ))`, ŷ clamped as in the value.
fn binary_cross_entropy_prime(y_hat: f64, y: f64) -> f64 {
    let p = clamp_prob(y_hat);
    (p - y) / (p * (1.0 - p))
}

/// One term of categorical cross-entropy, `-y ln ŷ`, ŷ clamped to `[PROB_FLOOR, ∞)`.
fn cross_entropy(y_hat: f64, y: f64) -> f64 {
    if y == 0.0 {
        0.0 // 0 · ln ŷ is 0 even when ŷ underflows to 0.
    } else {
        -y * clamp_pos(y_hat).ln()
    }
}
/// `d/dŷ (-y ln ŷ) = -y / ŷ`.
fn cross_entropy_prime(y_hat: f64, y: f64) -> f64 {
    -y / clamp_pos(y_hat)
}

/// Hinge `max(0, 1 - y ŷ)` with labels `y ∈ {-1, +1}`.
fn hinge(y_hat: f64, y: f64) -> f64 {
    (1.0 - y * y_hat).max(0.0)
}
/// `d/dŷ = -y where y ŷ < 1, else 0`.
fn hinge_prime(y_hat: f64, y: f64) -> f64 {
    if y * y_hat < 1.0 {
        -y
    } else {
        0.0
    }
}

/// Huber: `½ (y - ŷ)²` when `|y - ŷ| ≤ δ`, else `δ |y - ŷ| - ½ δ²`.
///
/// NaN when `δ` is NaN or negative (Huber needs `δ ≥ 0`; [`Cost::value`] reports it).
fn huber(y_hat: f64, y: f64, delta: f64) -> f64 {
    if delta.is_nan() || delta < 0.0 {
        return f64::NAN;
    }
    let r = (y - y_hat).abs();
    if r <= delta {
        0.5 * r * r
    } else {
        delta * r - 0.5 * delta * delta
    }
}
/// `d/dŷ = (ŷ - y)` inside the band, `δ · sign(ŷ - y)` outside.
///
/// NaN when `δ` is NaN or negative, as for [`huber`] (never a panic).
fn huber_prime(y_hat: f64, y: f64, delta: f64) -> f64 {
    if delta.is_nan() || delta < 0.0 {
        return f64::NAN; // `clamp(-δ, δ)` would panic
    }
    (y_hat - y).clamp(-delta, delta)
}

/// One term of KL divergence, `y ln(y / ŷ)` (0 where y = 0), ŷ clamped to `[PROB_FLOOR, ∞)`.
fn kl_divergence(y_hat: f64, y: f64) -> f64 {
    if y == 0.0 {
        0.0
    } else {
        y * (y / clamp_pos(y_hat)).ln()
    }
}
/// `d/dŷ y ln(y/ŷ) = -y / ŷ`.
fn kl_divergence_prime(y_hat: f64, y: f64) -> f64 {
    -y / clamp_pos(y_hat)
}

/// Poisson `ŷ - y ln ŷ`, ŷ clamped to `[PROB_FLOOR, ∞)` inside the log.
fn poisson(y_hat: f64, y: f64) -> f64 {
    y_hat - y * clamp_pos(y_hat).ln()
}
/// `d/dŷ (ŷ - y ln ŷ) = 1 - y / ŷ`.
fn poisson_prime(y_hat: f64, y: f64) -> f64 {
    1.0 - y / clamp_pos(y_hat)
}

// ---------------------------------------------------------------------------
// The batched cost used by training.
// ---------------------------------------------------------------------------

/// `Σ_ij l(ŷ_ij, y_ij)`, summed in row-major order.
#[inline(always)]
fn sum_of(y_hat: ArrayView2<f64>, y: ArrayView2<f64>, l: impl Fn(f64, f64) -> f64) -> f64 {
    Zip::from(y_hat).and(y).fold(0.0, |sum, &p, &t| sum + l(p, t))
}

/// `out_ij = g(ŷ_ij, y_ij)`.
#[inline(always)]
fn fill_with(out: &mut Array2<f64>, y_hat: ArrayView2<f64>, y: ArrayView2<f64>, g: impl Fn(f64, f64) -> f64) {
    Zip::from(out).and(y_hat).and(y).for_each(|o, &p, &t| *o = g(p, t));
}

/// A cost function, averaged over the samples of a batch (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cost {
    /// Mean squared error `(1/n) Σ (y - ŷ)²`. Regression.
    Mse,
    /// Mean absolute error `(1/n) Σ |y - ŷ|`. Regression robust to outliers.
    Mae,
    /// Binary cross-entropy `-(1/n) Σ [y ln ŷ + (1-y) ln(1-ŷ)]`, targets in `[0, 1]`.
    BinaryCrossEntropy,
    /// Categorical cross-entropy `-(1/n) Σ_i Σ_j y_ij ln ŷ_ij` (the lecture: a sum
    /// over samples), one-hot or probability targets whose rows sum to 1.
    CategoricalCrossEntropy,
    /// Hinge `(1/n) Σ max(0, 1 - y ŷ)`, targets -1 or +1.
    Hinge,
    /// Huber `(1/n) Σ huber_δ(y - ŷ)`: squared near 0, absolute beyond `delta`.
    Huber {
        /// Where the quadratic part turns linear.
        delta: f64,
    },
    /// KL divergence `(1/n) Σ_i Σ_j y_ij ln(y_ij / ŷ_ij)` (the lecture: a sum over
    /// samples); target rows are probability distributions.
    KlDivergence,
    /// Poisson `(1/n) Σ (ŷ - y ln ŷ)`, non-negative count targets, positive predictions.
    Poisson,
}

impl Cost {
    /// A short name, for messages and legends.
    pub fn name(&self) -> &'static str {
        match self {
            Cost::Mse => "MSE",
            Cost::Mae => "MAE",
            Cost::BinaryCrossEntropy => "binary cross-entropy",
            Cost::CategoricalCrossEntropy => "categorical cross-entropy",
            Cost::Hinge => "hinge",
            Cost::Huber { .. } => "Huber",
            Cost::KlDivergence => "KL divergence",
            Cost::Poisson => "Poisson",
        }
    }

    /// `ℓ(ŷ, y)` for one prediction and one target.
    pub fn loss(&self, y_hat: f64, y: f64) -> f64 {
        match *self {
            Cost::Mse => squared_error(y_hat, y),
            Cost::Mae => absolute_error(y_hat, y),
            Cost::BinaryCrossEntropy => binary_cross_entropy(y_hat, y),
            Cost::CategoricalCrossEntropy => cross_entropy(y_hat, y),
            Cost::Hinge => hinge(y_hat, y),
            Cost::Huber { delta } => huber(y_hat, y, delta),
            Cost::KlDivergence => kl_divergence(y_hat, y),
            Cost::Poisson => poisson(y_hat, y),
        }
    }

    /// `ℓ'(ŷ, y) = dℓ/dŷ` for one prediction and one target.
    pub fn loss_prime(&self, y_hat: f64, y: f64) -> f64 {
        match *self {
            Cost::Mse => squared_error_prime(y_hat, y),
            Cost::Mae => absolute_error_prime(y_hat, y),
            Cost::BinaryCrossEntropy => binary_cross_entropy_prime(y_hat, y),
            Cost::CategoricalCrossEntropy => cross_entropy_prime(y_hat, y),
            Cost::Hinge => hinge_prime(y_hat, y),
            Cost::Huber { delta } => huber_prime(y_hat, y, delta),
            Cost::KlDivergence => kl_divergence_prime(y_hat, y),
            Cost::Poisson => poisson_prime(y_hat, y),
        }
    }

    /// `C = (1/n) Σ_i Σ_j ℓ(ŷ_ij, y_ij)`, with shapes and values checked.
    ///
    /// # Errors
    ///
    /// Shapes that differ or are empty, a NaN or infinity, a target or a
    /// prediction outside this cost's domain ([`Error::TargetDomain`],
    /// [`Error::PredictionDomain`], [`Error::TargetRowSum`]: e.g. a BCE label
    /// of 2, or a "probability" of 1.5), and [`Error::Overflow`] when the cost of
    /// finite values is too large for f64.
    pub fn value(&self, y_hat: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<f64> {
        self.check_pair("cost: predictions vs targets", y_hat, y)?;
        let c = self.value_unchecked(y_hat, y);
        if c.is_finite() {
            Ok(c)
        } else {
            Err(Error::Overflow { what: format!("the {} cost", self.name()) })
        }
    }

    /// The checks shared by [`Cost::value`] and [`Cost::gradient`].
    fn check_pair(&self, context: &str, y_hat: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<()> {
        crate::check::same_shape(context, y_hat, y)?;
        crate::check::non_empty("predictions", y_hat.nrows(), y_hat.ncols())?;
        self.check_predictions(y_hat)?;
        self.check_targets(y)
    }

    /// [`Cost::value`] without the checks, for the training loop (which checks
    /// once). Panics if `y_hat` and `y` differ in shape.
    pub(crate) fn value_unchecked(&self, y_hat: ArrayView2<f64>, y: ArrayView2<f64>) -> f64 {
        let n = y_hat.nrows().max(1) as f64;
        // Σ_ij ℓ(ŷ_ij, y_ij): the `match` picks ℓ once, so each loop is compiled for one ℓ.
        let total = match *self {
            Cost::Mse => sum_of(y_hat, y, squared_error),
            Cost::Mae => sum_of(y_hat, y, absolute_error),
            Cost::BinaryCrossEntropy => sum_of(y_hat, y, binary_cross_entropy),
            Cost::CategoricalCrossEntropy => sum_of(y_hat, y, cross_entropy),
            Cost::Hinge => sum_of(y_hat, y, hinge),
            Cost::Huber { delta } => sum_of(y_hat, y, |p, t| huber(p, t, delta)),
            Cost::KlDivergence => sum_of(y_hat, y, kl_divergence),
            Cost::Poisson => sum_of(y_hat, y, poisson),
        };
        total / n
    }

    /// `dC/dŷ_ij = ℓ'(ŷ_ij, y_ij) / n`, with shapes and values checked.
    ///
    /// # Errors
    ///
    /// As [`Cost::value`].
    pub fn gradient(&self, y_hat: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<Array2<f64>> {
        self.check_pair("cost gradient: predictions vs targets", y_hat, y)?;
        let mut g = Array2::zeros(y_hat.raw_dim());
        self.gradient_into(y_hat, y, &mut g);
        crate::check::no_overflow(g, || format!("the {} gradient", self.name()))
    }

    /// Writes `dC/dŷ` into `out` (same shape as `y_hat`), without checks, for
    /// the training loop. Panics if `y_hat`, `y` and `out` differ in shape.
    pub(crate) fn gradient_into(&self, y_hat: ArrayView2<f64>, y: ArrayView2<f64>, out: &mut Array2<f64>) {
        let inv_n = 1.0 / y_hat.nrows().max(1) as f64;
        // g_ij = ℓ'(ŷ_ij, y_ij) / n, with ℓ' picked once (as in `value_unchecked`).
        let (p, t) = (y_hat, y);
        match *self {
            Cost::Mse => fill_with(out, p, t, |p, t| squared_error_prime(p, t) * inv_n),
            Cost::Mae => fill_with(out, p, t, |p, t| absolute_error_prime(p, t) * inv_n),
            Cost::BinaryCrossEntropy => fill_with(out, p, t, |p, t| binary_cross_entropy_prime(p, t) * inv_n),
            Cost::CategoricalCrossEntropy => fill_with(out, p, t, |p, t| cross_entropy_prime(p, t) * inv_n),
            Cost::Hinge => fill_with(out, p, t, |p, t| hinge_prime(p, t) * inv_n),
            Cost::Huber { delta } => fill_with(out, p, t, |p, t| huber_prime(p, t, delta) * inv_n),
            Cost::KlDivergence => fill_with(out, p, t, |p, t| kl_divergence_prime(p, t) * inv_n),
            Cost::Poisson => fill_with(out, p, t, |p, t| poisson_prime(p, t) * inv_n),
        }
    }

    /// True when `output` + this cost has the exact fused gradient
    /// `delta = dC/dz = (a - y) / n` (sigmoid + BCE, softmax + CCE, exp + Poisson).
    ///
    /// Why it is exact: for sigmoid, `dC/da · σ'(z) = (a - y)/(a(1-a)) · a(1-a)`;
    /// for softmax with target rows summing to 1, the Jacobian collapses the same way;
    /// for exp, `(1 - y/a) · a = a - y` (the log link is Poisson's canonical link).
    pub(crate) fn has_fused_delta(&self, output: Activation) -> bool {
        matches!(
            (self, output),
            (Cost::BinaryCrossEntropy, Activation::Sigmoid)
                | (Cost::CategoricalCrossEntropy, Activation::Softmax)
                | (Cost::Poisson, Activation::Exp)
        )
    }

    /// Writes the fused `delta = (a - y) / n` into `out` (see [`Cost::has_fused_delta`]);
    /// unchecked, for the training loop: panics if `a`, `y` and `out` differ in shape.
    pub(crate) fn fused_delta_into(a: ArrayView2<f64>, y: ArrayView2<f64>, out: &mut Array2<f64>) {
        let inv_n = 1.0 / a.nrows().max(1) as f64;
        Zip::from(out).and(a).and(y).for_each(|d, &a, &t| *d = (a - t) * inv_n);
    }

    /// Checks that this cost can follow `output`, the network's last activation:
    /// the log-based costs need predictions in `(0, 1)` or `(0, ∞)`.
    pub(crate) fn check_output(&self, output: Activation) -> Result<()> {
        use Activation::*;
        let ok = match self {
            Cost::BinaryCrossEntropy | Cost::CategoricalCrossEntropy | Cost::KlDivergence => {
                matches!(output, Sigmoid | Softmax)
            }
            Cost::Poisson => matches!(output, Sigmoid | Softmax | Relu | Exp),
            Cost::Huber { delta } if !(*delta > 0.0 && delta.is_finite()) => {
                return Err(Error::InvalidParameter {
                    name: "delta",
                    reason: format!("Huber's delta must be positive and finite, got {}", num(*delta)),
                })
            }
            Cost::Mse | Cost::Mae | Cost::Hinge | Cost::Huber { .. } => true,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidParameter {
                name: "cost",
                reason: format!(
                    "{} cannot follow {} {} output layer ({})",
                    self.name(),
                    crate::numfmt::article(output.name()),
                    output.name(),
                    match self {
                        Cost::BinaryCrossEntropy | Cost::CategoricalCrossEntropy | Cost::KlDivergence =>
                            "it takes the log of probabilities: use a sigmoid or softmax output",
                        _ => "it needs positive predictions: use an exp, relu, sigmoid or softmax output",
                    }
                ),
            })
        }
    }

    /// Checks predictions against this cost's domain: finite, and for the
    /// log-based costs probabilities in `[0, 1]` (BCE, CCE, KL) or
    /// non-negative (Poisson). The error names the first bad cell.
    pub(crate) fn check_predictions(&self, y_hat: ArrayView2<f64>) -> Result<()> {
        crate::check::finite("predictions", &y_hat)?;
        let (ok, expected): (fn(f64) -> bool, _) = match self {
            Cost::BinaryCrossEntropy | Cost::CategoricalCrossEntropy | Cost::KlDivergence => {
                (|v| (0.0..=1.0).contains(&v), "a probability in [0, 1] (the output of a sigmoid or softmax)")
            }
            Cost::Poisson => {
                (|v| v >= 0.0, "a non-negative rate (the output of an exp, relu, sigmoid or softmax)")
            }
            _ => return Ok(()),
        };
        match y_hat.indexed_iter().find(|(_, &v)| !ok(v)) {
            Some(((row, column), &value)) => {
                Err(Error::PredictionDomain { cost: self.name(), expected, row, column, value })
            }
            None => Ok(()),
        }
    }

    /// Checks every target: finite, and in this cost's domain: BCE in `[0, 1]`, hinge
    /// exactly -1 or +1, CCE and KL rows that are probability distributions,
    /// Poisson non-negative. The error names the first bad cell. (It also
    /// rejects a Huber delta that is not positive.)
    pub(crate) fn check_targets(&self, y: ArrayView2<f64>) -> Result<()> {
        crate::check::finite("targets", &y)?;
        let bad = |expected: &'static str, (row, column): (usize, usize), value: f64| Error::TargetDomain {
            cost: self.name(),
            expected,
            row,
            column,
            value,
        };
        let first = |pred: &dyn Fn(f64) -> bool| y.indexed_iter().find(|(_, &v)| !pred(v));
        match self {
            Cost::BinaryCrossEntropy => match first(&|v| (0.0..=1.0).contains(&v)) {
                Some((ij, &v)) => Err(bad("a value in [0, 1]", ij, v)),
                None => Ok(()),
            },
            Cost::Hinge => match first(&|v| v == 1.0 || v == -1.0) {
                Some((ij, &v)) => Err(bad("-1 or +1", ij, v)),
                None => Ok(()),
            },
            Cost::Poisson => match first(&|v| v >= 0.0) {
                Some((ij, &v)) => Err(bad("a non-negative count", ij, v)),
                None => Ok(()),
            },
            Cost::CategoricalCrossEntropy | Cost::KlDivergence => {
                const DIST: &str =
                    "a probability in [0, 1], each row summing to 1 (one-hot for class labels)";
                if let Some((ij, &v)) = first(&|v| (0.0..=1.0).contains(&v)) {
                    return Err(bad(DIST, ij, v));
                }
                for (row, values) in y.rows().into_iter().enumerate() {
                    let sum = values.sum();
                    if (sum - 1.0).abs() > 1e-6 {
                        return Err(Error::TargetRowSum { cost: self.name(), row, sum });
                    }
                }
                Ok(())
            }
            // Not a target problem, but every checked entry point passes here,
            // and a bad delta would make `clamp(-delta, delta)` panic.
            Cost::Huber { delta } if !(*delta > 0.0 && delta.is_finite()) => Err(Error::InvalidParameter {
                name: "delta",
                reason: format!("Huber's delta must be positive and finite, got {}", num(*delta)),
            }),
            Cost::Huber { .. } | Cost::Mse | Cost::Mae => Ok(()),
        }
    }
}
