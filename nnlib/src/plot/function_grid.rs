//! [`function_grid`]: a grid of small plots of functions, each a [`Panel`].

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figure::{check_size, render, Figure};
use super::ranges::{bounds, check_range, padded, sample};
use super::style::{colour, draw_axes, legend_line, plot_err, text_width, Area, FONT};
use crate::{Error, Result};

/// The size of one panel of a [`function_grid`], without its legend.
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
/// Each panel is 320 × 260 pixels and has its own title and axis labels; curves
/// take the palette colours in order in every panel. A panel with several
/// curves names them in a legend under its plot (the panels then grow by its
/// height), so that the legend never hides a curve. The figure is made wider
/// than its panels when its title needs the room.
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
    let width = (cols as f64 * PANEL_SIZE.0 as f64).max(text_width(title, 20.0) + 40.0);
    let panel_width = width / cols as f64;
    let legend_h = panels.iter().map(|p| legend_height(p, panel_width)).max().unwrap_or(0);
    let height = rows as u64 * (PANEL_SIZE.1 + legend_h) as u64 + 40;
    let size = check_size("function_grid: figure size", (width.ceil() as u64, height))?;
    render(size, title, |area| {
        let cells = area.split_evenly((rows, cols));
        for ((cell, panel), samples) in cells.iter().zip(panels).zip(&samples) {
            let (_, h) = cell.dim_in_pixel();
            let (plot, legend) = cell.split_vertically(h.saturating_sub(legend_h));
            draw_panel(&plot, panel, samples)?;
            if panel.curves.len() > 1 {
                draw_legend_below(&legend, panel)?;
            }
        }
        Ok(())
    })
}

/// Height of one row of a legend under a panel, and its font size.
const LEGEND_ROW: u32 = 20;
const LEGEND_FONT: f64 = 14.0;

/// How many legend entries fit side by side in a panel `width` pixels wide,
/// and how wide each is.
fn legend_columns(panel: &Panel<'_>, width: f64) -> (usize, f64) {
    let widest = panel.curves.iter().map(|(name, _)| text_width(name, LEGEND_FONT)).fold(0.0, f64::max);
    let entry = widest + 44.0;
    (((width - 16.0) / entry).floor().max(1.0) as usize, entry)
}

/// The height of the legend under a panel: 0 for a single curve.
fn legend_height(panel: &Panel<'_>, width: f64) -> u32 {
    if panel.curves.len() < 2 {
        return 0;
    }
    let (columns, _) = legend_columns(panel, width);
    panel.curves.len().div_ceil(columns) as u32 * LEGEND_ROW + 4
}

/// Each curve's colour and name, in rows under the panel's plot.
fn draw_legend_below(area: &Area<'_>, panel: &Panel<'_>) -> Result<()> {
    let (columns, entry) = legend_columns(panel, area.dim_in_pixel().0 as f64);
    let used = columns.min(panel.curves.len()) as f64 * entry;
    let left = ((area.dim_in_pixel().0 as f64 - used) / 2.0).max(8.0);
    for (k, (name, _)) in panel.curves.iter().enumerate() {
        let x = (left + (k % columns) as f64 * entry) as i32;
        let y = ((k / columns) as u32 * LEGEND_ROW + LEGEND_ROW / 2) as i32;
        area.draw(&legend_line(x, y, colour(k).stroke_width(2))).map_err(plot_err)?;
        let style = TextStyle::from((FONT, LEGEND_FONT)).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(name.as_str(), (x + 26, y), style)).map_err(plot_err)?;
    }
    Ok(())
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

    for (k, points) in curves.iter().enumerate() {
        let style = colour(k).stroke_width(2);
        // A NaN or infinite sample splits the curve: no line is drawn across it.
        for run in points.split(|p| !p.1.is_finite()).filter(|run| !run.is_empty()) {
            chart.draw_series(LineSeries::new(run.iter().copied(), style)).map_err(plot_err)?;
        }
    }
    Ok(())
}
