//! Inverted dropout for the hidden layers, its forward beside its backward.
//!
//! During training each hidden neuron's activation is kept with probability
//! `1 - p` and scaled up, or dropped (set to 0):
//!
//! ```text
//! forward:   ã(l) = f(z(l)) ⊙ m(l),     m_j = 1/(1-p) with probability 1-p, else 0
//! backward:  dC/df(z(l)) = dC/dã(l) ⊙ m(l),   delta(l) = dC/df(z(l)) ⊙ f'(z(l))
//! ```
//!
//! The scale `1/(1-p)` keeps each activation's expected value, so prediction
//! uses the network as it is, with no mask and no rescaling ("inverted"
//! dropout). The input layer and the output layer are never dropped. For a
//! fixed mask, the masked network is an ordinary differentiable function of
//! its weights, so the gradient check holds exactly
//! ([`crate::gradcheck::gradient_check_with`]).

use super::Network;
use crate::error::{Error, Result};
use crate::memory;
use crate::numfmt::shape as shape_str;
use ndarray::{Array2, ArrayView2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// One mask per hidden layer for a batch, and the unmasked `f(z)` that `f'` needs.
#[derive(Debug, Clone)]
pub(crate) struct Masks {
    /// `m(l)` for the hidden layers, first hidden layer first: 0 or `1/(1-p)`, one row per sample.
    mask: Vec<Array2<f64>>,
    /// `f(z(l))` before the mask, written by the forward pass.
    f_z: Vec<Array2<f64>>,
}

impl Masks {
    /// Buffers for batches of `n` rows (masks all `1`: nothing dropped yet), if they fit.
    pub(crate) fn new(net: &Network, n: usize) -> Result<Self> {
        let hidden = &net.layers()[..net.layers().len() - 1];
        let values = hidden.iter().fold(0u128, |s, l| s.saturating_add(l.n_out() as u128));
        let bytes = memory::f64_bytes(&[n, 2]).saturating_mul(values);
        memory::check(bytes, || format!("dropout's masks for batches of {n} samples"))?;
        let zeros = || hidden.iter().map(|l| Array2::<f64>::zeros((n, l.n_out()))).collect::<Vec<_>>();
        let mask = hidden.iter().map(|l| Array2::<f64>::ones((n, l.n_out()))).collect();
        Ok(Masks { mask, f_z: zeros() })
    }

    /// Masks given by the caller (one per hidden layer, `n` rows each), checked against `net`.
    pub(crate) fn from_masks(net: &Network, n: usize, masks: &[Array2<f64>]) -> Result<Self> {
        let mut m = Masks::new(net, n)?;
        let fits = masks.len() == m.mask.len() && masks.iter().zip(&m.mask).all(|(g, b)| g.dim() == b.dim());
        if !fits {
            let shapes =
                |v: &[Array2<f64>]| v.iter().map(|a| shape_str(a.shape())).collect::<Vec<_>>().join(", ");
            return Err(Error::Shape {
                context: "dropout masks (one per hidden layer, one row per sample)".into(),
                expected: format!("[{}]", shapes(&m.mask)),
                got: format!("[{}]", shapes(masks)),
            });
        }
        for (i, g) in masks.iter().enumerate() {
            crate::check::finite(&format!("dropout mask of layer {}", i + 2), g)?;
        }
        m.mask = masks.to_vec();
        Ok(m)
    }

    /// Draws new masks in place: each entry is 0 with probability `rate`, else `1/(1 - rate)`.
    pub(crate) fn draw(&mut self, rate: f64, rng: &mut StdRng) {
        let keep = 1.0 / (1.0 - rate);
        for m in &mut self.mask {
            m.mapv_inplace(|_| if rng.gen::<f64>() < rate { 0.0 } else { keep });
        }
    }

    /// Forward, hidden layer index `i` (0-based): keeps `f(z)` and masks `a` in place, `ã = f(z) ⊙ m`.
    pub(crate) fn forward(&mut self, i: usize, a: &mut Array2<f64>) {
        self.f_z[i].assign(a);
        *a *= &self.mask[i];
    }

    /// Backward, hidden layer index `i`: `dC/df(z) = dC/dã ⊙ m`, in place.
    pub(crate) fn backward(&self, i: usize, dc_da: &mut Array2<f64>) {
        *dc_da *= &self.mask[i];
    }

    /// `f(z)` of hidden layer index `i` before its mask (what `f'` is computed from).
    pub(crate) fn f_z(&self, i: usize) -> ArrayView2<'_, f64> {
        self.f_z[i].view()
    }
}

/// Dropout masks as training draws them, for a batch of `n` rows through `net`
/// at dropout rate `rate` (seeded): one matrix per hidden layer, each entry 0
/// (dropped, probability `rate`) or `1/(1 - rate)` (kept). Give them to
/// [`crate::gradcheck::gradient_check_with`] to check backpropagation through a fixed mask.
///
/// # Errors
///
/// [`Error::InvalidParameter`] for a rate outside `[0, 1)`, [`Error::TooLarge`]
/// when the masks would not fit in memory.
pub fn dropout_masks(net: &Network, n: usize, rate: f64, seed: u64) -> Result<Vec<Array2<f64>>> {
    check_rate(rate)?;
    let mut m = Masks::new(net, n)?;
    m.draw(rate, &mut StdRng::seed_from_u64(seed));
    Ok(m.mask)
}

/// `Ok` when the dropout rate `p` is in `[0, 1)`: `p = 1` would drop every neuron.
pub(crate) fn check_rate(rate: f64) -> Result<()> {
    if (0.0..1.0).contains(&rate) {
        return Ok(());
    }
    Err(Error::InvalidParameter {
        name: "dropout",
        reason: format!(
            "the dropout rate is the probability of dropping a hidden neuron and must be in [0, 1), got {}",
            crate::numfmt::num(rate)
        ),
    })
}
