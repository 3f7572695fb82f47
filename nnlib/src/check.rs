//! Input checks shared by the whole crate, so every function reports a bad
//! shape or a NaN with the same clear message.

use crate::error::{Error, Result};
use ndarray::{ArrayBase, ArrayView1, ArrayView2, Data, Dimension};

/// Formats a shape as `(rows, cols)`.
pub(crate) fn shape_str(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("({})", parts.join(", "))
}

/// Errors with [`Error::NonFinite`] at the first NaN or infinity of a matrix.
pub fn finite(what: &str, x: ArrayView2<f64>) -> Result<()> {
    match x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        None => Ok(()),
        Some(((row, column), &value)) => Err(Error::NonFinite { what: what.to_string(), row, column, value }),
    }
}

/// Errors with [`Error::NonFinite`] at the first NaN or infinity of a vector.
pub fn finite1(what: &str, x: ArrayView1<f64>) -> Result<()> {
    match x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        None => Ok(()),
        Some((row, &value)) => Err(Error::NonFinite { what: what.to_string(), row, column: 0, value }),
    }
}

/// Errors with [`Error::Shape`] unless `a` and `b` have the same shape.
pub fn same_shape<S: Data<Elem = f64>, T: Data<Elem = f64>, D: Dimension>(
    context: &str,
    a: ArrayBase<S, D>,
    b: ArrayBase<T, D>,
) -> Result<()> {
    if a.shape() == b.shape() {
        Ok(())
    } else {
        Err(Error::Shape {
            context: context.to_string(),
            expected: shape_str(a.shape()),
            got: shape_str(b.shape()),
        })
    }
}

/// Errors with [`Error::Empty`] when there are no samples or no features.
pub fn non_empty(what: &str, rows: usize, cols: usize) -> Result<()> {
    if rows == 0 || cols == 0 {
        Err(Error::Empty(format!("{what} has shape ({rows}, {cols})")))
    } else {
        Ok(())
    }
}
