//! Gradient descent: the lecture's loop
//!
//! ```text
//! while (termination condition not met)
//!     w := w - ε dC/dw
//!     b := b - ε dC/db
//! ```
//!
//! over the full batch or over seeded, shuffled mini-batches, with plain SGD,
//! momentum or Adam as the update rule. Training stops after `epochs` epochs,
//! as soon as an epoch's loss falls below `tolerance`, or (early stopping)
//! when the validation loss has not improved for `patience` epochs.
//!
//! Three cures for overfitting (Nielsen's chapter 3), each off by default:
//!
//! - **L2 weight decay**, `weight_decay` (`λ`): the cost becomes
//!   `C = C0 + λ/2n Σ w²` and `dC/dw = dC0/dw + λ/n w`, biases untouched
//!   (`n`: the training set's size; see `regularize.rs`).
//! - **Early stopping**, `patience`: after each epoch the validation loss is
//!   measured; when it has not been below its lowest so far for `patience`
//!   epochs, training stops, and the network gets back the weights of the best
//!   epoch ([`History::best_epoch`]).
//! - **Dropout**, `dropout` (`p`): during training every hidden neuron is
//!   dropped with probability `p` for each sample of each batch (a seeded mask),
//!   the kept ones scaled by `1/(1-p)` ("inverted" dropout, so prediction uses
//!   the network as it is); see [`crate::network::dropout_masks`].
//!
//! Training that ends without an error can still have failed quietly: a loss
//! no better than guessing, or inputs on very different scales. Such runs
//! return their [`History`] with [`History::warnings`] (see [`warnings`]).
//!
//! The learning rate is the lecture's `ε` (Nielsen's `η`); in code it is
//! always `learning_rate`. Two other small numbers are not it: Adam's
//! [`Adam::epsilon`], which keeps a division finite, and
//! [`crate::cost::PROB_FLOOR`], the smallest probability a logarithm sees.

mod batches;
mod optimizer;
mod progress;
pub(crate) mod regularize;
pub mod warnings;

pub use optimizer::{Adam, Momentum, Optimizer};
pub use progress::progress_line;
pub use warnings::{trivial_loss, Warning};

use crate::cost::Cost;
use crate::data::argmax;
use crate::error::{Error, Result};
use crate::memory;
use crate::network::{check_dropout_rate, Network, Trace};
use crate::numfmt::num;
use batches::{Batches, Order};
use ndarray::{ArrayView2, Zip};
use optimizer::State;

/// A loss this many times above the first epoch's counts as diverged.
pub const DIVERGENCE_FACTOR: f64 = 1e4;

/// How to train: learning rate `ε`, termination, batching and update rule.
///
/// The fields are plain data; [`TrainConfig::check`] (called by every
/// training function) refuses values that cannot work.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Stop after this many passes over the data. With a tolerance,
    /// `usize::MAX` means "until the loss is below it" (nothing is sized by
    /// `epochs`); without one it never stops by itself.
    pub epochs: usize,
    /// `ε` in `w := w - ε dC/dw`.
    pub learning_rate: f64,
    /// Samples per update; `None` is the full batch (the lecture's loop).
    pub batch_size: Option<usize>,
    /// Stop early once an epoch's loss is below this.
    pub tolerance: Option<f64>,
    /// The update rule.
    pub optimizer: Optimizer,
    /// Seeds the shuffling of mini-batches (and dropout's masks).
    pub seed: u64,
    /// `λ` of L2 weight decay, `C = C0 + λ/2n Σ w²` (0: none). scikit-learn's `alpha`.
    pub weight_decay: f64,
    /// Dropout rate `p` of the hidden layers during training, in `[0, 1)` (0: none).
    pub dropout: f64,
    /// Early stopping: stop when the validation loss has not improved for this
    /// many epochs, and keep the best epoch's weights (needs a validation set).
    pub patience: Option<usize>,
    /// Record the loss and accuracy on the whole training set after each epoch
    /// ([`History::train_loss`], [`History::train_accuracy`]).
    pub record_training: bool,
    /// Live progress: print one line ([`progress_line`]) to stdout every this
    /// many epochs, and after the last epoch (`None`: silent). evcxr streams
    /// stdout while a cell runs, so a long training cell shows it is alive.
    pub progress: Option<usize>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 100,
            learning_rate: 0.1,
            batch_size: None,
            tolerance: None,
            optimizer: Optimizer::Sgd,
            seed: 0,
            weight_decay: 0.0,
            dropout: 0.0,
            patience: None,
            record_training: false,
            progress: None,
        }
    }
}

impl TrainConfig {
    /// Full-batch SGD for `epochs` epochs at learning rate `learning_rate`.
    pub fn new(epochs: usize, learning_rate: f64) -> Self {
        TrainConfig { epochs, learning_rate, ..Default::default() }
    }

    /// Shuffled mini-batches of `size` samples.
    pub fn batch_size(mut self, size: usize) -> Self {
        self.batch_size = Some(size);
        self
    }

    /// Stop when an epoch's loss falls below `tol`.
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tolerance = Some(tol);
        self
    }

    /// The update rule.
    pub fn optimizer(mut self, optimizer: Optimizer) -> Self {
        self.optimizer = optimizer;
        self
    }

    /// Seed for the shuffling and dropout's masks.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// L2 weight decay `λ`: `C = C0 + λ/2n Σ w²` (scikit-learn's `alpha`).
    pub fn weight_decay(mut self, lambda: f64) -> Self {
        self.weight_decay = lambda;
        self
    }

    /// Dropout on the hidden layers, each neuron dropped with probability `p` while training.
    pub fn dropout(mut self, p: f64) -> Self {
        self.dropout = p;
        self
    }

    /// Early stopping after `patience` epochs without a lower validation loss
    /// (for [`Network::train_with_validation`]); the best epoch's weights are kept.
    pub fn early_stopping(mut self, patience: usize) -> Self {
        self.patience = Some(patience);
        self
    }

    /// Also record the training set's loss and accuracy after each epoch.
    pub fn record_training(mut self) -> Self {
        self.record_training = true;
        self
    }

    /// Print a progress line (epoch, loss, validation loss, elapsed time)
    /// every `every_n_epochs` epochs while training runs, and after the last.
    pub fn progress(mut self, every_n_epochs: usize) -> Self {
        self.progress = Some(every_n_epochs);
        self
    }

    /// Rejects a learning rate that is not a positive number, 0 epochs, a
    /// batch size of 0, a negative tolerance, bad optimizer constants, a
    /// negative or non-finite `λ`, a dropout rate outside `[0, 1)`, a patience of 0
    /// and a progress interval of 0 epochs.
    pub fn check(&self) -> Result<()> {
        let bad = |name, reason: String| Err(Error::InvalidParameter { name, reason });
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return bad(
                "learning_rate",
                format!("must be a positive finite number, got {}", num(self.learning_rate)),
            );
        }
        if self.epochs == 0 {
            return bad("epochs", "must be at least 1".into());
        }
        if self.batch_size == Some(0) {
            return bad("batch_size", "must be at least 1".into());
        }
        if let Some(tol) = self.tolerance {
            if tol.is_nan() || tol < 0.0 {
                return bad("tolerance", format!("must be a non-negative number, got {}", num(tol)));
            }
        }
        if self.patience == Some(0) {
            return bad("patience", "early stopping needs a patience of at least 1 epoch".into());
        }
        regularize::check_weight_decay(self.weight_decay)?;
        check_dropout_rate(self.dropout)?;
        if self.progress == Some(0) {
            return bad("progress", "print a line every 1 or more epochs (progress(0) never would)".into());
        }
        self.optimizer.check()
    }
}

/// Why training stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// All epochs ran.
    MaxEpochs,
    /// The loss fell below the tolerance at this epoch (1-based).
    Tolerance(usize),
    /// Early stopping at this epoch (1-based): the validation loss had not
    /// improved for `patience` epochs. The network has the weights of
    /// [`History::best_epoch`].
    Patience(usize),
}

/// What happened during training, one entry per epoch.
///
/// `loss` is what gradient descent minimised, with the L2 term and dropout's
/// masks when they are on; every other loss is the plain cost `C0` of the
/// network as it predicts (no penalty, no dropout), so that the training and
/// validation losses compare.
///
/// Non-exhaustive: it comes from training ([`History::new`] makes an empty one).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct History {
    /// Training loss: the mean of the epoch's mini-batch costs, each taken
    /// before its update (for the full batch: the cost at the start of the
    /// epoch), plus `λ/2n Σ w²` with weight decay.
    pub loss: Vec<f64>,
    /// The cost `C0` on the whole training set after each epoch (empty unless
    /// [`TrainConfig::record_training`]).
    pub train_loss: Vec<f64>,
    /// The training set's accuracy after each epoch, for classification costs
    /// (empty unless [`TrainConfig::record_training`]).
    pub train_accuracy: Vec<f64>,
    /// Validation loss after each epoch (empty without a validation set).
    pub val_loss: Vec<f64>,
    /// Validation accuracy after each epoch, for classification costs.
    pub val_accuracy: Vec<f64>,
    /// The epoch (1-based) with the lowest validation loss (`None` without a
    /// validation set). With early stopping, the network has its weights.
    pub best_epoch: Option<usize>,
    /// Why training stopped.
    pub stop: Stop,
    /// The cost `C0` on the whole training set of the network returned.
    pub final_loss: f64,
    /// What went wrong without an error (empty when nothing did): print them
    /// with `for w in &history.warnings { println!("{w}") }`. See [`warnings`].
    pub warnings: Vec<Warning>,
}

impl Default for History {
    fn default() -> Self {
        History::new()
    }
}

impl History {
    /// An empty history: no epoch yet, `final_loss` NaN, no warnings (for
    /// tests and plots of made-up runs; training makes its own). It grows epoch by
    /// epoch: `epochs` may be `usize::MAX` ("until the tolerance is reached"), so
    /// nothing is sized by it.
    pub fn new() -> Self {
        History {
            loss: vec![],
            train_loss: vec![],
            train_accuracy: vec![],
            val_loss: vec![],
            val_accuracy: vec![],
            best_epoch: None,
            stop: Stop::MaxEpochs,
            final_loss: f64::NAN,
            warnings: vec![],
        }
    }

    /// The loss (and accuracy) on the validation set, whose input `trace`
    /// holds; returns the loss.
    fn record_validation(
        &mut self,
        net: &Network,
        cost: Cost,
        trace: &mut Trace,
        y_val: ArrayView2<f64>,
    ) -> f64 {
        net.forward_into(trace);
        let loss = cost.value_unchecked(trace.output().view(), y_val);
        self.val_loss.push(loss);
        if let Some(accuracy) = accuracy_unchecked(cost, trace.output().view(), y_val) {
            self.val_accuracy.push(accuracy);
        }
        loss
    }

    /// The loss (and accuracy) on the whole training set, batch by batch in order.
    fn record_training(&mut self, net: &Network, cost: Cost, batches: &mut Batches) {
        let mut accuracy = Some(0.0);
        let loss = batches.each(Order::InOrder, |batch| {
            let c = batch.cost(net, cost);
            let rows = batch.rows() as f64;
            accuracy = accuracy.zip(batch.accuracy(cost)).map(|(sum, a)| sum + a * rows);
            c
        });
        self.train_loss.push(loss);
        if let Some(correct) = accuracy {
            self.train_accuracy.push(correct / batches.n() as f64);
        }
    }
}

/// Early stopping's memory: the lowest validation loss so far, its epoch,
/// and a copy of the weights then (allocated once, overwritten in place).
struct Best {
    loss: f64,
    epoch: usize,
    weights: Option<Network>,
}

impl Best {
    /// Keeps a copy of the weights only when early stopping will restore them.
    fn new(net: &Network, early_stopping: bool) -> Self {
        Best { loss: f64::INFINITY, epoch: 0, weights: early_stopping.then(|| net.clone()) }
    }

    /// Records the epoch's validation loss; a new lowest one keeps the weights.
    fn update(&mut self, epoch: usize, loss: f64, net: &Network) {
        if loss < self.loss {
            (self.loss, self.epoch) = (loss, epoch);
            if let Some(w) = &mut self.weights {
                w.copy_params_from(net);
            }
        }
    }
}

/// Fraction of rows classified correctly: for one output, `a ≥ 0.5` (or
/// `a ≥ 0` for hinge's ±1 labels) against the target; for several, the argmax.
/// `Ok(None)` for regression costs.
///
/// # Errors
///
/// [`Error::Shape`] when `a` and `y` differ in shape, [`Error::Empty`] when
/// they have no rows or columns, [`Error::NonFinite`] for a NaN or infinity.
pub fn accuracy(cost: Cost, a: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<Option<f64>> {
    crate::check::same_shape("accuracy: outputs vs targets", a, y)?;
    crate::check::non_empty("outputs", a.nrows(), a.ncols())?;
    crate::check::finite("outputs", &a)?;
    crate::check::finite("targets", &y)?;
    Ok(accuracy_unchecked(cost, a, y))
}

/// [`accuracy`] for shapes and values the training loop has checked.
fn accuracy_unchecked(cost: Cost, a: ArrayView2<f64>, y: ArrayView2<f64>) -> Option<f64> {
    let threshold = match cost {
        Cost::BinaryCrossEntropy | Cost::CategoricalCrossEntropy | Cost::KlDivergence => 0.5,
        Cost::Hinge => 0.0,
        _ => return None,
    };
    let correct = if a.ncols() == 1 {
        Zip::from(a.column(0))
            .and(y.column(0))
            .fold(0usize, |n, &p, &t| n + usize::from((p >= threshold) == (t >= threshold)))
    } else {
        a.rows().into_iter().zip(y.rows()).filter(|(p, t)| argmax(*p) == argmax(*t)).count()
    };
    Some(correct as f64 / a.nrows().max(1) as f64)
}

/// Watches the loss for divergence: a non-finite loss, or one
/// [`DIVERGENCE_FACTOR`] times above the first epoch's (floored at 1e-3, so a
/// near-perfect start does not make ordinary noise look like divergence).
struct Divergence {
    initial: Option<f64>,
    learning_rate: f64,
    /// The largest `|value|` of the data, for the message (far above 1: standardise).
    data_scale: f64,
}

impl Divergence {
    /// `Err(Diverged)` when the loss at `epoch` has blown up.
    fn check(&mut self, epoch: usize, loss: f64) -> Result<()> {
        let initial = *self.initial.get_or_insert(loss);
        if loss.is_finite() && loss <= DIVERGENCE_FACTOR * initial.max(1e-3) {
            return Ok(());
        }
        let (learning_rate, data_scale) = (self.learning_rate, self.data_scale);
        Err(Error::Diverged { epoch, loss, initial_loss: initial, learning_rate, data_scale })
    }
}

/// The largest `|value|` of a matrix (0 when it is empty).
fn max_abs(x: ArrayView2<f64>) -> f64 {
    x.fold(0.0, |m: f64, v| m.max(v.abs()))
}

impl Network {
    /// Trains on `(x, y)` under `cost` (see the module docs) and returns the history.
    ///
    /// # Errors
    ///
    /// A bad config ([`TrainConfig::check`]), inputs or targets that do not fit
    /// the network or the cost, [`Error::TooLarge`] when training's buffers
    /// would not fit in memory, and [`Error::Diverged`]; on an error the
    /// network keeps the weights it had before the call.
    pub fn train(
        &mut self,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        cost: Cost,
        config: &TrainConfig,
    ) -> Result<History> {
        self.train_impl(x, y, cost, config, None)
    }

    /// Like [`Network::train`], also recording loss and accuracy on `(x_val, y_val)` after each epoch.
    pub fn train_with_validation(
        &mut self,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        cost: Cost,
        config: &TrainConfig,
        x_val: ArrayView2<f64>,
        y_val: ArrayView2<f64>,
    ) -> Result<History> {
        self.check_inputs_named(x_val, "validation inputs")?;
        self.check_targets_named(x_val, y_val, cost, "validation targets")?;
        self.train_impl(x, y, cost, config, Some((x_val, y_val)))
    }

    /// Checks everything, then runs [`Network::epochs`]; on an error the
    /// learner gets back the network they started with.
    fn train_impl(
        &mut self,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        cost: Cost,
        config: &TrainConfig,
        validation: Option<(ArrayView2<f64>, ArrayView2<f64>)>,
    ) -> Result<History> {
        config.check()?;
        if config.patience.is_some() && validation.is_none() {
            return Err(Error::InvalidParameter {
                name: "patience",
                reason: "early stopping watches the validation loss: call train_with_validation \
                         with a validation set, or drop early_stopping"
                    .into(),
            });
        }
        self.check_inputs(x)?;
        self.check_targets(x, y, cost)?;
        let batch = config.batch_size.unwrap_or(x.nrows()).min(x.nrows());
        // Everything training allocates, checked at once before any of it is.
        let bytes = memory::training_bytes(self.n_params(), self.row_values(), batch);
        memory::check(bytes, || {
            format!(
                "training on batches of {batch} samples (gradients, optimizer memory, every z, a and delta)"
            )
        })?;
        let mut batches = Batches::new(self, x, y, batch, config)?;
        let validation = match validation {
            Some((xv, yv)) => Some((Trace::with_input(self, xv)?, yv)),
            None => None,
        };
        let learning_rate = config.learning_rate;
        let data_scale = max_abs(x).max(max_abs(y));
        let divergence = Divergence { initial: None, learning_rate, data_scale };
        let scales = warnings::feature_scales(x); // once, before training
        let before = self.clone();
        let (mut history, accuracy) = match self.epochs(&mut batches, cost, config, validation, divergence) {
            Ok(done) => done,
            Err(e) => {
                *self = before;
                return Err(e);
            }
        };
        // Once, after training: the outcome first, then what may have caused it.
        let outcome = warnings::Outcome { y, cost, accuracy, learning_rate, data_scale };
        history.warnings.extend(warnings::no_better_than_trivial(&history, &outcome));
        history.warnings.extend(scales);
        Ok(history)
    }

    /// The lecture's loop, one epoch at a time (returning the history and the
    /// final training accuracy, `None` for regression costs):
    ///
    /// ```text
    /// while (termination condition not met)      // epochs, the loss below tolerance, or patience
    ///     for each batch: w := w - ε dC/dw,  b := b - ε dC/db
    /// ```
    fn epochs(
        &mut self,
        batches: &mut Batches,
        cost: Cost,
        config: &TrainConfig,
        mut validation: Option<(Trace, ArrayView2<f64>)>,
        mut divergence: Divergence,
    ) -> Result<(History, Option<f64>)> {
        let mut state = State::new(self)?;
        let mut history = History::new();
        let mut best = Best::new(self, config.patience.is_some());
        let lambda_over_n = config.weight_decay / batches.n() as f64;
        let started = std::time::Instant::now();
        for epoch in 1..=config.epochs {
            // The epoch's loss: the mean of its batches' costs, each before its update.
            let loss = batches
                .each(Order::Shuffled, |batch| batch.step(self, cost, &mut state, config, lambda_over_n));
            divergence.check(epoch, loss)?;
            history.loss.push(loss);
            if config.record_training {
                history.record_training(self, cost, batches);
            }
            if let Some((trace, y_val)) = &mut validation {
                let val_loss = history.record_validation(self, cost, trace, *y_val);
                best.update(epoch, val_loss, self);
                history.best_epoch = Some(best.epoch).filter(|&e| e > 0);
            }
            if config.tolerance.is_some_and(|tol| loss < tol) {
                history.stop = Stop::Tolerance(epoch);
            } else if config.patience.is_some_and(|patience| epoch - best.epoch >= patience) {
                history.stop = Stop::Patience(epoch);
            }
            let last = epoch == config.epochs || history.stop != Stop::MaxEpochs;
            if config.progress.is_some_and(|every| progress::due(epoch, every, last)) {
                let val_loss = history.val_loss.last().copied();
                println!("{}", progress_line(epoch, config.epochs, loss, val_loss, started.elapsed()));
            }
            if history.stop != Stop::MaxEpochs {
                break;
            }
        }
        if let (Some(weights), Some(_)) = (&best.weights, history.best_epoch) {
            self.copy_params_from(weights); // early stopping keeps the best epoch
        }
        // Each epoch's loss was taken before its updates; the last update could
        // still have blown up, so measure once more after it.
        // The same pass counts the right answers, for the warnings (classification costs).
        let mut correct = Some(0.0);
        history.final_loss = batches.each(Order::InOrder, |batch| {
            let c = batch.cost(self, cost);
            let rows = batch.rows() as f64;
            correct = correct.zip(batch.accuracy(cost)).map(|(sum, a)| sum + a * rows);
            c
        });
        divergence.check(history.loss.len(), history.final_loss)?;
        Ok((history, correct.map(|c| c / batches.n() as f64)))
    }
}
