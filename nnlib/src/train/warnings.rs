//! Warnings: training that ran to the end without an error, but quietly failed.
//!
//! [`Network::train`](crate::Network::train) and
//! [`Network::train_with_validation`](crate::Network::train_with_validation)
//! put them in [`History::warnings`](super::History::warnings) (the fitted
//! `Mlp` models carry them in their `history`). nnlib prints nothing itself; a
//! notebook shows them with
//!
//! ```text
//! for w in &history.warnings { println!("{w}") }
//! ```
//!
//! which prints nothing when there are none. Every message starts with
//! [`MARKER`] and says what is wrong, the likely cause and the fix. Two checks,
//! each once per training call (nothing per epoch):
//!
//! - **Before the first epoch**, [`Warning::FeatureScales`]: the ranges of the
//!   inputs' columns (largest minus smallest value) differ by a factor of
//!   [`SCALE_RATIO`] or more.
//! - **After the last epoch**, [`Warning::NoBetterThanTrivial`]: the final training
//!   cost ([`History::final_loss`](super::History::final_loss)) is not better than
//!   the cost of the trivial predictor, the best *constant* prediction for the
//!   training targets ([`trivial_loss`]): the class shares for
//!   cross-entropy (ln 3 ≈ 1.10 for three balanced classes), the mean for MSE (its
//!   cost is the targets' variance), the median for MAE, and so on. For the
//!   classification costs also when the training accuracy is hardly above the
//!   trivial predictor's, the largest class's share ([`ACCURACY_MARGIN`]): a
//!   classifier that answers one class for (nearly) every sample has learned
//!   nothing, even if its cost fell a little (raw breast-cancer features: the cost
//!   1.3 % of the way, the test accuracy exactly the benign share).
//!
//! "Not better" has a margin. The trivial predictor is 0 % of the way to a
//! perfect fit and predicting every target exactly is 100 %: the share
//!
//! ```text
//! learned = (C_trivial - C_final) / (C_trivial - C_perfect)
//! ```
//!
//! must reach [`TRIVIAL_MARGIN`] (1 %). For MSE, `C_perfect = 0` and `learned` is
//! the training R²; for cross-entropy with 0/1 labels it is McFadden's
//! pseudo-R²; for Poisson the share of the deviance explained. `C_perfect` is
//! the cost of predicting `ŷ = y` (0 for most costs, the targets' own entropy
//! for soft cross-entropy targets), so the share is the same whatever the
//! cost's offset: Poisson's `ŷ - y ln ŷ` can be negative, and a relative margin on
//! the cost itself would mean nothing there. When every target is the same
//! (`C_trivial = C_perfect`) there is nothing to learn and no warning.

use super::History;
use crate::cost::Cost;
use crate::error::Result;
use crate::numfmt::num;
use ndarray::{Array1, ArrayView1, ArrayView2};
use std::fmt;

/// Every warning's message starts with this (the notebook tests look for it).
pub const MARKER: &str = "nnlib warning:";

/// The share of the way from the trivial predictor to a perfect fit that
/// training must cover, `learned ≥ 0.01` (see the module docs): a model that
/// explains less than 1 % of its own training targets has learned nothing a
/// learner would want, while the workshop's real fits clear it by far: its
/// weakest, the Poisson neuron on randhie's doctor visits, explains 9.2 % of the
/// deviance, the single BMI neuron on diabetes 37 % of the variance.
pub const TRIVIAL_MARGIN: f64 = 0.01;

/// Input columns whose ranges (largest minus smallest value) differ by this
/// factor or more get [`Warning::FeatureScales`]: two orders of magnitude.
/// Gradient descent's step in a weight grows with the size of its input, so at
/// a ratio of 100 one learning rate is far too small for one weight or too
/// large for the other.
///
/// The spread is the range, not the standard deviation, because a rare value
/// makes a column's standard deviation tiny without making its values small:
/// digits' pixels divided by 16 (the workshop's own inputs) have standard
/// deviations 277 times apart (a pixel that is 1/16 in one image of 1797 and 0
/// elsewhere), but ranges only 16 apart; a rare category's 0/1 column beside
/// standardised ones is the same case. Units that differ are what the range
/// sees: raw breast-cancer features (areas against fractal dimensions) are
/// 1.4e5 apart, raw diabetes features (cholesterol against sex coded 1 or 2) 204.
/// Constant columns (range 0) are left out: they act as a second bias, and
/// [`crate::data::Standardizer`] maps them to 0.
pub const SCALE_RATIO: f64 = 100.0;

/// A classifier must answer right at least this share of the samples the
/// trivial predictor (always the largest class) gets wrong: `(accuracy - share)
/// / (1 - share) ≥ 0.1`. Below it, it answers (nearly) one class for every
/// sample: raw breast-cancer features give a training accuracy of 0.630 against a
/// benign share of 0.618 (5 of 427 samples called malignant), 3 % of the way,
/// and exactly the share on the test set. For three balanced classes the bar is
/// an accuracy of 0.4; every trained classifier of the workshop is far above it.
pub const ACCURACY_MARGIN: f64 = 0.1;

/// Data values above this in size make [`Warning::NoBetterThanTrivial`] advise
/// standardising: tanh and sigmoid saturate for `|z|` beyond a few units.
const LARGE_VALUES: f64 = 10.0;

/// What training got wrong without failing; `Display` gives the likely cause and the fix.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Warning {
    /// The final training cost is not [`TRIVIAL_MARGIN`] of the way from the
    /// trivial predictor's to a perfect fit's (see the module docs).
    #[non_exhaustive]
    NoBetterThanTrivial {
        /// The cost trained on.
        cost: Cost,
        /// [`History::final_loss`]: the cost `C0` on the training set at the end.
        final_loss: f64,
        /// The trivial predictor's cost on the same targets ([`trivial_loss`]).
        trivial_loss: f64,
        /// `(C_trivial - C_final) / (C_trivial - C_perfect)`: below [`TRIVIAL_MARGIN`] (negative
        /// when worse), unless the accuracy is what warned.
        learned: f64,
        /// For classification costs, the final training accuracy and the trivial
        /// predictor's (the largest class's share); a model whose accuracy is hardly
        /// above it ([`ACCURACY_MARGIN`]) is warned about even when its cost improved.
        accuracy: Option<(f64, f64)>,
        /// What the loss did, the likely cause.
        trend: Trend,
        /// The loss before the first update.
        first_loss: f64,
        /// The learning rate used.
        learning_rate: f64,
        /// The largest `|value|` of the inputs and targets.
        data_scale: f64,
    },
    /// The inputs' columns have ranges [`SCALE_RATIO`] or more apart.
    #[non_exhaustive]
    FeatureScales {
        /// The non-constant column with the narrowest range.
        smallest: Column,
        /// The column with the widest range.
        largest: Column,
    },
}

/// One input column, for [`Warning::FeatureScales`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Column {
    /// The column's index (0-based).
    pub index: usize,
    /// Its name, when the data had names (a linfa dataset's `feature_names`).
    pub name: Option<String>,
    /// Its smallest value.
    pub min: f64,
    /// Its largest value.
    pub max: f64,
}

impl Column {
    /// `max - min` (`f64::MAX` when that overflows).
    pub fn range(&self) -> f64 {
        let r = self.max - self.min;
        if r.is_finite() {
            r
        } else {
            f64::MAX
        }
    }
}

/// What the training loss did, for [`Warning::NoBetterThanTrivial`]'s advice.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Trend {
    /// It ended above where it started: the learning rate is too large.
    Rose,
    /// The last tenth of the epochs (at least one) still took more than 1 % off
    /// the remaining way to a perfect fit, from `earlier`, `epochs` epochs before the end.
    StillFalling {
        /// The loss `epochs` epochs before the end.
        earlier: f64,
        /// How many epochs back `earlier` is.
        epochs: usize,
    },
    /// It had stopped falling: saturated neurons, or a learning rate too small.
    Stalled,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::NoBetterThanTrivial {
                cost,
                final_loss,
                trivial_loss,
                learned,
                accuracy,
                trend,
                first_loss,
                learning_rate,
                data_scale,
            } => {
                let (what, cost) = (trivial_name(*cost), cost.name());
                let (last, guess) = (num(*final_loss), num(*trivial_loss));
                let worse = final_loss > trivial_loss || accuracy.is_some_and(|(a, t)| a < t);
                let verdict = if worse { "worse than" } else { "no better than" };
                write!(f, "{MARKER} training ended {verdict} guessing: the final {cost} on the training set is {last}")?;
                if final_loss > trivial_loss {
                    write!(f, ", above the {guess} of always predicting {what}")?;
                } else if *learned < TRIVIAL_MARGIN {
                    write!(
                        f,
                        ", against {guess} for always predicting {what} (only {} % of the way from guessing \
                         to a perfect fit; nnlib warns below {} %)",
                        num(100.0 * learned),
                        num(100.0 * TRIVIAL_MARGIN)
                    )?;
                } else {
                    write!(f, " (always predicting {what}: {guess})")?;
                }
                match accuracy {
                    Some((a, t)) if a - t < ACCURACY_MARGIN * (1.0 - t) => write!(
                        f,
                        ", and its accuracy there, {}, is {} the {} of always answering the largest class.",
                        num(*a),
                        if a < t {
                            "below"
                        } else if a == t {
                            "only"
                        } else {
                            "hardly above"
                        },
                        num(*t)
                    )?,
                    _ => write!(f, ".")?,
                }
                let lr = num(*learning_rate);
                match trend {
                    Trend::Rose => write!(
                        f,
                        " The loss rose during training (from {}): the learning rate is too large (it was \
                         {lr}); lower it, e.g. to {}.",
                        num(*first_loss),
                        num(learning_rate / 10.0)
                    )?,
                    Trend::StillFalling { earlier, epochs } => write!(
                        f,
                        " The loss was still falling ({} {epochs} epoch{} before the end): train for more \
                         epochs, or with a larger learning rate (it was {lr}).",
                        num(*earlier),
                        if *epochs == 1 { "" } else { "s" }
                    )?,
                    Trend::Stalled => write!(
                        f,
                        " The loss had stopped falling (it started at {}): saturated or dead neurons, or a \
                         learning rate too small (it was {lr}); try a larger one, or Optimizer::adam().",
                        num(*first_loss)
                    )?,
                }
                if *data_scale > LARGE_VALUES {
                    write!(
                        f,
                        " The data's values reach {}: standardise the inputs (and a regression's targets) \
                         with data::Standardizer fitted on the training part; values far from 1 saturate \
                         tanh and sigmoid neurons and make every learning rate too large or too slow.",
                        num(*data_scale)
                    )?;
                }
                Ok(())
            }
            Warning::FeatureScales { smallest, largest } => write!(
                f,
                "{MARKER} the inputs' columns are on very different scales: {} has values from {} to {}, \
                 {} from {} to {} (a range {} times narrower). One learning rate is then too large for the \
                 weights of the one or too small for those of the other, and large inputs saturate tanh \
                 and sigmoid neurons. Standardise the inputs with data::Standardizer fitted on the \
                 training part only: `let scaler = data::Standardizer::fit(x_train.view())?;`, then \
                 `scaler.transform(..)` the training and the test inputs.",
                largest,
                num(largest.min),
                num(largest.max),
                smallest,
                num(smallest.min),
                num(smallest.max),
                num(largest.range() / smallest.range())
            ),
        }
    }
}

impl fmt::Display for Column {
    /// `column 3 ("area")`, or `column 3` without a name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "column {} ({name:?})", self.index),
            None => write!(f, "column {}", self.index),
        }
    }
}

/// What the trivial predictor of `cost` predicts, for the message.
fn trivial_name(cost: Cost) -> &'static str {
    match cost {
        Cost::Mse => "the targets' mean",
        Cost::Mae => "the targets' median",
        Cost::Huber { .. } => "the best constant",
        Cost::Hinge => "the majority label",
        Cost::Poisson => "the mean count",
        Cost::BinaryCrossEntropy | Cost::CategoricalCrossEntropy | Cost::KlDivergence => "the class shares",
    }
}

/// The trivial predictor: the best constant prediction under `cost` for
/// each column of the targets `y` (see [`trivial_loss`]). Unchecked: `y` is
/// the training loop's checked targets.
pub(crate) fn trivial_prediction(cost: Cost, y: ArrayView2<f64>) -> Array1<f64> {
    let column = |j: usize| y.column(j);
    Array1::from_shape_fn(y.ncols(), |j| match cost {
        Cost::Mse
        | Cost::BinaryCrossEntropy
        | Cost::CategoricalCrossEntropy
        | Cost::KlDivergence
        | Cost::Poisson => column(j).mean().unwrap_or(0.0),
        Cost::Mae => median(column(j)),
        Cost::Hinge => {
            let positive = column(j).iter().filter(|&&v| v > 0.0).count();
            if 2 * positive >= y.nrows() {
                1.0
            } else {
                -1.0
            }
        }
        Cost::Huber { delta } => huber_location(column(j), delta),
    })
}

/// The median of a column (0 for an empty one).
fn median(v: ArrayView1<f64>) -> f64 {
    let mut sorted = v.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => sorted[n / 2 - 1] / 2.0 + sorted[n / 2] / 2.0,
    }
}

/// The `c` that minimises `Σ huber_δ(y_i - c)`: where `g(c) = Σ clamp(c - y_i, -δ, δ)`,
/// nondecreasing, crosses 0. `g(min y) ≤ 0 ≤ g(max y)`, so bisection between them
/// finds it (until the interval cannot shrink in f64).
fn huber_location(v: ArrayView1<f64>, delta: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let g = |c: f64| v.fold(0.0, |s, &y| s + (c - y).clamp(-delta, delta));
    let (mut lo, mut hi) = v.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &y| (lo.min(y), hi.max(y)));
    for _ in 0..200 {
        let mid = lo / 2.0 + hi / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if g(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo / 2.0 + hi / 2.0
}

/// The trivial predictor's cost on `y`: `C(ŷ, y)` with every row of `ŷ` the
/// best constant prediction. What "guessing" costs, the number a trained model
/// must beat on its training set (ln 3 ≈ 1.10 for categorical cross-entropy on
/// three balanced classes, the variance for MSE). The constant, column by column:
///
/// - MSE, BCE, Poisson: the column's mean ȳ, where `d/dc Σ ℓ(c, y_i)` vanishes
///   (`Σ 2(c - y_i)`, `Σ (c - y_i)/(c(1 - c))`, `Σ (1 - y_i/c)`). For 0/1 labels
///   it is the share of 1s.
/// - CCE and KL: the column means, the class shares (rows of targets sum to 1):
///   the distribution `p` that minimises `-Σ_j ȳ_j ln p_j` is `ȳ` itself (Gibbs'
///   inequality). CCE's trivial cost is then the shares' entropy, ln k for k
///   balanced classes.
/// - MAE: the median (the mean of the two middle values for an even count).
/// - Hinge: the majority label, +1 or -1 (+1 on a tie): for `c` in `[-1, 1]`
///   the cost `p₊(1 - c) + p₋(1 + c)` is linear in `c`, and beyond ±1 it only
///   grows, so its minimum `2 min(p₊, p₋)` is at an end.
/// - Huber: no closed form; the root of the monotone `Σ clamp(c - y_i, -δ, δ)`,
///   found by bisection between the column's smallest and largest value.
///
/// The constant is the best among all constants for the element-wise costs;
/// for CCE and KL, the best constant *distribution* (what a softmax can output).
///
/// # Errors
///
/// Empty targets, a NaN or infinity, and targets outside the cost's domain, as
/// [`Cost::value`] reports them.
pub fn trivial_loss(cost: Cost, y: ArrayView2<f64>) -> Result<f64> {
    crate::check::non_empty("targets", y.nrows(), y.ncols())?;
    cost.check_targets(y)?;
    Ok(trivial_loss_unchecked(cost, y))
}

/// [`trivial_loss`] for targets the training loop has checked.
fn trivial_loss_unchecked(cost: Cost, y: ArrayView2<f64>) -> f64 {
    let constant = trivial_prediction(cost, y);
    match constant.broadcast(y.dim()) {
        Some(y_hat) => cost.value_unchecked(y_hat, y),
        None => f64::NAN, // unreachable: one constant per column
    }
}

/// [`Warning::FeatureScales`] when the inputs' column ranges differ by
/// [`SCALE_RATIO`] or more (constant columns left out). Checked (finite) inputs.
pub(crate) fn feature_scales(x: ArrayView2<f64>) -> Option<Warning> {
    let varying: Vec<Column> = x
        .columns()
        .into_iter()
        .enumerate()
        .map(|(index, c)| {
            let (min, max) =
                c.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
            Column { index, name: None, min, max }
        })
        .filter(|c| c.max > c.min)
        .collect();
    let by_range = |a: &&Column, b: &&Column| a.range().total_cmp(&b.range());
    let smallest = varying.iter().min_by(by_range)?;
    let largest = varying.iter().max_by(by_range)?;
    (largest.range() >= SCALE_RATIO * smallest.range())
        .then(|| Warning::FeatureScales { smallest: smallest.clone(), largest: largest.clone() })
}

/// What a training run ended with, besides its history.
pub(crate) struct Outcome<'y> {
    /// The training targets.
    pub y: ArrayView2<'y, f64>,
    /// The cost trained on.
    pub cost: Cost,
    /// The final accuracy on the training set (classification costs).
    pub accuracy: Option<f64>,
    /// The learning rate used.
    pub learning_rate: f64,
    /// The largest `|value|` of the inputs and targets.
    pub data_scale: f64,
}

/// [`Warning::NoBetterThanTrivial`] when the run's final training cost is not
/// [`TRIVIAL_MARGIN`] of the way from the trivial predictor's to a perfect
/// fit's, or (classification) its training accuracy is not above the trivial
/// predictor's, the largest class's share.
pub(crate) fn no_better_than_trivial(history: &History, run: &Outcome) -> Option<Warning> {
    let Outcome { y, cost, accuracy, learning_rate, data_scale } = *run;
    let (final_loss, first_loss) = (history.final_loss, *history.loss.first()?);
    let constant = trivial_prediction(cost, y);
    let constant = constant.broadcast(y.dim())?;
    let trivial_loss = cost.value_unchecked(constant, y);
    let trivial_accuracy = super::accuracy_unchecked(cost, constant, y);
    let perfect = cost.value_unchecked(y, y);
    let room = trivial_loss - perfect;
    if room <= 1e-12 * (trivial_loss.abs() + perfect.abs()) {
        return None; // every target alike: nothing to learn
    }
    let learned = (trivial_loss - final_loss) / room;
    let guessing =
        matches!((accuracy, trivial_accuracy), (Some(a), Some(t)) if a - t < ACCURACY_MARGIN * (1.0 - t));
    if learned >= TRIVIAL_MARGIN && !guessing {
        return None;
    }
    let epochs = (history.loss.len() / 10).max(1);
    let earlier = history.loss[history.loss.len() - epochs];
    let trend = if final_loss > first_loss {
        Trend::Rose
    } else if earlier - final_loss > 0.01 * (final_loss - perfect) {
        Trend::StillFalling { earlier, epochs }
    } else {
        Trend::Stalled
    };
    Some(Warning::NoBetterThanTrivial {
        cost,
        final_loss,
        trivial_loss,
        learned,
        accuracy: accuracy.zip(trivial_accuracy),
        trend,
        first_loss,
        learning_rate,
        data_scale,
    })
}

impl History {
    /// Gives [`Warning::FeatureScales`]' columns the names of the training
    /// data's features (`names[j]` for column `j`), for a message that says
    /// "column 3 ("area")". linfa's made-up defaults (`feature-3`) are left out.
    pub(crate) fn name_features(&mut self, names: &[String]) {
        let named = |c: &mut Column| {
            c.name = names.get(c.index).filter(|n| **n != format!("feature-{}", c.index)).cloned();
        };
        for w in &mut self.warnings {
            if let Warning::FeatureScales { smallest, largest } = w {
                named(smallest);
                named(largest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    /// The cost of the constant `c` in every row, to compare with the trivial one.
    fn cost_of(cost: Cost, c: &Array1<f64>, y: &Array2<f64>) -> f64 {
        cost.value_unchecked(c.broadcast(y.dim()).unwrap(), y.view())
    }

    #[test]
    fn the_trivial_costs_have_their_closed_forms() {
        let y = array![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        let ln3 = 3f64.ln();
        assert!((trivial_loss(Cost::CategoricalCrossEntropy, y.view()).unwrap() - ln3).abs() < 1e-15);
        assert!((trivial_loss(Cost::KlDivergence, y.view()).unwrap() - ln3).abs() < 1e-15);
        let labels = array![[1.0], [0.0], [0.0], [0.0]]; // a share of 1/4
        let h = -(0.25f64 * 0.25f64.ln() + 0.75 * 0.75f64.ln());
        assert!((trivial_loss(Cost::BinaryCrossEntropy, labels.view()).unwrap() - h).abs() < 1e-15);
        let v = array![[1.0], [2.0], [3.0], [10.0]]; // mean 4, median 2.5
        assert_eq!(trivial_loss(Cost::Mse, v.view()).unwrap(), (9.0 + 4.0 + 1.0 + 36.0) / 4.0);
        assert_eq!(trivial_loss(Cost::Mae, v.view()).unwrap(), (1.5 + 0.5 + 0.5 + 7.5) / 4.0);
        let pm = array![[1.0], [1.0], [1.0], [-1.0]];
        assert_eq!(trivial_loss(Cost::Hinge, pm.view()).unwrap(), 2.0 * 0.25);
        let counts = array![[0.0], [1.0], [5.0]]; // mean 2
        let poisson = 2.0 - 2.0 * 2f64.ln();
        assert!((trivial_loss(Cost::Poisson, counts.view()).unwrap() - poisson).abs() < 1e-15);
    }

    #[test]
    fn the_trivial_constant_beats_its_neighbours() {
        let y = array![[0.3], [-1.2], [4.0], [2.5], [2.6], [9.0], [-3.0]];
        for cost in [Cost::Mse, Cost::Mae, Cost::Huber { delta: 1.0 }, Cost::Huber { delta: 0.1 }] {
            let c = trivial_prediction(cost, y.view());
            let best = cost_of(cost, &c, &y);
            for h in [-0.1, -1e-4, 1e-4, 0.1] {
                let other = cost_of(cost, &(&c + h), &y);
                assert!(other >= best - 1e-12, "{}: c {c} costs {best}, c + {h} {other}", cost.name());
            }
        }
    }

    #[test]
    fn huber_between_the_mean_and_the_median() {
        let y = array![[0.0], [1.0], [2.0], [100.0]];
        // A huge δ is MSE (the mean, 25.75); a tiny one is MAE (any point of [1, 2]).
        assert!((trivial_prediction(Cost::Huber { delta: 1e6 }, y.view())[0] - 25.75).abs() < 1e-9);
        let c = trivial_prediction(Cost::Huber { delta: 1e-6 }, y.view())[0];
        assert!((1.0..=2.0).contains(&c), "{c}");
    }

    #[test]
    fn constant_targets_and_constant_columns_give_no_warning() {
        let mut h = History::new();
        h.loss = vec![1.0];
        h.final_loss = 0.5;
        let y = Array2::from_elem((4, 1), 3.0);
        let run =
            Outcome { y: y.view(), cost: Cost::Mse, accuracy: None, learning_rate: 0.1, data_scale: 3.0 };
        assert_eq!(no_better_than_trivial(&h, &run), None);
        let x = array![[1.0, 5.0, 1e-9], [2.0, 5.0, 1e-9], [3.0, 5.0, 1e-9]];
        assert_eq!(feature_scales(x.view()), None);
    }
}
