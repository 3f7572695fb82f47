//! [`NetworkBuilder`]: the layers, checked, and their initial weights.

use super::Network;
use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::layer::{Layer, LayerKind};
use crate::memory;
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
    /// No layers yet, [`Init::Auto`], seed 0: see [`Network::builder`].
    pub(super) fn new(n_inputs: usize) -> Self {
        NetworkBuilder { n_inputs, layers: Vec::new(), init: Init::Auto, seed: 0 }
    }

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
            let is_output = l == self.layers.len();
            let (mut layer, bytes) = zeroed_layer(l, n_in, n_out, kind, is_output)?;
            total_bytes = total_bytes.saturating_add(bytes);
            memory::check(total_bytes, || format!("the weights of layers 2..={}", l + 1))?;
            init_weights(&mut layer, self.init, &mut rng);
            layers.push(layer);
            n_in = n_out;
        }
        Ok(Network::from_layers(layers))
    }
}

/// The layer holding `W(l)`, `b(l)`, all zero, after checking its width, its
/// activation and that it fits in memory; with the bytes it takes.
fn zeroed_layer(
    l: usize,
    n_in: usize,
    n_out: usize,
    kind: LayerKind,
    is_output: bool,
) -> Result<(Layer, u128)> {
    if n_out == 0 {
        return Err(Error::InvalidParameter {
            name: "layers",
            reason: format!("layer {} (W({l})) has width 0", l + 1),
        });
    }
    let units = units(n_out, kind, l)?;
    let bytes = memory::f64_bytes(&[units, n_in]).saturating_add(memory::f64_bytes(&[units]));
    memory::check(bytes, || format!("layer {} (W({l}) of shape ({units}, {n_in}), and b({l}))", l + 1))?;
    let layer = match kind {
        LayerKind::Dense(f) => {
            check_activation(f)?;
            if f == Activation::Softmax && !is_output {
                return Err(Error::InvalidParameter {
                    name: "layers",
                    reason: "softmax is only supported on the output layer".into(),
                });
            }
            Layer::dense(n_in, n_out, f)
        }
        LayerKind::Maxout { pieces } => Layer::maxout(n_in, units, pieces),
    };
    Ok((layer, bytes))
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
