//! # nnlib: the forward-propagation and backpropagation lecture as a small Rust crate
//!
//! ```
//! use nnlib::{Activation, Cost, Network, TrainConfig};
//! use nnlib::ndarray::array;
//!
//! // XOR: two inputs, a hidden layer of 4 tanh neurons, one sigmoid output.
//! let x = array![[0., 0.], [0., 1.], [1., 0.], [1., 1.]];
//! let y = array![[0.], [1.], [1.], [0.]];
//! let mut net = Network::new(&[2, 4, 1], &[Activation::Tanh, Activation::Sigmoid], 0)?;
//! let history = net.train(x.view(), y.view(), Cost::BinaryCrossEntropy, &TrainConfig::new(3000, 0.5))?;
//! let a = net.predict(x.view())?;
//! assert!(history.loss.last().unwrap() < &0.01);
//! assert!(a[[0, 0]] < 0.5 && a[[1, 0]] > 0.5 && a[[2, 0]] > 0.5 && a[[3, 0]] < 0.5);
//! # Ok::<(), nnlib::Error>(())
//! ```
//!
//! ## Notation (used everywhere in this crate)
//!
//! The lecture numbers layers from the input: `a(1) = x`, and `W(l)`, `b(l)`
//! lead from layer `l` to layer `l + 1`:
//!
//! ```text
//! z(l+1) = W(l) a(l) + b(l)        a(l+1) = f(z(l+1))
//! ```
//!
//! `W(l)` has shape `(n_out, n_in)`, so `w_jk` connects neuron `k` of layer `l`
//! to neuron `j` of layer `l + 1`. A batch is a matrix whose **rows are samples**
//! (linfa's convention), so the batched forward pass is `Z = A Wᵀ + b`.
//! Backpropagation uses Nielsen's local gradient `delta(l) = dC/dz(l)`:
//!
//! ```text
//! dC/dw_jk(l) = delta_j(l+1) a_k(l)        dC/db_j(l) = delta_j(l+1)
//! ```
//!
//! and gradient descent updates `w := w - ε dC/dw`, `b := b - ε dC/db`; the
//! learning rate `ε` is `learning_rate` in code (see [`train`] for the other
//! small numbers that are not it).
//! Names in code follow the lecture: `z`, `a`, `delta`, `dc_dw`, `dc_db`.
//!
//! ## Where things are
//!
//! | concept | module |
//! |---|---|
//! | activations and their derivatives (sigmoid, tanh, ReLU, leaky ReLU, ELU, softmax; exp, the log link) | [`activation`] |
//! | costs and their gradients (MSE, MAE, BCE, CCE, hinge, Huber, KL, Poisson) | [`cost`] |
//! | a layer's `W`, `b`; dense and maxout | [`layer`] |
//! | forward pass, backpropagation, the trace of every `z` and `a` | [`network`] |
//! | per-layer spread of `a(l)` and size of `delta(l)`, dead neurons | [`LayerStats`], [`Trace::a_stats`], [`Gradients::delta_stats`], [`Trace::dead_neurons`] |
//! | the lecture's 4-3-2-1 network, [`Network::lecture`] | `lecture.rs` |
//! | the gradient-descent loop, SGD / momentum / Adam; weight decay, early stopping, dropout | [`train`] |
//! | warnings when training quietly failed (no better than guessing, features on different scales) | [`train::warnings`] |
//! | backprop against finite differences | [`gradcheck`] |
//! | linfa-style `params().fit(&dataset)?` models | [`model`] |
//! | saving and loading a trained network and its standardizer (JSON, bit-identical) | [`Network::save`], [`Network::load`], [`data::Standardizer::save`] |
//! | the workshop's data, standardising, splitting, one-hot labels | [`data`] |
//! | your own CSV: text columns, missing values, text labels and their names | [`data::Frame`], [`data::Labelled`] |
//! | inline SVG plots for notebooks | [`plot`] |
//! | self-checks for the notebooks' exercises | [`exercise`] |
//!
//! Every fallible function returns [`Result`]; the [`Error`] names the problem
//! (shapes and the layer, the row and column of a NaN, the epoch at which the
//! loss diverged, the bytes a too-large layer would need). No public function
//! panics or aborts on a value a user can pass, except linfa's `predict`,
//! which has no error channel (its `# Panics` section says when, and
//! `try_predict` returns the same as an error). The unchecked building blocks
//! of the training loop (`*_unchecked`, `*_into`) are crate-private.
//!
//! The public surface is what the notebooks use, and a few deliberate extras:
//! [`TrainConfig::check`] (validate a configuration before a long run),
//! [`train::accuracy`], the activations' scalar functions (plotted and
//! differentiated in the notebooks), and [`plot::Figure::evcxr_display`],
//! which the evcxr kernel itself calls.

#![warn(missing_docs)]

// The `blas` feature: link the system OpenBLAS that ndarray's products call.
#[cfg(feature = "blas")]
extern crate blas_src;

pub use linfa;
#[cfg(feature = "baselines")]
pub use linfa_linear;
#[cfg(feature = "baselines")]
pub use linfa_logistic;
pub use ndarray;

pub mod activation;
mod check;
pub mod cost;
pub mod data;
pub mod error;
pub mod exercise;
mod fastmath;
pub mod gradcheck;
pub mod layer;
mod lecture;
mod memory;
pub mod model;
pub mod network;
mod numfmt;
pub mod plot;
pub mod train;

pub use activation::Activation;
pub use cost::Cost;
pub use error::{Error, Result};
pub use gradcheck::{gradient_check, gradient_check_with, GradCheck, Regularization};
pub use layer::{Layer, LayerKind};
pub use model::{
    FittedMlpClassifier, FittedMlpRegressor, MlpClassifier, MlpParams, MlpRegressor, MlpValidParams,
};
pub use network::{dropout_masks, DeadNeurons, Gradients, Init, LayerStats, Network, NetworkBuilder, Trace};
pub use train::{History, Optimizer, Stop, TrainConfig, Warning};

/// Makes a panic print just its message, in the cell's own output: call it
/// once, in a notebook's first cell. Without it, evcxr asks for a full stack
/// backtrace (a dozen lines of evcxr's own functions) and prints it on stderr,
/// where it can arrive after the cell has finished.
pub fn short_panics() {
    std::panic::set_hook(Box::new(|info| println!("{info}")));
}
