//! One layer: weights `W`, biases `b` and what turns `z` into `a`.
//!
//! A batch is a matrix whose rows are samples, so the lecture's
//! `z = W a + b` for one column-vector sample becomes, for all samples at once,
//!
//! `Z = A Wᵀ + b`   (A: n × n_in, W: n_out × n_in, b added to every row).
//!
//! A **maxout** layer with `k` pieces is the same affine map with `k · n_out`
//! units, followed by a maximum over each neuron's `k` pieces:
//! `a_j = max_p (w_jp · a_prev + b_jp)`. Storing the pieces as rows of one
//! matrix (rows `j·k .. j·k + k` belong to neuron j) keeps it a single matrix
//! product, and its backward pass differs from a dense layer's only in where
//! `delta` goes: to the winning piece, nowhere else.

use crate::activation::Activation;
use crate::check;
use crate::data::argmax;
use crate::error::{Error, Result};
use crate::fastmath;
use crate::numfmt::shape as shape_str;
use ndarray::{s, Array1, Array2, ArrayView2, Zip};

/// What a layer does after its affine map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LayerKind {
    /// `a = f(z)` with an element-wise (or softmax) activation.
    Dense(Activation),
    /// `a_j = max` of `pieces` affine pieces.
    Maxout {
        /// `k`, the number of affine pieces per neuron (at least 1).
        pieces: usize,
    },
}

/// A layer's parameters: `w` (units × n_in) and `b` (units), where units is
/// `n_out` for a dense layer and `k · n_out` for maxout.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    // Private so that every change goes through `set_w` / `set_b`, which keep
    // the shapes consistent: the forward pass can then trust them.
    w: Array2<f64>,
    b: Array1<f64>,
    kind: LayerKind,
}

impl Layer {
    /// A dense layer with zero weights (the network initialises them).
    /// The builder has checked that its buffers fit (see [`crate::memory`]).
    pub(crate) fn dense(n_in: usize, n_out: usize, activation: Activation) -> Self {
        Layer { w: Array2::zeros((n_out, n_in)), b: Array1::zeros(n_out), kind: LayerKind::Dense(activation) }
    }

    /// A maxout layer of `units = n_out · pieces` affine pieces (checked by the builder).
    pub(crate) fn maxout(n_in: usize, units: usize, pieces: usize) -> Self {
        Layer { w: Array2::zeros((units, n_in)), b: Array1::zeros(units), kind: LayerKind::Maxout { pieces } }
    }

    /// Weights; `w[[j, k]]` connects input k to unit j (the lecture's `w_jk`).
    pub fn w(&self) -> &Array2<f64> {
        &self.w
    }

    /// Biases, one per unit.
    pub fn b(&self) -> &Array1<f64> {
        &self.b
    }

    /// The activation, or maxout.
    pub fn kind(&self) -> LayerKind {
        self.kind
    }

    /// Replaces the weights of `W(l)`; the new matrix must have the same
    /// shape, `(units, n_in)`, and be finite. `l` only names the layer in messages.
    pub(crate) fn set_w(&mut self, l: usize, w: Array2<f64>) -> Result<()> {
        if w.dim() != self.w.dim() {
            let (rows, cols) = self.w.dim();
            let transposed = w.dim() == (cols, rows);
            return Err(Error::Shape {
                context: format!(
                    "W({l}), from layer {l} (n_in = {cols}) to layer {} (n_out = {})",
                    l + 1,
                    self.n_out()
                ),
                expected: match self.kind {
                    LayerKind::Dense(_) => format!("(n_out, n_in) = ({rows}, {cols})"),
                    LayerKind::Maxout { pieces } => {
                        format!("(k·n_out, n_in) = ({pieces}·{}, {cols})", self.n_out())
                    }
                },
                got: format!("{}{}", shape_str(w.shape()), if transposed { " (transposed?)" } else { "" }),
            });
        }
        check::finite(&format!("new weights W({l})"), &w)?;
        self.w = w;
        Ok(())
    }

    /// Replaces the biases of `b(l)`; the new vector must have one entry per
    /// unit and be finite. `l` only names the layer in messages.
    pub(crate) fn set_b(&mut self, l: usize, b: Array1<f64>) -> Result<()> {
        if b.len() != self.b.len() {
            return Err(Error::Shape {
                context: format!("b({l}), one bias per unit of layer {}", l + 1),
                expected: format!("({})", self.b.len()),
                got: shape_str(b.shape()),
            });
        }
        check::finite(&format!("new biases b({l})"), &b)?;
        self.b = b;
        Ok(())
    }

    /// Mutable access for the optimiser, which keeps shapes unchanged.
    pub(crate) fn params_mut(&mut self) -> (&mut Array2<f64>, &mut Array1<f64>) {
        (&mut self.w, &mut self.b)
    }

    /// Number of inputs.
    pub fn n_in(&self) -> usize {
        self.w.ncols()
    }

    /// Number of neurons (outputs), `units / k` for maxout.
    pub fn n_out(&self) -> usize {
        self.w.nrows() / self.pieces()
    }

    /// `k` for maxout, 1 for a dense layer.
    pub fn pieces(&self) -> usize {
        match self.kind {
            LayerKind::Dense(_) => 1,
            LayerKind::Maxout { pieces } => pieces.max(1),
        }
    }

    /// A short description such as `dense 4→3 sigmoid` or `maxout 4→3 (k=2)`.
    pub fn describe(&self) -> String {
        match self.kind {
            LayerKind::Dense(f) => format!("dense {}→{} {}", self.n_in(), self.n_out(), f.name()),
            LayerKind::Maxout { pieces } => format!("maxout {}→{} (k={pieces})", self.n_in(), self.n_out()),
        }
    }

    /// `Z = A Wᵀ + b`, written into `z` (shape n × units): the lecture's
    /// `z = W a + b` for every sample (row) at once.
    #[inline]
    pub(crate) fn affine_into(&self, a_prev: ArrayView2<f64>, z: &mut Array2<f64>) {
        fastmath::affine_into(a_prev, &self.w, &self.b, z);
    }

    /// `dC/da(prev) = delta W`, the batch form of `W(l)ᵀ delta(l+1)`, written into `dc_da_prev`.
    #[inline]
    pub(crate) fn input_grad_into(&self, delta: ArrayView2<f64>, dc_da_prev: &mut Array2<f64>) {
        fastmath::delta_times_w_into(delta, &self.w, dc_da_prev);
    }

    /// `a = f(z)`: the activation, or each neuron's maximum piece.
    pub(crate) fn activate_into(&self, z: ArrayView2<f64>, a: &mut Array2<f64>) {
        match self.kind {
            LayerKind::Dense(f) => {
                a.assign(&z);
                f.forward_inplace(a);
            }
            LayerKind::Maxout { pieces } => {
                let k = pieces.max(1);
                for (j, mut col) in a.columns_mut().into_iter().enumerate() {
                    let group = z.slice(s![.., j * k..(j + 1) * k]);
                    Zip::from(&mut col)
                        .and(group.rows())
                        .for_each(|a, piece| *a = piece.fold(f64::NEG_INFINITY, |m, &v| m.max(v)));
                }
            }
        }
    }

    /// `delta = dC/dz` from `dC/da`, written into `delta`.
    ///
    /// Dense: `delta = dC/da ⊙ f'(z)`. Maxout: `a_j = max_p z_jp`, so
    /// `dC/dz_jp = dC/da_j` for the winning piece p and 0 for the others.
    pub(crate) fn delta_into(
        &self,
        z: ArrayView2<f64>,
        a: ArrayView2<f64>,
        dc_da: &Array2<f64>,
        delta: &mut Array2<f64>,
    ) {
        match self.kind {
            LayerKind::Dense(f) => {
                delta.assign(dc_da);
                f.backward_inplace(z, a, delta);
            }
            LayerKind::Maxout { pieces } => {
                let k = pieces.max(1);
                delta.fill(0.0);
                for i in 0..z.nrows() {
                    for j in 0..dc_da.ncols() {
                        let group = z.slice(s![i, j * k..(j + 1) * k]);
                        let winner = argmax(group);
                        delta[[i, j * k + winner]] = dc_da[[i, j]];
                    }
                }
            }
        }
    }

    /// `dC/dW = deltaᵀ A_prev` and `dC/db = Σ_samples delta`, the batch form of
    /// the lecture's `dC/dw_jk = delta_j a_k` and `dC/db_j = delta_j`.
    #[inline]
    pub(crate) fn param_grads_into(
        delta: ArrayView2<f64>,
        a_prev: ArrayView2<f64>,
        dc_dw: &mut Array2<f64>,
        dc_db: &mut Array1<f64>,
    ) {
        fastmath::param_grads_into(delta, a_prev, dc_dw, dc_db);
    }
}
