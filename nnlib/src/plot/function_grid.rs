//! [`function_grid`]: a grid of small plots of functions, each a [`Panel`].

use plotters::prelude::*;

use super::data::{bounds, check_range, padded, sample, unit};
use super::figure::{render, Figure};
use super::style::{colour, draw_axes, draw_legend, emptiest_corner, legend_line, plot_err, Area, FONT};
use crate::{Error, Result};

/// The size of one panel of a [`function_grid`].
pub(super) const PANEL_SIZE: (u32, u32) = (320, 260);

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
