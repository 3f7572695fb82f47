//! Input checks shared by the whole crate, so every function reports a bad
//! shape or a NaN with the same clear message. Crate-private: every public
//! function runs the checks it needs itself.

use crate::error::{Error, Result};
use crate::numfmt;
use ndarray::{ArrayBase, Data, Dimension};

/// Errors with [`Error::NonFinite`] at the first NaN or infinity of a vector
/// or a matrix (a vector's entry `i` is reported as row `i`, column 0).
pub(crate) fn finite<S: Data<Elem = f64>, D: Dimension>(what: &str, x: &ArrayBase<S, D>) -> Result<()> {
    let Some((at, &value)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) else {
        return Ok(());
    };
    // `iter` walks in row-major order, so the position gives the row and column.
    let width = if x.ndim() == 2 { x.shape()[1].max(1) } else { 1 };
    Err(Error::NonFinite { what: what.to_string(), row: at / width, column: at % width, value })
}

/// `Ok(x)` when every value of a computed result is finite, else
/// [`Error::Overflow`] naming `what`: finite inputs whose result is too large for f64.
pub(crate) fn no_overflow<S: Data<Elem = f64>, D: Dimension>(
    x: ArrayBase<S, D>,
    what: impl FnOnce() -> String,
) -> Result<ArrayBase<S, D>> {
    if x.iter().all(|v| v.is_finite()) {
        Ok(x)
    } else {
        Err(Error::Overflow { what: what() })
    }
}

/// Errors with [`Error::Shape`] unless `a` and `b` have the same shape.
pub(crate) fn same_shape<S: Data<Elem = f64>, T: Data<Elem = f64>, D: Dimension>(
    context: &str,
    a: ArrayBase<S, D>,
    b: ArrayBase<T, D>,
) -> Result<()> {
    if a.shape() == b.shape() {
        Ok(())
    } else {
        Err(Error::Shape {
            context: context.to_string(),
            expected: numfmt::shape(a.shape()),
            got: numfmt::shape(b.shape()),
        })
    }
}

/// Errors with [`Error::Empty`] when there are no samples or no features.
pub(crate) fn non_empty(what: &str, rows: usize, cols: usize) -> Result<()> {
    if rows == 0 || cols == 0 {
        Err(Error::Empty(format!("{what} has shape ({rows}, {cols})")))
    } else {
        Ok(())
    }
}

/// [`finite`] for one column of a table given as a slice: entry `i` is
/// reported as row `i` of column `column`.
pub(crate) fn finite_column(what: &str, values: &[f64], column: usize) -> Result<()> {
    match finite(what, &ndarray::ArrayView1::from(values)) {
        Err(Error::NonFinite { what, row, value, .. }) => Err(Error::NonFinite { what, row, column, value }),
        other => other,
    }
}
