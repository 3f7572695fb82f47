//! [`Frame`]: a CSV file's columns of numbers or text, missing cells included,
//! before they become a dataset; and [`Labelled`], a classification dataset
//! with its class names.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use linfa::{Dataset, DatasetBase};
use ndarray::{Array1, Array2, Ix1};

use super::csv::{csv_error, is_missing, parse_number, read_cells, Cells};
use crate::numfmt::num;
use crate::{Error, Result};

/// The rows [`Frame`]'s `Display` shows, the width of their lines (the
/// columns that fit: notebooks' code lines are at most 100 characters) and
/// the most distinct texts it lists, to stay readable in a notebook.
const SHOWN_ROWS: usize = 5;
const ROWS_WIDTH: usize = 100;
const SHOWN_TEXTS: usize = 6;

/// A CSV file's header and cells, before they become a dataset: each column
/// holds numbers or text, and any cell may be missing.
///
/// The path from your own file to a model is: read, look, handle the missing
/// cells and the text columns, then make a dataset:
///
/// ```
/// use nnlib::data::Frame;
/// # let path = std::env::temp_dir().join(format!("nnlib-doc-frame-{}.csv", std::process::id()));
/// # std::fs::write(&path, "species,island,bill_mm,mass_g\nAdelie,Dream,39.1,3750\n\
/// #     Gentoo,Biscoe,NA,5000\nChinstrap,Dream,46.5,3500\nGentoo,Biscoe,47.3,NA\n").unwrap();
/// let frame = Frame::read_csv(&path)?; // e.g. Frame::read_csv("penguins.csv")?
/// println!("{frame}"); // the columns, their kinds, missing cells, ranges; the first rows
/// let penguins = frame.drop_columns(&["island"])?.drop_missing().classification("species")?;
/// assert_eq!(penguins.classes, ["Adelie", "Chinstrap"]);
/// assert_eq!(penguins.dataset.feature_names(), ["bill_mm", "mass_g"]);
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// Reading tolerates what [`read_csv`](super::read_csv) tolerates (a byte-order
/// mark, `\r\n` or `\r` line endings, blank lines, spaces around cells, cells
/// in double quotes). A cell is **missing** when it is one of [`MISSING`](super::MISSING)
/// (empty, `NA`, `N/A`, `n/a`, `NaN`, `nan`, `null`, `NULL`, `?`). A column is
/// **numbers** when every cell that is not missing is a finite number, and
/// **text** otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    path: PathBuf,
    names: Vec<String>,
    columns: Vec<Column>,
    /// Each column's 1-based place in the file and each row's 1-based line:
    /// messages point at the file's cell even after columns or rows are dropped.
    places: Vec<usize>,
    lines: Vec<usize>,
}

/// One column's cells; `None` is a missing cell.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Numbers(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
}

impl Column {
    /// Numbers when every present cell is a finite number, else text.
    fn from_cells(cells: Vec<Option<String>>) -> Column {
        let numbers: Option<Vec<Option<f64>>> = cells
            .iter()
            .map(|cell| cell.as_deref().map_or(Some(None), |c| parse_number(c).map(Some)))
            .collect();
        match numbers {
            Some(numbers) => Column::Numbers(numbers),
            None => Column::Text(cells),
        }
    }

    fn is_missing(&self, row: usize) -> bool {
        match self {
            Column::Numbers(v) => v[row].is_none(),
            Column::Text(v) => v[row].is_none(),
        }
    }

    fn n_missing(&self) -> usize {
        match self {
            Column::Numbers(v) => v.iter().filter(|c| c.is_none()).count(),
            Column::Text(v) => v.iter().filter(|c| c.is_none()).count(),
        }
    }

    /// The first missing row, if any.
    fn first_missing(&self, n_rows: usize) -> Option<usize> {
        (0..n_rows).find(|&row| self.is_missing(row))
    }

    /// The given rows, in that order; a text column whose remaining cells are
    /// all numbers becomes a column of numbers.
    fn select(&self, rows: &[usize]) -> Column {
        match self {
            Column::Numbers(v) => Column::Numbers(rows.iter().map(|&r| v[r]).collect()),
            Column::Text(v) => Column::from_cells(rows.iter().map(|&r| v[r].clone()).collect()),
        }
    }

    /// A cell as the file shows it ("NA" when missing), for the first rows.
    fn cell(&self, row: usize) -> String {
        match self {
            Column::Numbers(v) => v[row].map_or("NA".into(), short_exact),
            Column::Text(v) => v[row].clone().unwrap_or_else(|| "NA".into()),
        }
    }

    /// `numbers` or `text`, and a summary: the range, or the distinct texts.
    fn describe(&self) -> (&'static str, String) {
        match self {
            Column::Numbers(v) => {
                let present = v.iter().flatten();
                let min = present.clone().copied().fold(f64::INFINITY, f64::min);
                let max = present.copied().fold(f64::NEG_INFINITY, f64::max);
                let range = match (min.is_finite(), min == max) {
                    (false, _) => "no values".to_string(),
                    (true, true) => format!("all {}", num(min)),
                    (true, false) => format!("{} .. {}", num(min), num(max)),
                };
                ("numbers", range)
            }
            Column::Text(v) => {
                let distinct: BTreeSet<&str> = v.iter().flatten().map(String::as_str).collect();
                let shown: Vec<&str> = distinct.iter().copied().take(SHOWN_TEXTS).collect();
                let more = if distinct.len() > SHOWN_TEXTS { ", …" } else { "" };
                let word = if distinct.len() == 1 { "value" } else { "values" };
                ("text", format!("{} {word}: {}{more}", distinct.len(), shown.join(", ")))
            }
        }
    }
}

/// A classification dataset read from text (or number) labels, with the names
/// of its classes: label `i` is class `classes[i]`.
///
/// ```
/// use nnlib::data::Frame;
/// # let path = std::env::temp_dir().join(format!("nnlib-doc-labelled-{}.csv", std::process::id()));
/// # std::fs::write(&path, "petal_length,species\n1.4,setosa\n4.7,versicolor\n1.3,setosa\n").unwrap();
/// let iris = Frame::read_csv(&path)?.classification("species")?;
/// assert_eq!(iris.dataset.targets.to_vec(), [0, 1, 0]);
/// assert_eq!(iris.class_name(1), Some("versicolor"));
/// # Ok::<(), nnlib::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Labelled {
    /// The features (one column per feature column of the file, named as in
    /// its header) and the labels 0, 1, 2, ...
    pub dataset: DatasetBase<Array2<f64>, Array1<usize>>,
    /// The class names, sorted; `classes[label]` is the label's name.
    pub classes: Vec<String>,
}

impl Labelled {
    /// The name of class `label`, or `None` if there is no such class.
    ///
    /// ```
    /// # use nnlib::data::Frame;
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-class-name-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "x,animal\n1,dog\n2,cat\n").unwrap();
    /// let pets = Frame::read_csv(&path)?.classification("animal")?;
    /// assert_eq!(pets.class_name(0), Some("cat")); // sorted: cat, dog
    /// assert_eq!(pets.class_name(2), None);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    pub fn class_name(&self, label: usize) -> Option<&str> {
        self.classes.get(label).map(String::as_str)
    }
}

impl Frame {
    /// Reads a CSV file with a header line; cells may be numbers, text or
    /// missing (see [`Frame`]).
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-frame-read-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "name,age\nAda,36\nAlan,NA\n").unwrap();
    /// let frame = nnlib::data::Frame::read_csv(&path)?; // e.g. Frame::read_csv("people.csv")?
    /// assert_eq!(frame.columns(), ["name", "age"]);
    /// assert_eq!(frame.n_rows(), 2);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`read_csv`](super::read_csv), except that text and missing cells are
    /// not errors: [`Error::Io`], [`Error::Empty`] (no header, or no rows), and
    /// [`Error::Csv`] for a bad header (empty, repeated or numeric names: the
    /// first line is data) or a row with the wrong number of cells.
    pub fn read_csv(path: impl AsRef<Path>) -> Result<Frame> {
        let Cells { path, header, lines, rows } = read_cells(path.as_ref())?;
        let mut cells: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(rows.len()); header.len()];
        for row in rows {
            for (column, cell) in cells.iter_mut().zip(row) {
                column.push(if is_missing(&cell) { None } else { Some(cell) });
            }
        }
        let columns = cells.into_iter().map(Column::from_cells).collect();
        let places = (1..=header.len()).collect();
        Ok(Frame { path, names: header, columns, places, lines })
    }

    /// The number of data rows.
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-n-rows-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "a,b\n1,2\n3,NA\n").unwrap();
    /// let frame = nnlib::data::Frame::read_csv(&path)?;
    /// assert_eq!((frame.n_rows(), frame.drop_missing().n_rows()), (2, 1));
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    /// The column names, in file order.
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-columns-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "a,b\n1,2\n").unwrap();
    /// let frame = nnlib::data::Frame::read_csv(&path)?;
    /// assert_eq!(frame.columns(), ["a", "b"]);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    pub fn columns(&self) -> &[String] {
        &self.names
    }

    /// The columns that have missing cells, with how many, in file order.
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-missing-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "a,b,c\n1,NA,x\n?,,y\n5,6,z\n").unwrap();
    /// let frame = nnlib::data::Frame::read_csv(&path)?;
    /// assert_eq!(frame.missing(), [("a".to_string(), 1), ("b".to_string(), 2)]);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    pub fn missing(&self) -> Vec<(String, usize)> {
        let counts = self.names.iter().zip(&self.columns).map(|(name, c)| (name.clone(), c.n_missing()));
        counts.filter(|&(_, n)| n > 0).collect()
    }

    /// The frame without every row that has a missing cell; the other rows
    /// keep their order. A text column whose remaining cells are all numbers
    /// becomes a column of numbers.
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-drop-missing-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "a,b\n1,2\nNA,4\n5,6\n").unwrap();
    /// let complete = nnlib::data::Frame::read_csv(&path)?.drop_missing();
    /// assert_eq!(complete.n_rows(), 2);
    /// assert!(complete.missing().is_empty());
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    pub fn drop_missing(&self) -> Frame {
        let complete: Vec<usize> =
            (0..self.n_rows()).filter(|&row| self.columns.iter().all(|c| !c.is_missing(row))).collect();
        Frame {
            path: self.path.clone(),
            names: self.names.clone(),
            columns: self.columns.iter().map(|c| c.select(&complete)).collect(),
            places: self.places.clone(),
            lines: complete.iter().map(|&row| self.lines[row]).collect(),
        }
    }

    /// The frame with each missing number replaced by the mean of its column's
    /// numbers that are present.
    ///
    /// The mean is a fact about the data, so a model trained after filling has
    /// seen a little of every row the mean came from: for a fair test, fill
    /// with the mean of the training part only (split first). Filling the
    /// whole file, as here, is the simple start.
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-fill-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "a,b\n1,2\nNA,4\n5,6\n").unwrap();
    /// let filled = nnlib::data::Frame::read_csv(&path)?.fill_missing_with_mean()?;
    /// let data = filled.regression("b")?;
    /// assert_eq!(data.records.column(0).to_vec(), [1.0, 3.0, 5.0]); // (1 + 5) / 2
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Csv`] at the first missing cell of a text column (text has no
    /// mean: drop those rows with [`drop_missing`](Self::drop_missing) or the
    /// column with [`drop_columns`](Self::drop_columns)), or of a column with no
    /// numbers at all.
    pub fn fill_missing_with_mean(&self) -> Result<Frame> {
        let mut frame = self.clone();
        for (index, column) in frame.columns.iter_mut().enumerate() {
            let Some(row) = column.first_missing(self.n_rows()) else { continue };
            let name = &self.names[index];
            let fault = |problem: String| {
                let message = format!(
                    "column {name:?} {problem}: drop its rows with drop_missing(), or the column \
                     with drop_columns(&[{name:?}])"
                );
                csv_error(&self.path, self.lines[row], self.places[index], message)
            };
            match column {
                Column::Text(_) => {
                    let n = column.n_missing();
                    let cells = if n == 1 { "cell" } else { "cells" };
                    return Err(fault(format!("holds text, which has no mean, and has {n} missing {cells}")));
                }
                Column::Numbers(values) => {
                    let present: Vec<f64> = values.iter().flatten().copied().collect();
                    let Some(m) = mean(&present) else {
                        return Err(fault("has no numbers to take a mean of (every cell is missing)".into()));
                    };
                    values.iter_mut().for_each(|v| *v = v.or(Some(m)));
                }
            }
        }
        Ok(frame)
    }

    /// The frame without the columns `names`; the others keep their order and cells.
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-drop-columns-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "id,name,age\n1,Ada,36\n2,Alan,41\n").unwrap();
    /// let frame = nnlib::data::Frame::read_csv(&path)?.drop_columns(&["id", "name"])?;
    /// assert_eq!(frame.columns(), ["age"]);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a name that is not a column, listing the columns.
    pub fn drop_columns(&self, names: &[&str]) -> Result<Frame> {
        if let Some(unknown) = names.iter().find(|name| !self.names.iter().any(|n| n == *name)) {
            return Err(Error::InvalidParameter {
                name: "names",
                reason: format!(
                    "{} has no column named {unknown:?}; its columns are: {}",
                    self.path.display(),
                    self.names.join(", ")
                ),
            });
        }
        let kept: Vec<usize> =
            (0..self.names.len()).filter(|&c| !names.contains(&self.names[c].as_str())).collect();
        Ok(Frame {
            path: self.path.clone(),
            names: kept.iter().map(|&c| self.names[c].clone()).collect(),
            columns: kept.iter().map(|&c| self.columns[c].clone()).collect(),
            places: kept.iter().map(|&c| self.places[c]).collect(),
            lines: self.lines.clone(),
        })
    }

    /// A classification dataset: the column `target` gives the classes, all
    /// other columns (which must be numbers) the features, named as in the header.
    ///
    /// The classes are the target's distinct values, sorted (texts as Rust
    /// sorts strings, capitals before small letters; whole numbers
    /// numerically), and a sample's label is its class's index in
    /// [`Labelled::classes`].
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-classification-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "bill_mm,species\n39.1,Adelie\n47.3,Gentoo\n46.5,Chinstrap\n").unwrap();
    /// let penguins = nnlib::data::Frame::read_csv(&path)?.classification("species")?;
    /// assert_eq!(penguins.classes, ["Adelie", "Chinstrap", "Gentoo"]);
    /// assert_eq!(penguins.dataset.targets.to_vec(), [0, 2, 1]);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a `target` that is not a column (listing
    /// them); [`Error::Empty`] if it is the only column or there are no rows;
    /// [`Error::Csv`] at the first text cell of a feature column (drop the
    /// column with [`drop_columns`](Self::drop_columns)), at the first missing
    /// cell (the message counts them; [`drop_missing`](Self::drop_missing) or
    /// [`fill_missing_with_mean`](Self::fill_missing_with_mean)), or at the
    /// first fractional number of a numeric target.
    pub fn classification(&self, target: &str) -> Result<Labelled> {
        let call = format!(".classification({target:?})");
        let (t, records, feature_names) = self.features(target, &call)?;
        let (classes, labels) = match &self.columns[t] {
            Column::Text(cells) => {
                let classes: Vec<String> =
                    cells.iter().flatten().cloned().collect::<BTreeSet<_>>().into_iter().collect();
                let labels: Vec<usize> =
                    cells.iter().flatten().map(|c| classes.binary_search(c).unwrap_or(0)).collect();
                (classes, labels)
            }
            Column::Numbers(cells) => self.number_classes(t, cells)?,
        };
        let dataset = DatasetBase::new(records, Array1::from_vec(labels))
            .with_feature_names(feature_names)
            .with_target_names(vec![target]);
        Ok(Labelled { dataset, classes })
    }

    /// A regression dataset: the column `target` (numbers) gives the targets,
    /// all other columns (which must be numbers) the features, named as in the header.
    ///
    /// ```
    /// # let path = std::env::temp_dir().join(format!("nnlib-doc-regression-{}.csv", std::process::id()));
    /// # std::fs::write(&path, "rooms,town,price\n3,Leeds,180\n5,York,320\n").unwrap();
    /// let frame = nnlib::data::Frame::read_csv(&path)?;
    /// let houses = frame.drop_columns(&["town"])?.regression("price")?;
    /// assert_eq!(houses.feature_names(), ["rooms"]);
    /// assert_eq!(houses.targets.to_vec(), [180.0, 320.0]);
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`classification`](Self::classification), and [`Error::Csv`] at the
    /// first text cell of a text target (use `classification` for classes).
    pub fn regression(&self, target: &str) -> Result<Dataset<f64, f64, Ix1>> {
        let call = format!(".regression({target:?})");
        let (t, records, feature_names) = self.features(target, &call)?;
        let Column::Numbers(cells) = &self.columns[t] else {
            let problem = "holds text, not numbers to predict: for classes, use .classification";
            return Err(self.text_error(t, &format!("{problem}({target:?})")));
        };
        let targets: Array1<f64> = cells.iter().flatten().copied().collect();
        Ok(Dataset::new(records, targets).with_feature_names(feature_names).with_target_names(vec![target]))
    }

    /// The target's index, the feature columns as records and their names,
    /// after checking for text features and missing cells. `call` is the
    /// method the advice ends with.
    fn features(&self, target: &str, call: &str) -> Result<(usize, Array2<f64>, Vec<String>)> {
        let t = super::load::target_column(&self.names, target, &self.path)?;
        let features: Vec<usize> = (0..self.names.len()).filter(|&c| c != t).collect();
        if let Some(&c) = features.iter().find(|&&c| matches!(self.columns[c], Column::Text(_))) {
            let name = &self.names[c];
            let advice = format!("drop it with .drop_columns(&[{name:?}])? before {call}");
            return Err(
                self.text_error(c, &format!("holds text, not numbers: a feature must be numbers; {advice}"))
            );
        }
        self.check_complete(call)?;
        if self.n_rows() == 0 {
            return Err(Error::Empty(format!("{} has no rows left to learn from", self.path.display())));
        }
        let mut records = Array2::zeros((self.n_rows(), features.len()));
        for (mut out, &c) in records.columns_mut().into_iter().zip(&features) {
            if let Column::Numbers(cells) = &self.columns[c] {
                out.iter_mut().zip(cells.iter().flatten()).for_each(|(o, &v)| *o = v);
            }
        }
        Ok((t, records, features.iter().map(|&c| self.names[c].clone()).collect()))
    }

    /// An error at the first missing cell (by row, then column), counting all of them.
    fn check_complete(&self, call: &str) -> Result<()> {
        let first = (0..self.n_rows()).find_map(|row| {
            (0..self.columns.len()).find(|&c| self.columns[c].is_missing(row)).map(|c| (row, c))
        });
        let Some((row, c)) = first else { return Ok(()) };
        let missing = self.missing();
        let total: usize = missing.iter().map(|(_, n)| n).sum();
        let per_column: Vec<String> = missing.iter().map(|(name, n)| format!("{name} {n}")).collect();
        let message = format!(
            "the cell in column {:?} is missing, one of {total} missing {} ({}): drop their rows \
             with .drop_missing(), or fill the numbers with .fill_missing_with_mean()?, before {call}",
            self.names[c],
            if total == 1 { "cell" } else { "cells" },
            per_column.join(", ")
        );
        Err(csv_error(&self.path, self.lines[row], self.places[c], message))
    }

    /// An error at the first cell of text column `c` that is not a number.
    fn text_error(&self, c: usize, problem: &str) -> Error {
        let found = match &self.columns[c] {
            Column::Text(cells) => cells.iter().enumerate().find_map(|(row, cell)| {
                cell.as_deref().filter(|v| parse_number(v).is_none()).map(|v| (row, v.to_string()))
            }),
            Column::Numbers(_) => None,
        };
        let (row, cell) = found.unwrap_or_default();
        let message = format!("column {:?} {problem} (its cell here is {cell:?})", self.names[c]);
        csv_error(&self.path, self.lines.get(row).copied().unwrap_or(0), self.places[c], message)
    }

    /// Classes from a column of whole numbers: the distinct values, sorted,
    /// and each cell's index among them.
    fn number_classes(&self, t: usize, cells: &[Option<f64>]) -> Result<(Vec<String>, Vec<usize>)> {
        // `+ 0.0` makes -0 the class 0.
        let values: Vec<f64> = cells.iter().flatten().map(|&v| v + 0.0).collect();
        if let Some(row) = values.iter().position(|v| v.fract() != 0.0) {
            let (value, name) = (values[row], &self.names[t]);
            let message = format!(
                "cell \"{value}\" in column {name:?} is not a whole number, so not a class; for a \
                 number to predict, use .regression({name:?})"
            );
            return Err(csv_error(&self.path, self.lines[row], self.places[t], message));
        }
        let mut distinct = values.clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let labels =
            values.iter().map(|v| distinct.binary_search_by(|d| d.total_cmp(v)).unwrap_or(0)).collect();
        Ok((distinct.iter().map(|v| v.to_string()).collect(), labels))
    }
}

/// A number exactly (the shortest digits that read back as the same number):
/// plain (`39.1`, `1000`), or in scientific notation when the plain form is long
/// and that is shorter (`1e300`, not 301 digits).
fn short_exact(x: f64) -> String {
    let (plain, scientific) = (x.to_string(), format!("{x:e}"));
    if plain.len() > 12 && scientific.len() < plain.len() {
        scientific
    } else {
        plain
    }
}

/// The mean of `values`, `None` for none. The sum is taken on values scaled
/// by the largest, when plain summing would overflow (finite cells near 1e308).
fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let plain = values.iter().sum::<f64>() / n;
    if plain.is_finite() {
        return Some(plain);
    }
    let scale = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    Some(values.iter().map(|v| v / scale).sum::<f64>() / n * scale)
}

/// The "look" step: the shape; per column its name, kind, missing cells and
/// range (numbers) or distinct values (text); then the first rows.
impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self
            .path
            .file_name()
            .map_or_else(|| self.path.display().to_string(), |n| n.to_string_lossy().into());
        writeln!(f, "{file}: {} rows × {} columns", self.n_rows(), self.names.len())?;
        let width = self.names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        for (name, column) in self.names.iter().zip(&self.columns) {
            let (kind, summary) = column.describe();
            let missing = match column.n_missing() {
                0 => String::new(),
                n => format!("{n} missing"),
            };
            writeln!(f, "  {name:<width$}  {kind:<7}  {missing:<10}  {summary}")?;
        }
        self.fmt_rows(f)
    }
}

impl Frame {
    /// The first rows as a table of the columns that fit in [`ROWS_WIDTH`]
    /// characters (at least one).
    fn fmt_rows(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = self.n_rows().min(SHOWN_ROWS);
        let mut table: Vec<Vec<String>> = Vec::new();
        let mut width = 0;
        for (name, column) in self.names.iter().zip(&self.columns) {
            let cells: Vec<String> =
                std::iter::once(name.clone()).chain((0..rows).map(|r| column.cell(r))).collect();
            width += 2 + cells.iter().map(|s| s.chars().count()).max().unwrap_or(0);
            if width > ROWS_WIDTH && !table.is_empty() {
                break;
            }
            table.push(cells);
        }
        let title = if rows < self.n_rows() { format!("first {rows} rows") } else { "rows".to_string() };
        let more = self.names.len() - table.len();
        let more = if more > 0 { format!(" (and {more} more columns)") } else { String::new() };
        writeln!(f, "{title}{more}:")?;
        let widths: Vec<usize> =
            table.iter().map(|col| col.iter().map(|s| s.chars().count()).max().unwrap_or(0)).collect();
        for line in 0..=rows {
            let cells: Vec<String> =
                table.iter().zip(&widths).map(|(col, &w)| format!("{:<w$}", col[line])).collect();
            writeln!(f, "  {}", cells.join("  ").trim_end())?;
        }
        Ok(())
    }
}
