//! Class labels as one-hot rows, and back: [`one_hot`] turns label `d` into a
//! row with a 1 in column `d`; [`argmax`] turns a row of scores or
//! probabilities back into the label of its largest entry.

use ndarray::{Array2, ArrayView1, Axis};

use crate::memory;
use crate::{Error, Result};

/// Turns class labels `0..n_classes` into one-hot rows (one column per class).
///
/// # Errors
///
/// [`Error::ClassOutOfRange`] for a label `>= n_classes`, and
/// [`Error::TooLarge`] when the matrix would not fit in memory.
pub fn one_hot(labels: &[usize], n_classes: usize) -> Result<Array2<f64>> {
    // At least one row counts: ndarray refuses a shape whose non-empty axes
    // overflow even when another axis is 0 (`one_hot(&[], 1 << 63)`).
    let bytes = memory::f64_bytes(&[labels.len().max(1), n_classes]);
    memory::check(bytes, || format!("one_hot of {} labels × {n_classes} classes", labels.len()))?;
    let mut y = Array2::zeros((labels.len(), n_classes));
    for (row, &label) in labels.iter().enumerate() {
        if label >= n_classes {
            return Err(Error::ClassOutOfRange { label, row, n_classes });
        }
        y[[row, label]] = 1.0;
    }
    Ok(y)
}

/// The index of the largest entry of `row` (the first one on ties; 0 for an
/// empty row or one of NaNs): the predicted class of a row of probabilities.
///
/// ```
/// use nnlib::ndarray::array;
/// assert_eq!(nnlib::data::argmax(array![0.1, 0.7, 0.2].view()), 1);
/// ```
pub fn argmax(row: ArrayView1<f64>) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, &v) in row.iter().enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

/// A column vector (n × 1) from a slice or 1-D array, for single-output nets.
pub fn column(v: ArrayView1<f64>) -> Array2<f64> {
    v.to_owned().insert_axis(Axis(1))
}
