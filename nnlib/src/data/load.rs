//! The bundled data sets, and your own CSV files, as linfa datasets.

use std::path::{Path, PathBuf};

use linfa::{Dataset, DatasetBase};
use ndarray::{Array1, Array2, Axis, Ix1};

use super::csv::{csv_error, read_cells, to_table, Purpose, Table};
use crate::{Error, Result};

/// A table split into the features and the one column to predict.
struct FeaturesAndTarget {
    records: Array2<f64>,
    targets: Array1<f64>,
    feature_names: Vec<String>,
}

/// The 0-based index of the column named `target`, checked before any cell is
/// read as a number, so that a missing target column is reported first.
pub(super) fn target_column(header: &[String], target: &str, path: &Path) -> Result<usize> {
    let Some(column) = header.iter().position(|name| name == target) else {
        return Err(Error::InvalidParameter {
            name: "target",
            reason: format!(
                "{} has no column named {target:?}; its columns are: {}",
                path.display(),
                header.join(", ")
            ),
        });
    };
    if header.len() < 2 {
        return Err(Error::Empty(format!(
            "{} has only the target column {target:?}, no feature columns",
            path.display()
        )));
    }
    Ok(column)
}

/// Separates column `target_column` from all the others (the features).
fn split_off_target(table: &Table, target_column: usize) -> FeaturesAndTarget {
    let feature_columns: Vec<usize> =
        (0..table.header.len()).filter(|&column| column != target_column).collect();
    FeaturesAndTarget {
        records: table.values.select(Axis(1), &feature_columns),
        targets: table.values.column(target_column).to_owned(),
        feature_names: feature_columns.iter().map(|&column| table.header[column].clone()).collect(),
    }
}

/// Loads a numeric CSV file (see [`read_csv`](super::read_csv)) as a regression dataset: the column
/// named `target` becomes the targets, all other columns the records, in file
/// order. Feature names and the target name are set from the header.
///
/// ```
/// # let path = std::env::temp_dir().join(format!("nnlib-doc-load-regression-{}.csv", std::process::id()));
/// # std::fs::write(&path, "age,bmi,progression\n59,32.1,151\n48,21.6,75\n").unwrap();
/// let data = nnlib::data::load_regression(&path, "progression")?; // e.g. ("my_file.csv", "price")
/// assert_eq!(data.feature_names(), ["age", "bmi"]);
/// assert_eq!(data.targets[1], 75.0);
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// A file with text columns or missing values: read it as a [`Frame`](super::Frame),
/// drop or fill, then call [`Frame::regression`](super::Frame::regression).
///
/// # Errors
///
/// Everything [`read_csv`](super::read_csv) reports (a missing or text cell's
/// message shows the `Frame` calls that handle it), plus
/// [`Error::InvalidParameter`] (for `target`, listing the available columns) if
/// there is no such column, and [`Error::Empty`] if the target is the only column.
pub fn load_regression(path: impl AsRef<Path>, target: &str) -> Result<Dataset<f64, f64, Ix1>> {
    let path = path.as_ref();
    let cells = read_cells(path)?;
    let column = target_column(&cells.header, target, path)?;
    let (table, _line_numbers) = to_table(&cells, Purpose::Regression(target))?;
    let parts = split_off_target(&table, column);
    Ok(Dataset::new(parts.records, parts.targets)
        .with_feature_names(parts.feature_names)
        .with_target_names(vec![target]))
}

/// Loads a numeric CSV file (see [`read_csv`](super::read_csv)) as a classification dataset: like
/// [`load_regression`], but the target column must hold class labels
/// 0, 1, 2, ... (written as `1` or `1.0`).
///
/// ```
/// # let path = std::env::temp_dir().join(format!("nnlib-doc-load-classification-{}.csv", std::process::id()));
/// # std::fs::write(&path, "radius,texture,target\n17.99,10.38,0\n13.54,14.36,1\n").unwrap();
/// let data = nnlib::data::load_classification(&path, "target")?; // e.g. ("my_file.csv", "class")
/// assert_eq!(data.targets.to_vec(), [0, 1]);
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// Text labels (`setosa`, `versicolor`) are an error that points to
/// [`Frame::classification`](super::Frame::classification), which reads them
/// and keeps their names; so are missing cells, which a `Frame` drops or fills.
///
/// # Errors
///
/// Everything [`load_regression`] reports, plus [`Error::Csv`] pointing at the
/// line and column of the first label that is text, negative, fractional or
/// larger than `u32::MAX`.
pub fn load_classification(
    path: impl AsRef<Path>,
    target: &str,
) -> Result<DatasetBase<Array2<f64>, Array1<usize>>> {
    let path = path.as_ref();
    let cells = read_cells(path)?;
    let column = target_column(&cells.header, target, path)?;
    let (table, line_numbers) = to_table(&cells, Purpose::Classification(target))?;
    let parts = split_off_target(&table, column);

    let mut labels = Vec::with_capacity(parts.targets.len());
    for (&value, &line) in parts.targets.iter().zip(&line_numbers) {
        // A label is an index into the list of classes, so it must be whole
        // and non-negative; the upper bound keeps the conversion exact.
        if value < 0.0 || value.fract() != 0.0 || value > f64::from(u32::MAX) {
            let message = format!(
                "cell \"{}\" in column {target:?} is not a class label: \
                 labels must be whole numbers 0, 1, 2, ... (data::Frame::read_csv(path)?\
                 .classification({target:?}) numbers any classes 0, 1, 2, ... and keeps their names)",
                crate::numfmt::num(value)
            );
            return Err(csv_error(path, line, column + 1, message));
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

/// The RAND Health Insurance Experiment data (statsmodels' `randhie`, public
/// domain): 20 190 person-years, the count target `mdvis` (outpatient visits
/// to a doctor in the year, 0 to 77) and 9 features in the file's order:
/// `lncoins, idp, lpi, fmde, physlm, disea, hlthg, hlthf, hlthp` (the
/// insurance plan, health limitations, chronic diseases and self-rated health;
/// `data/README.md` defines each). A count target for the Poisson cost.
///
/// # Errors
///
/// As [`load_regression`], e.g. [`Error::Io`] if `data/randhie.csv` is missing.
pub fn randhie() -> Result<Dataset<f64, f64, Ix1>> {
    load_regression(data_dir().join("randhie.csv"), "mdvis")
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
