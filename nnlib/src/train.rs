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
//! or as soon as an epoch's loss falls below `tolerance`.

use crate::cost::Cost;
use crate::data::argmax;
use crate::error::{Error, Result};
use crate::numfmt::num;
use crate::memory;
use crate::network::{Gradients, Network, Trace};
use ndarray::{Array1, Array2, ArrayView2, Zip};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

/// A loss this many times above the first epoch's counts as diverged.
pub const DIVERGENCE_FACTOR: f64 = 1e4;

/// The update rule for `w` given `dC/dw` (and likewise for `b`).
///
/// One way to get each: `Optimizer::Sgd`, [`Optimizer::momentum`] (or
/// [`Optimizer::momentum_with`]) and [`Optimizer::adam`] (or
/// [`Optimizer::adam_with`]). The constants live in [`Momentum`] and [`Adam`],
/// whose fields are private, so every optimizer that exists has valid constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Optimizer {
    /// Plain gradient descent: `w := w - ε dC/dw`.
    Sgd,
    /// Momentum: `v := β v - ε dC/dw`, `w := w + v`.
    Momentum(Momentum),
    /// Adam: `m := β1 m + (1-β1) g`, `v := β2 v + (1-β2) g²`,
    /// `w := w - ε m̂ / (sqrt(v̂) + eps)` with bias-corrected `m̂, v̂`.
    Adam(Adam),
}

/// Momentum's constant `β`, in `[0, 1)`; see [`Optimizer::momentum_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Momentum {
    beta: f64,
}

impl Momentum {
    /// How much of the previous step is kept (0.9 is usual).
    pub fn beta(&self) -> f64 {
        self.beta
    }
}

/// Adam's constants; see [`Optimizer::adam_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adam {
    beta1: f64,
    beta2: f64,
    epsilon: f64,
}

impl Adam {
    /// Decay of the first moment (0.9), in `[0, 1)`.
    pub fn beta1(&self) -> f64 {
        self.beta1
    }
    /// Decay of the second moment (0.999), in `[0, 1)`.
    pub fn beta2(&self) -> f64 {
        self.beta2
    }
    /// Keeps the division finite (1e-8), positive.
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }
}

/// `Ok` when `b` is in `[0, 1)`, else an error naming the constant.
fn check_beta(name: &'static str, what: &str, b: f64) -> Result<()> {
    if (0.0..1.0).contains(&b) {
        Ok(())
    } else {
        Err(Error::InvalidParameter { name, reason: format!("{what} must be in [0, 1), got {}", num(b)) })
    }
}

impl Optimizer {
    /// Momentum with `β = 0.9`.
    pub fn momentum() -> Self {
        Optimizer::Momentum(Momentum { beta: 0.9 })
    }

    /// Momentum with another `β`, which must be in `[0, 1)`.
    pub fn momentum_with(beta: f64) -> Result<Self> {
        check_beta("beta", "momentum beta", beta)?;
        Ok(Optimizer::Momentum(Momentum { beta }))
    }

    /// Adam with the usual `β1 = 0.9, β2 = 0.999, eps = 1e-8`.
    pub fn adam() -> Self {
        Optimizer::Adam(Adam { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 })
    }

    /// Adam with other constants: betas in `[0, 1)`, `epsilon` positive and finite.
    pub fn adam_with(beta1: f64, beta2: f64, epsilon: f64) -> Result<Self> {
        check_beta("beta1", "Adam beta1", beta1)?;
        check_beta("beta2", "Adam beta2", beta2)?;
        if !(epsilon > 0.0 && epsilon.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "epsilon",
                reason: format!("Adam epsilon must be positive and finite, got {}", num(epsilon)),
            });
        }
        Ok(Optimizer::Adam(Adam { beta1, beta2, epsilon }))
    }

    /// Always `Ok`: the constructors above only make valid optimizers. Kept so
    /// that [`TrainConfig::check`] reads as a list of every check.
    pub fn check(&self) -> Result<()> {
        match *self {
            Optimizer::Sgd => Ok(()),
            Optimizer::Momentum(m) => Optimizer::momentum_with(m.beta).map(drop),
            Optimizer::Adam(a) => Optimizer::adam_with(a.beta1, a.beta2, a.epsilon).map(drop),
        }
    }
}

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
    /// Seeds the shuffling of mini-batches.
    pub seed: u64,
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

    /// Seed for the shuffling.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Rejects a learning rate that is not a positive number, 0 epochs, a
    /// batch size of 0, a negative tolerance and bad optimizer constants.
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
}

/// What happened during training, one entry per epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Training loss: the mean of the epoch's mini-batch costs, each taken
    /// before its update (for the full batch: the cost at the start of the epoch).
    pub loss: Vec<f64>,
    /// Validation loss after each epoch (empty without a validation set).
    pub val_loss: Vec<f64>,
    /// Validation accuracy after each epoch, for classification costs.
    pub val_accuracy: Vec<f64>,
    /// Why training stopped.
    pub stop: Stop,
    /// The cost on the whole training set after the last update.
    pub final_loss: f64,
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

/// The divergence rule: a non-finite loss, or one [`DIVERGENCE_FACTOR`] times
/// above the first epoch's (floored at 1e-3, so a near-perfect start does not
/// make ordinary noise look like divergence).
fn diverged(loss: f64, initial: f64) -> bool {
    !loss.is_finite() || loss > DIVERGENCE_FACTOR * initial.max(1e-3)
}

/// Optimizer memory, one pair of arrays per layer.
struct State {
    /// Momentum's `v`, or Adam's first moment `m`.
    m: Vec<(Array2<f64>, Array1<f64>)>,
    /// Adam's second moment `v`.
    v: Vec<(Array2<f64>, Array1<f64>)>,
    /// Number of updates so far (Adam's bias correction).
    t: i32,
}

impl State {
    /// Zeroed moments (two copies of every parameter), if they fit.
    fn new(net: &Network) -> Result<Self> {
        let bytes = memory::f64_bytes(&[net.n_params(), 2]);
        memory::check(bytes, || "the optimizer's memory (2 × the weights)".into())?;
        let zeros = || {
            net.layers()
                .iter()
                .map(|l| (Array2::zeros(l.w().raw_dim()), Array1::zeros(l.b().len())))
                .collect()
        };
        Ok(State { m: zeros(), v: zeros(), t: 0 })
    }

    /// One update of every weight and bias from the gradients.
    fn step(&mut self, net: &mut Network, g: &Gradients, optimizer: Optimizer, eps: f64) {
        self.t = self.t.saturating_add(1); // no overflow panic when training "until converged"
        for (i, layer) in net.layers_mut().iter_mut().enumerate() {
            let (w, b) = layer.params_mut();
            let (mw, mb) = &mut self.m[i];
            let (vw, vb) = &mut self.v[i];
            update(w, &g.dc_dw[i], mw, vw, optimizer, eps, self.t);
            update(b, &g.dc_db[i], mb, vb, optimizer, eps, self.t);
        }
    }
}

/// Updates one parameter array `p` with its gradient `g` (any dimension).
fn update<D: ndarray::Dimension>(
    p: &mut ndarray::Array<f64, D>,
    g: &ndarray::Array<f64, D>,
    m: &mut ndarray::Array<f64, D>,
    v: &mut ndarray::Array<f64, D>,
    optimizer: Optimizer,
    eps: f64,
    t: i32,
) {
    match optimizer {
        // w := w - ε dC/dw
        Optimizer::Sgd => p.scaled_add(-eps, g),
        // v := β v - ε dC/dw ; w := w + v
        Optimizer::Momentum(Momentum { beta }) => Zip::from(p).and(m).and(g).for_each(|p, m, &g| {
            *m = beta * *m - eps * g;
            *p += *m;
        }),
        Optimizer::Adam(Adam { beta1, beta2, epsilon }) => {
            let (c1, c2) = (1.0 - beta1.powi(t), 1.0 - beta2.powi(t));
            Zip::from(p).and(m).and(v).and(g).for_each(|p, m, v, &g| {
                *m = beta1 * *m + (1.0 - beta1) * g;
                *v = beta2 * *v + (1.0 - beta2) * g * g;
                *p -= eps * (*m / c1) / ((*v / c2).sqrt() + epsilon);
            });
        }
    }
}

/// Buffers for one batch size, reused by every batch of that size.
struct Workspace {
    trace: Trace,
    y: Array2<f64>,
    grads: Gradients,
}

impl Workspace {
    fn new(net: &Network, n: usize) -> Result<Self> {
        Ok(Workspace {
            trace: Trace::new(net, n)?,
            y: Array2::zeros((n, net.n_outputs())),
            grads: Gradients::new(net, n)?,
        })
    }

    /// Copies the rows `idx` of `x` and `y` into the batch buffers.
    fn gather(&mut self, x: ArrayView2<f64>, y: ArrayView2<f64>, idx: &[usize]) {
        copy_rows(&mut self.trace.a[0], x, idx);
        copy_rows(&mut self.y, y, idx);
    }

    /// Forward, cost, backward, update; returns the cost before the update.
    fn step(&mut self, net: &mut Network, cost: Cost, state: &mut State, config: &TrainConfig) -> f64 {
        net.forward_into(&mut self.trace);
        let c = cost.value_unchecked(self.trace.output().view(), self.y.view());
        net.backward_into(&self.trace, self.y.view(), cost, &mut self.grads);
        state.step(net, &self.grads, config.optimizer, config.learning_rate);
        c
    }
}

/// `dst[r] = src[idx[r]]` for every row r of `dst`.
fn copy_rows(dst: &mut Array2<f64>, src: ArrayView2<f64>, idx: &[usize]) {
    let width = src.ncols();
    match (dst.as_slice_mut(), src.as_slice()) {
        // Both row-major and contiguous (as the training data almost always is):
        // each row is one slice copy (a memcpy).
        (Some(dst), Some(src)) if width > 0 => {
            for (d, &i) in dst.chunks_exact_mut(width).zip(idx) {
                d.copy_from_slice(&src[i * width..(i + 1) * width]);
            }
        }
        _ => {
            for (r, &i) in idx.iter().enumerate() {
                dst.row_mut(r).assign(&src.row(i));
            }
        }
    }
}

impl Network {
    /// Trains on `(x, y)` under `cost` (see the module docs) and returns the history.
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

    fn train_impl(
        &mut self,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        cost: Cost,
        config: &TrainConfig,
        validation: Option<(ArrayView2<f64>, ArrayView2<f64>)>,
    ) -> Result<History> {
        config.check()?;
        self.check_inputs(x)?;
        self.check_targets(x, y, cost)?;
        let before = self.clone();
        let n = x.nrows();
        let batch = config.batch_size.unwrap_or(n).min(n);
        let mut order: Vec<usize> = (0..n).collect();
        let mut rng = StdRng::seed_from_u64(config.seed);
        // Everything training allocates, checked at once before any of it is.
        let bytes = memory::training_bytes(self.n_params(), self.row_values(), batch);
        memory::check(bytes, || {
            format!(
                "training on batches of {batch} samples (gradients, optimizer memory, every z, a and delta)"
            )
        })?;
        let mut state = State::new(self)?;
        let mut full = Workspace::new(self, batch)?;
        let mut tail = if n % batch != 0 { Some(Workspace::new(self, n % batch)?) } else { None };
        let mut val_trace = match validation {
            Some((xv, _)) => {
                let mut t = Trace::new(self, xv.nrows())?;
                t.a[0].assign(&xv);
                Some(t)
            }
            None => None,
        };
        let data_scale = max_abs(x).max(max_abs(y));
        // The history grows epoch by epoch: `epochs` may be `usize::MAX`
        // ("until the tolerance is reached"), so nothing is sized by it.
        let mut history = History {
            loss: Vec::new(),
            val_loss: vec![],
            val_accuracy: vec![],
            stop: Stop::MaxEpochs,
            final_loss: f64::NAN,
        };
        if batch == n {
            full.gather(x, y, &order); // the full batch never changes: copy it once
        }
        let mut initial_loss = None;
        for epoch in 1..=config.epochs {
            let mut sum = 0.0;
            if batch == n {
                sum = full.step(self, cost, &mut state, config) * n as f64;
            } else {
                order.shuffle(&mut rng);
                for idx in order.chunks(batch) {
                    let ws = if idx.len() == batch {
                        &mut full
                    } else {
                        tail.as_mut().expect("tail buffers exist")
                    };
                    ws.gather(x, y, idx);
                    sum += ws.step(self, cost, &mut state, config) * idx.len() as f64;
                }
            }
            let loss = sum / n as f64;
            let initial = *initial_loss.get_or_insert(loss);
            if diverged(loss, initial) {
                *self = before; // give the learner back the network they started with
                return Err(Error::Diverged {
                    epoch,
                    loss,
                    initial_loss: initial,
                    learning_rate: config.learning_rate,
                    data_scale,
                });
            }
            history.loss.push(loss);
            if let (Some(t), Some((_, yv))) = (val_trace.as_mut(), validation) {
                self.forward_into(t);
                history.val_loss.push(cost.value_unchecked(t.output().view(), yv));
                if let Some(acc) = accuracy_unchecked(cost, t.output().view(), yv) {
                    history.val_accuracy.push(acc);
                }
            }
            if config.tolerance.is_some_and(|tol| loss < tol) {
                history.stop = Stop::Tolerance(epoch);
                break;
            }
        }
        // The epoch losses were measured before each update; the last update
        // could still have blown up, so measure once more after it.
        let epochs_run = history.loss.len();
        history.final_loss = if batch == n {
            self.forward_into(&mut full.trace);
            cost.value_unchecked(full.trace.output().view(), full.y.view())
        } else {
            // C over all n rows, (1/n) Σ_batches (rows in batch) · C_batch, evaluated in
            // the training buffers: `predict(x)` would copy x and keep an n-row trace
            // (for P3 of bench/, 115 MB more than training itself needs).
            order.sort_unstable();
            let mut sum = 0.0;
            for idx in order.chunks(batch) {
                let ws =
                    if idx.len() == batch { &mut full } else { tail.as_mut().expect("tail buffers exist") };
                ws.gather(x, y, idx);
                self.forward_into(&mut ws.trace);
                sum += cost.value_unchecked(ws.trace.output().view(), ws.y.view()) * idx.len() as f64;
            }
            sum / n as f64
        };
        let initial = initial_loss.unwrap_or(history.final_loss);
        if diverged(history.final_loss, initial) {
            let loss = history.final_loss;
            *self = before;
            return Err(Error::Diverged {
                epoch: epochs_run,
                loss,
                initial_loss: initial,
                learning_rate: config.learning_rate,
                data_scale,
            });
        }
        Ok(history)
    }
}

/// The largest `|value|` of a matrix (0 when it is empty).
fn max_abs(x: ArrayView2<f64>) -> f64 {
    x.fold(0.0, |m: f64, v| m.max(v.abs()))
}
