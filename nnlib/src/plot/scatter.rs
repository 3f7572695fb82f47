//! [`scatter_with_lines`]: data points with fitted lines on top.

use plotters::prelude::*;

use super::figure::{render, Figure, DEFAULT_SIZE};
use super::ranges::{bounds, check_xy, padded, sample, unit};
use super::style::{
    chart_builder, colour, draw_axes, draw_legend, emptiest_corner, legend_line, plot_err, DATA_COLOUR,
};
use crate::Result;

/// A named line for [`scatter_with_lines`], e.g. the model's prediction after some
/// epoch. It is drawn by joining its points in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Shown in the legend, e.g. `"epoch 10"`.
    pub name: String,
    /// x coordinates of the line's points.
    pub xs: Vec<f64>,
    /// y coordinates, one per x.
    pub ys: Vec<f64>,
}

impl Line {
    /// A line through the points `(xs[i], ys[i])`. Accepts `Vec<f64>`, `&[f64]`,
    /// arrays, or `array.to_vec()` for an ndarray.
    pub fn new(name: impl Into<String>, xs: impl Into<Vec<f64>>, ys: impl Into<Vec<f64>>) -> Self {
        Line { name: name.into(), xs: xs.into(), ys: ys.into() }
    }

    /// The graph of `f` for x from `x_range.0` to `x_range.1`, e.g.
    /// `Line::from_fn("epoch 10", (0.0, 5.0), |x| w * x + b)`.
    /// Points where `f` is NaN or infinite are left out.
    pub fn from_fn(name: impl Into<String>, x_range: (f64, f64), f: impl Fn(f64) -> f64) -> Self {
        let (xs, ys) = sample(x_range, f).into_iter().filter(|(_, y)| y.is_finite()).unzip();
        Line { name: name.into(), xs, ys }
    }
}

/// Data points (dark grey dots) with one or more lines on top, each in its own
/// colour and named in the legend.
///
/// Typical use: the data of a regression and the fitted line after several epochs.
///
/// ```
/// use nnlib::plot::{scatter_with_lines, Line};
/// let xs = [1.0, 2.0, 3.0, 4.0];
/// let ys = [2.1, 3.9, 6.2, 7.8];
/// let fig = scatter_with_lines(
///     "Fitting y = w x + b",
///     "x",
///     "y",
///     (&xs, &ys),
///     &[
///         Line::from_fn("epoch 1", (1.0, 4.0), |x| 0.5 * x),
///         Line::from_fn("epoch 100", (1.0, 4.0), |x| 1.9 * x + 0.2),
///     ],
/// )?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// # Errors
/// [`Error::Empty`](crate::Error::Empty) if there are no points or a line has none;
/// [`Error::Shape`](crate::Error::Shape) if the x and y lists of the points or of a line differ in
/// length; [`Error::NonFinite`](crate::Error::NonFinite) for a NaN or infinity (column 0 is x, column 1 is y).
pub fn scatter_with_lines(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: (&[f64], &[f64]),
    lines: &[Line],
) -> Result<Figure> {
    let (xs, ys) = points;
    check_xy("points", xs, ys)?;
    for line in lines {
        check_xy(&format!("line `{}`", line.name), &line.xs, &line.ys)?;
    }
    let all_x = xs.iter().chain(lines.iter().flat_map(|l| &l.xs));
    let all_y = ys.iter().chain(lines.iter().flat_map(|l| &l.ys));
    let x_range = padded(bounds(all_x.copied()), 0.05)?;
    let y_range = padded(bounds(all_y.copied()), 0.05)?;

    render(DEFAULT_SIZE, title, |area| {
        let mut chart =
            chart_builder(area).build_cartesian_2d(x_range.clone(), y_range.clone()).map_err(plot_err)?;
        draw_axes(&mut chart, x_label, y_label, 10)?;

        let dot = DATA_COLOUR.mix(0.75).filled();
        chart
            .draw_series(xs.iter().zip(ys).map(|(&x, &y)| Circle::new((x, y), 3, dot)))
            .map_err(plot_err)?
            .label("data")
            .legend(move |(x, y)| Circle::new((x + 10, y), 3, dot));

        for (i, line) in lines.iter().enumerate() {
            let style = colour(i).stroke_width(2);
            let points = line.xs.iter().copied().zip(line.ys.iter().copied());
            chart
                .draw_series(LineSeries::new(points, style))
                .map_err(plot_err)?
                .label(line.name.as_str())
                .legend(move |(x, y)| legend_line(x, y, style));
        }

        if !lines.is_empty() {
            let drawn = xs.iter().zip(ys).chain(lines.iter().flat_map(|l| l.xs.iter().zip(&l.ys)));
            let unit_points = drawn.map(|(&x, &y)| (unit(x, &x_range), unit(y, &y_range)));
            draw_legend(&mut chart, emptiest_corner(unit_points))?;
        }
        Ok(())
    })
}
