//! [`curves`] and [`curves_log`]: training curves against the epoch.

use std::ops::Range;

use plotters::coord::combinators::BindKeyPoints;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::figure::{render, Figure, DEFAULT_SIZE};
use super::ranges::{bounds, padded, padded_log, unit};
use super::style::{chart_builder, colour, draw_legend, emptiest_corner, legend_line, plot_err, FONT};
use super::ticks::{log_label, log_ticks, LinearLabels};
use crate::{Error, Result};

/// Training curves with at most this many epochs get a marker on each epoch;
/// longer curves would turn into a row of blobs.
pub(super) const MARKER_LIMIT: usize = 40;

/// Training curves: each series is a name and one value per epoch, drawn
/// against the epoch number (1, 2, 3, ...). Series may have different lengths.
/// Curves of at most 40 epochs get a dot on each epoch. Names and values may be
/// borrowed or owned: `&[("training", &loss)]`, or a `Vec<(String, Vec<f64>)>`.
///
/// ```
/// # let (train_loss, val_loss) = (vec![1.0, 0.5], vec![1.1, 0.7]);
/// let fig = nnlib::plot::curves(
///     "Loss during training", "epoch", "loss",
///     &[("training", &train_loss), ("validation", &val_loss)],
/// )?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// # Errors
/// [`Error::Empty`] if there is no series or a series has no value;
/// [`Error::NonFinite`] for a NaN or infinite value (its row is the epoch − 1).
pub fn curves(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(impl AsRef<str>, impl AsRef<[f64]>)],
) -> Result<Figure> {
    let series = &borrowed(series);
    check_series(series)?;
    let y_range = padded(bounds(series.iter().flat_map(|s| s.1.iter().copied())), 0.05)?;
    let scale = YScale::Linear(y_range.clone(), LinearLabels::for_axis(&y_range, Y_TICKS));
    curves_figure(title, x_label, y_label, series, y_range, &scale)
}

/// Like [`curves`], but with a logarithmic y axis (1, 10, 100, ... equally
/// spaced), for losses that fall by orders of magnitude. There is a tick at
/// every decade, and at 2 and 5 times each when the data span fewer than three
/// decades.
///
/// A logarithmic axis cannot show 0 or negative values: those values are left
/// out, leaving a gap in the curve.
///
/// # Errors
/// As [`curves`], and [`Error::Empty`] if a series has no positive value.
pub fn curves_log(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(impl AsRef<str>, impl AsRef<[f64]>)],
) -> Result<Figure> {
    let series = &borrowed(series);
    check_series(series)?;
    for (name, values) in series {
        if !values.iter().any(|&v| v > 0.0) {
            return Err(Error::Empty(format!(
                "series `{name}` has no positive value to draw on a logarithmic axis"
            )));
        }
    }
    let positive = series.iter().flat_map(|s| s.1.iter().copied()).filter(|&v| v > 0.0);
    let y_range = padded_log(bounds(positive))?;
    let y_axis = y_range.clone().log_scale().with_key_points(log_ticks(&y_range));
    curves_figure(title, x_label, y_label, series, y_axis, &YScale::Log(y_range))
}

/// About this many ticks on the y axis of training curves.
const Y_TICKS: usize = 10;

/// The y axis of [`curves`] or [`curves_log`]: its range and how its ticks read.
enum YScale {
    Linear(Range<f64>, LinearLabels),
    Log(Range<f64>),
}

impl YScale {
    /// Where `v` is drawn: 0 at the bottom of the plot, 1 at the top.
    fn unit(&self, v: f64) -> f64 {
        match self {
            YScale::Linear(r, _) => unit(v, r),
            YScale::Log(r) => (v.log10() - r.start.log10()) / (r.end.log10() - r.start.log10()),
        }
    }

    /// Whether the axis can show `v` (a log axis cannot show 0 or less).
    fn drawable(&self, v: f64) -> bool {
        matches!(self, YScale::Linear(..)) || v > 0.0
    }

    fn label(&self, v: f64) -> String {
        match self {
            YScale::Linear(_, labels) => labels.label(v),
            YScale::Log(_) => log_label(v),
        }
    }
}

/// What [`curves`] and [`curves_log`] share. `y_axis` is the y coordinate
/// system and `scale` says where values go and how ticks read.
fn curves_figure<Y>(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(&str, &[f64])],
    y_axis: Y,
    scale: &YScale,
) -> Result<Figure>
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let epochs = series.iter().map(|s| s.1.len()).max().unwrap_or(1);
    // Integer epochs, so the axis never shows "epoch 2.5"; a single epoch is
    // centred in 0..2 because an axis needs a non-zero width.
    let x_range = if epochs == 1 { 0..2 } else { 1..epochs };

    render(DEFAULT_SIZE, title, |area| {
        let mut chart = chart_builder(area).build_cartesian_2d(x_range.clone(), y_axis).map_err(plot_err)?;
        // As `draw_axes`, with the y scale's own tick labels.
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .x_labels(10)
            .y_labels(Y_TICKS)
            .y_label_formatter(&|v| scale.label(*v))
            .axis_desc_style((FONT, 17))
            .label_style((FONT, 15))
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(plot_err)?;

        for (k, (name, values)) in series.iter().enumerate() {
            let colour = colour(k);
            let style = colour.stroke_width(2);
            let points: Vec<(usize, f64)> = values.iter().enumerate().map(|(i, &v)| (i + 1, v)).collect();
            let mut in_legend = false;
            // Values the axis cannot show split the curve into separate runs.
            for run in points.split(|p| !scale.drawable(p.1)).filter(|run| !run.is_empty()) {
                let anno =
                    chart.draw_series(LineSeries::new(run.iter().copied(), style)).map_err(plot_err)?;
                if !in_legend {
                    anno.label(*name).legend(move |(x, y)| legend_line(x, y, style));
                    in_legend = true;
                }
                if values.len() <= MARKER_LIMIT {
                    let dots = run.iter().map(|&p| Circle::new(p, 3, colour.filled()));
                    chart.draw_series(dots).map_err(plot_err)?;
                }
            }
        }

        if series.len() > 1 {
            let width = (x_range.end - x_range.start) as f64;
            let drawn = series.iter().flat_map(|s| s.1.iter().enumerate());
            let unit_points = drawn
                .filter(|(_, &v)| scale.drawable(v))
                .map(|(i, &v)| ((i + 1 - x_range.start) as f64 / width, scale.unit(v)));
            draw_legend(&mut chart, emptiest_corner(unit_points))?;
        }
        Ok(())
    })
}

/// The series as `(name, values)` slices: the callers may hold `String`s and `Vec`s.
fn borrowed(series: &[(impl AsRef<str>, impl AsRef<[f64]>)]) -> Vec<(&str, &[f64])> {
    series.iter().map(|(name, values)| (name.as_ref(), values.as_ref())).collect()
}

/// Checks the series of [`curves`]: at least one, none empty, all finite.
fn check_series(series: &[(&str, &[f64])]) -> Result<()> {
    if series.is_empty() {
        return Err(Error::Empty("no series to plot".into()));
    }
    for (name, values) in series {
        let what = format!("series `{name}`");
        if values.is_empty() {
            return Err(Error::Empty(format!("{what} has no values")));
        }
        crate::check::finite_column(&what, values, 0)?;
    }
    Ok(())
}
