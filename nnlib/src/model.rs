//! linfa interop: multilayer perceptrons that fit and predict like linfa's models.
//!
//! The pattern is linfa's own: hyper-parameters ([`MlpParams`]) are checked by
//! [`ParamGuard::check`] into [`MlpValidParams`], whose [`Fit`] impl trains a
//! [`Network`] and returns a fitted model. So
//!
//! ```
//! use nnlib::linfa::prelude::*;
//! use nnlib::model::MlpRegressor;
//! use nnlib::ndarray::{array, Array1};
//!
//! let x = array![[0.0], [1.0], [2.0], [3.0]];
//! let y: Array1<f64> = array![1.0, 3.0, 5.0, 7.0];
//! let data = Dataset::new(x.clone(), y);
//! let model = MlpRegressor::params().hidden(&[]).epochs(2000).learning_rate(0.05).fit(&data)?;
//! let r2 = model.predict(&x).r2(&data)?;
//! assert!(r2 > 0.999);
//! # Ok::<(), nnlib::Error>(())
//! ```
//!
//! reads the same as linfa-linear's `LinearRegression::new().fit(&data)?`.
//! The regressor predicts `f64` targets (so `r2` and `mean_squared_error`
//! work); the classifier predicts `usize` class labels (so `confusion_matrix`
//! and `accuracy` work).

use crate::activation::Activation;
use crate::cost::Cost;
use crate::data::{argmax, column, one_hot};
use crate::error::{Error, Result};
use crate::network::{Init, Network};
use crate::train::{History, Optimizer, TrainConfig};
use linfa::dataset::{AsSingleTargets, DatasetBase};
use linfa::traits::{Fit, PredictInplace};
use linfa::ParamGuard;
use ndarray::{Array1, Array2, ArrayBase, Data, Ix2};
use std::marker::PhantomData;

/// Marker: the model predicts real numbers (identity output, MSE by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regression;
/// Marker: the model predicts class labels (sigmoid + BCE for two classes,
/// softmax + CCE for more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification;

/// What a task accepts as its cost.
pub trait Task {
    /// Checks that `cost` can train this kind of model.
    fn check_cost(cost: Cost) -> Result<()>;
}
impl Task for Regression {
    /// The regressor's output is the identity: any cost without a log of the prediction.
    fn check_cost(cost: Cost) -> Result<()> {
        cost.check_output(Activation::Identity)
    }
}
impl Task for Classification {
    /// The classifier's outputs are probabilities (sigmoid or softmax), and its
    /// targets are 0/1 or one-hot: hinge (±1 labels, unbounded scores) and
    /// Poisson (counts) do not fit; train a [`Network`] directly for those.
    fn check_cost(cost: Cost) -> Result<()> {
        match cost {
            Cost::Hinge | Cost::Poisson => Err(Error::InvalidParameter {
                name: "cost",
                reason: format!(
                    "{} does not fit a classifier whose outputs are probabilities of 0/1 or one-hot labels; \
                     use binary or categorical cross-entropy (the default), or train a Network directly",
                    cost.name()
                ),
            }),
            _ => cost.check_output(Activation::Sigmoid),
        }
    }
}

/// Checked hyper-parameters of a multilayer perceptron; `T` is the [`Task`]
/// ([`Regression`] or [`Classification`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MlpValidParams<T> {
    hidden: Vec<usize>,
    activation: Activation,
    cost: Option<Cost>,
    init: Init,
    seed: u64,
    train: TrainConfig,
    task: PhantomData<T>,
}

/// Unchecked hyper-parameters; [`ParamGuard::check`] validates them.
#[derive(Debug, Clone, PartialEq)]
pub struct MlpParams<T>(MlpValidParams<T>);

/// A multilayer perceptron for regression: `MlpRegressor::params()`.
pub struct MlpRegressor;
/// A multilayer perceptron for classification: `MlpClassifier::params()`.
pub struct MlpClassifier;

impl MlpRegressor {
    /// Defaults: one hidden layer of 16 tanh neurons, identity output, MSE,
    /// full-batch SGD at ε = 0.1 for 1000 epochs, seed 0.
    pub fn params() -> MlpParams<Regression> {
        MlpParams::new(&[16], Activation::Tanh, TrainConfig::new(1000, 0.1))
    }
}

impl MlpClassifier {
    /// Defaults: one hidden layer of 100 ReLU neurons (Xavier initialisation),
    /// sigmoid + BCE (two classes) or softmax + CCE (more); Adam at ε = 0.003
    /// on shuffled mini-batches of 100 samples for 200 epochs, L2 weight decay
    /// λ = 1 (`C0 + λ/2n Σ w²`), seed 0.
    ///
    /// They are what a learner tries first on their own data, so they are
    /// chosen to do at least as well on held-out data as scikit-learn's
    /// `MLPClassifier()` (100 ReLU neurons, Adam at 0.001, batches of 200):
    /// measured on the workshop's data sets and scikit-learn's iris and wine,
    /// as loaded and standardised (`bash bench/mlp_defaults/run.sh`; the table
    /// is in `bench/README.md`). As in scikit-learn the inputs are used as
    /// given: standardise them ([`crate::data::Standardizer`]) when their
    /// scales differ.
    pub fn params() -> MlpParams<Classification> {
        let train =
            TrainConfig::new(200, 0.003).optimizer(Optimizer::adam()).batch_size(100).weight_decay(1.0);
        MlpParams::new(&[100], Activation::Relu, train).init(Init::Xavier)
    }
}

impl<T> MlpParams<T> {
    /// The given layers and training, cost by task, [`Init::Auto`], seed 0.
    fn new(hidden: &[usize], activation: Activation, train: TrainConfig) -> Self {
        MlpParams(MlpValidParams {
            hidden: hidden.to_vec(),
            activation,
            cost: None,
            init: Init::Auto,
            seed: 0,
            train,
            task: PhantomData,
        })
    }

    /// Widths of the hidden layers; `&[]` is a single neuron layer (a linear model).
    pub fn hidden(mut self, widths: &[usize]) -> Self {
        self.0.hidden = widths.to_vec();
        self
    }

    /// The hidden layers' activation.
    pub fn activation(mut self, f: Activation) -> Self {
        self.0.activation = f;
        self
    }

    /// The cost; by default MSE (regression) or BCE/CCE (classification).
    pub fn cost(mut self, cost: Cost) -> Self {
        self.0.cost = Some(cost);
        self
    }

    /// `ε`, the learning rate.
    pub fn learning_rate(mut self, learning_rate: f64) -> Self {
        self.0.train.learning_rate = learning_rate;
        self
    }

    /// Maximum number of epochs.
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.0.train.epochs = epochs;
        self
    }

    /// Mini-batch size (default: the full batch).
    pub fn batch_size(mut self, size: usize) -> Self {
        self.0.train.batch_size = Some(size);
        self
    }

    /// Stop once the training loss is below `tol`.
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.0.train.tolerance = Some(tol);
        self
    }

    /// The update rule (SGD, momentum, Adam).
    pub fn optimizer(mut self, optimizer: Optimizer) -> Self {
        self.0.train.optimizer = optimizer;
        self
    }

    /// L2 weight decay `λ`: training minimises `C0 + λ/2n Σ w²` (biases not
    /// penalised; see [`crate::train`]). scikit-learn's `MLPClassifier` calls it
    /// `alpha` (and divides by the mini-batch's size rather than `n`).
    pub fn weight_decay(mut self, lambda: f64) -> Self {
        self.0.train.weight_decay = lambda;
        self
    }

    /// Dropout on the hidden layers while training: each neuron is dropped
    /// with probability `p`, in `[0, 1)` (inverted dropout; none at prediction).
    pub fn dropout(mut self, p: f64) -> Self {
        self.0.train.dropout = p;
        self
    }

    /// Weight initialisation.
    pub fn init(mut self, init: Init) -> Self {
        self.0.init = init;
        self
    }

    /// Seeds initial weights and mini-batch shuffling.
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self.0.train.seed = seed;
        self
    }
}

impl<T> MlpValidParams<T> {
    /// The training configuration.
    pub fn train_config(&self) -> &TrainConfig {
        &self.train
    }

    /// Builds the untrained network for `n_in` inputs and `n_out` outputs,
    /// after checking that training it on `n` rows fits in memory.
    fn network(&self, n_in: usize, n_out: usize, output: Activation, n: usize) -> Result<Network> {
        self.check_fits(n_in, n_out, n)?;
        let mut b = Network::builder(n_in).init(self.init).seed(self.seed);
        for &w in &self.hidden {
            b = b.dense(w, self.activation);
        }
        b.dense(n_out, output).build()
    }
}

impl<T> MlpValidParams<T> {
    /// Errors with [`Error::TooLarge`] when the weights and what training them
    /// allocates would not fit, before any of it is made.
    fn check_fits(&self, n_in: usize, n_out: usize, n: usize) -> Result<()> {
        let sizes: Vec<usize> =
            std::iter::once(n_in).chain(self.hidden.iter().copied()).chain([n_out]).collect();
        let params = sizes
            .windows(2)
            .fold(0usize, |p, w| p.saturating_add(w[0].saturating_add(1).saturating_mul(w[1])));
        let row_values = crate::network::row_values(n_in, sizes[1..].iter().map(|&w| (w, w)));
        let rows = self.train.batch_size.unwrap_or(n).min(n);
        // Training's buffers (the same estimate `Network::train` checks), and the weights.
        let bytes = crate::memory::training_bytes(params, row_values, rows)
            .saturating_add(crate::memory::f64_bytes(&[params]));
        crate::memory::check(bytes, || {
            format!("training a network of layer sizes {sizes:?} on {rows} rows at a time")
        })
    }
}

impl<T: Task> ParamGuard for MlpParams<T> {
    type Checked = MlpValidParams<T>;
    type Error = Error;

    fn check_ref(&self) -> Result<&Self::Checked> {
        let p = &self.0;
        if let Some(i) = p.hidden.iter().position(|&w| w == 0) {
            return Err(Error::InvalidParameter {
                name: "hidden",
                reason: format!("hidden layer {} has width 0", i + 1),
            });
        }
        if p.activation == Activation::Softmax {
            return Err(Error::InvalidParameter {
                name: "activation",
                reason: "softmax is for the output layer only".into(),
            });
        }
        p.train.check()?;
        if let Some(cost) = p.cost {
            T::check_cost(cost)?;
        }
        Ok(p)
    }

    fn check(self) -> Result<Self::Checked> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// A trained regressor: predicts one `f64` per row.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedMlpRegressor {
    /// The trained network.
    pub network: Network,
    /// The training history, with its [`History::warnings`] (their columns named
    /// after the dataset's features).
    pub history: History,
}

/// A trained classifier: predicts a class label `0..n_classes` per row.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedMlpClassifier {
    /// The trained network.
    pub network: Network,
    /// The training history, with its [`History::warnings`] (their columns named
    /// after the dataset's features).
    pub history: History,
    /// Number of classes seen in training (at least 2).
    pub n_classes: usize,
}

impl<D: Data<Elem = f64>, T: AsSingleTargets<Elem = f64>> Fit<ArrayBase<D, Ix2>, T, Error>
    for MlpValidParams<Regression>
{
    type Object = FittedMlpRegressor;

    fn fit(&self, dataset: &DatasetBase<ArrayBase<D, Ix2>, T>) -> Result<FittedMlpRegressor> {
        let x = dataset.records().view();
        let y = column(dataset.as_single_targets());
        let cost = self.cost.unwrap_or(Cost::Mse);
        let mut network = self.network(x.ncols(), 1, Activation::Identity, x.nrows())?;
        let mut history = network.train(x, y.view(), cost, &self.train)?;
        history.name_features(&dataset.feature_names());
        Ok(FittedMlpRegressor { network, history })
    }
}

impl<D: Data<Elem = f64>, T: AsSingleTargets<Elem = usize>> Fit<ArrayBase<D, Ix2>, T, Error>
    for MlpValidParams<Classification>
{
    type Object = FittedMlpClassifier;

    fn fit(&self, dataset: &DatasetBase<ArrayBase<D, Ix2>, T>) -> Result<FittedMlpClassifier> {
        let x = dataset.records().view();
        let labels: Vec<usize> = dataset.as_single_targets().to_vec();
        let n_classes = count_classes(&labels)?;
        // Two classes: one sigmoid neuron, P(class 1), with BCE. More (or a
        // cost over distributions): one softmax neuron per class with CCE.
        let softmax =
            n_classes > 2 || matches!(self.cost, Some(Cost::CategoricalCrossEntropy | Cost::KlDivergence));
        let (output, default_cost, y) = if softmax {
            (Activation::Softmax, Cost::CategoricalCrossEntropy, one_hot(&labels, n_classes)?)
        } else {
            let y = one_hot(&labels, 2)?.column(1).to_owned();
            (Activation::Sigmoid, Cost::BinaryCrossEntropy, column(y.view()))
        };
        let cost = self.cost.unwrap_or(default_cost);
        let mut network = self.network(x.ncols(), y.ncols(), output, x.nrows())?;
        let mut history = network.train(x, y.view(), cost, &self.train)?;
        history.name_features(&dataset.feature_names());
        Ok(FittedMlpClassifier { network, history, n_classes })
    }
}

/// The number of classes `k` when the labels are exactly `0, 1, ..., k-1`
/// with `k >= 2`, each at least once.
///
/// One class cannot train a classifier (it would learn to always say it), and a
/// gap (labels 5 and 7 only) would silently add output neurons for classes
/// that never occur: both are errors that say how to renumber.
fn count_classes(labels: &[usize]) -> Result<usize> {
    let seen: std::collections::BTreeSet<usize> = labels.iter().copied().collect();
    let listed = || {
        let first: Vec<String> = seen.iter().take(10).map(usize::to_string).collect();
        format!("{}{}", first.join(", "), if seen.len() > 10 { ", ..." } else { "" })
    };
    if labels.is_empty() {
        return Err(Error::Empty("a classifier needs at least one labelled sample".into()));
    }
    if seen.len() < 2 {
        return Err(Error::InvalidParameter {
            name: "targets",
            reason: format!("every label is {}: a classifier needs at least two classes", listed()),
        });
    }
    match seen.iter().enumerate().find(|&(i, &label)| i != label) {
        None => Ok(seen.len()),
        Some((missing, _)) => Err(Error::InvalidParameter {
            name: "targets",
            reason: format!(
                "class labels must be 0, 1, ..., k-1 with every class present, but {missing} never occurs \
                 (labels seen: {}); renumber them 0..{}",
                listed(),
                seen.len()
            ),
        }),
    }
}

impl FittedMlpRegressor {
    /// Predictions with every check: the width of `x`, NaNs.
    pub fn try_predict(&self, x: ndarray::ArrayView2<f64>) -> Result<Array1<f64>> {
        Ok(self.network.predict(x)?.column(0).to_owned())
    }

    /// The prediction for one sample `x`, one value per feature: what
    /// [`try_predict`](Self::try_predict) gives for the one-row matrix `[x]`.
    ///
    /// ```
    /// use nnlib::linfa::prelude::*;
    /// use nnlib::model::MlpRegressor;
    /// use nnlib::ndarray::array;
    /// let data = Dataset::new(array![[0.0], [1.0], [2.0]], array![1.0, 3.0, 5.0]);
    /// let model = MlpRegressor::params().hidden(&[]).epochs(2000).learning_rate(0.1).fit(&data)?;
    /// assert!((model.predict_one(&[3.0])? - 7.0).abs() < 0.01);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] naming both lengths when `x` does not have one value per
    /// feature, [`Error::NonFinite`] for a NaN or infinity in it.
    pub fn predict_one(&self, x: &[f64]) -> Result<f64> {
        // One row in, one prediction out.
        Ok(self.try_predict(self.network.sample_row(x)?)?[0])
    }
}

impl FittedMlpClassifier {
    /// Class probabilities, one column per class (n × n_classes), checked.
    pub fn predict_proba(&self, x: ndarray::ArrayView2<f64>) -> Result<Array2<f64>> {
        let a = self.network.predict(x)?;
        if self.network.n_outputs() == 1 {
            // One sigmoid output is P(class 1); P(class 0) = 1 - P(class 1).
            let p1 = a.column(0);
            Ok(ndarray::stack![ndarray::Axis(1), p1.mapv(|p| 1.0 - p), p1])
        } else {
            Ok(a)
        }
    }

    /// Class labels with every check: the width of `x`, NaNs.
    pub fn try_predict(&self, x: ndarray::ArrayView2<f64>) -> Result<Array1<usize>> {
        let p = self.predict_proba(x)?;
        Ok(p.rows().into_iter().map(argmax).collect())
    }

    /// The class label for one sample `x`, one value per feature: what
    /// [`try_predict`](Self::try_predict) gives for the one-row matrix `[x]`.
    ///
    /// ```
    /// use nnlib::linfa::prelude::*;
    /// use nnlib::model::MlpClassifier;
    /// use nnlib::ndarray::array;
    /// let data = Dataset::new(array![[-2.0], [-1.0], [1.0], [2.0]], array![0, 0, 1, 1]);
    /// let model = MlpClassifier::params().hidden(&[]).epochs(500).learning_rate(0.5).fit(&data)?;
    /// assert_eq!(model.predict_one(&[1.5])?, 1);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] naming both lengths when `x` does not have one value per
    /// feature, [`Error::NonFinite`] for a NaN or infinity in it.
    pub fn predict_one(&self, x: &[f64]) -> Result<usize> {
        // One row in, one label out.
        Ok(self.try_predict(self.network.sample_row(x)?)?[0])
    }
}

/// Panics with linfa's `predict` when `x` does not fit the model, naming the
/// problem and pointing to `try_predict`, as linfa's own models do.
fn refuse(model: &str, e: Error) -> ! {
    panic!(
        "{model}::predict: {e}. linfa's predict cannot return an error; \
         call try_predict(x.view()) to get this as an Err instead"
    )
}

/// linfa's `predict`. A row with a NaN or infinite input gives NaN
/// predictions (every row then is NaN; [`FittedMlpRegressor::try_predict`]
/// names the cell).
///
/// # Panics
///
/// When `x` has a different number of columns than the training data (or
/// its buffers would not fit in memory): linfa's trait has no error channel,
/// and a NaN would surface much later as an R² of NaN. The message names both
/// widths; [`FittedMlpRegressor::try_predict`] returns it as an error.
impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<f64>> for FittedMlpRegressor {
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<f64>) {
        let x = x.view();
        *y = match self.try_predict(x) {
            Ok(p) => p,
            Err(Error::NonFinite { .. }) if x.iter().any(|v| !v.is_finite()) => {
                Array1::from_elem(x.nrows(), f64::NAN)
            }
            Err(e) => refuse("FittedMlpRegressor", e),
        };
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<f64> {
        Array1::zeros(x.nrows())
    }
}

/// linfa's `predict`.
///
/// # Panics
///
/// When `x` has a different number of columns than the training data, or
/// holds a NaN or infinity (no class label can stand for "unknown"): linfa's
/// trait has no error channel. The message names the problem;
/// [`FittedMlpClassifier::try_predict`] returns it as an error.
impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<usize>> for FittedMlpClassifier {
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<usize>) {
        *y = self.try_predict(x.view()).unwrap_or_else(|e| refuse("FittedMlpClassifier", e));
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<usize> {
        Array1::zeros(x.nrows())
    }
}
