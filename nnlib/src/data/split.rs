//! Training and test parts: a random split, and a stratified one for classes.

use linfa::{Dataset, DatasetBase};
use ndarray::{Array1, Array2, Axis, Ix1};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use crate::{Error, Result};

/// Splits a dataset at random into a training part and a test part.
///
/// The test part gets `round(n * test_fraction)` samples, the training part
/// the rest. The rows are shuffled with `StdRng::seed_from_u64(seed)` first,
/// so the same seed always gives the same split, and a different seed a
/// different one. Feature names, target names and weights are kept.
///
/// Works for regression (`T = f64`) and classification (`T = usize`)
/// datasets alike. Returns `(train, test)`, each of the same type as the
/// input (linfa's `Dataset<f64, T, Ix1>` is another name for
/// `DatasetBase<Array2<f64>, Array1<T>>`).
///
/// # Errors
///
/// * [`Error::InvalidParameter`] (`test_fraction`) if the fraction is not
///   strictly between 0 and 1, or if it would leave one part empty.
/// * [`Error::Empty`] if the dataset has fewer than 2 samples.
/// * [`Error::Shape`] if records, targets and weights disagree on the number
///   of samples.
// The pair of datasets is spelled out on purpose, so the signature says what it returns.
#[allow(clippy::type_complexity)]
pub fn train_test_split<T: Clone>(
    dataset: &DatasetBase<Array2<f64>, Array1<T>>,
    test_fraction: f64,
    seed: u64,
) -> Result<(Dataset<f64, T, Ix1>, Dataset<f64, T, Ix1>)> {
    let n = check_split(dataset, test_fraction)?;
    let n_test = (n as f64 * test_fraction).round() as usize;
    if n_test == 0 || n_test == n {
        return Err(Error::InvalidParameter {
            name: "test_fraction",
            reason: format!(
                "{} of {n} samples gives {n_test} test and {} training samples; \
                 both parts must be non-empty",
                crate::numfmt::num(test_fraction),
                n - n_test
            ),
        });
    }

    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut StdRng::seed_from_u64(seed));
    let (test_rows, train_rows) = order.split_at(n_test);
    Ok((subset(dataset, train_rows), subset(dataset, test_rows)))
}

/// Splits a classification dataset into a training and a test part, shuffled
/// with `seed`, keeping each class's share the same in both parts
/// (*stratified*): of every class, `round(count * test_fraction)` samples go
/// to the test part.
///
/// With few samples a plain random split can leave a rare class out of the
/// test part; a stratified one cannot, so accuracies and per-class recalls
/// compare fairly. Returns `(train, test)`, shuffled.
///
/// # Errors
///
/// As [`train_test_split`]; also [`Error::InvalidParameter`]
/// (`test_fraction`) if a part would have no sample at all.
#[allow(clippy::type_complexity)]
pub fn stratified_train_test_split(
    dataset: &DatasetBase<Array2<f64>, Array1<usize>>,
    test_fraction: f64,
    seed: u64,
) -> Result<(Dataset<f64, usize, Ix1>, Dataset<f64, usize, Ix1>)> {
    let n = check_split(dataset, test_fraction)?;
    let mut rng = StdRng::seed_from_u64(seed);
    // The rows of each class, in order of the labels (a BTreeMap keeps it deterministic).
    let mut by_class: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
    for (row, &label) in dataset.targets.iter().enumerate() {
        by_class.entry(label).or_default().push(row);
    }
    let (mut train_rows, mut test_rows) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for rows in by_class.values_mut() {
        rows.shuffle(&mut rng);
        let n_test = (rows.len() as f64 * test_fraction).round() as usize;
        test_rows.extend_from_slice(&rows[..n_test]);
        train_rows.extend_from_slice(&rows[n_test..]);
    }
    if train_rows.is_empty() || test_rows.is_empty() {
        return Err(Error::InvalidParameter {
            name: "test_fraction",
            reason: format!(
                "{} of {n} samples gives {} test and {} training samples; \
                 both parts must be non-empty",
                crate::numfmt::num(test_fraction),
                test_rows.len(),
                train_rows.len()
            ),
        });
    }
    // Shuffle across classes too, so a mini-batch taken in order mixes them.
    train_rows.shuffle(&mut rng);
    test_rows.shuffle(&mut rng);
    Ok((subset(dataset, &train_rows), subset(dataset, &test_rows)))
}

/// The number of samples of a dataset about to be split, after checking that
/// it has at least 2 and that `test_fraction` is strictly between 0 and 1.
fn check_split<T>(dataset: &DatasetBase<Array2<f64>, Array1<T>>, test_fraction: f64) -> Result<usize> {
    let n = check_same_length(dataset)?;
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(Error::InvalidParameter {
            name: "test_fraction",
            reason: format!("must be strictly between 0 and 1, got {}", crate::numfmt::num(test_fraction)),
        });
    }
    if n < 2 {
        return Err(Error::Empty(format!("cannot split {n} sample(s) into a training and a test part")));
    }
    Ok(n)
}

/// The number of samples, after checking that records, targets and (if
/// present) weights all have one entry per sample.
fn check_same_length<T>(dataset: &DatasetBase<Array2<f64>, Array1<T>>) -> Result<usize> {
    let n = dataset.records.nrows();
    let weights = dataset.weights.len();
    if dataset.targets.len() != n || (weights != 0 && weights != n) {
        return Err(Error::Shape {
            context: "train_test_split dataset".to_string(),
            expected: format!("{n} targets (and 0 or {n} weights), one per record"),
            got: format!("{} targets and {weights} weights", dataset.targets.len()),
        });
    }
    Ok(n)
}

/// The given rows of a dataset, with its names and weights.
fn subset<T: Clone>(
    dataset: &DatasetBase<Array2<f64>, Array1<T>>,
    rows: &[usize],
) -> DatasetBase<Array2<f64>, Array1<T>> {
    let mut part =
        DatasetBase::new(dataset.records.select(Axis(0), rows), dataset.targets.select(Axis(0), rows))
            .with_feature_names(dataset.feature_names().to_vec())
            .with_target_names(dataset.target_names().to_vec());
    if !dataset.weights.is_empty() {
        part.weights = dataset.weights.select(Axis(0), rows);
    }
    part
}
