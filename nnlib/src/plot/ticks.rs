//! Tick positions and labels: every label distinct and no more precise than the
//! axis needs, and a logarithmic axis with a tick at every decade.

use std::ops::Range;

/// How the tick labels of one linear axis are printed: with `decimals` digits
/// after the point, or in scientific notation with `decimals` digits of mantissa.
#[derive(Clone, Copy, Debug)]
pub(super) struct LinearLabels {
    decimals: usize,
    scientific: bool,
}

impl LinearLabels {
    /// The format for an axis over `range` with at most `ticks` ticks. Ticks are
    /// at least `width / ticks` apart, so one digit more than that spacing needs
    /// keeps every label distinct and within a twentieth of a step of its value.
    pub(super) fn for_axis(range: &Range<f64>, ticks: usize) -> Self {
        let (lo, hi) = (range.start, range.end);
        let step = (hi / 2.0 - lo / 2.0) * 2.0 / ticks.max(1) as f64;
        let size = lo.abs().max(hi.abs());
        if !(step.is_finite() && step > 0.0 && size.is_finite()) {
            return LinearLabels { decimals: 6, scientific: true };
        }
        let step_digit = step.log10().floor();
        if !(1e-4..1e6).contains(&size) {
            // Mantissa digits: from the largest value's leading digit down to the step's.
            let digits = (size.log10().floor() - step_digit + 1.0).clamp(0.0, 16.0);
            LinearLabels { decimals: digits as usize, scientific: true }
        } else {
            LinearLabels { decimals: (1.0 - step_digit).clamp(0.0, 16.0) as usize, scientific: false }
        }
    }

    pub(super) fn label(&self, v: f64) -> String {
        let d = self.decimals;
        if v == 0.0 {
            return "0".into();
        }
        if self.scientific {
            let text = format!("{v:.d$e}");
            let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
            return format!("{}e{exponent}", trim_zeros(mantissa));
        }
        let text = trim_zeros(&format!("{v:.d$}")).to_string();
        if text == "-0" {
            "0".into()
        } else {
            text
        }
    }
}

/// `"0.250"` → `"0.25"`, `"2.000"` → `"2"`; integers unchanged.
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// Ticks for a logarithmic axis over `range` (positive): every decade (every
/// second, third, ... when there are more than 10); with fewer than 3 decades,
/// also 2 and 5 times each; within less than one decade, 1 to 9 times. A range
/// too narrow for any of these gets evenly spaced ticks.
pub(super) fn log_ticks(range: &Range<f64>) -> Vec<f64> {
    let (lo, hi) = (range.start.log10(), range.end.log10());
    let span = hi - lo;
    let mantissas: &[f64] = if span < 1.0 {
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    } else if span < 3.0 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let every = (span / 10.0).ceil().max(1.0) as i32;
    let first = (lo.floor() as i32).div_euclid(every) * every;
    let mut ticks = Vec::new();
    let mut decade = first;
    while decade as f64 <= hi.ceil() {
        let power = 10f64.powi(decade);
        ticks.extend(mantissas.iter().map(|m| m * power).filter(|t| range.contains(t)));
        decade += every;
    }
    if ticks.len() < 2 {
        return nice_ticks(range, 5);
    }
    ticks
}

/// About `n` ticks at the multiples of 1, 2 or 5 × 10^k inside `range`.
pub(super) fn nice_ticks(range: &Range<f64>, n: usize) -> Vec<f64> {
    let rough = (range.end - range.start) / n as f64;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|&s| s >= rough).unwrap_or(10.0 * power);
    if !(step.is_finite() && step > 0.0) {
        return vec![range.start, range.end];
    }
    let first = (range.start / step).ceil() as i64;
    let last = (range.end / step).floor() as i64;
    (first..=last.min(first + 2 * n as i64)).map(|i| i as f64 * step).collect()
}

/// A log-axis tick label: plain for 0.0001 to 100 000, else `2e6`, `5e-7`.
pub(super) fn log_label(v: f64) -> String {
    if (1e-4..1e6).contains(&v.abs()) {
        super::style::precise(v)
    } else {
        LinearLabels { decimals: 2, scientific: true }.label(v)
    }
}
