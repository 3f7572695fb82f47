//! One error type for the whole crate. Every message names the problem and the
//! values involved, so a learner can fix the call without reading nnlib's source.

use std::path::PathBuf;

use crate::numfmt::{self, num};

/// Everything that can go wrong in nnlib.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Two arrays that must agree in shape do not.
    #[error("shape mismatch in {context}: expected {expected}, got {got}")]
    Shape {
        /// Where it happened, e.g. "layer 2 input" or "targets".
        context: String,
        /// The shape that was needed, e.g. "(n, 4)".
        expected: String,
        /// The shape that was given.
        got: String,
    },

    /// A NaN or an infinity in data given to nnlib.
    #[error("{what} contains a non-finite value ({value}) at row {row}, column {column}")]
    NonFinite {
        /// Which input: "inputs", "targets", "weights W(2)", ...
        what: String,
        /// Row of the first bad value (0-based).
        row: usize,
        /// Column of the first bad value (0-based).
        column: usize,
        /// The value itself (NaN or ±inf).
        value: f64,
    },

    /// No samples, or no features.
    #[error("empty data: {0}")]
    Empty(String),

    /// A target outside the domain of the chosen cost, e.g. a BCE label of 2.
    #[error("target {} at row {row}, column {column} is outside the domain of {cost}: {expected}", num(*.value))]
    TargetDomain {
        /// The cost function's name.
        cost: &'static str,
        /// What the cost accepts.
        expected: &'static str,
        /// Row of the first bad target (0-based).
        row: usize,
        /// Column of the first bad target (0-based).
        column: usize,
        /// The bad target value.
        value: f64,
    },

    /// A prediction outside the domain of the chosen cost, e.g. a BCE
    /// "probability" of 1.5 (no longer clamped to a made-up cost).
    #[error("prediction {} at row {row}, column {column} is outside the domain of {cost}: expected {expected}", num(*.value))]
    PredictionDomain {
        /// The cost function's name.
        cost: &'static str,
        /// What the cost accepts.
        expected: &'static str,
        /// Row of the first bad prediction (0-based).
        row: usize,
        /// Column of the first bad prediction (0-based).
        column: usize,
        /// The bad prediction.
        value: f64,
    },

    /// Finite inputs whose result is too large for f64 (it came out infinite or NaN).
    #[error("{what} overflowed f64 (the result is infinite): the values are too large; standardise the data (data::Standardizer) so it is near 1")]
    Overflow {
        /// What overflowed, e.g. "the MSE cost".
        what: String,
    },

    /// A row of CCE or KL targets that is not a probability distribution.
    #[error("row {row} of the targets sums to {}, but {cost} needs each row to be a probability distribution summing to 1 (one-hot for class labels)", num(*.sum))]
    TargetRowSum {
        /// The cost function's name.
        cost: &'static str,
        /// The bad row (0-based).
        row: usize,
        /// What it sums to.
        sum: f64,
    },

    /// A class label that has no output neuron.
    #[error("class label {label} at row {row} is out of range: the network has {n_classes} classes (labels 0..{n_classes})")]
    ClassOutOfRange {
        /// The bad label.
        label: usize,
        /// Row of the bad label (0-based).
        row: usize,
        /// Number of classes the model knows.
        n_classes: usize,
    },

    /// The loss became NaN or infinite, or grew far above where it started.
    #[error("{}", diverged(*.epoch, *.loss, *.initial_loss, *.learning_rate, *.data_scale))]
    Diverged {
        /// The epoch (1-based) at which the loss blew up.
        epoch: usize,
        /// The loss at that epoch.
        loss: f64,
        /// The loss before training.
        initial_loss: f64,
        /// The learning rate used.
        learning_rate: f64,
        /// The largest `|value|` in the inputs and targets: far above 1, it is
        /// the likely cause, and the message says to standardise.
        data_scale: f64,
    },

    /// Buffers that would not fit in memory: a typo such as a layer of
    /// `1_000_000_000` neurons, or a count near `usize::MAX`. Checked before
    /// anything is allocated, so the process (a notebook's kernel) survives.
    #[error("{what} would need {} of memory, more than the {} nnlib allows here ({})", numfmt::bytes(*.bytes), numfmt::bytes(*.limit as u128), LIMIT_RULE)]
    TooLarge {
        /// What was to be allocated, e.g. "W(1) of shape (1000000000, 784)".
        what: String,
        /// The bytes it would need (saturating: 2^128 - 1 means "even more").
        bytes: u128,
        /// The limit it was checked against (the memory available now, or a container's or `ulimit`'s limit if lower).
        limit: u64,
    },

    /// A hyper-parameter that cannot work (no layers, width 0, learning rate <= 0, ...).
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name as in the builder method.
        name: &'static str,
        /// Why it is invalid.
        reason: String,
    },

    /// A layer number outside the network, in the lecture's numbering.
    #[error("no {what} for layer {layer}: valid layers are {valid}")]
    NoSuchLayer {
        /// What was asked for: "W", "z", "delta", ...
        what: &'static str,
        /// The layer asked for (the lecture's 1-based numbering).
        layer: usize,
        /// The valid range, e.g. "1..=3".
        valid: String,
    },

    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A CSV file that is not a clean numeric table.
    #[error("{path}:{line}:{column}: {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line number in the file.
        line: usize,
        /// 1-based column (field) number.
        column: usize,
        /// What is wrong there.
        message: String,
    },

    /// A file given to [`crate::Network::load`] or [`crate::data::Standardizer::load`]
    /// that nnlib cannot load: not JSON, cut off, another format or version, or
    /// contents that fail the checks every network or standardizer passes
    /// (shapes that do not fit together, an unknown activation, ...).
    #[error("{path}: cannot load this model file: {reason}")]
    ModelFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// A plot could not be drawn or saved.
    #[error("plot: {0}")]
    Plot(String),

    /// An error reported by linfa itself.
    #[error(transparent)]
    Linfa(#[from] linfa::Error),
}

/// The divergence message. Values far from 1 are the usual cause (raw
/// diabetes targets near 150, or inputs of 1e200): then no learning rate is
/// right for long, so the message says to standardise as well.
fn diverged(epoch: usize, loss: f64, initial: f64, lr: f64, scale: f64) -> String {
    let (loss_s, initial_s, lr_s, scale_s) = (num(loss), num(initial), num(lr), num(scale));
    if !initial.is_finite() && scale <= 1e100 {
        // Found by fuzzing: data of size 2 and W(1) of 1e200 blamed the data.
        return format!(
            "training cannot start: the loss is {initial_s} before the first update, and the data's \
             values are at most {scale_s} in size, so the network's own weights or biases overflow f64 \
             arithmetic (set too large by hand?); draw them again with Network::new, or set smaller ones"
        );
    }
    if !initial.is_finite() {
        return format!(
            "training cannot start: the loss is {initial_s} before the first update, because the data's \
             values (up to {scale_s} in size) overflow f64 arithmetic; standardise the inputs and targets \
             (data::Standardizer) so they are near 1"
        );
    }
    let mut m = format!(
        "training diverged at epoch {epoch}: the loss reached {loss_s} (it started at {initial_s}); \
         lower the learning rate (it was {lr_s})"
    );
    if scale > 100.0 {
        m += &format!(
            ", or better, standardise the data (data::Standardizer): its values reach {scale_s}, \
             and values far from 1 make every learning rate either too large or too slow"
        );
    }
    m
}

/// How the size guard's limit is chosen (see `memory::limit`), for the message.
const LIMIT_RULE: &str = "the memory available now, or a container's or ulimit's limit if lower";

/// nnlib's result type.
pub type Result<T> = std::result::Result<T, Error>;
