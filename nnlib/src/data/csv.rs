//! Reading a numeric CSV file with a header line into a [`Table`].

use std::fs;
use std::path::Path;

use ndarray::Array2;

use crate::{Error, Result};

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
/// * [`Error::Csv`] with the 1-based line and column if a header name is empty,
///   repeated or a number (the first line is data, not a header), a row has the wrong number of fields
///   (`expected 11 fields (as in the header), found 10`), or a cell is empty,
///   not a number, or NaN/infinite
///   (`cell "abc" in column "bmi" is not a number`).
pub fn read_csv(path: impl AsRef<Path>) -> Result<Table> {
    read_table(path.as_ref()).map(|(table, _line_numbers)| table)
}

/// Reads the table and also returns, for each data row, its 1-based line
/// number in the file. They are needed to point at a bad class label later,
/// and are not simply `row + 2` because blank lines are skipped.
pub(super) fn read_table(path: &Path) -> Result<(Table, Vec<usize>)> {
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
    for (index, name) in text.split(',').map(str::trim).enumerate() {
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

pub(super) fn csv_error(path: &Path, line: usize, column: usize, message: String) -> Error {
    Error::Csv { path: path.to_path_buf(), line, column, message }
}
