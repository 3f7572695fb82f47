//! What a pass through the network keeps: [`Trace`] (every `z` and `a`) and
//! [`Gradients`] (every `dC/da`, `delta`, `dC/dW`, `dC/db`), read through
//! accessors that take the lecture's layer numbers.

use super::Network;
use crate::check;
use crate::error::{Error, Result};
use crate::memory;
use ndarray::{Array1, Array2, ArrayView2};

/// Everything the forward pass computed: `a(l)` for every layer and `z(l)` for
/// every layer after the input, one row per sample. Read it with [`Trace::a`],
/// [`Trace::z`] and [`Trace::output`]; only [`Network::forward`] makes one, so
/// its shapes always match its network.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// `a[0] = a(1) = x`, `a[l-1] = a(l)`; the last entry is the output.
    pub(crate) a: Vec<Array2<f64>>,
    /// `z[l-2] = z(l)` for `l = 2..=L`; for maxout layers, every piece's value.
    pub(crate) z: Vec<Array2<f64>>,
}

/// Everything backpropagation computed, per layer, in the lecture's names.
/// Read it with [`Gradients::dc_dw`], [`Gradients::dc_db`], [`Gradients::delta`]
/// and [`Gradients::dc_da`].
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    /// `dc_da[l-2] = dC/da(l)` for `l = 2..=L`.
    pub(crate) dc_da: Vec<Array2<f64>>,
    /// `delta[l-2] = delta(l) = dC/dz(l)` for `l = 2..=L`.
    pub(crate) delta: Vec<Array2<f64>>,
    /// `dc_dw[l-1] = dC/dW(l)` for `l = 1..=L-1` (same shape as `W(l)`).
    pub(crate) dc_dw: Vec<Array2<f64>>,
    /// `dc_db[l-1] = dC/db(l)` for `l = 1..=L-1`.
    pub(crate) dc_db: Vec<Array1<f64>>,
}

pub(super) fn pick<'v, T>(v: &'v [T], l: usize, first: usize, what: &'static str) -> Result<&'v T> {
    l.checked_sub(first).and_then(|i| v.get(i)).ok_or_else(|| Error::NoSuchLayer {
        what,
        layer: l,
        valid: format!("{first}..={}", first + v.len() - 1),
    })
}

/// Values one sample row keeps in a forward pass: `x`, then an `a` and a `z`
/// per layer (`z` has `k` pieces per maxout neuron). Backpropagation keeps as
/// many again (`dC/da` and `delta`).
pub(crate) fn row_values(n_inputs: usize, layers: impl Iterator<Item = (usize, usize)>) -> u128 {
    layers.fold(n_inputs as u128, |sum, (n_out, units)| sum.saturating_add(n_out as u128 + units as u128))
}

/// Bytes of `n` rows through every layer of `net` (see [`row_values`]).
fn batch_bytes(net: &Network, n: usize) -> u128 {
    memory::f64_bytes(&[n]).saturating_mul(net.row_values())
}

impl Trace {
    /// Buffers for a batch of `n` samples through `net`, if they fit in memory.
    pub(crate) fn new(net: &Network, n: usize) -> Result<Self> {
        memory::check(batch_bytes(net, n), || format!("the forward pass of {n} samples (every z and a)"))?;
        let mut a = vec![Array2::zeros((n, net.n_inputs()))];
        let mut z = Vec::with_capacity(net.layers().len());
        for layer in net.layers() {
            z.push(Array2::zeros((n, layer.w().nrows())));
            a.push(Array2::zeros((n, layer.n_out())));
        }
        Ok(Trace { a, z })
    }

    /// [`Trace::new`] for the rows of `x`, with `a(1) = x` copied in.
    pub(crate) fn with_input(net: &Network, x: ArrayView2<f64>) -> Result<Self> {
        let mut trace = Trace::new(net, x.nrows())?;
        trace.a[0].assign(&x);
        Ok(trace)
    }

    /// `L`, the number of layers including the input (`a(1)` to `a(L)`).
    pub fn n_layers(&self) -> usize {
        self.a.len()
    }

    /// `a(l)` in the lecture's numbering (`a(1)` is the input).
    pub fn a(&self, l: usize) -> Result<&Array2<f64>> {
        pick(&self.a, l, 1, "a")
    }

    /// `z(l)` in the lecture's numbering (`z(2)` is the first hidden layer's).
    pub fn z(&self, l: usize) -> Result<&Array2<f64>> {
        pick(&self.z, l, 2, "z")
    }

    /// The network's output `a(L)`.
    pub fn output(&self) -> &Array2<f64> {
        // `forward` makes every trace, with the input and at least one layer.
        &self.a[self.a.len() - 1]
    }

    /// Errors at the first non-finite `z(l)`: finite inputs whose weighted sums
    /// overflowed (inputs or weights far too large).
    pub(crate) fn check_finite(&self) -> Result<()> {
        for (i, z) in self.z.iter().enumerate() {
            let what = format!(
                "z({}), the weighted inputs of layer {} (finite inputs overflowed: standardise the inputs \
                 or check the weights)",
                i + 2,
                i + 2
            );
            check::finite(&what, z)?;
        }
        check::finite("the output a(L)", self.output())
    }
}

impl Gradients {
    /// Zeroed buffers for a batch of `n` samples through `net`, if they fit.
    pub(crate) fn new(net: &Network, n: usize) -> Result<Self> {
        let bytes = batch_bytes(net, n).saturating_add(memory::f64_bytes(&[net.n_params()]));
        memory::check(bytes, || format!("the gradients of {n} samples"))?;
        let layers = net.layers();
        Ok(Gradients {
            dc_da: layers.iter().map(|l| Array2::zeros((n, l.n_out()))).collect(),
            delta: layers.iter().map(|l| Array2::zeros((n, l.w().nrows()))).collect(),
            dc_dw: layers.iter().map(|l| Array2::zeros(l.w().raw_dim())).collect(),
            dc_db: layers.iter().map(|l| Array1::zeros(l.b().len())).collect(),
        })
    }

    /// `L`, the number of layers including the input.
    pub fn n_layers(&self) -> usize {
        self.dc_dw.len() + 1
    }

    /// `dC/da(l)` for `l = 2..=L`.
    pub fn dc_da(&self, l: usize) -> Result<&Array2<f64>> {
        pick(&self.dc_da, l, 2, "dC/da")
    }

    /// `delta(l) = dC/dz(l)` for `l = 2..=L`.
    pub fn delta(&self, l: usize) -> Result<&Array2<f64>> {
        pick(&self.delta, l, 2, "delta")
    }

    /// `dC/dW(l)` for `l = 1..=L-1`.
    pub fn dc_dw(&self, l: usize) -> Result<&Array2<f64>> {
        pick(&self.dc_dw, l, 1, "dC/dW")
    }

    /// `dC/db(l)` for `l = 1..=L-1`.
    pub fn dc_db(&self, l: usize) -> Result<&Array1<f64>> {
        pick(&self.dc_db, l, 1, "dC/db")
    }

    /// Errors at the first non-finite `dC/dW(l)` or `dC/db(l)` (an overflow).
    pub(crate) fn check_finite(&self) -> Result<()> {
        for (i, (w, b)) in self.dc_dw.iter().zip(&self.dc_db).enumerate() {
            check::finite(&format!("dC/dW({}) (an overflow: standardise the data)", i + 1), w)?;
            check::finite(&format!("dC/db({}) (an overflow: standardise the data)", i + 1), b)?;
        }
        Ok(())
    }
}
