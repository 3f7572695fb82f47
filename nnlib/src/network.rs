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

use crate::activation::Activation;
use crate::check;
use crate::cost::Cost;
use crate::error::{Error, Result};
use crate::layer::{Layer, LayerKind};
use crate::memory;
use crate::numfmt::shape as shape_str;
use ndarray::{Array1, Array2, ArrayView2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How initial weights are drawn (biases start at 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Init {
    /// He for ReLU-like layers (ReLU, leaky ReLU, ELU, maxout), Xavier otherwise.
    #[default]
    Auto,
    /// Xavier/Glorot uniform: `w ~ U(-r, r)`, `r = sqrt(6 / (n_in + n_out))`.
    Xavier,
    /// He uniform: `w ~ U(-r, r)`, `r = sqrt(6 / n_in)` (variance `2 / n_in`).
    He,
    /// Every weight 0, as gradient descent on a single neuron often starts.
    /// (In a hidden layer every neuron would then stay the same: use it for
    /// one layer only.)
    Zeros,
}

/// A feed-forward network: a stack of dense and maxout layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    layers: Vec<Layer>,
}

/// Builds a [`Network`] layer by layer.
///
/// ```
/// use nnlib::{Activation, Network};
/// let net = Network::builder(4)
///     .dense(3, Activation::Sigmoid)
///     .maxout(2, 3)
///     .dense(1, Activation::Identity)
///     .seed(7)
///     .build()?;
/// assert_eq!(net.sizes(), vec![4, 3, 2, 1]);
/// # Ok::<(), nnlib::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct NetworkBuilder {
    n_inputs: usize,
    layers: Vec<(usize, LayerKind)>,
    init: Init,
    seed: u64,
}

impl NetworkBuilder {
    /// Adds a dense layer of `n` neurons with activation `f`.
    pub fn dense(mut self, n: usize, f: Activation) -> Self {
        self.layers.push((n, LayerKind::Dense(f)));
        self
    }

    /// Adds a maxout layer of `n` neurons, each the maximum of `pieces` affine pieces.
    pub fn maxout(mut self, n: usize, pieces: usize) -> Self {
        self.layers.push((n, LayerKind::Maxout { pieces }));
        self
    }

    /// Chooses the weight initialisation (default [`Init::Auto`]).
    pub fn init(mut self, init: Init) -> Self {
        self.init = init;
        self
    }

    /// Seeds the initial weights: the same seed gives bit-identical weights.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks the sizes and draws the initial weights.
    pub fn build(self) -> Result<Network> {
        if self.n_inputs == 0 {
            return Err(Error::InvalidParameter {
                name: "n_inputs",
                reason: "a network needs at least one input".into(),
            });
        }
        if self.layers.is_empty() {
            return Err(Error::InvalidParameter {
                name: "layers",
                reason: "a network needs at least one layer".into(),
            });
        }
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut n_in = self.n_inputs;
        let mut layers = Vec::with_capacity(self.layers.len());
        let mut total_bytes = 0u128;
        for (i, &(n_out, kind)) in self.layers.iter().enumerate() {
            let l = i + 1; // this layer holds W(l), b(l), from layer l to layer l + 1
            if n_out == 0 {
                return Err(Error::InvalidParameter {
                    name: "layers",
                    reason: format!("layer {} (W({l})) has width 0", l + 1),
                });
            }
            let units = units(n_out, kind, l)?;
            let bytes = memory::f64_bytes(&[units, n_in]).saturating_add(memory::f64_bytes(&[units]));
            memory::check(bytes, || {
                format!("layer {} (W({l}) of shape ({units}, {n_in}), and b({l}))", l + 1)
            })?;
            total_bytes = total_bytes.saturating_add(bytes);
            memory::check(total_bytes, || format!("the weights of layers 2..={}", l + 1))?;
            let mut layer = match kind {
                LayerKind::Dense(f) => {
                    check_activation(f)?;
                    if f == Activation::Softmax && i + 1 != self.layers.len() {
                        return Err(Error::InvalidParameter {
                            name: "layers",
                            reason: "softmax is only supported on the output layer".into(),
                        });
                    }
                    Layer::dense(n_in, n_out, f)
                }
                LayerKind::Maxout { pieces } => Layer::maxout(n_in, units, pieces),
            };
            init_weights(&mut layer, self.init, &mut rng);
            layers.push(layer);
            n_in = n_out;
        }
        Ok(Network { layers })
    }
}

/// Rows of `W(l)`: `n_out`, or `k · n_out` for maxout, without wrapping around.
fn units(n_out: usize, kind: LayerKind, l: usize) -> Result<usize> {
    match kind {
        LayerKind::Dense(_) => Ok(n_out),
        LayerKind::Maxout { pieces: 0 } => Err(Error::InvalidParameter {
            name: "pieces",
            reason: format!("maxout layer {} needs at least 1 piece", l + 1),
        }),
        LayerKind::Maxout { pieces } => n_out.checked_mul(pieces).ok_or_else(|| Error::TooLarge {
            what: format!("layer {} ({n_out} maxout neurons × {pieces} pieces)", l + 1),
            bytes: memory::f64_bytes(&[n_out, pieces]),
            limit: memory::limit(),
        }),
    }
}

/// Leaky-ReLU slopes and ELU alphas must be finite numbers.
fn check_activation(f: Activation) -> Result<()> {
    match f {
        Activation::LeakyRelu { slope } if !slope.is_finite() => Err(Error::InvalidParameter {
            name: "slope",
            reason: format!("leaky ReLU slope must be finite, got {slope}"),
        }),
        Activation::Elu { alpha } if !alpha.is_finite() => Err(Error::InvalidParameter {
            name: "alpha",
            reason: format!("ELU alpha must be finite, got {alpha}"),
        }),
        _ => Ok(()),
    }
}

/// Draws `W` from the chosen uniform distribution; `b` stays 0.
fn init_weights(layer: &mut Layer, init: Init, rng: &mut StdRng) {
    let (n_in, n_out) = (layer.n_in() as f64, layer.n_out() as f64);
    let relu_like = matches!(
        layer.kind(),
        LayerKind::Maxout { .. }
            | LayerKind::Dense(Activation::Relu | Activation::LeakyRelu { .. } | Activation::Elu { .. })
    );
    let r = match init {
        Init::Zeros => return,
        Init::He => (6.0 / n_in).sqrt(),
        Init::Auto if relu_like => (6.0 / n_in).sqrt(),
        Init::Xavier | Init::Auto => (6.0 / (n_in + n_out)).sqrt(),
    };
    let (w, _) = layer.params_mut();
    w.mapv_inplace(|_| rng.gen_range(-r..r));
}

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

fn pick<'v, T>(v: &'v [T], l: usize, first: usize, what: &'static str) -> Result<&'v T> {
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
        let mut z = Vec::with_capacity(net.layers.len());
        for layer in &net.layers {
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
    fn check_finite(&self) -> Result<()> {
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
        let layers = &net.layers;
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
    fn check_finite(&self) -> Result<()> {
        for (i, (w, b)) in self.dc_dw.iter().zip(&self.dc_db).enumerate() {
            check::finite(&format!("dC/dW({}) (an overflow: standardise the data)", i + 1), w)?;
            check::finite(&format!("dC/db({}) (an overflow: standardise the data)", i + 1), b)?;
        }
        Ok(())
    }
}

impl Network {
    /// Starts a [`NetworkBuilder`] for `n_inputs` input features.
    pub fn builder(n_inputs: usize) -> NetworkBuilder {
        NetworkBuilder { n_inputs, layers: Vec::new(), init: Init::Auto, seed: 0 }
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

    /// Checks that `x` has one column per input and is finite.
    pub(crate) fn check_inputs(&self, x: ArrayView2<f64>) -> Result<()> {
        self.check_inputs_named(x, "inputs")
    }

    /// [`Network::check_inputs`], naming the data in messages (e.g. "validation inputs").
    pub(crate) fn check_inputs_named(&self, x: ArrayView2<f64>, what: &str) -> Result<()> {
        check::non_empty(what, x.nrows(), x.ncols())?;
        if x.ncols() != self.n_inputs() {
            return Err(Error::Shape {
                context: format!("{what} (layer 1)"),
                expected: format!("(n, {})", self.n_inputs()),
                got: shape_str(x.shape()),
            });
        }
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

    /// The output `a(L)` for inputs `x` (one row per sample).
    pub fn predict(&self, x: ArrayView2<f64>) -> Result<Array2<f64>> {
        let mut trace = self.forward(x)?;
        Ok(trace.a.pop().expect("a trace always holds the output"))
    }

    /// The forward pass into existing buffers; `trace.a[0]` already holds `x`.
    pub(crate) fn forward_into(&self, trace: &mut Trace) {
        // `i` is 0-based: layer i holds W(i+1), reads a(i+1) = a[i], writes z(i+2) = z[i]
        // and a(i+2) = a[i+1] (see the module docs).
        for (i, layer) in self.layers.iter().enumerate() {
            let (before, after) = trace.a.split_at_mut(i + 1);
            layer.affine_into(before[i].view(), &mut trace.z[i]);
            layer.activate_into(trace.z[i].view(), &mut after[0]);
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
                self.layers[i - 1].delta_into(
                    trace.z[i - 1].view(),
                    trace.a[i].view(),
                    &g.dc_da[i - 1],
                    &mut g.delta[i - 1],
                );
            }
        }
    }
}
