//! Data for the workshop: loading the two bundled data sets, reading your own
//! numeric CSV files, standardising features, splitting into a training and a
//! test part, and generating small synthetic data sets.
//!
//! Everything returns linfa datasets, so the results plug straight into linfa's
//! models (the baselines) as well as into nnlib's networks.
//!
//! ```no_run
//! use nnlib::data::{self, Standardizer};
//!
//! let diabetes = data::diabetes()?; // 442 patients x 10 features
//! let (train, test) = data::train_test_split(&diabetes, 0.2, 42)?;
//!
//! // Fit the scaling on the training part only, then apply it to both parts:
//! // the test part must not influence anything the model learns from.
//! let scaler = Standardizer::fit(train.records.view())?;
//! let x_train = scaler.transform(train.records.view())?;
//! let x_test = scaler.transform(test.records.view())?;
//! # let _ = (x_train, x_test);
//! # Ok::<(), nnlib::Error>(())
//! ```
//!
//! The bundled files live in the workspace's `data/` folder; `data/README.md`
//! describes every column, its unit and where the data comes from.

use std::fs;
use std::path::{Path, PathBuf};

use linfa::{Dataset, DatasetBase};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, Ix1};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use crate::{Error, Result};

// ---------------------------------------------------------------------------
// Reading CSV files
// ---------------------------------------------------------------------------

/// A numeric table read from a CSV file: the column names and one row of
/// numbers per data line.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The column names from the first line, with surrounding spaces removed.
    pub header: Vec<String>,
    /// The numbers, one row per data line and one column per header name.
    pub values: Array2<f64>,
}

/// Reads a comma-separated file of numbers with a header line.
///
/// The format is deliberately simple: the first line holds the column names,
/// every other line holds exactly one number per column. There is no quoting,
/// so names and numbers must not contain commas.
///
/// Tolerated: a trailing newline, `\r\n` (Windows) and lone `\r` (classic
/// Mac OS, still written by some spreadsheet exports) line endings, spaces
/// around cells, blank lines (they are skipped) and a UTF-8 byte-order mark.
///
/// # Errors
///
/// * [`Error::Io`] if the file cannot be read (e.g. it does not exist); the
///   message gives the absolute path that was tried and where `data/` is.
/// * [`Error::Empty`] if the file has no header line or no data rows.
/// * [`Error::Csv`] with the 1-based line and column if a header name is empty
///   or repeated, a row has the wrong number of fields
///   (`expected 11 fields (as in the header), found 10`), or a cell is empty,
///   not a number, or NaN/infinite
///   (`cell "abc" in column "bmi" is not a number`).
pub fn read_csv(path: impl AsRef<Path>) -> Result<Table> {
    read_table(path.as_ref()).map(|(table, _line_numbers)| table)
}

/// Reads the table and also returns, for each data row, its 1-based line
/// number in the file. They are needed to point at a bad class label later,
/// and are not simply `row + 2` because blank lines are skipped.
fn read_table(path: &Path) -> Result<(Table, Vec<usize>)> {
    let text = fs::read_to_string(path).map_err(|source| io_error(path, source))?;
    // Spreadsheet programs may start the file with a byte-order mark; it is
    // not part of the first column name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);

    // Lines end in '\n' (Unix), "\r\n" (Windows) or a lone '\r' (old Mac):
    // `split_lines` takes all three. Numbering starts at 1, as in a text editor.
    let mut lines = split_lines(text)
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| !line.trim().is_empty());

    let Some((header_line, header_text)) = lines.next() else {
        return Err(Error::Empty(format!(
            "{} is empty: expected a header line with the column names",
            path.display()
        )));
    };
    let header = parse_header(path, header_line, header_text)?;

    let mut values = Vec::new();
    let mut line_numbers = Vec::new();
    for (line, text) in lines {
        values.extend(parse_row(path, line, text, &header)?);
        line_numbers.push(line);
    }
    if line_numbers.is_empty() {
        return Err(Error::Empty(format!("{} has a header but no data rows", path.display())));
    }

    let shape = (line_numbers.len(), header.len());
    let values = Array2::from_shape_vec(shape, values).map_err(|e| Error::Shape {
        context: format!("table read from {}", path.display()),
        expected: format!("{shape:?}"),
        got: e.to_string(),
    })?;
    Ok((Table { header, values }, line_numbers))
}

/// The lines of `text`, whichever of `\n`, `\r\n` or `\r` ends them.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    text.split('\n').flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// [`Error::Io`] for `path`, made absolute so the message says where nnlib
/// looked; a missing file also says where the bundled `data/` folder is.
fn io_error(path: &Path, source: std::io::Error) -> Error {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let source = if source.kind() == std::io::ErrorKind::NotFound {
        let hint = format!("{source} (the workshop's data files are in {})", data_dir().display());
        std::io::Error::new(source.kind(), hint)
    } else {
        source
    };
    Error::Io { path: absolute, source }
}

/// Splits the header line into trimmed column names, rejecting empty and
/// repeated names (a repeated name would make "the column called x" ambiguous).
fn parse_header(path: &Path, line: usize, text: &str) -> Result<Vec<String>> {
    let mut header: Vec<String> = Vec::new();
    for (index, name) in text.split(',').map(str::trim).enumerate() {
        let column = index + 1;
        if name.is_empty() {
            let message = "empty column name in the header: every column needs a name".to_string();
            return Err(csv_error(path, line, column, message));
        }
        if let Some(first) = header.iter().position(|seen| seen == name) {
            let message =
                format!("column name {name:?} appears twice in the header (first as column {})", first + 1);
            return Err(csv_error(path, line, column, message));
        }
        header.push(name.to_string());
    }
    Ok(header)
}

/// Parses one data line into exactly `header.len()` finite numbers.
fn parse_row(path: &Path, line: usize, text: &str, header: &[String]) -> Result<Vec<f64>> {
    let cells: Vec<&str> = text.split(',').collect();
    if cells.len() != header.len() {
        // Point at the first missing field, or at the first extra one.
        let column = cells.len().min(header.len()) + 1;
        let message = format!("expected {} fields (as in the header), found {}", header.len(), cells.len());
        return Err(csv_error(path, line, column, message));
    }
    cells
        .iter()
        .zip(header)
        .enumerate()
        .map(|(index, (cell, name))| parse_cell(path, line, index + 1, cell, name))
        .collect()
}

/// Parses one cell as a finite number, or explains why it is not one.
fn parse_cell(path: &Path, line: usize, column: usize, cell: &str, name: &str) -> Result<f64> {
    let cell = cell.trim();
    let problem = if cell.is_empty() {
        "is empty (every cell must hold a number)"
    } else {
        match cell.parse::<f64>() {
            Ok(value) if value.is_finite() => return Ok(value),
            // Rust parses "NaN", "inf" and "1e999" as numbers, but no model can
            // learn from them, so they are refused here rather than later.
            Ok(_) => "is not a finite number (NaN and infinity are not allowed)",
            Err(_) => "is not a number",
        }
    };
    let message = format!("cell {cell:?} in column {name:?} {problem}");
    Err(csv_error(path, line, column, message))
}

fn csv_error(path: &Path, line: usize, column: usize, message: String) -> Error {
    Error::Csv { path: path.to_path_buf(), line, column, message }
}

// ---------------------------------------------------------------------------
// Loading datasets
// ---------------------------------------------------------------------------

/// A table split into the features and the one column to predict.
struct FeaturesAndTarget {
    records: Array2<f64>,
    targets: Array1<f64>,
    feature_names: Vec<String>,
    /// 0-based index of the target column in the file.
    target_column: usize,
}

/// Separates the column named `target` from all the others (the features).
fn split_off_target(table: &Table, target: &str, path: &Path) -> Result<FeaturesAndTarget> {
    let Some(target_column) = table.header.iter().position(|name| name == target) else {
        return Err(Error::InvalidParameter {
            name: "target",
            reason: format!(
                "{} has no column named {target:?}; its columns are: {}",
                path.display(),
                table.header.join(", ")
            ),
        });
    };
    if table.header.len() < 2 {
        return Err(Error::Empty(format!(
            "{} has only the target column {target:?}, no feature columns",
            path.display()
        )));
    }
    let feature_columns: Vec<usize> =
        (0..table.header.len()).filter(|&column| column != target_column).collect();
    Ok(FeaturesAndTarget {
        records: table.values.select(Axis(1), &feature_columns),
        targets: table.values.column(target_column).to_owned(),
        feature_names: feature_columns.iter().map(|&column| table.header[column].clone()).collect(),
        target_column,
    })
}

/// Loads a CSV file (see [`read_csv`]) as a regression dataset: the column
/// named `target` becomes the targets, all other columns the records, in file
/// order. Feature names and the target name are set from the header.
///
/// # Errors
///
/// Everything [`read_csv`] reports, plus [`Error::InvalidParameter`] (for
/// `target`, listing the available columns) if there is no such column, and
/// [`Error::Empty`] if the target is the only column.
pub fn load_regression(path: impl AsRef<Path>, target: &str) -> Result<Dataset<f64, f64, Ix1>> {
    let path = path.as_ref();
    let (table, _line_numbers) = read_table(path)?;
    let parts = split_off_target(&table, target, path)?;
    Ok(Dataset::new(parts.records, parts.targets)
        .with_feature_names(parts.feature_names)
        .with_target_names(vec![target]))
}

/// Loads a CSV file (see [`read_csv`]) as a classification dataset: like
/// [`load_regression`], but the target column must hold class labels
/// 0, 1, 2, ... (written as `1` or `1.0`).
///
/// # Errors
///
/// Everything [`load_regression`] reports, plus [`Error::Csv`] pointing at the
/// line and column of the first label that is negative, fractional or larger
/// than `u32::MAX`.
pub fn load_classification(
    path: impl AsRef<Path>,
    target: &str,
) -> Result<DatasetBase<Array2<f64>, Array1<usize>>> {
    let path = path.as_ref();
    let (table, line_numbers) = read_table(path)?;
    let parts = split_off_target(&table, target, path)?;

    let mut labels = Vec::with_capacity(parts.targets.len());
    for (&value, &line) in parts.targets.iter().zip(&line_numbers) {
        // A label is an index into the list of classes, so it must be whole
        // and non-negative; the upper bound keeps the conversion exact.
        if value < 0.0 || value.fract() != 0.0 || value > f64::from(u32::MAX) {
            let message = format!(
                "cell \"{}\" in column {target:?} is not a class label: \
                 labels must be whole numbers 0, 1, 2, ...",
                crate::error::num(value)
            );
            return Err(csv_error(path, line, parts.target_column + 1, message));
        }
        labels.push(value as usize);
    }

    Ok(DatasetBase::new(parts.records, Array1::from(labels))
        .with_feature_names(parts.feature_names)
        .with_target_names(vec![target]))
}

/// The workspace's `data/` folder, which holds the bundled CSV files.
///
/// It is found from nnlib's own source location (fixed when nnlib is
/// compiled), so it works from tests and from notebooks that load nnlib by
/// path, whatever the current directory is. The path is canonicalised when
/// possible, to make it readable in messages.
pub fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
    dir.canonicalize().unwrap_or(dir)
}

/// The diabetes data (Efron et al. 2004): 442 patients, 10 baseline features
/// `age, sex, bmi, bp, s1..s6` in their original units (not scaled), and the
/// target `progression`, a measure of disease progression one year later.
///
/// # Errors
///
/// As [`load_regression`], e.g. [`Error::Io`] if `data/diabetes.csv` is missing.
pub fn diabetes() -> Result<Dataset<f64, f64, Ix1>> {
    load_regression(data_dir().join("diabetes.csv"), "progression")
}

/// The names of the breast-cancer classes, indexed by label:
/// `BREAST_CANCER_CLASSES[0]` is `"malignant"`.
pub const BREAST_CANCER_CLASSES: [&str; 2] = ["malignant", "benign"];

/// The Breast Cancer Wisconsin (Diagnostic) data: 569 tumours, 30 features of
/// the cell nuclei (`mean_radius` ... `worst_fractal_dimension`), and labels
/// 0 = malignant (212 samples), 1 = benign (357 samples).
///
/// # Errors
///
/// As [`load_classification`], e.g. [`Error::Io`] if `data/breast_cancer.csv`
/// is missing.
pub fn breast_cancer() -> Result<DatasetBase<Array2<f64>, Array1<usize>>> {
    load_classification(data_dir().join("breast_cancer.csv"), "target")
}

/// The handwritten digits (Alpaydin and Kaynak 1998, UCI): 1797 images of
/// 8×8 pixels, intensities 0 (white) to 16 (black), and labels 0 to 9.
///
/// Each record is one image as 64 features `p0..p63`, row by row from the top
/// left (pixel `p(8r + c)` is row `r`, column `c`): reshape a row to `(8, 8)`
/// to see it, or draw it with [`crate::plot`].
///
/// # Errors
///
/// As [`load_classification`], e.g. [`Error::Io`] if `data/digits.csv` is
/// missing.
pub fn digits() -> Result<DatasetBase<Array2<f64>, Array1<usize>>> {
    load_classification(data_dir().join("digits.csv"), "digit")
}

// ---------------------------------------------------------------------------
// Standardisation
// ---------------------------------------------------------------------------

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
        check_finite(x, "Standardizer::transform input")?;
        finite_result((&x - &self.mean) / &self.std, "Standardizer::transform")
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
        check_finite(x, "Standardizer::inverse_transform input")?;
        finite_result(&x * &self.std + &self.mean, "Standardizer::inverse_transform")
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
    check_finite(x, what)?;
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
        std[j] = (column.mapv(|v| (v - mean[j]).powi(2)).sum() / n).sqrt();
        if !std[j].is_finite() {
            // The squares overflowed: std = s · sqrt(mean(((x - mean) / s)²)) with
            // s the largest deviation is the same number, computed within range.
            let s = column.fold(0.0, |m: f64, &v| m.max((v - mean[j]).abs()));
            std[j] = s * (column.mapv(|v| ((v - mean[j]) / s).powi(2)).sum() / n).sqrt();
        }
        if !std[j].is_finite() {
            return Err(Error::Overflow {
                what: format!("the standard deviation of column {j} of the {what}"),
            });
        }
    }
    Ok(Standardizer { mean, std })
}

/// `Ok(x)` when every value of a computed result is finite, else [`Error::Overflow`].
fn finite_result(x: Array2<f64>, what: &str) -> Result<Array2<f64>> {
    match x.iter().all(|v| v.is_finite()) {
        true => Ok(x),
        false => Err(Error::Overflow { what: format!("{what} (a value far outside the fitted data)") }),
    }
}

fn check_finite(x: ArrayView2<f64>, what: &str) -> Result<()> {
    match x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        None => Ok(()),
        Some(((row, column), &value)) => Err(Error::NonFinite { what: what.to_string(), row, column, value }),
    }
}

// ---------------------------------------------------------------------------
// Train / test split
// ---------------------------------------------------------------------------

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
                crate::error::num(test_fraction),
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
                crate::error::num(test_fraction),
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
            reason: format!("must be strictly between 0 and 1, got {}", crate::error::num(test_fraction)),
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

// ---------------------------------------------------------------------------
// Synthetic data
// ---------------------------------------------------------------------------

/// Small generated datasets whose true structure is known, for checking that
/// a model learns what it should. The same seed always gives the same data.
pub mod synthetic {
    use std::f64::consts::PI;

    use linfa::{Dataset, DatasetBase};
    use ndarray::{Array1, Array2, Axis, Ix1};
    use rand::rngs::StdRng;
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};

    use crate::{Error, Result};

    /// Points on the line `y = slope * x + intercept` plus Gaussian noise:
    /// `x` is uniform in [-1, 1] and the noise has mean 0 and standard
    /// deviation `noise_std`. One feature named `x`, targets named `y`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if `n < 2`, if `noise_std` is negative or
    /// not finite, or if `slope` or `intercept` is not finite.
    pub fn noisy_line(
        n: usize,
        slope: f64,
        intercept: f64,
        noise_std: f64,
        seed: u64,
    ) -> Result<Dataset<f64, f64, Ix1>> {
        check_n(n)?;
        check_noise(noise_std)?;
        check_finite_parameter("slope", slope)?;
        check_finite_parameter("intercept", intercept)?;
        crate::memory::check(crate::memory::f64_bytes(&[n, 3]), || format!("noisy_line of {n} samples"))?;

        let mut rng = StdRng::seed_from_u64(seed);
        let x = Array1::from_shape_fn(n, |_| rng.gen_range(-1.0..=1.0));
        let y = x.mapv(|x| slope * x + intercept + noise_std * standard_normal(&mut rng));
        if y.iter().any(|v| !v.is_finite()) {
            return Err(Error::Overflow {
                what: "noisy_line's targets (slope, intercept or noise_std too large)".into(),
            });
        }
        Ok(Dataset::new(x.insert_axis(Axis(1)), y).with_feature_names(vec!["x"]).with_target_names(vec!["y"]))
    }

    /// The classic "two moons" of scikit-learn's `make_moons`: two interleaved
    /// half circles that no straight line can separate.
    ///
    /// * label 0: `n / 2` points on the upper half of the unit circle centred
    ///   at (0, 0): `(cos t, sin t)` for `t` evenly spaced in [0, π];
    /// * label 1: the other `n - n / 2` points on the lower half of the unit
    ///   circle centred at (1, 0.5): `(1 - cos t, 0.5 - sin t)`.
    ///
    /// Gaussian noise with standard deviation `noise_std` is added to both
    /// coordinates, and the samples are shuffled so the two classes are mixed.
    /// Features are named `x1` and `x2`, targets `label`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] if `n < 2` or if `noise_std` is negative or
    /// not finite.
    pub fn two_moons(n: usize, noise_std: f64, seed: u64) -> Result<DatasetBase<Array2<f64>, Array1<usize>>> {
        check_n(n)?;
        check_noise(noise_std)?;
        // The shuffled points (3 words each), the records (2) and the labels (1).
        crate::memory::check(crate::memory::f64_bytes(&[n, 6]), || format!("two_moons of {n} samples"))?;

        let n_upper = n / 2;
        let mut points: Vec<([f64; 2], usize)> = Vec::with_capacity(n);
        for t in half_circle_angles(n_upper) {
            points.push(([t.cos(), t.sin()], 0));
        }
        for t in half_circle_angles(n - n_upper) {
            points.push(([1.0 - t.cos(), 0.5 - t.sin()], 1));
        }

        let mut rng = StdRng::seed_from_u64(seed);
        points.shuffle(&mut rng);
        let mut records = Array2::zeros((n, 2));
        for (mut row, (point, _)) in records.rows_mut().into_iter().zip(&points) {
            row[0] = point[0] + noise_std * standard_normal(&mut rng);
            row[1] = point[1] + noise_std * standard_normal(&mut rng);
        }
        if records.iter().any(|v| !v.is_finite()) {
            return Err(Error::Overflow { what: "two_moons' points (noise_std too large)".into() });
        }
        let labels: Array1<usize> = points.iter().map(|&(_, label)| label).collect();
        Ok(DatasetBase::new(records, labels)
            .with_feature_names(vec!["x1", "x2"])
            .with_target_names(vec!["label"]))
    }

    /// `count` angles evenly spaced from 0 to π (just 0 if `count` is 1).
    fn half_circle_angles(count: usize) -> impl Iterator<Item = f64> {
        let step = if count > 1 { PI / (count - 1) as f64 } else { 0.0 };
        (0..count).map(move |i| i as f64 * step)
    }

    /// One draw from the standard normal distribution N(0, 1) by the
    /// Box–Muller transform: if u1 and u2 are independent and uniform on
    /// (0, 1], then `sqrt(-2 ln u1) * cos(2π u2)` is N(0, 1).
    /// (rand 0.8 alone has no normal distribution; that lives in `rand_distr`.)
    fn standard_normal(rng: &mut StdRng) -> f64 {
        // `gen` is uniform on [0, 1); `1 - gen` is on (0, 1], so ln(u1) is finite.
        let u1 = 1.0 - rng.gen::<f64>();
        let u2: f64 = rng.gen();
        (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos()
    }

    fn check_n(n: usize) -> Result<()> {
        if n >= 2 {
            return Ok(());
        }
        Err(Error::InvalidParameter { name: "n", reason: format!("need at least 2 samples, got {n}") })
    }

    fn check_noise(noise_std: f64) -> Result<()> {
        if noise_std.is_finite() && noise_std >= 0.0 {
            return Ok(());
        }
        Err(Error::InvalidParameter {
            name: "noise_std",
            reason: format!("must be a finite number >= 0, got {}", crate::error::num(noise_std)),
        })
    }

    fn check_finite_parameter(name: &'static str, value: f64) -> Result<()> {
        if value.is_finite() {
            return Ok(());
        }
        Err(Error::InvalidParameter {
            name,
            reason: format!("must be a finite number, got {}", crate::error::num(value)),
        })
    }
}
