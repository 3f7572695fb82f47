//! The network: forward propagation and backpropagation, in the lecture's notation.
//!
//! Numbering follows the lecture: the input is layer 1, so `a(1) = x`;
//! `W(l)` and `b(l)` lead from layer `l` to layer `l + 1`:
//!
//! ```text
//! z(l+1) = W(l) a(l) + b(l)        a(l+1) = f(z(l+1))        l = 1 .. L-1
//! ```
//!
//! and backpropagation (Nielsen's equations, with the lecture's numbering):
//!
//! ```text
//! delta(L)   = dC/da(L) ⊙ f'(z(L))                      output layer
//! delta(l)   = (W(l)ᵀ delta(l+1)) ⊙ f'(z(l))            l = L-1 .. 2
//! dC/dW(l)   = delta(l+1) a(l)ᵀ,   i.e. dC/dw_jk(l) = delta_j(l+1) a_k(l)
//! dC/db(l)   = delta(l+1)
//! ```
//!
//! With a batch of rows, `delta(l+1) a(l)ᵀ` becomes `Δᵀ A` and the bias
//! gradient sums over samples. The accessors ([`Trace::a`], [`Gradients::dc_dw`],
//! ...) take the lecture's layer numbers, so the worked example
//! `dC/dw22(2) = dC/da2(3) · f'(z2(3)) · a2(2)` reads
//! `grads.dc_dw(2)?[[1, 1]] == grads.dc_da(3)?[[0, 1]] * f'(trace.z(3)?[[0, 1]]) * trace.a(2)?[[0, 1]]`
//! (indices are 0-based, so neuron 2 is index 1).
//!
//! A note on numbering, as Nielsen's `network.py` has one: the accessors take
//! the lecture's layer number `l`, but the vectors inside are 0-based and start
//! where their quantity starts: `layers[i]` holds `W(i+1)` and `b(i+1)`,
//! `a[i]` is `a(i+1)`, and `z[i]`, `dc_da[i]` and `delta[i]` belong to layer
//! `i+2` (the input has none). Code here calls such an index `i`, never `l`.

mod builder;
mod dropout;
mod save;
mod stats;
mod trace;

pub use builder::{Init, NetworkBuilder};
pub use dropout::dropout_masks;
pub(crate) use dropout::{check_rate as check_dropout_rate, Masks};
pub use stats::{DeadNeurons, LayerStats};
pub(crate) use trace::row_values;
pub use trace::{Gradients, Trace};

use crate::activation::Activation;
use crate::check;
use crate::cost::Cost;
use crate::error::{Error, Result};
use crate::layer::{Layer, LayerKind};
use crate::numfmt::shape as shape_str;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use trace::pick;

/// A feed-forward network: a stack of dense and maxout layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    layers: Vec<Layer>,
}
impl Network {
    /// Starts a [`NetworkBuilder`] for `n_inputs` input features.
    pub fn builder(n_inputs: usize) -> NetworkBuilder {
        NetworkBuilder::new(n_inputs)
    }

    /// A dense network from layer sizes (input first) and one activation per
    /// layer after the input, e.g. `new(&[4, 3, 2, 1], &[Tanh, Tanh, Identity], 42)`.
    pub fn new(sizes: &[usize], activations: &[Activation], seed: u64) -> Result<Network> {
        Network::dense(sizes, activations, Init::Auto, seed)
    }

    /// [`Network::new`] with the initialisation chosen.
    fn dense(sizes: &[usize], activations: &[Activation], init: Init, seed: u64) -> Result<Network> {
        if sizes.len() < 2 || activations.len() != sizes.len() - 1 {
            return Err(Error::InvalidParameter {
                name: "sizes",
                reason: format!(
                    "need at least two sizes (inputs and outputs) and one activation per layer after the input; got {} sizes and {} activations",
                    sizes.len(),
                    activations.len()
                ),
            });
        }
        let mut b = Network::builder(sizes[0]).init(init).seed(seed);
        for (&n, &f) in sizes[1..].iter().zip(activations) {
            b = b.dense(n, f);
        }
        b.build()
    }

    /// A dense network like [`Network::new`] whose weights and biases all start
    /// at 0 ([`Init::Zeros`]), e.g. the lone neuron `z = w x + b` with `w = b = 0`:
    /// `Network::zeroed(&[1, 1], &[Activation::Identity])`.
    pub fn zeroed(sizes: &[usize], activations: &[Activation]) -> Result<Network> {
        Network::dense(sizes, activations, Init::Zeros, 0)
    }

    /// The layers, first hidden layer first (`layers()[l-1]` holds `W(l)`, `b(l)`).
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Neurons per layer, input first: `[4, 3, 2, 1]` for the lecture's network.
    pub fn sizes(&self) -> Vec<usize> {
        std::iter::once(self.n_inputs()).chain(self.layers.iter().map(Layer::n_out)).collect()
    }

    /// Number of input features.
    pub fn n_inputs(&self) -> usize {
        self.layers[0].n_in()
    }

    /// Number of outputs.
    pub fn n_outputs(&self) -> usize {
        self.layers.last().map_or(0, Layer::n_out)
    }

    /// The output layer's activation (identity for a maxout output).
    pub fn output_activation(&self) -> Activation {
        match self.layers.last().map(Layer::kind) {
            Some(LayerKind::Dense(f)) => f,
            _ => Activation::Identity,
        }
    }

    /// Total number of weights and biases.
    pub fn n_params(&self) -> usize {
        self.layers.iter().map(|l| l.w().len() + l.b().len()).sum()
    }

    /// Values one sample row keeps in this network's forward pass (see [`row_values`]).
    pub(crate) fn row_values(&self) -> u128 {
        row_values(self.n_inputs(), self.layers.iter().map(|l| (l.n_out(), l.w().nrows())))
    }

    fn layer(&self, l: usize, what: &'static str) -> Result<&Layer> {
        pick(&self.layers, l, 1, what)
    }

    fn layer_mut(&mut self, l: usize, what: &'static str) -> Result<&mut Layer> {
        self.layer(l, what)?;
        Ok(&mut self.layers[l - 1])
    }

    /// `W(l)`, which maps `a(l)` to `z(l+1)`; `l = 1..=L-1`.
    pub fn w(&self, l: usize) -> Result<&Array2<f64>> {
        Ok(self.layer(l, "W")?.w())
    }

    /// `b(l)`; `l = 1..=L-1`.
    pub fn b(&self, l: usize) -> Result<&Array1<f64>> {
        Ok(self.layer(l, "b")?.b())
    }

    /// Sets `W(l)`; the shape must stay the same.
    pub fn set_w(&mut self, l: usize, w: Array2<f64>) -> Result<()> {
        self.layer_mut(l, "W")?.set_w(l, w)
    }

    /// Sets `b(l)`; the length must stay the same.
    pub fn set_b(&mut self, l: usize, b: Array1<f64>) -> Result<()> {
        self.layer_mut(l, "b")?.set_b(l, b)
    }

    /// A network of these layers, which the caller has made to fit together.
    pub(crate) fn from_layers(layers: Vec<Layer>) -> Network {
        Network { layers }
    }

    pub(crate) fn layers_mut(&mut self) -> &mut [Layer] {
        &mut self.layers
    }

    /// Overwrites every weight and bias with `other`'s, in place (no
    /// allocation); `other` has this network's shapes (a clone of it).
    pub(crate) fn copy_params_from(&mut self, other: &Network) {
        for (layer, from) in self.layers.iter_mut().zip(&other.layers) {
            let (w, b) = layer.params_mut();
            w.assign(from.w());
            b.assign(from.b());
        }
    }

    /// Checks that `x` has one column per input and is finite.
    pub(crate) fn check_inputs(&self, x: ArrayView2<f64>) -> Result<()> {
        self.check_inputs_named(x, "inputs")
    }

    /// [`Network::check_inputs`], naming the data in messages (e.g. "validation inputs").
    pub(crate) fn check_inputs_named(&self, x: ArrayView2<f64>, what: &str) -> Result<()> {
        // The width first: `(3, 0)` is the wrong width for a network of 2 inputs.
        if x.ncols() != self.n_inputs() {
            return Err(Error::Shape {
                context: format!("{what} (layer 1: the network takes {} inputs)", self.n_inputs()),
                expected: format!("(n, {})", self.n_inputs()),
                got: shape_str(x.shape()),
            });
        }
        check::non_empty(what, x.nrows(), x.ncols())?;
        check::finite(what, &x)
    }

    /// Checks that targets `y` fit the output layer, `x`'s row count and `cost`.
    pub(crate) fn check_targets(&self, x: ArrayView2<f64>, y: ArrayView2<f64>, cost: Cost) -> Result<()> {
        self.check_targets_named(x, y, cost, "targets")
    }

    /// [`Network::check_targets`], naming the data in messages.
    pub(crate) fn check_targets_named(
        &self,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        cost: Cost,
        what: &str,
    ) -> Result<()> {
        check::non_empty(what, y.nrows(), y.ncols())?;
        if y.nrows() != x.nrows() || y.ncols() != self.n_outputs() {
            return Err(Error::Shape {
                context: format!("{what} (layer {}, the output)", self.layers.len() + 1),
                expected: format!("({}, {})", x.nrows(), self.n_outputs()),
                got: shape_str(y.shape()),
            });
        }
        check::finite(what, &y)?;
        cost.check_output(self.output_activation())?;
        cost.check_targets(y)
    }

    /// Forward propagation: `z(l+1) = W(l) a(l) + b(l)`, `a(l+1) = f(z(l+1))`
    /// for every layer, keeping every `z` and `a`.
    ///
    /// # Errors
    ///
    /// An `x` without one column per input, or with a NaN or infinity, [`Error::TooLarge`] when the
    /// batch's buffers would not fit, and [`Error::NonFinite`] when finite
    /// inputs overflow to infinity on the way.
    pub fn forward(&self, x: ArrayView2<f64>) -> Result<Trace> {
        self.check_inputs(x)?;
        let mut trace = Trace::with_input(self, x)?;
        self.forward_into(&mut trace);
        trace.check_finite()?;
        Ok(trace)
    }

    /// The output `a(L)` for inputs `x` (one row per sample). No rows of the
    /// right width give no predictions (an empty `0 × n_outputs` array).
    pub fn predict(&self, x: ArrayView2<f64>) -> Result<Array2<f64>> {
        if x.nrows() == 0 && x.ncols() == self.n_inputs() {
            return Ok(Array2::zeros((0, self.n_outputs())));
        }
        let mut trace = self.forward(x)?;
        Ok(trace.a.pop().expect("a trace always holds the output"))
    }

    /// The output `a(L)` for one sample `x`, one value per input: the row that
    /// [`Network::predict`] gives for the one-row matrix `[x]`, bit for bit.
    ///
    /// ```
    /// use nnlib::{Activation, Network};
    /// let net = Network::new(&[2, 3, 1], &[Activation::Tanh, Activation::Sigmoid], 7)?;
    /// let a = net.predict_one(&[0.5, -1.0])?;
    /// assert_eq!(a.len(), 1);
    /// assert!(net.predict_one(&[0.5]).is_err()); // the network takes 2 inputs
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] naming both lengths when `x` does not have one value per
    /// input, [`Error::NonFinite`] for a NaN or infinity in it, and the errors
    /// of [`Network::forward`].
    pub fn predict_one(&self, x: &[f64]) -> Result<Array1<f64>> {
        let a = self.predict(self.sample_row(x)?)?;
        Ok(a.row(0).to_owned())
    }

    /// One sample `x` as a one-row matrix, after checking that it has one
    /// finite value per input (the `predict_one`s of the models use it too).
    pub(crate) fn sample_row<'a>(&self, x: &'a [f64]) -> Result<ArrayView2<'a, f64>> {
        if x.len() != self.n_inputs() {
            return Err(Error::Shape {
                context: format!("predict_one's sample (the network takes {} inputs)", self.n_inputs()),
                expected: format!("{} values", self.n_inputs()),
                got: format!("{} values", x.len()),
            });
        }
        let row = ArrayView1::from(x).insert_axis(Axis(0));
        check::finite("predict_one's sample", &row)?;
        Ok(row)
    }

    /// The forward pass into existing buffers; `trace.a[0]` already holds `x`.
    pub(crate) fn forward_into(&self, trace: &mut Trace) {
        self.forward_masked_into(trace, None);
    }

    /// [`Network::forward_into`], with dropout's masks on the hidden layers
    /// when given (training only): `a(l) = f(z(l)) ⊙ m(l)`.
    pub(crate) fn forward_masked_into(&self, trace: &mut Trace, mut masks: Option<&mut Masks>) {
        let last = self.layers.len() - 1;
        // `i` is 0-based: layer i holds W(i+1), reads a(i+1) = a[i], writes z(i+2) = z[i]
        // and a(i+2) = a[i+1] (see the module docs).
        for (i, layer) in self.layers.iter().enumerate() {
            let (before, after) = trace.a.split_at_mut(i + 1);
            layer.affine_into(before[i].view(), &mut trace.z[i]);
            layer.activate_into(trace.z[i].view(), &mut after[0]);
            if let Some(m) = masks.as_deref_mut().filter(|_| i < last) {
                m.forward(i, &mut after[0]);
            }
        }
    }

    /// Checks that `trace` has this network's shape: one `a` per layer and one
    /// `z` per weighted layer, each as wide as that layer, all with the same rows.
    fn check_trace(&self, trace: &Trace) -> Result<()> {
        let n = trace.a.first().map_or(0, |a| a.nrows());
        let widths_a = self.sizes();
        let widths_z = self.layers.iter().map(|l| l.w().nrows());
        let fits = trace.a.len() == widths_a.len()
            && trace.z.len() == self.layers.len()
            && trace.a.iter().zip(&widths_a).all(|(a, &w)| a.dim() == (n, w))
            && trace.z.iter().zip(widths_z).all(|(z, w)| z.dim() == (n, w));
        if fits {
            Ok(())
        } else {
            let shapes =
                |v: &[Array2<f64>]| v.iter().map(|m| shape_str(m.shape())).collect::<Vec<_>>().join(", ");
            Err(Error::Shape {
                context: "trace given to backward()".into(),
                expected: format!("a trace from this network's forward(), with a widths {widths_a:?}"),
                got: format!("a = [{}], z = [{}]", shapes(&trace.a), shapes(&trace.z)),
            })
        }
    }

    /// Backpropagation for targets `y` under `cost`, from a forward [`Trace`].
    pub fn backward(&self, trace: &Trace, y: ArrayView2<f64>, cost: Cost) -> Result<Gradients> {
        self.check_trace(trace)?;
        let x = trace.a[0].view();
        self.check_targets(x, y, cost)?;
        let mut grads = Gradients::new(self, x.nrows())?;
        self.backward_into(trace, y, cost, &mut grads);
        grads.check_finite()?;
        Ok(grads)
    }

    /// Forward and backward in one call: the cost and its gradients at `(x, y)`.
    pub fn cost_and_gradients(
        &self,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        cost: Cost,
    ) -> Result<(f64, Gradients)> {
        let trace = self.forward(x)?;
        let grads = self.backward(&trace, y, cost)?;
        Ok((cost.value_unchecked(trace.output().view(), y), grads))
    }

    /// Backpropagation into existing buffers (inputs already checked).
    pub(crate) fn backward_into(&self, trace: &Trace, y: ArrayView2<f64>, cost: Cost, g: &mut Gradients) {
        self.backward_masked_into(trace, y, cost, g, None);
    }

    /// [`Network::backward_into`] through the dropout masks of the forward
    /// pass that made `trace`: `delta(l) = (dC/da(l) ⊙ m(l)) ⊙ f'(z(l))`.
    pub(crate) fn backward_masked_into(
        &self,
        trace: &Trace,
        y: ArrayView2<f64>,
        cost: Cost,
        g: &mut Gradients,
        masks: Option<&Masks>,
    ) {
        let last = self.layers.len() - 1;
        // Output layer: delta(L) = dC/da(L) ⊙ f'(z(L)), or the fused (a - y)/n.
        let a_out = trace.a[last + 1].view();
        cost.gradient_into(a_out, y, &mut g.dc_da[last]);
        if cost.has_fused_delta(self.output_activation()) {
            Cost::fused_delta_into(a_out, y, &mut g.delta[last]);
        } else {
            self.layers[last].delta_into(trace.z[last].view(), a_out, &g.dc_da[last], &mut g.delta[last]);
        }
        // `i` is 0-based, from the output layer back: delta[i] = delta(i+2) gives
        // dC/dW(i+1), then flows back through W(i+1) to delta[i-1] = delta(i+1).
        for i in (0..=last).rev() {
            // dC/dW = deltaᵀ a_prev, dC/db = Σ delta (over samples).
            Layer::param_grads_into(g.delta[i].view(), trace.a[i].view(), &mut g.dc_dw[i], &mut g.dc_db[i]);
            if i > 0 {
                // dC/da(prev) = delta W  (the batch form of W(l)ᵀ delta(l+1)).
                self.layers[i].input_grad_into(g.delta[i].view(), &mut g.dc_da[i - 1]);
                // Layer i-1 is hidden; with dropout, f' reads the unmasked f(z).
                let f_z = match masks {
                    Some(m) => {
                        m.backward(i - 1, &mut g.dc_da[i - 1]);
                        m.f_z(i - 1)
                    }
                    None => trace.a[i].view(),
                };
                self.layers[i - 1].delta_into(
                    trace.z[i - 1].view(),
                    f_z,
                    &g.dc_da[i - 1],
                    &mut g.delta[i - 1],
                );
            }
        }
    }
}
