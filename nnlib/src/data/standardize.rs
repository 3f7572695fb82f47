//! Standardising features: `x' = (x - mean) / std`, column by column.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

use crate::check;
use crate::{Error, Result};

/// Rescales every feature to mean 0 and standard deviation 1:
///
/// ```text
/// x' = (x - mean) / std
/// ```
///
/// computed column by column. Gradient descent converges much faster when all
/// inputs have a similar scale (diabetes mixes ages near 50 with ratios near 4).
///
/// `std` is the population standard deviation (dividing by n, not n - 1). A
/// column whose values are all equal has no spread to divide by: it gets
/// `std = 1`, so it maps to 0 instead of to NaN.
///
/// Fit it on the training data only and use the same fitted standardizer for
/// the test data, so no information from the test data leaks into training.
///
/// Its fields are private (read them with [`Standardizer::mean`] and
/// [`Standardizer::std`]), so every standardizer comes from `fit` and has one
/// finite mean and one positive, finite std per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer {
    mean: Array1<f64>,
    std: Array1<f64>,
}

impl Standardizer {
    /// The mean of each column of the data it was fitted on.
    pub fn mean(&self) -> &Array1<f64> {
        &self.mean
    }

    /// The population standard deviation of each column (1 for constant columns).
    pub fn std(&self) -> &Array1<f64> {
        &self.std
    }

    /// A standardizer with these means and standard deviations (a saved one),
    /// after checking what `fit` guarantees: at least one column, one std per
    /// mean, every mean finite, every std positive and finite.
    pub(crate) fn from_parts(mean: Array1<f64>, std: Array1<f64>) -> Result<Standardizer> {
        if mean.is_empty() {
            return Err(Error::Empty("a Standardizer needs at least one column".into()));
        }
        if std.len() != mean.len() {
            return Err(Error::Shape {
                context: "the standard deviations, one per column's mean".into(),
                expected: format!("({})", mean.len()),
                got: format!("({})", std.len()),
            });
        }
        check::finite("the means", &mean)?;
        check::finite("the standard deviations", &std)?;
        if let Some(j) = std.iter().position(|&s| s <= 0.0) {
            return Err(Error::InvalidParameter {
                name: "std",
                reason: format!(
                    "the standard deviation of column {j} is {}, but it must be positive \
                     (fit gives a constant column a std of 1)",
                    std[j]
                ),
            });
        }
        Ok(Standardizer { mean, std })
    }

    /// Learns the mean and standard deviation of every column of `x`
    /// (rows are samples, columns are features).
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] if `x` has no rows or no columns, and
    /// [`Error::NonFinite`] if it contains NaN or infinity.
    pub fn fit(x: ArrayView2<f64>) -> Result<Standardizer> {
        fit_columns(x, "inputs")
    }

    /// Applies `x' = (x - mean) / std` to every row of `x`.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] if `x` does not have as many columns as the data the
    /// standardizer was fitted on, [`Error::NonFinite`] for a NaN or infinity
    /// in `x`, and [`Error::Overflow`] if a value is so far from the fitted
    /// mean that `x'` is too large for f64.
    pub fn transform(&self, x: ArrayView2<f64>) -> Result<Array2<f64>> {
        self.check_columns(x, "Standardizer::transform input")?;
        check::finite("Standardizer::transform input", &x)?;
        check::no_overflow((&x - &self.mean) / &self.std, || far_outside("Standardizer::transform"))
    }

    /// Undoes [`transform`](Self::transform): `x = x' * std + mean`, e.g. to
    /// turn standardised predictions back into the original units.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] if `x` has the wrong number of columns,
    /// [`Error::NonFinite`] and [`Error::Overflow`] as for [`transform`](Self::transform).
    pub fn inverse_transform(&self, x: ArrayView2<f64>) -> Result<Array2<f64>> {
        self.check_columns(x, "Standardizer::inverse_transform input")?;
        check::finite("Standardizer::inverse_transform input", &x)?;
        check::no_overflow(&x * &self.std + &self.mean, || far_outside("Standardizer::inverse_transform"))
    }

    /// Learns the mean and standard deviation of a single column of targets,
    /// e.g. the diabetes `progression`. The result has one column.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] if `y` is empty, [`Error::NonFinite`] if it contains
    /// NaN or infinity.
    pub fn fit_targets(y: ArrayView1<f64>) -> Result<Standardizer> {
        fit_columns(y.insert_axis(Axis(1)), "targets")
    }

    /// Applies `y' = (y - mean) / std` to a 1-D array of targets.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] if this standardizer was not fitted on one column.
    pub fn transform_targets(&self, y: ArrayView1<f64>) -> Result<Array1<f64>> {
        let y = y.insert_axis(Axis(1));
        self.check_columns(y, "Standardizer::transform_targets (fit with fit_targets)")?;
        Ok(self.transform(y)?.column(0).to_owned())
    }

    /// Undoes [`transform_targets`](Self::transform_targets):
    /// `y = y' * std + mean`, e.g. to report predictions in the original units.
    ///
    /// # Errors
    ///
    /// [`Error::Shape`] if this standardizer was not fitted on one column.
    pub fn inverse_transform_targets(&self, y: ArrayView1<f64>) -> Result<Array1<f64>> {
        let y = y.insert_axis(Axis(1));
        self.check_columns(y, "Standardizer::inverse_transform_targets (fit with fit_targets)")?;
        Ok(self.inverse_transform(y)?.column(0).to_owned())
    }

    fn check_columns(&self, x: ArrayView2<f64>, context: &str) -> Result<()> {
        if x.ncols() == self.mean.len() {
            return Ok(());
        }
        Err(Error::Shape {
            context: context.to_string(),
            expected: format!("(n, {})", self.mean.len()),
            got: format!("({}, {})", x.nrows(), x.ncols()),
        })
    }
}

/// Column means and population standard deviations, after checking the data.
fn fit_columns(x: ArrayView2<f64>, what: &str) -> Result<Standardizer> {
    if x.is_empty() {
        return Err(Error::Empty(format!(
            "cannot fit a Standardizer on {what} of shape ({}, {})",
            x.nrows(),
            x.ncols()
        )));
    }
    check::finite(what, &x)?;
    let n = x.nrows() as f64;
    let mut mean = Array1::zeros(x.ncols());
    let mut std = Array1::ones(x.ncols());
    for (j, column) in x.columns().into_iter().enumerate() {
        let first = column[0];
        if column.iter().all(|&v| v == first) {
            // Constant column: keep the exact value as the mean (a computed
            // mean can be off in the last bit) so it maps to exactly 0.
            mean[j] = first;
            continue;
        }
        mean[j] = column.sum() / n;
        if !mean[j].is_finite() {
            mean[j] = column.fold(0.0, |m, &v| m + v / n); // the sum overflowed (values near 1e308)
        }
        // The largest deviation s decides how: squares of deviations above 1e150
        // overflow and below 1e-150 lose digits as subnormals (or vanish: [0, 1e-170]
        // would get a std of 0), so there std = s · sqrt(mean(((x - mean) / s)²)),
        // the same number computed within range.
        let s = column.fold(0.0, |m: f64, &v| m.max((v - mean[j]).abs()));
        std[j] = if (1e-150..=1e150).contains(&s) {
            (column.mapv(|v| (v - mean[j]).powi(2)).sum() / n).sqrt()
        } else {
            s * (column.mapv(|v| ((v - mean[j]) / s).powi(2)).sum() / n).sqrt()
        };
        if !std[j].is_finite() {
            return Err(Error::Overflow {
                what: format!("the standard deviation of column {j} of the {what}"),
            });
        }
    }
    Ok(Standardizer { mean, std })
}

/// What an overflow of `what` means here.
fn far_outside(what: &str) -> String {
    format!("{what} (a value far outside the fitted data)")
}
