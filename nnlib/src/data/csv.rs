//! Reading a CSV file with a header line: the lines and cells that both
//! readers share ([`read_csv`]'s numeric [`Table`] and [`Frame`](super::Frame)),
//! the rule for missing cells ([`MISSING`]) and for numbers, and the numeric table.

use std::fs;
use std::path::{Path, PathBuf};

use ndarray::Array2;

use crate::{Error, Result};

/// The cells that mean "no value here" (after removing surrounding spaces):
/// an empty cell, `NA`, `N/A`, `n/a`, `NaN`, `nan`, `null`, `NULL` and `?`,
/// as R, pandas, spreadsheets and the UCI repository write them.
///
/// [`read_csv`] refuses them, naming the cell; [`Frame`](super::Frame) keeps
/// them as missing, to be counted, dropped or filled.
///
/// ```
/// assert!(nnlib::data::MISSING.contains(&"NA"));
/// ```
pub const MISSING: [&str; 9] = ["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "?"];

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
/// every other line holds exactly one number per column. A cell in double
/// quotes (`"a, b"`, as spreadsheets write text) may hold commas; `""` in it is
/// one quote.
///
/// Tolerated: a trailing newline, `\r\n` (Windows) and lone `\r` (classic
/// Mac OS, still written by some spreadsheet exports) line endings, spaces
/// around cells, blank lines (they are skipped) and a UTF-8 byte-order mark.
///
/// ```
/// # let path = std::env::temp_dir().join(format!("nnlib-doc-read-csv-{}.csv", std::process::id()));
/// # std::fs::write(&path, "age,bmi\n59,32.1\n48,21.6\n").unwrap();
/// let table = nnlib::data::read_csv(&path)?; // e.g. read_csv("my_file.csv")?
/// assert_eq!(table.header, ["age", "bmi"]);
/// assert_eq!(table.values[[1, 1]], 21.6);
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// For a file with text columns or missing values, read it as a
/// [`Frame`](super::Frame) instead.
///
/// # Errors
///
/// * [`Error::Io`] if the file cannot be read (e.g. it does not exist); the
///   message gives the absolute path that was tried and where `data/` is.
/// * [`Error::Empty`] if the file has no header line or no data rows.
/// * [`Error::Csv`] with the 1-based line and column if a header name is empty,
///   repeated or a number (the first line is data, not a header), a row has the wrong number of fields
///   (`expected 11 fields (as in the header), found 10`), or a cell is
///   not a number (`cell "abc" in column "bmi" is not a number; ...`), infinite, or
///   missing (one of [`MISSING`]; the message counts them and says how to drop or
///   fill them with [`Frame`](super::Frame)).
pub fn read_csv(path: impl AsRef<Path>) -> Result<Table> {
    to_table(&read_cells(path.as_ref())?, Purpose::Table).map(|(table, _line_numbers)| table)
}

/// What a numeric table is read for, so that an error's advice fits the call.
#[derive(Clone, Copy)]
pub(super) enum Purpose<'a> {
    /// [`read_csv`].
    Table,
    /// `load_regression(path, target)`.
    Regression(&'a str),
    /// `load_classification(path, target)`.
    Classification(&'a str),
}

impl Purpose<'_> {
    /// The call that ends the advice, e.g. `.regression("y")`.
    fn call(self) -> String {
        match self {
            Purpose::Table => String::new(),
            Purpose::Regression(target) => format!(".regression({target:?})"),
            Purpose::Classification(target) => format!(".classification({target:?})"),
        }
    }
}

/// A CSV file split into trimmed cells, before any cell is interpreted.
pub(super) struct Cells {
    pub(super) path: PathBuf,
    pub(super) header: Vec<String>,
    /// Each data row's 1-based line number in the file: needed to point at a
    /// bad cell later, and not simply `row + 2` because blank lines are skipped.
    pub(super) lines: Vec<usize>,
    /// One row of `header.len()` trimmed cells per data line.
    pub(super) rows: Vec<Vec<String>>,
}

/// Every cell of `cells` as a finite number, or the first one that is not,
/// explained; with each row's 1-based line number in the file.
pub(super) fn to_table(cells: &Cells, purpose: Purpose) -> Result<(Table, Vec<usize>)> {
    let mut values = Vec::with_capacity(cells.rows.len() * cells.header.len());
    for (row, &line) in cells.rows.iter().zip(&cells.lines) {
        for (index, cell) in row.iter().enumerate() {
            match parse_number(cell) {
                Some(value) => values.push(value),
                None => return Err(not_a_number(cells, purpose, line, index, cell)),
            }
        }
    }
    let shape = (cells.rows.len(), cells.header.len());
    let values = Array2::from_shape_vec(shape, values).map_err(|e| Error::Shape {
        context: format!("table read from {}", cells.path.display()),
        expected: format!("{shape:?}"),
        got: e.to_string(),
    })?;
    Ok((Table { header: cells.header.clone(), values }, cells.lines.clone()))
}

/// The lines of a CSV file with a header, split into cells: the tolerance
/// (BOM, line endings, blank lines, spaces, quotes) and the header's and the
/// rows' shape are checked here, once for both readers.
pub(super) fn read_cells(path: &Path) -> Result<Cells> {
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

    let (mut rows, mut line_numbers) = (Vec::new(), Vec::new());
    for (line, text) in lines {
        rows.push(split_row(path, line, text, header.len())?);
        line_numbers.push(line);
    }
    if rows.is_empty() {
        return Err(Error::Empty(format!("{} has a header but no data rows", path.display())));
    }
    Ok(Cells { path: path.to_path_buf(), header, lines: line_numbers, rows })
}

/// Whether a (trimmed) cell is one of the [`MISSING`] markers.
pub(super) fn is_missing(cell: &str) -> bool {
    MISSING.contains(&cell)
}

/// A (trimmed) cell as a finite number, or `None`. Rust also parses "inf" and
/// "1e999", but no model can learn from them, so they are not numbers here.
pub(super) fn parse_number(cell: &str) -> Option<f64> {
    cell.parse::<f64>().ok().filter(|value| value.is_finite())
}

/// The lines of `text`, whichever of `\n`, `\r\n` or `\r` ends them.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    text.split('\n').flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// The trimmed cells of one line. A cell in double quotes may hold commas, and
/// `""` inside quotes is one `"` (as spreadsheets and pandas quote text).
fn split_cells(text: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells.into_iter().map(|cell| cell.trim().to_string()).collect()
}

/// [`Error::Io`] for `path`, made absolute so the message says where nnlib
/// looked; a missing file also says where the bundled `data/` folder is.
fn io_error(path: &Path, source: std::io::Error) -> Error {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let source = if source.kind() == std::io::ErrorKind::NotFound {
        let hint = format!("{source} (the workshop's data files are in {})", super::data_dir().display());
        std::io::Error::new(source.kind(), hint)
    } else {
        source
    };
    Error::Io { path: absolute, source }
}

/// Splits the header line into trimmed column names, rejecting empty and
/// repeated names (a repeated name would make "the column called x" ambiguous)
/// and names that are numbers (a first line of data, not a header).
fn parse_header(path: &Path, line: usize, text: &str) -> Result<Vec<String>> {
    let mut header: Vec<String> = Vec::new();
    for (index, name) in split_cells(text).into_iter().enumerate() {
        let column = index + 1;
        if name.is_empty() {
            let message = "empty column name in the header: every column needs a name".to_string();
            return Err(csv_error(path, line, column, message));
        }
        if name.parse::<f64>().is_ok() {
            // scikit-learn's data files start with a line of counts (`150,4,setosa,...`):
            // read as a header, its numbers would become column names and its first row lost.
            let message = format!(
                "column name {name:?} is a number: the first line looks like data, not a header; \
                 add a first line naming the columns (e.g. x1,x2,label), or delete a line of counts"
            );
            return Err(csv_error(path, line, column, message));
        }
        if let Some(first) = header.iter().position(|seen| *seen == name) {
            let message =
                format!("column name {name:?} appears twice in the header (first as column {})", first + 1);
            return Err(csv_error(path, line, column, message));
        }
        header.push(name);
    }
    Ok(header)
}

/// Splits one data line into exactly `n_columns` trimmed cells.
fn split_row(path: &Path, line: usize, text: &str, n_columns: usize) -> Result<Vec<String>> {
    let cells = split_cells(text);
    if cells.len() != n_columns {
        // Point at the first missing field, or at the first extra one.
        let column = cells.len().min(n_columns) + 1;
        let mut message = format!("expected {n_columns} fields (as in the header), found {}", cells.len());
        if text.contains('"') {
            message += " (is a quote \" not closed? A cell in quotes ends at the next lone \")";
        }
        return Err(csv_error(path, line, column, message));
    }
    Ok(cells)
}

/// Why `cell` (column `index`, 0-based, on `line`) is not a number, and what to do.
fn not_a_number(cells: &Cells, purpose: Purpose, line: usize, index: usize, cell: &str) -> Error {
    let name = &cells.header[index];
    let quoted = format!("cell {cell:?} in column {name:?}");
    let message = if is_missing(cell) {
        let how = match cell {
            "" => "is empty, a missing value",
            "NaN" | "nan" => "is not a finite number but a missing value",
            _ => "is a missing value",
        };
        let count: usize = cells.rows.iter().flatten().filter(|c| is_missing(c)).count();
        let (cells_word, call) = (if count == 1 { "cell" } else { "cells" }, purpose.call());
        format!(
            "{quoted} {how} (the file has {count} missing {cells_word}); drop their rows with \
             data::Frame::read_csv(path)?.drop_missing(){call}, or fill them with \
             .fill_missing_with_mean()?{call}"
        )
    } else if cell.parse::<f64>().is_ok() {
        format!("{quoted} is not a finite number (infinity is not allowed)")
    } else {
        match purpose {
            Purpose::Table => {
                format!("{quoted} is not a number; data::Frame::read_csv(path) reads files with text columns")
            }
            Purpose::Classification(target) if name.as_str() == target => format!(
                "{quoted} is text, not a class number: data::Frame::read_csv(path)?{} reads text \
                 labels and keeps their names",
                purpose.call()
            ),
            _ => format!(
                "{quoted} is not a number, so {name:?} is a text column: drop it with \
                 data::Frame::read_csv(path)?.drop_columns(&[{name:?}])?{}",
                purpose.call()
            ),
        }
    };
    csv_error(&cells.path, line, index + 1, message)
}

pub(super) fn csv_error(path: &Path, line: usize, column: usize, message: String) -> Error {
    Error::Csv { path: path.to_path_buf(), line, column, message }
}
