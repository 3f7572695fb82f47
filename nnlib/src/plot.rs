//! Plots for the workshop notebooks, drawn as SVG with [plotters].
//!
//! Every function here returns a [`Figure`]: an SVG image that the evcxr Jupyter
//! kernel shows inline when it is the last value of a cell, and that
//! [`Figure::save`] writes to a `.svg` file.
//!
//! | function | what it draws |
//! |---|---|
//! | [`scatter_with_lines`] | data points with one or more fitted lines |
//! | [`curves`], [`curves_log`] | training curves (loss, accuracy) against the epoch |
//! | [`decision_boundary`] | a classifier's class regions with the labelled points on top |
//! | [`function_grid`] | a grid of small plots of functions, e.g. activations and derivatives |
//! | [`contour`] | a cost surface over two parameters, with a gradient-descent path |
//!
//! All figures share one look: a title, labelled axes, the colours of
//! matplotlib's "tab10" palette in the same order (series 0 blue, 1 orange,
//! 2 green, 3 red, ...) and a legend whenever there are several series. They are
//! [`DEFAULT_SIZE`] pixels (a function grid grows with its panels);
//! [`Figure::with_size`] rescales one.
//!
//! # Bad input
//!
//! No function panics on bad input; each returns an [`Error`] that says what is wrong:
//!
//! * no data at all → [`Error::Empty`];
//! * two lists that must have the same length but do not → [`Error::Shape`];
//! * **NaN or ±infinity in data you pass in** (points, lines, series, path, the
//!   output of `predict`) → [`Error::NonFinite`], naming the input and the
//!   position of the first bad value, because a NaN there is almost always a bug
//!   (e.g. a diverged training run) that a plot would hide;
//! * **NaN or ±infinity returned by a function the plot samples for you**
//!   ([`Panel::curve`], [`Line::from_fn`], the `f` of [`contour`]) → that sample
//!   is skipped and the curve has a gap there, because functions such as `ln x`
//!   or `1/x` are legitimately undefined at some points of a range. Only a
//!   function that is undefined everywhere gives [`Error::Empty`].
//!
//! When every value is the same (a zero-width range), the axis is widened around
//! that value instead of failing.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::ops::Range;
use std::path::Path;

use ndarray::{Array1, Array2, ArrayView2};
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{Error, Result};

/// The size, in pixels (width, height), of every figure except [`function_grid`].
pub const DEFAULT_SIZE: (u32, u32) = (640, 420);

/// The size of one panel of a [`function_grid`].
const PANEL_SIZE: (u32, u32) = (320, 260);

/// Cells per side of the grid on which [`decision_boundary`] and [`contour`]
/// evaluate their function (100 × 100 = 10 000 evaluations).
const GRID_CELLS: usize = 100;

/// Points at which [`Panel::curve`] and [`Line::from_fn`] sample a function.
const SAMPLES: usize = 200;

/// Training curves with at most this many epochs get a marker on each epoch;
/// longer curves would turn into a row of blobs.
const MARKER_LIMIT: usize = 40;

/// Number of filled colour bands (and so of contour levels) in [`contour`].
const BANDS: usize = 10;

const FONT: &str = "sans-serif";

/// Space around a chart, and above it (below the title), in pixels.
const CHART_MARGIN: u32 = 14;
const CHART_MARGIN_TOP: u32 = 4;

/// Height of the space under a chart for the x tick labels and the x-axis label.
const X_LABEL_AREA: u32 = 48;

/// matplotlib's "tab10" colours: distinct, and familiar from Python tutorials.
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),  // blue
    RGBColor(255, 127, 14),  // orange
    RGBColor(44, 160, 44),   // green
    RGBColor(214, 39, 40),   // red
    RGBColor(148, 103, 189), // purple
    RGBColor(140, 86, 75),   // brown
    RGBColor(227, 119, 194), // pink
    RGBColor(127, 127, 127), // grey
    RGBColor(188, 189, 34),  // olive
    RGBColor(23, 190, 207),  // cyan
];

/// Data points are dark grey so that the coloured lines fitted to them stand out.
const DATA_COLOUR: RGBColor = RGBColor(70, 70, 70);

/// Lines drawn on top of shaded areas (decision boundaries, contour levels).
const INK: RGBColor = RGBColor(40, 40, 40);

/// The drawing surface every plot is drawn on.
type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// A chart with linear x and y axes.
type LinearChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

// ---------------------------------------------------------------------------
// Figure
// ---------------------------------------------------------------------------

/// A finished plot: an SVG image.
///
/// In a notebook, make it the last expression of a cell to see it. Outside a
/// notebook, [`save`](Figure::save) it or print it (its [`Display`](fmt::Display)
/// is the SVG text).
#[derive(Clone, PartialEq, Eq)]
pub struct Figure {
    svg: String,
    width: u32,
    height: u32,
}

impl Figure {
    /// The SVG document, starting with `<svg`.
    pub fn svg(&self) -> &str {
        &self.svg
    }

    /// The displayed size in pixels, (width, height).
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The same figure shown at another size, e.g. `fig.with_size(960, 630)?` to
    /// make it 1.5 times larger. The drawing is scaled as a whole (text too) and
    /// keeps its proportions: if the new size has another aspect ratio the
    /// drawing is centred in it.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `width` or `height` is 0.
    pub fn with_size(self, width: u32, height: u32) -> Result<Figure> {
        if width == 0 || height == 0 {
            return Err(Error::InvalidParameter {
                name: "size",
                reason: format!("a figure must be at least 1 × 1 pixel, got {width} × {height}"),
            });
        }
        // plotters writes `<svg width=".." height=".." viewBox="0 0 w h" ...>`: the
        // viewBox keeps the drawing's own coordinates, so changing only width and
        // height makes the viewer scale it.
        let old = format!("<svg width=\"{}\" height=\"{}\"", self.width, self.height);
        let new = format!("<svg width=\"{width}\" height=\"{height}\"");
        let svg = self.svg.replacen(&old, &new, 1);
        Ok(Figure { svg, width, height })
    }

    /// Writes the SVG to `path` (conventionally ending in `.svg`), replacing the
    /// file if it exists.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, &self.svg).map_err(|source| Error::Io { path: path.to_path_buf(), source })
    }

    /// Saves the SVG like [`Figure::save`] and gives the figure back, so one
    /// notebook cell can save a plot and still show it:
    /// `plot::curves(...)?.saved("../docs/loss.svg")?`.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be written.
    pub fn saved(self, path: impl AsRef<Path>) -> Result<Figure> {
        self.save(path)?;
        Ok(self)
    }

    /// The text [`evcxr_display`](Figure::evcxr_display) prints: the SVG wrapped
    /// in the markers that tell the evcxr kernel to show it as HTML.
    pub fn evcxr_html(&self) -> String {
        format!("EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT", self.svg.trim_end())
    }

    /// Shows the figure in a Jupyter notebook running the evcxr kernel. The kernel
    /// calls this itself when a `Figure` is the value of a cell.
    pub fn evcxr_display(&self) {
        println!("{}", self.evcxr_html());
    }
}

/// The SVG text, e.g. for `println!("{fig}")`.
impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.svg)
    }
}

/// A short summary rather than kilobytes of SVG.
impl fmt::Debug for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Figure {{ {} × {} px, {} bytes of SVG }}", self.width, self.height, self.svg.len())
    }
}

// ---------------------------------------------------------------------------
// Scatter plot with fitted lines
// ---------------------------------------------------------------------------

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
/// [`Error::Empty`] if there are no points or a line has none;
/// [`Error::Shape`] if the x and y lists of the points or of a line differ in
/// length; [`Error::NonFinite`] for a NaN or infinity (column 0 is x, column 1 is y).
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

// ---------------------------------------------------------------------------
// Training curves
// ---------------------------------------------------------------------------

/// Training curves: each series is one value per epoch, drawn against the epoch
/// number (1, 2, 3, ...). Series may have different lengths. Curves of at most
/// 40 epochs get a dot on each epoch.
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
pub fn curves(title: &str, x_label: &str, y_label: &str, series: &[(&str, &[f64])]) -> Result<Figure> {
    check_series(series)?;
    let y_range = padded(bounds(series.iter().flat_map(|s| s.1.iter().copied())), 0.05)?;
    let y_unit = |v: f64| unit(v, &y_range);
    curves_figure(title, x_label, y_label, series, y_range.clone(), y_unit, |_| true)
}

/// Like [`curves`], but with a logarithmic y axis (1, 10, 100, ... equally
/// spaced), for losses that fall by orders of magnitude.
///
/// A logarithmic axis cannot show 0 or negative values: those values are left
/// out, leaving a gap in the curve.
///
/// # Errors
/// As [`curves`], and [`Error::Empty`] if a series has no positive value.
pub fn curves_log(title: &str, x_label: &str, y_label: &str, series: &[(&str, &[f64])]) -> Result<Figure> {
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
    let (log_lo, log_hi) = (y_range.start.log10(), y_range.end.log10());
    let y_unit = |v: f64| (v.log10() - log_lo) / (log_hi - log_lo);
    curves_figure(title, x_label, y_label, series, y_range.log_scale(), y_unit, |v| v > 0.0)
}

/// What [`curves`] and [`curves_log`] share. `y_axis` is the y coordinate system,
/// `y_unit` maps a value to its height in the plot (0 = bottom, 1 = top) and
/// `drawable` says which values the axis can show.
fn curves_figure<Y>(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(&str, &[f64])],
    y_axis: Y,
    y_unit: impl Fn(f64) -> f64,
    drawable: impl Fn(f64) -> bool,
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
        // As `draw_axes`, with y ticks rounded to 6 significant digits: a log
        // axis's ticks are products like 3 × 0.1, which print as 0.30000000000000004.
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .x_labels(10)
            .y_labels(10)
            .y_label_formatter(&|v| tick_label(*v))
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
            for run in points.split(|p| !drawable(p.1)).filter(|run| !run.is_empty()) {
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
                .filter(|(_, &v)| drawable(v))
                .map(|(i, &v)| ((i + 1 - x_range.start) as f64 / width, y_unit(v)));
            draw_legend(&mut chart, emptiest_corner(unit_points))?;
        }
        Ok(())
    })
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
        check_finite(&what, values, 0)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Decision boundary
// ---------------------------------------------------------------------------

/// The regions a classifier assigns to each class, with the labelled points on top.
///
/// `points` is an n × 2 array of inputs and `labels` their classes (0, 1, ...).
/// The plot covers the points with a margin, divides that area into a 100 × 100
/// grid and calls `predict` **once** with all 10 000 grid centres as one
/// (10 000 × 2) array. `predict` returns one number per row, either
///
/// * the probability of class 1 (binary classification): cells ≥ 0.5 are class 1, or
/// * the predicted class itself as a number (0.0, 1.0, 2.0, ...).
///
/// Both are read the same way: a cell belongs to the class nearest to its value,
/// `value.round()` (clamped to the known classes). Each class region is shaded in
/// a light version of the class colour, the boundaries between classes (the 0.5
/// contour of a probability) are drawn as dark lines, and each point is a dot in
/// its class colour.
///
/// ```
/// use nnlib::ndarray::{array, Array1, ArrayView2};
/// let x = array![[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]];
/// let labels = [0, 1, 0, 1];
/// // A stand-in for a trained model: "class 1 when x0 > 0.5".
/// let predict = |grid: ArrayView2<f64>| -> nnlib::Result<Array1<f64>> {
///     Ok(grid.column(0).mapv(|v| if v > 0.5 { 1.0 } else { 0.0 }))
/// };
/// let fig = nnlib::plot::decision_boundary("XOR?", "x₁", "x₂", x.view(), &labels, predict)?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// # Errors
/// [`Error::Shape`] if `points` does not have 2 columns, if there is not one label
/// per point or if `predict` does not return one value per grid row;
/// [`Error::InvalidParameter`] for a label of 10 or more (the plot has 10 colours);
/// [`Error::Empty`] if there are no points; [`Error::NonFinite`] for a NaN or
/// infinity in `points` or in the output of `predict`; any error `predict` returns.
pub fn decision_boundary(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: ArrayView2<f64>,
    labels: &[usize],
    predict: impl Fn(ArrayView2<f64>) -> Result<Array1<f64>>,
) -> Result<Figure> {
    check_points_2d(points, labels)?;
    let n_classes = labels.iter().max().map_or(2, |&max| (max + 1).max(2));
    let x_range = padded(bounds(points.column(0).iter().copied()), 0.08)?;
    let y_range = padded(bounds(points.column(1).iter().copied()), 0.08)?;

    let centres = grid_centres(&x_range, &y_range);
    let inputs =
        Array2::from_shape_fn((centres.len(), 2), |(r, c)| if c == 0 { centres[r].0 } else { centres[r].1 });
    let scores = predict(inputs.view())?;
    if scores.len() != centres.len() {
        return Err(Error::Shape {
            context: "decision_boundary: output of predict".into(),
            expected: format!("one value per grid row ({})", centres.len()),
            got: format!("{} values", scores.len()),
        });
    }
    let scores = scores.to_vec();
    check_finite("decision_boundary: output of predict", &scores, 0)?;
    let grid = Grid::new(x_range.clone(), y_range.clone(), scores);
    let class_of = |v: f64| v.round().clamp(0.0, (n_classes - 1) as f64) as usize;

    render(DEFAULT_SIZE, title, |area| {
        let mut chart =
            chart_builder(area).build_cartesian_2d(x_range.clone(), y_range.clone()).map_err(plot_err)?;
        fill_cells(&mut chart, &grid, |v| Some(lighten(colour(class_of(v)), 0.75)))?;
        draw_axes(&mut chart, x_label, y_label, 10)?;

        // Between classes k and k + 1 the value crosses k + 0.5: for a
        // probability that is the 0.5 contour.
        let boundary: Vec<_> = (0..n_classes - 1).flat_map(|k| grid.iso_lines(k as f64 + 0.5)).collect();
        let ink = INK.stroke_width(2);
        if !boundary.is_empty() {
            chart
                .draw_series(boundary.into_iter().map(|s| PathElement::new(s, ink)))
                .map_err(plot_err)?
                .label("decision boundary")
                .legend(move |(x, y)| legend_line(x, y, ink));
        }

        for class in 0..n_classes {
            let dot = colour(class).filled();
            let members = points.rows().into_iter().zip(labels).filter(|(_, &l)| l == class);
            chart
                .draw_series(members.map(|(p, _)| Circle::new((p[0], p[1]), 4, dot)))
                .map_err(plot_err)?
                .label(format!("class {class}"))
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, dot));
        }

        let unit_points = points.rows().into_iter().map(|p| (unit(p[0], &x_range), unit(p[1], &y_range)));
        draw_legend(&mut chart, emptiest_corner(unit_points))
    })
}

/// Checks the inputs of [`decision_boundary`].
fn check_points_2d(points: ArrayView2<f64>, labels: &[usize]) -> Result<()> {
    let (rows, cols) = points.dim();
    if cols != 2 {
        return Err(Error::Shape {
            context: "decision_boundary: points".into(),
            expected: "(n, 2): one row per point, columns x and y".into(),
            got: format!("({rows}, {cols})"),
        });
    }
    if rows == 0 {
        return Err(Error::Empty("decision_boundary: no points".into()));
    }
    if labels.len() != rows {
        return Err(Error::Shape {
            context: "decision_boundary: labels".into(),
            expected: format!("one label per point ({rows})"),
            got: format!("{} labels", labels.len()),
        });
    }
    if let Some((row, &label)) = labels.iter().enumerate().find(|(_, &l)| l >= PALETTE.len()) {
        return Err(Error::InvalidParameter {
            name: "labels",
            reason: format!(
                "decision_boundary has colours for classes 0 to {}, but row {row} has label {label}",
                PALETTE.len() - 1
            ),
        });
    }
    if let Some(((row, column), &value)) = points.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(Error::NonFinite { what: "decision_boundary: points".into(), row, column, value });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Grid of function plots
// ---------------------------------------------------------------------------

/// One small plot of a [`function_grid`]: one or more functions of x over a range.
///
/// ```
/// use nnlib::plot::Panel;
/// let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
/// let panel = Panel::new("sigmoid", (-6.0, 6.0))
///     .labels("z", "value")
///     .curve("σ(z)", sigmoid)
///     .curve("σ'(z)", move |z| sigmoid(z) * (1.0 - sigmoid(z)));
/// ```
pub struct Panel<'a> {
    title: String,
    x_label: String,
    y_label: String,
    x_range: (f64, f64),
    curves: Vec<NamedFn<'a>>,
}

/// A curve of a [`Panel`]: its name and its function.
type NamedFn<'a> = (String, Box<dyn Fn(f64) -> f64 + 'a>);

impl<'a> Panel<'a> {
    /// An empty panel titled `title`, covering x from `x_range.0` to `x_range.1`.
    /// Its axes are labelled "x" and "y" until [`labels`](Panel::labels) says otherwise.
    pub fn new(title: impl Into<String>, x_range: (f64, f64)) -> Self {
        Panel { title: title.into(), x_label: "x".into(), y_label: "y".into(), x_range, curves: Vec::new() }
    }

    /// Sets the axis labels.
    pub fn labels(mut self, x_label: impl Into<String>, y_label: impl Into<String>) -> Self {
        self.x_label = x_label.into();
        self.y_label = y_label.into();
        self
    }

    /// Adds the graph of `f`, named `name` in the panel's legend. Where `f` is NaN
    /// or infinite the curve has a gap.
    pub fn curve(mut self, name: impl Into<String>, f: impl Fn(f64) -> f64 + 'a) -> Self {
        self.curves.push((name.into(), Box::new(f)));
        self
    }
}

/// A grid of small plots, `cols` per row, under one title: e.g. each activation
/// function with its derivative, or each cost function against the prediction.
/// Each panel is 320 × 260 pixels and has its own title, axis labels and (with
/// several curves) legend; curves take the palette colours in order in every panel.
///
/// ```
/// use nnlib::plot::{function_grid, Panel};
/// let fig = function_grid(
///     "Activation functions",
///     &[
///         Panel::new("ReLU", (-3.0, 3.0)).labels("z", "a").curve("relu", |z| z.max(0.0)),
///         Panel::new("tanh", (-3.0, 3.0)).labels("z", "a").curve("tanh", f64::tanh),
///     ],
///     2,
/// )?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// # Errors
/// [`Error::Empty`] if there are no panels, a panel has no curves or none of its
/// curves has a finite value; [`Error::InvalidParameter`] if `cols` is 0 or an
/// `x_range` is not finite or runs backwards.
pub fn function_grid(title: &str, panels: &[Panel<'_>], cols: usize) -> Result<Figure> {
    if panels.is_empty() {
        return Err(Error::Empty("function_grid: no panels".into()));
    }
    if cols == 0 {
        return Err(Error::InvalidParameter {
            name: "cols",
            reason: "a grid needs at least one column".into(),
        });
    }
    let samples = panels.iter().map(sample_panel).collect::<Result<Vec<_>>>()?;

    let cols = cols.min(panels.len());
    let rows = panels.len().div_ceil(cols);
    let size = (cols as u32 * PANEL_SIZE.0, rows as u32 * PANEL_SIZE.1 + 40);
    render(size, title, |area| {
        let cells = area.split_evenly((rows, cols));
        for ((cell, panel), samples) in cells.iter().zip(panels).zip(&samples) {
            draw_panel(cell, panel, samples)?;
        }
        Ok(())
    })
}

/// The points of each curve of a panel (non-finite samples removed), after
/// checking that there is something to draw.
fn sample_panel(panel: &Panel<'_>) -> Result<Vec<Vec<(f64, f64)>>> {
    check_range("x_range", panel.x_range)?;
    if panel.curves.is_empty() {
        return Err(Error::Empty(format!("panel `{}` has no curves", panel.title)));
    }
    let curves: Vec<Vec<(f64, f64)>> = panel.curves.iter().map(|(_, f)| sample(panel.x_range, f)).collect();
    if !curves.iter().flatten().any(|(_, y)| y.is_finite()) {
        return Err(Error::Empty(format!(
            "panel `{}`: no curve has a finite value for x in [{}, {}]",
            panel.title, panel.x_range.0, panel.x_range.1
        )));
    }
    Ok(curves)
}

/// Draws one panel of a [`function_grid`] into `area`.
fn draw_panel(area: &Area<'_>, panel: &Panel<'_>, curves: &[Vec<(f64, f64)>]) -> Result<()> {
    let x_range = padded(Some(panel.x_range), 0.0)?;
    let finite_y = curves.iter().flatten().map(|p| p.1).filter(|y| y.is_finite());
    let y_range = padded(bounds(finite_y), 0.05)?;

    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, (FONT, 18))
        .margin(8)
        .margin_right(18) // room for the last x tick label
        .x_label_area_size(40)
        .y_label_area_size(54)
        .build_cartesian_2d(x_range.clone(), y_range.clone())
        .map_err(plot_err)?;
    draw_axes(&mut chart, &panel.x_label, &panel.y_label, 6)?;

    for (k, ((name, _), points)) in panel.curves.iter().zip(curves).enumerate() {
        let style = colour(k).stroke_width(2);
        let mut in_legend = false;
        // A NaN or infinite sample splits the curve: no line is drawn across it.
        for run in points.split(|p| !p.1.is_finite()).filter(|run| !run.is_empty()) {
            let anno = chart.draw_series(LineSeries::new(run.iter().copied(), style)).map_err(plot_err)?;
            if !in_legend {
                anno.label(name.as_str()).legend(move |(x, y)| legend_line(x, y, style));
                in_legend = true;
            }
        }
    }

    if panel.curves.len() > 1 {
        let drawn = curves.iter().flatten().filter(|p| p.1.is_finite());
        let unit_points = drawn.map(|&(x, y)| (unit(x, &x_range), unit(y, &y_range)));
        draw_legend(&mut chart, emptiest_corner(unit_points))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Contour plot of a cost surface
// ---------------------------------------------------------------------------

/// A cost surface f(x, y) as a contour map, with an optional gradient-descent
/// path on top.
///
/// `f` is evaluated on a 100 × 100 grid over `x_range` × `y_range`. The values are
/// split into 10 equal bands between their minimum and maximum, each filled with
/// one colour from dark blue (low) to yellow (high) and separated by thin contour
/// lines; the colour bar on the right gives each band's values. Points where `f` is
/// NaN or infinite are left white.
///
/// `path` (may be empty) is drawn as a red line with a dot at each step; its first
/// point, the start, has a larger dot. If the path leaves the given ranges, the
/// plot grows to show all of it.
///
/// ```
/// let cost = |w: f64, b: f64| (w - 2.0).powi(2) + 3.0 * (b + 1.0).powi(2);
/// let path = [(-1.0, 1.0), (0.2, -0.2), (1.1, -0.8), (1.6, -0.95)];
/// let fig = nnlib::plot::contour("Cost J(w, b)", "w", "b", cost, (-2.0, 4.0), (-3.0, 2.0), &path)?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] if a range is not finite or runs backwards;
/// [`Error::NonFinite`] for a NaN or infinity in `path` (column 0 is x, 1 is y);
/// [`Error::Empty`] if `f` has no finite value on the grid.
pub fn contour(
    title: &str,
    x_label: &str,
    y_label: &str,
    f: impl Fn(f64, f64) -> f64,
    x_range: (f64, f64),
    y_range: (f64, f64),
    path: &[(f64, f64)],
) -> Result<Figure> {
    check_range("x_range", x_range)?;
    check_range("y_range", y_range)?;
    let (path_x, path_y): (Vec<f64>, Vec<f64>) = path.iter().copied().unzip();
    check_finite("contour: path", &path_x, 0)?;
    check_finite("contour: path", &path_y, 1)?;
    let x_range = padded(bounds([x_range.0, x_range.1].into_iter().chain(path_x)), 0.0)?;
    let y_range = padded(bounds([y_range.0, y_range.1].into_iter().chain(path_y)), 0.0)?;

    let values = grid_centres(&x_range, &y_range).into_iter().map(|(x, y)| f(x, y)).collect();
    let grid = Grid::new(x_range.clone(), y_range.clone(), values);
    let (lo, hi) = bounds(grid.values.iter().copied().filter(|v| v.is_finite()))
        .ok_or_else(|| Error::Empty("contour: f(x, y) is not finite anywhere on the grid".into()))?;
    let levels = padded(Some((lo, hi)), 0.0)?;
    let band_of = |v: f64| band(v, &levels);

    render(DEFAULT_SIZE, title, |area| {
        let (main, bar) = area.split_horizontally(area.dim_in_pixel().0 as i32 - 90);
        let mut chart =
            chart_builder(&main).build_cartesian_2d(x_range.clone(), y_range.clone()).map_err(plot_err)?;
        fill_cells(&mut chart, &grid, |v| v.is_finite().then(|| band_colour(band_of(v))))?;
        draw_axes(&mut chart, x_label, y_label, 10)?;
        let contour_style = INK.mix(0.35).stroke_width(1);
        let level_lines = (1..BANDS).flat_map(|k| grid.iso_lines(band_edge(k, &levels)));
        chart.draw_series(level_lines.map(|s| PathElement::new(s, contour_style))).map_err(plot_err)?;
        if !path.is_empty() {
            draw_path(&mut chart, path)?;
            let unit_points = path.iter().map(|&(x, y)| (unit(x, &x_range), unit(y, &y_range)));
            draw_legend(&mut chart, emptiest_corner(unit_points))?;
        }
        draw_colour_bar(&bar, &levels)
    })
}

/// The gradient-descent path of [`contour`]: a red polyline, a dot per step and a
/// larger dot at the start so the direction of travel is clear.
fn draw_path(chart: &mut LinearChart<'_, '_>, path: &[(f64, f64)]) -> Result<()> {
    let red = PALETTE[3];
    let line = red.stroke_width(2);
    chart
        .draw_series(LineSeries::new(path.iter().copied(), line))
        .map_err(plot_err)?
        .label("descent path (big dot = start)")
        .legend(move |(x, y)| legend_line(x, y, line));
    let dots =
        path.iter().enumerate().map(|(i, &p)| Circle::new(p, if i == 0 { 6 } else { 3 }, red.filled()));
    chart.draw_series(dots).map_err(plot_err)?;
    Ok(())
}

/// The colour bar of [`contour`]: the bands stacked from low (bottom) to high,
/// with a value axis.
fn draw_colour_bar(area: &Area<'_>, levels: &Range<f64>) -> Result<()> {
    let mut bar = ChartBuilder::on(area)
        // Lines the bar up with the plotting area of the main chart.
        .margin_top(CHART_MARGIN_TOP)
        .margin_bottom(CHART_MARGIN + X_LABEL_AREA)
        .margin_right(36)
        .y_label_area_size(0)
        .right_y_label_area_size(46)
        .build_cartesian_2d(0.0..1.0, levels.clone())
        .map_err(plot_err)?;
    let bands = (0..BANDS).map(|k| {
        let corners = [(0.0, band_edge(k, levels)), (1.0, band_edge(k + 1, levels))];
        Rectangle::new(corners, band_colour(k).filled())
    });
    bar.draw_series(bands).map_err(plot_err)?;
    bar.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(6)
        .label_style((FONT, 14))
        .draw()
        .map_err(plot_err)
}

/// Which of the [`BANDS`] equal bands of `levels` the value `v` falls in.
fn band(v: f64, levels: &Range<f64>) -> usize {
    let fraction = (v - levels.start) / (levels.end - levels.start);
    ((fraction * BANDS as f64) as usize).min(BANDS - 1)
}

/// The value where band `k` starts (`k = BANDS` gives the top of the last band).
fn band_edge(k: usize, levels: &Range<f64>) -> f64 {
    levels.start + (levels.end - levels.start) * k as f64 / BANDS as f64
}

/// Colour of band `k`: the viridis colour map (dark blue → green → yellow, which
/// stays readable in greyscale and for colour-blind readers), lightened so that
/// the red path and the black text stay visible on top of it.
fn band_colour(k: usize) -> RGBColor {
    const VIRIDIS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let t = (k as f64 + 0.5) / BANDS as f64 * (VIRIDIS.len() - 1) as f64;
    let i = (t as usize).min(VIRIDIS.len() - 2);
    let s = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * s).round() as u8;
    lighten(RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2)), 0.45)
}

// ---------------------------------------------------------------------------
// Sampling grid shared by decision_boundary and contour
// ---------------------------------------------------------------------------

/// The centres of the `GRID_CELLS × GRID_CELLS` cells covering `x × y`, row by
/// row from the bottom (x varies fastest).
fn grid_centres(x: &Range<f64>, y: &Range<f64>) -> Vec<(f64, f64)> {
    let at = |r: &Range<f64>, k: usize| r.start + (r.end - r.start) * (k as f64 + 0.5) / GRID_CELLS as f64;
    (0..GRID_CELLS).flat_map(|j| (0..GRID_CELLS).map(move |i| (at(x, i), at(y, j)))).collect()
}

/// A function's values at the [`grid_centres`] of a rectangle.
struct Grid {
    x: Range<f64>,
    y: Range<f64>,
    /// Row-major from the bottom row: the value of cell (i, j) is at `j * GRID_CELLS + i`.
    values: Vec<f64>,
}

impl Grid {
    fn new(x: Range<f64>, y: Range<f64>, values: Vec<f64>) -> Self {
        debug_assert_eq!(values.len(), GRID_CELLS * GRID_CELLS);
        Grid { x, y, values }
    }

    fn value(&self, i: usize, j: usize) -> f64 {
        self.values[j * GRID_CELLS + i]
    }

    /// The corner of cells at column edge `i` and row edge `j` (0..=GRID_CELLS).
    /// Neighbouring cells compute their shared edge identically, so no gap
    /// appears between their rectangles.
    fn corner(&self, i: usize, j: usize) -> (f64, f64) {
        let at = |r: &Range<f64>, k: usize| r.start + (r.end - r.start) * k as f64 / GRID_CELLS as f64;
        (at(&self.x, i), at(&self.y, j))
    }

    fn centre(&self, i: usize, j: usize) -> (f64, f64) {
        let ((x0, y0), (x1, y1)) = (self.corner(i, j), self.corner(i + 1, j + 1));
        ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
    }

    /// The line(s) where the sampled function equals `level`, as short segments
    /// (the "marching squares" method: in each square of four neighbouring
    /// samples, the line crosses the sides whose ends lie on opposite sides of
    /// `level`, at the linearly interpolated point).
    fn iso_lines(&self, level: f64) -> Vec<Vec<(f64, f64)>> {
        let mut segments: Vec<[(f64, f64); 2]> = Vec::new();
        for j in 0..GRID_CELLS - 1 {
            for i in 0..GRID_CELLS - 1 {
                // Corners anticlockwise from bottom-left; side k joins corner k and k + 1.
                let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
                let v = corners.map(|(a, b)| self.value(a, b));
                if v.iter().any(|v| !v.is_finite()) {
                    continue;
                }
                let p = corners.map(|(a, b)| self.centre(a, b));
                let cross: Vec<(f64, f64)> = (0..4)
                    .filter_map(|k| crossing((p[k], v[k]), (p[(k + 1) % 4], v[(k + 1) % 4]), level))
                    .collect();
                match cross[..] {
                    [a, b] => segments.push([a, b]),
                    // A saddle: opposite corners agree. The average of the corners
                    // decides which pair of corners the region between them joins.
                    [a, b, c, d] => {
                        let centre_below = v.iter().sum::<f64>() / 4.0 < level;
                        if centre_below == (v[0] < level) {
                            segments.extend([[a, b], [c, d]]);
                        } else {
                            segments.extend([[d, a], [b, c]]);
                        }
                    }
                    _ => {}
                }
            }
        }
        join_segments(&segments)
    }
}

/// Joins segments that share an end into polylines: far fewer SVG elements, and
/// no darker dots where the ends of translucent segments would overlap.
fn join_segments(segments: &[[(f64, f64); 2]]) -> Vec<Vec<(f64, f64)>> {
    // `crossing` makes shared ends bit-identical, so the bits can be the key.
    let key = |p: (f64, f64)| (p.0.to_bits(), p.1.to_bits());
    let mut touching: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
    for (i, segment) in segments.iter().enumerate() {
        for &p in segment {
            touching.entry(key(p)).or_default().push(i);
        }
    }
    let mut used = vec![false; segments.len()];
    let mut lines = Vec::new();
    for first in 0..segments.len() {
        if used[first] {
            continue;
        }
        used[first] = true;
        let mut line = VecDeque::from(segments[first]);
        // Grow the line at its back, then at its front, until no segment continues it.
        for at_back in [true, false] {
            loop {
                let end = if at_back { line.back() } else { line.front() };
                let Some(&end) = end else { break };
                let next = touching[&key(end)].iter().copied().find(|&i| !used[i]);
                let Some(next) = next else { break };
                used[next] = true;
                let [a, b] = segments[next];
                let other = if key(a) == key(end) { b } else { a };
                if at_back {
                    line.push_back(other);
                } else {
                    line.push_front(other);
                }
            }
        }
        lines.push(Vec::from(line));
    }
    lines
}

/// Where the value crosses `level` on the side between two samples `(point, value)`,
/// if it does.
fn crossing(a: ((f64, f64), f64), b: ((f64, f64), f64), level: f64) -> Option<(f64, f64)> {
    // Interpolate from the same end whichever of the two cells sharing this side
    // asks, so both get the bit-identical point and `join_segments` can match them.
    let ((p0, v0), (p1, v1)) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    if (v0 < level) == (v1 < level) {
        return None;
    }
    let t = (level - v0) / (v1 - v0);
    Some((p0.0 + t * (p1.0 - p0.0), p0.1 + t * (p1.1 - p0.1)))
}

/// Shades every grid cell in the colour `colour_of` gives its value (`None` leaves
/// it blank). Neighbouring cells of a row with the same colour become one
/// rectangle, which keeps the SVG small.
fn fill_cells(
    chart: &mut LinearChart<'_, '_>,
    grid: &Grid,
    colour_of: impl Fn(f64) -> Option<RGBColor>,
) -> Result<()> {
    let mut rects = Vec::new();
    for j in 0..GRID_CELLS {
        let mut i = 0;
        while i < GRID_CELLS {
            let (start, colour) = (i, colour_of(grid.value(i, j)));
            while i < GRID_CELLS && colour_of(grid.value(i, j)) == colour {
                i += 1;
            }
            if let Some(colour) = colour {
                let corners = [grid.corner(start, j), grid.corner(i, j + 1)];
                rects.push(Rectangle::new(corners, colour.filled()));
            }
        }
    }
    chart.draw_series(rects).map_err(plot_err)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Shared helpers: drawing
// ---------------------------------------------------------------------------

/// Draws a figure of `size` pixels: white background, `title` on top, then
/// whatever `draw` puts in the area below the title.
fn render(size: (u32, u32), title: &str, draw: impl FnOnce(&Area<'_>) -> Result<()>) -> Result<Figure> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let body = root.titled(title, (FONT, 24)).map_err(plot_err)?;
        draw(&body)?;
        root.present().map_err(plot_err)?;
    }
    Ok(Figure { svg, width: size.0, height: size.1 })
}

/// The margins and label areas every full-size chart uses.
fn chart_builder<'a, 'b>(area: &'a Area<'b>) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(CHART_MARGIN)
        .margin_top(CHART_MARGIN_TOP)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(70);
    builder
}

/// Grid lines, axes, tick labels (about `ticks` per axis) and the axis labels.
fn draw_axes<X, Y>(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<X, Y>>,
    x_label: &str,
    y_label: &str,
    ticks: usize,
) -> Result<()>
where
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged + ValueFormatter<Y::ValueType>,
{
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_labels(ticks)
        .y_labels(ticks)
        .axis_desc_style((FONT, 17))
        .label_style((FONT, 15))
        .bold_line_style(BLACK.mix(0.12))
        // No minor grid lines: they add clutter (and a texture over shaded plots).
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(plot_err)
}

/// A tick value rounded to 6 significant digits and printed in its shortest
/// form: `0.30000000000000004` becomes `0.3`, `1e-7` stays exact.
fn tick_label(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let scale = 10f64.powi(5 - v.abs().log10().floor() as i32);
    format!("{}", (v * scale).round() / scale)
}

/// The legend, in the corner `corner`, on a translucent white box.
fn draw_legend<'a, 'b: 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    corner: SeriesLabelPosition,
) -> Result<()> {
    chart
        .configure_series_labels()
        .position(corner)
        .margin(8)
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(plot_err)
}

/// The legend symbol of a line: a short stretch of it.
fn legend_line(x: i32, y: i32, style: ShapeStyle) -> PathElement<(i32, i32)> {
    PathElement::new(vec![(x, y), (x + 20, y)], style)
}

/// The legend corner that hides the fewest drawn points. `points` are in units of
/// the plot (0..1 from left to right and bottom to top). Ties go to the upper
/// right, where readers look for a legend first.
fn emptiest_corner(points: impl IntoIterator<Item = (f64, f64)>) -> SeriesLabelPosition {
    use SeriesLabelPosition::*;
    let corners = [UpperRight, UpperLeft, LowerRight, LowerLeft];
    let mut counts = [0usize; 4];
    for (x, y) in points {
        let (right, left, top, bottom) = (x > 0.55, x < 0.45, y > 0.6, y < 0.4);
        counts[0] += (top && right) as usize;
        counts[1] += (top && left) as usize;
        counts[2] += (bottom && right) as usize;
        counts[3] += (bottom && left) as usize;
    }
    let best = (0..4).min_by_key(|&k| counts[k]).unwrap_or(0);
    corners[best].clone()
}

/// Palette colour number `i`, starting again after the tenth.
fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// `c` moved `amount` (0..1) of the way towards white.
fn lighten(c: RGBColor, amount: f64) -> RGBColor {
    let towards_white = |v: u8| (v as f64 + (255.0 - v as f64) * amount).round() as u8;
    RGBColor(towards_white(c.0), towards_white(c.1), towards_white(c.2))
}

fn plot_err(e: impl fmt::Display) -> Error {
    Error::Plot(e.to_string())
}

// ---------------------------------------------------------------------------
// Shared helpers: checks and ranges
// ---------------------------------------------------------------------------

/// x and y of `what` are non-empty, of equal length and finite.
fn check_xy(what: &str, xs: &[f64], ys: &[f64]) -> Result<()> {
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
    check_finite(what, xs, 0)?;
    check_finite(what, ys, 1)
}

/// The first NaN or infinity in `values`, reported as row `i` of column `column`.
fn check_finite(what: &str, values: &[f64], column: usize) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(row) => Err(Error::NonFinite { what: what.into(), row, column, value: values[row] }),
        None => Ok(()),
    }
}

/// A range given by the caller is finite and does not run backwards.
fn check_range(name: &'static str, (lo, hi): (f64, f64)) -> Result<()> {
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
fn sample((lo, hi): (f64, f64), f: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    (0..SAMPLES).map(|i| lo + (hi - lo) * i as f64 / (SAMPLES - 1) as f64).map(|x| (x, f(x))).collect()
}

/// The smallest and largest value, or `None` for no values. Callers pass finite
/// values only.
fn bounds(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
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
fn padded(range: Option<(f64, f64)>, margin: f64) -> Result<Range<f64>> {
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
fn padded_log(range: Option<(f64, f64)>) -> Result<Range<f64>> {
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
fn unit(v: f64, range: &Range<f64>) -> f64 {
    (v - range.start) / (range.end - range.start)
}
