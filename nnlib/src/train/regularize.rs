//! L2 regularisation ("weight decay"), Nielsen's chapter 3: the cost gets a
//! term that grows with the weights,
//!
//! ```text
//! C = C0 + λ/2n Σ_w w²        dC/dw = dC0/dw + λ/n w        dC/db = dC0/db
//! ```
//!
//! where `C0` is the unregularised cost, `n` the size of the whole training
//! set and `λ` the `weight_decay` of [`TrainConfig`](super::TrainConfig). The
//! biases are not penalised. With plain gradient descent the update becomes
//! `w := (1 - ελ/n) w - ε dC0/dw`: every step shrinks ("decays") each weight
//! a little. scikit-learn's `MLPClassifier` calls `λ` `alpha`, but divides
//! by the mini-batch's size instead of `n` (the same for the full batch).

use crate::error::{Error, Result};
use crate::network::{Gradients, Network};

/// `λ/2n Σ w²` over every weight of `net` (no bias), `lambda_over_n` being `λ/n`.
pub fn l2_penalty(net: &Network, lambda_over_n: f64) -> f64 {
    let sum_sq: f64 = net.layers().iter().map(|l| l.w().fold(0.0, |s, w| s + w * w)).sum();
    0.5 * lambda_over_n * sum_sq
}

/// `dC/dw += λ/n w` for every weight; biases untouched.
pub(crate) fn add_l2_gradient(net: &Network, lambda_over_n: f64, g: &mut Gradients) {
    for (dc_dw, layer) in g.dc_dw.iter_mut().zip(net.layers()) {
        dc_dw.scaled_add(lambda_over_n, layer.w());
    }
}

/// `Ok` when `λ` is a finite number `>= 0` (0: no regularisation).
pub(crate) fn check_weight_decay(lambda: f64) -> Result<()> {
    if lambda >= 0.0 && lambda.is_finite() {
        return Ok(());
    }
    Err(Error::InvalidParameter {
        name: "weight_decay",
        reason: format!(
            "λ in C + λ/2n Σw² must be a finite number >= 0 (0: no weight decay), got {}",
            crate::numfmt::num(lambda)
        ),
    })
}
