//! Per-layer statistics of a [`Trace`] and of [`Gradients`]: how the spread of
//! `a(l)` and the size of `delta(l)` change from layer to layer, and which
//! neurons have died. These are the measurements behind the vanishing
//! gradient: backpropagation multiplies by one `f'(z(l))` per layer,
//!
//! ```text
//! delta(l) = (W(l)ᵀ delta(l+1)) ⊙ f'(z(l))
//! ```
//!
//! so with `σ'(z) ≤ 1/4` every sigmoid layer can shrink `delta` by 4 or more,
//! and `|delta(2)| / |delta(L)|` is at most about `(1/4)^(L-2)` when the
//! weights are of size about 1.

use super::{Gradients, Trace};
use ndarray::Array2;

/// Summary statistics of one layer's values over a batch (every sample and
/// every neuron of layer `l` together).
///
/// For `values` `v_1 .. v_N` (`N` = samples × neurons):
///
/// ```text
/// mean     = (1/N) Σ v_i
/// std      = sqrt((1/N) Σ (v_i - mean)²)       the spread
/// mean_abs = (1/N) Σ |v_i|                     the size
/// zeros    = (number of v_i == 0) / N          the share of exact zeros
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayerStats {
    /// The layer, in the lecture's numbering (`a(1)` is the input).
    pub l: usize,
    /// The mean of the values.
    pub mean: f64,
    /// The standard deviation (population, `1/N`): the spread.
    pub std: f64,
    /// The mean of `|v|`: the typical size.
    pub mean_abs: f64,
    /// The share of values that are exactly 0 (0 to 1).
    pub zeros: f64,
}

impl LayerStats {
    /// The statistics of `values`, which belong to layer `l`. Every [`Trace`]
    /// and [`Gradients`] holds at least one sample and one neuron per layer,
    /// and only finite values (their constructors check), so no division is by 0.
    fn of(l: usize, values: &Array2<f64>) -> LayerStats {
        let n = values.len().max(1) as f64;
        let mean = values.sum() / n;
        let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        let mean_abs = values.iter().map(|v| v.abs()).sum::<f64>() / n;
        let zeros = values.iter().filter(|&&v| v == 0.0).count() as f64 / n;
        LayerStats { l, mean, std: variance.sqrt(), mean_abs, zeros }
    }
}

/// The dead and the "off" neurons of one hidden layer `l`, 1-based as in the
/// lecture (`a3(l)` is neuron 3), measured over a batch of samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadNeurons {
    /// The layer (2 ..= L-1: a hidden layer).
    pub l: usize,
    /// The neurons in the layer.
    pub n: usize,
    /// Neurons whose output `a_j(l)` is exactly 0 for every sample. For ReLU
    /// this means `z_j(l) ≤ 0` everywhere, where `f'(z) = 0`: no gradient
    /// reaches the neuron's weights, so gradient descent can never revive it.
    pub dead: Vec<usize>,
    /// Neurons whose output is `≤ 0` for every sample: for ReLU, leaky ReLU
    /// and ELU, those with `z_j(l) ≤ 0` everywhere, on the side where
    /// `f'(z)` is 0, the slope (0.1) and `α e^z` respectively. It includes `dead`.
    pub off: Vec<usize>,
}

impl Trace {
    /// The statistics of `a(l)` for every layer, `l = 1..=L` (the first entry
    /// is the input's, `a(1) = x`): its spread [`LayerStats::std`] shows a
    /// signal that shrinks or grows from layer to layer. With
    /// `z(l+1) = W(l) a(l) + b(l)`, `n_in` inputs per neuron and weights of
    /// variance `Var(w)`, `Var(z(l+1)) ≈ n_in Var(w) E[a(l)²]`: Xavier's
    /// `Var(w) = 2 / (n_in + n_out)` keeps it for tanh, He's `2 / n_in` for
    /// ReLU (which zeroes half of `z`, so `E[a²] = Var(z) / 2`).
    pub fn a_stats(&self) -> Vec<LayerStats> {
        self.a.iter().enumerate().map(|(i, a)| LayerStats::of(i + 1, a)).collect()
    }

    /// The dead and "off" neurons of every hidden layer, `l = 2..=L-1` (the
    /// first entry is layer 2's), over the samples of this trace (see
    /// [`DeadNeurons`]). Empty for a network without a hidden layer.
    pub fn dead_neurons(&self) -> Vec<DeadNeurons> {
        let hidden = self.a.len().saturating_sub(1);
        (1..hidden)
            .map(|i| {
                let a = &self.a[i];
                let all = |keep: fn(f64) -> bool| {
                    (0..a.ncols()).filter(|&j| a.column(j).iter().all(|&v| keep(v))).map(|j| j + 1).collect()
                };
                DeadNeurons { l: i + 1, n: a.ncols(), dead: all(|v| v == 0.0), off: all(|v| v <= 0.0) }
            })
            .collect()
    }
}

impl Gradients {
    /// The statistics of `delta(l) = dC/dz(l)` for `l = 2..=L` (the first entry
    /// is `delta(2)`'s): [`LayerStats::mean_abs`] is the size of the local
    /// gradient that reaches layer `l`, which sets the size of
    /// `dC/dw_jk(l-1) = delta_j(l) a_k(l-1)`. For a maxout layer it covers
    /// every piece's `delta` (the pieces that lost the max get 0).
    pub fn delta_stats(&self) -> Vec<LayerStats> {
        self.delta.iter().enumerate().map(|(i, d)| LayerStats::of(i + 2, d)).collect()
    }
}
