//! Checks of the data a plot is given, and the axis ranges that show it.

use std::ops::Range;

use crate::check;
use crate::{Error, Result};

/// Points at which [`Panel::curve`] and [`Line::from_fn`] sample a function.
pub(super) const SAMPLES: usize = 200;

/// x and y of `what` are non-empty, of equal length and finite.
pub(super) fn check_xy(what: &str, xs: &[f64], ys: &[f64]) -> Result<()> {
    if xs.is_empty() && ys.is_empty() {
        return Err(Error::Empty(format!("{what} has no values")));
    }
    if xs.len() != ys.len() {
        return Err(Error::Shape {
            context: what.into(),
            expected: format!("as many y values as x values ({})", xs.len()),
            got: format!("{} y values", ys.len()),
        });
    }
    check::finite_column(what, xs, 0)?;
    check::finite_column(what, ys, 1)
}

/// A range given by the caller is finite and does not run backwards.
pub(super) fn check_range(name: &'static str, (lo, hi): (f64, f64)) -> Result<()> {
    if !(lo.is_finite() && hi.is_finite()) {
        return Err(Error::InvalidParameter {
            name,
            reason: format!("the ends must be finite numbers, got ({lo}, {hi})"),
        });
    }
    if lo > hi {
        return Err(Error::InvalidParameter {
            name,
            reason: format!("must run from low to high, got ({lo}, {hi}); swap the two ends"),
        });
    }
    Ok(())
}

/// `SAMPLES` evenly spaced points `(x, f(x))` across `x_range`.
pub(super) fn sample((lo, hi): (f64, f64), f: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    (0..SAMPLES).map(|i| lo + (hi - lo) * i as f64 / (SAMPLES - 1) as f64).map(|x| (x, f(x))).collect()
}

/// The smallest and largest value, or `None` for no values. Callers pass finite
/// values only.
pub(super) fn bounds(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values.into_iter().fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// The axis range for values from `lo` to `hi`, with `margin` (a fraction of the
/// width) added on each side so that dots at the extremes are not cut by the frame.
///
/// Values that are all equal, or nearly (less than a billionth of their size
/// apart), would give an axis of zero width, which plotters cannot draw; such a
/// range is widened by 10 % of the value each way, or by 0.5 around 0.
pub(super) fn padded(range: Option<(f64, f64)>, margin: f64) -> Result<Range<f64>> {
    let (lo, hi) = range.ok_or_else(|| Error::Empty("nothing to plot".into()))?;
    let size = lo.abs().max(hi.abs());
    let pad = if hi - lo > size * 1e-9 {
        (hi - lo) * margin
    } else if size > 1e-100 {
        size * 0.1
    } else {
        0.5
    };
    let (start, end) = (lo - pad, hi + pad);
    if !(start.is_finite() && end.is_finite() && end - start > size * 1e-9 && (end - start).is_finite()) {
        return Err(Error::Plot(format!("values from {lo:e} to {hi:e} cannot be shown on one axis")));
    }
    Ok(start..end)
}

/// Like [`padded`] for a logarithmic axis of positive values: the margin is a
/// factor, and equal values are widened to half and twice the value.
pub(super) fn padded_log(range: Option<(f64, f64)>) -> Result<Range<f64>> {
    let (lo, hi) = range.ok_or_else(|| Error::Empty("nothing to plot".into()))?;
    let factor = if hi / lo > 1.0 + 1e-9 { (hi / lo).powf(0.05) } else { 2.0 };
    let (start, end) = (lo / factor, hi * factor);
    if !(start > 0.0 && end.is_finite()) {
        return Err(Error::Plot(format!(
            "values from {lo:e} to {hi:e} cannot be shown on a logarithmic axis"
        )));
    }
    Ok(start..end)
}

/// Where `v` lies in `range`: 0 at the start, 1 at the end.
pub(super) fn unit(v: f64, range: &Range<f64>) -> f64 {
    (v - range.start) / (range.end - range.start)
}
