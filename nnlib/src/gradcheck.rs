//! Gradient checking: backpropagation against central finite differences,
//!
//! `dC/dθ ≈ (C(θ + h) - C(θ - h)) / (2h)`,
//!
//! for every weight and bias of a network. If backprop is right the two agree
//! to about `h²` (around 1e-8 relative for `h = 1e-5`).
//!
//! [`gradient_check_with`] checks the cost training minimises when it is
//! regularised: `C0 + λ/2n Σ w²` (L2 weight decay, see [`crate::train`]) and
//! the network with fixed dropout masks on its hidden layers.

use crate::cost::Cost;
use crate::error::{Error, Result};
use crate::network::{Gradients, Masks, Network, Trace};
use crate::numfmt::num;
use crate::train::regularize::{add_l2_gradient, check_weight_decay, l2_penalty};
use ndarray::{Array2, ArrayView2};

/// Which parameter of layer `l` an entry is about (0-based indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// `w_jk(l)`.
    W {
        /// Row: the unit in layer `l + 1`.
        j: usize,
        /// Column: the neuron in layer `l`.
        k: usize,
    },
    /// `b_j(l)`.
    B {
        /// The unit in layer `l + 1`.
        j: usize,
    },
}

/// One parameter's two derivatives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradCheckEntry {
    /// `l` in `W(l)` / `b(l)`, the lecture's numbering.
    pub layer: usize,
    /// Which weight or bias.
    pub param: Param,
    /// `dC/dθ` from backpropagation.
    pub backprop: f64,
    /// `dC/dθ` from central differences.
    pub numeric: f64,
    /// `|backprop - numeric| / max(|backprop| + |numeric|, 1e-8)`.
    pub rel_error: f64,
}

/// The result of [`gradient_check`]: every entry and the worst one.
#[derive(Debug, Clone, PartialEq)]
pub struct GradCheck {
    /// One entry per weight and bias, layer by layer, `W` before `b`.
    pub entries: Vec<GradCheckEntry>,
    /// The entry with the largest relative error.
    pub worst: GradCheckEntry,
}

impl GradCheck {
    /// The largest relative error over all parameters.
    pub fn max_rel_error(&self) -> f64 {
        self.worst.rel_error
    }
}

/// The weight or bias `param` of layer index `i` (0-based: `W(i+1)`, `b(i+1)`), to nudge.
fn param_mut(net: &mut Network, i: usize, param: Param) -> &mut f64 {
    let (w, b) = net.layers_mut()[i].params_mut();
    match param {
        Param::W { j, k } => &mut w[[j, k]],
        Param::B { j } => &mut b[j],
    }
}

/// `dC/dθ ≈ (C(θ + h) - C(θ - h)) / 2h` for the parameter `param` of layer
/// index `i`, nudged in `probe` and put back; `cost_at` is `C` of a network.
fn central_difference(
    probe: &mut Network,
    i: usize,
    param: Param,
    h: f64,
    mut cost_at: impl FnMut(&Network) -> Result<f64>,
) -> Result<f64> {
    let theta = *param_mut(probe, i, param);
    // A step lost in θ's rounding (θ ± h = θ, e.g. h = 1e-300 at θ = 0.5) measures nothing.
    if (theta + h) - (theta - h) < h {
        return Err(step_too_small(i, param, h, format!("θ = {} absorbs it: θ ± h = θ", num(theta))));
    }
    *param_mut(probe, i, param) = theta + h;
    let c_plus = cost_at(probe)?;
    *param_mut(probe, i, param) = theta - h;
    let c_minus = cost_at(probe)?;
    *param_mut(probe, i, param) = theta;
    let numeric = (c_plus - c_minus) / (2.0 * h);
    if numeric.is_finite() {
        return Ok(numeric);
    }
    let (layer, h) = (i + 1, num(h));
    let what = format!("the finite difference for {param:?} of layer {layer} (is h = {h} too large?)");
    Err(Error::Overflow { what })
}

/// The step `h` is too small to measure the derivative of `param` of layer index `i`.
fn step_too_small(i: usize, param: Param, h: f64, why: String) -> Error {
    let reason = format!(
        "h = {} is too small for {param:?} of layer {}: {why}; a step near 1e-5 (about the square \
         root of f64's precision, times the parameter's size) works",
        num(h),
        i + 1
    );
    Error::InvalidParameter { name: "h", reason }
}

/// Relative error with a floor, so two near-zero derivatives count as equal.
fn rel_error(a: f64, b: f64) -> f64 {
    (a - b).abs() / (a.abs() + b.abs()).max(1e-8)
}

/// What training adds to the plain cost `C0`, for [`gradient_check_with`].
/// The default adds nothing (that is [`gradient_check`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Regularization {
    /// `λ` of L2 weight decay, `C = C0 + λ/2n Σ w²` (0: none).
    pub weight_decay: f64,
    /// `n` in `λ/2n`, the size of the whole training set; `None`: the rows of `x`.
    pub n_train: Option<usize>,
    /// Fixed dropout masks, one per hidden layer (`n × width`, e.g. from
    /// [`crate::network::dropout_masks`]); empty: no dropout.
    pub dropout_masks: Vec<Array2<f64>>,
}

/// Compares backpropagation's gradient with central differences of step `h`
/// for every parameter of `net` at the batch `(x, y)` under `cost`.
pub fn gradient_check(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    cost: Cost,
    h: f64,
) -> Result<GradCheck> {
    gradient_check_with(net, x, y, cost, h, &Regularization::default())
}

/// [`gradient_check`] of the regularised cost `C0 + λ/2n Σ w²` through fixed
/// dropout masks: backpropagation (with `λ/n w` added to `dC/dw`) against
/// central differences of that same cost.
///
/// # Errors
///
/// Those of [`gradient_check`], a `λ` that is negative or not finite, `n_train = Some(0)`,
/// and masks that are not one per hidden layer of `x`'s rows, or not finite.
pub fn gradient_check_with(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    cost: Cost,
    h: f64,
    reg: &Regularization,
) -> Result<GradCheck> {
    if !(h > 0.0 && h.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "h",
            reason: format!("the step must be a small positive number, got {}", num(h)),
        });
    }
    check_weight_decay(reg.weight_decay)?;
    if reg.n_train == Some(0) {
        return Err(Error::InvalidParameter { name: "n_train", reason: "must be at least 1".into() });
    }
    net.check_inputs(x)?;
    net.check_targets(x, y, cost)?;
    let lambda_over_n = reg.weight_decay / reg.n_train.unwrap_or(x.nrows()) as f64;
    let mut masks = match reg.dropout_masks.is_empty() {
        true => None,
        false => Some(Masks::from_masks(net, x.nrows(), &reg.dropout_masks)?),
    };
    let mut trace = Trace::with_input(net, x)?;
    net.forward_masked_into(&mut trace, masks.as_mut());
    trace.check_finite()?;
    let mut grads = Gradients::new(net, x.nrows())?;
    net.backward_masked_into(&trace, y, cost, &mut grads, masks.as_ref());
    add_l2_gradient(net, lambda_over_n, &mut grads);
    grads.check_finite()?;
    // C of a nudged network, re-checked each time, so an overflow is an error, not a NaN.
    let mut c_at = move |probe: &Network| -> Result<f64> {
        probe.forward_masked_into(&mut trace, masks.as_mut());
        trace.check_finite()?;
        Ok(cost.value_unchecked(trace.output().view(), y) + l2_penalty(probe, lambda_over_n))
    };
    let mut probe = net.clone();
    let mut entries = Vec::with_capacity(net.n_params());
    // `i` is the 0-based index of W(i+1), b(i+1); entries name the lecture's layer i + 1.
    for i in 0..net.layers().len() {
        let (rows, cols) = net.layers()[i].w().dim();
        let weights = (0..rows).flat_map(|j| (0..cols).map(move |k| Param::W { j, k }));
        let biases = (0..rows).map(|j| Param::B { j });
        for param in weights.chain(biases) {
            let backprop = match param {
                Param::W { j, k } => grads.dc_dw[i][[j, k]],
                Param::B { j } => grads.dc_db[i][j],
            };
            let numeric = central_difference(&mut probe, i, param, h, &mut c_at)?;
            if numeric == 0.0 && backprop != 0.0 && h < 1e-10 {
                // C(θ + h) = C(θ - h) to the last bit while backprop says C moves.
                let why = format!("C did not change at all, while backprop's dC/dθ is {}", num(backprop));
                return Err(step_too_small(i, param, h, why));
            }
            let rel_error = rel_error(backprop, numeric);
            entries.push(GradCheckEntry { layer: i + 1, param, backprop, numeric, rel_error });
        }
    }
    let worst = *entries
        .iter()
        .max_by(|a, b| a.rel_error.total_cmp(&b.rel_error))
        .expect("a network has at least one parameter");
    Ok(GradCheck { entries, worst })
}
