//! [`Heatmap`]: a matrix as coloured cells with their values, e.g. a confusion matrix.

use ndarray::ArrayView2;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figure::{check_size, render, Figure};
use super::ranges::bounds;
use super::style::{plot_err, short_number, text_colour_on, text_width, Area, FONT};
use crate::{check, Error, Result};

/// The matrix is drawn about this many pixels on its longer side, with cells
/// between `MIN_CELL` and `MAX_CELL` pixels wide.
const MATRIX_SIDE: usize = 480;
const MIN_CELL: usize = 12;
const MAX_CELL: usize = 56;

/// Plotters font size of tick labels and axis labels.
const TICK_FONT: f64 = 15.0;
const LABEL_FONT: f64 = 17.0;

/// Steps of the colour bar, and its width in pixels.
const BAR_STEPS: usize = 20;
const BAR_WIDTH: i32 = 16;

/// Light → dark blue (matplotlib's "Blues"), for values of one sign.
const BLUES: [(f64, f64, f64); 3] = [(247.0, 251.0, 255.0), (107.0, 174.0, 214.0), (8.0, 48.0, 107.0)];

/// Red → white → blue, for values of both signs, white at 0.
const RED_BLUE: [(f64, f64, f64); 3] = [(178.0, 24.0, 43.0), (247.0, 247.0, 247.0), (33.0, 102.0, 172.0)];

/// A matrix as a grid of coloured cells, each labelled with its value: row `i`
/// of `values` is drawn as row `i` from the top, as a confusion matrix is read
/// (rows = true class, columns = predicted class).
///
/// Values are printed short: whole numbers without decimals (`12`), others
/// with 3 significant digits. Colours run from light to dark blue between the
/// smallest and the largest value; when values of both signs occur, negative
/// ones are red, positive ones blue and 0 white. The colour bar on the right
/// gives the scale. Text is black on light cells and white on dark ones.
///
/// [`x_ticks`](Heatmap::x_ticks) name the columns and
/// [`y_ticks`](Heatmap::y_ticks) the rows (anything printable); without them
/// they are numbered 0, 1, 2, ... [`labels`](Heatmap::labels) names the axes.
///
/// ```
/// use nnlib::ndarray::array;
/// let confusion = array![[50.0, 2.0], [3.0, 45.0]];
/// let classes = ["cat", "dog"];
/// let fig = nnlib::plot::Heatmap::new("Confusion", confusion.view())
///     .labels("predicted", "true")
///     .x_ticks(&classes)
///     .y_ticks(&classes)
///     .draw()?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// # Errors
/// [`Error::Empty`] if `values` has no row or no column; [`Error::NonFinite`] for
/// a NaN or infinity; [`Error::Shape`] if `x_ticks` (`y_ticks`) is neither empty
/// nor one per column (row); [`Error::InvalidParameter`] if the matrix is too
/// large to draw (more than about 1300 cells a side, see [`MAX_SIDE`](super::MAX_SIDE)).
#[derive(Debug, Clone)]
pub struct Heatmap<'a> {
    title: String,
    values: ArrayView2<'a, f64>,
    labels: (String, String),
    x_ticks: Vec<String>,
    y_ticks: Vec<String>,
}

impl<'a> Heatmap<'a> {
    /// The matrix `values` under `title`, axes unlabelled, rows and columns numbered.
    pub fn new(title: impl Into<String>, values: ArrayView2<'a, f64>) -> Self {
        let labels = (String::new(), String::new());
        Heatmap { title: title.into(), values, labels, x_ticks: vec![], y_ticks: vec![] }
    }

    /// The axes' names: under the columns (`x`), beside the rows (`y`).
    pub fn labels(mut self, x: impl Into<String>, y: impl Into<String>) -> Self {
        self.labels = (x.into(), y.into());
        self
    }

    /// One name per column.
    pub fn x_ticks(mut self, ticks: &[impl std::fmt::Display]) -> Self {
        self.x_ticks = ticks.iter().map(|t| t.to_string()).collect();
        self
    }

    /// One name per row.
    pub fn y_ticks(mut self, ticks: &[impl std::fmt::Display]) -> Self {
        self.y_ticks = ticks.iter().map(|t| t.to_string()).collect();
        self
    }

    /// Draws the matrix.
    pub fn draw(&self) -> Result<Figure> {
        let Heatmap { title, values, labels: (x_label, y_label), x_ticks, y_ticks } = self;
        let values = *values;
        let (rows, cols) = values.dim();
        if rows == 0 || cols == 0 {
            return Err(Error::Empty(format!("heatmap: a {rows} × {cols} matrix has no cells")));
        }
        check::finite("heatmap: values", &values)?;
        let x_ticks = ticks("x_ticks", x_ticks, cols)?;
        let y_ticks = ticks("y_ticks", y_ticks, rows)?;
        let scale = Scale::of(values);

        let cell = (MATRIX_SIDE / rows.max(cols)).clamp(MIN_CELL, MAX_CELL) as i64;
        let tick_w = y_ticks.iter().map(|t| text_width(t, TICK_FONT)).fold(0.0, f64::max) as i64;
        // Left: y label (rotated), y tick labels. Right: colour bar and its labels.
        let left = 34 + tick_w + 8;
        let bar_labels = [scale.lo, scale.hi].map(|v| text_width(&short_number(v), TICK_FONT) as i64);
        let right = 24 + BAR_WIDTH as i64 + 8 + bar_labels[0].max(bar_labels[1]) + 12;
        let (matrix_w, matrix_h) = (cell.saturating_mul(cols as i64), cell.saturating_mul(rows as i64));
        let width = (left + matrix_w + right).max(text_width(title, 24.0) as i64 + 28);
        let height = 34 + 8 + matrix_h + 58;
        let size = check_size("heatmap: figure size", (width as u64, height as u64))?;

        render(size, title, |area| {
            let origin = ((left + (width - left - matrix_w - right) / 2) as i32, 8);
            let layout = Layout { origin, cell: cell as i32, rows };
            draw_cells(area, &layout, values, &scale)?;
            draw_ticks(area, &layout, &x_ticks, &y_ticks)?;
            let (x0, y0) = origin;
            let (mw, mh) = (matrix_w as i32, matrix_h as i32);
            let label = |text: &str, at, rotate| {
                let style = TextStyle::from((FONT, LABEL_FONT)).pos(Pos::new(HPos::Center, VPos::Center));
                let style = if rotate { style.transform(FontTransform::Rotate270) } else { style };
                area.draw(&Text::new(text.to_string(), at, style)).map_err(plot_err)
            };
            label(x_label, (x0 + mw / 2, y0 + mh + 40), false)?;
            label(y_label, (x0 - tick_w as i32 - 26, y0 + mh / 2), true)?;
            draw_colour_bar(area, (x0 + mw + 24, y0), mh, &scale)
        })
    }
}

/// The tick labels to draw: the given ones, or 0, 1, 2, ... when none are given.
fn ticks(name: &'static str, given: &[String], n: usize) -> Result<Vec<String>> {
    match given.len() {
        0 => Ok((0..n).map(|i| i.to_string()).collect()),
        len if len == n => Ok(given.to_vec()),
        len => Err(Error::Shape {
            context: format!("heatmap: {name}"),
            expected: format!(
                "one label per {} ({n}), or none",
                if name == "x_ticks" { "column" } else { "row" }
            ),
            got: format!("{len} labels"),
        }),
    }
}

/// Where the matrix is: its top-left corner, the side of a cell, its number of rows.
struct Layout {
    origin: (i32, i32),
    cell: i32,
    rows: usize,
}

impl Layout {
    /// The top-left corner of the cell in row `i`, column `j`.
    fn corner(&self, i: usize, j: usize) -> (i32, i32) {
        (self.origin.0 + j as i32 * self.cell, self.origin.1 + i as i32 * self.cell)
    }
}

/// Each cell in its colour, with its value printed on it when the cell is large enough.
fn draw_cells(area: &Area<'_>, layout: &Layout, values: ArrayView2<f64>, scale: &Scale) -> Result<()> {
    let c = layout.cell;
    for ((i, j), &v) in values.indexed_iter() {
        let (x, y) = layout.corner(i, j);
        let colour = scale.colour(v);
        area.draw(&Rectangle::new([(x, y), (x + c, y + c)], colour.filled())).map_err(plot_err)?;
        let text = short_number(v);
        // Shrink long numbers to fit the cell; leave out what would still not fit.
        let font = (TICK_FONT * (c as f64 - 6.0) / text_width(&text, TICK_FONT)).min(TICK_FONT);
        if font >= 9.0 {
            let ink = text_colour_on(colour);
            let style = TextStyle::from((FONT, font)).color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
            area.draw(&Text::new(text, (x + c / 2, y + c / 2), style)).map_err(plot_err)?;
        }
    }
    Ok(())
}

/// Column labels under the matrix and row labels on its left.
fn draw_ticks(area: &Area<'_>, layout: &Layout, x_ticks: &[String], y_ticks: &[String]) -> Result<()> {
    let c = layout.cell;
    let bottom = layout.corner(layout.rows, 0).1;
    for (j, tick) in x_ticks.iter().enumerate() {
        // A long label shrinks (down to a legible 9) to stay under its own column.
        let font =
            (TICK_FONT * (c as f64 - 2.0) / text_width(tick, TICK_FONT).max(1.0)).clamp(9.0, TICK_FONT);
        let style = TextStyle::from((FONT, font)).pos(Pos::new(HPos::Center, VPos::Top));
        let at = (layout.corner(0, j).0 + c / 2, bottom + 6);
        area.draw(&Text::new(tick.as_str(), at, style)).map_err(plot_err)?;
    }
    for (i, tick) in y_ticks.iter().enumerate() {
        let style = TextStyle::from((FONT, TICK_FONT)).pos(Pos::new(HPos::Right, VPos::Center));
        let at = (layout.origin.0 - 6, layout.corner(i, 0).1 + c / 2);
        area.draw(&Text::new(tick.as_str(), at, style)).map_err(plot_err)?;
    }
    Ok(())
}

/// The colour bar: the scale from `lo` (bottom) to `hi` (top), labelled at both ends.
fn draw_colour_bar(area: &Area<'_>, (x, y): (i32, i32), height: i32, scale: &Scale) -> Result<()> {
    for k in 0..BAR_STEPS {
        // Step 0 is the top (hi); each step shows the colour at its middle.
        let t = 1.0 - (k as f64 + 0.5) / BAR_STEPS as f64;
        let (top, bottom) =
            (y + height * k as i32 / BAR_STEPS as i32, y + height * (k as i32 + 1) / BAR_STEPS as i32);
        let colour = scale.colour(scale.lo + t * (scale.hi - scale.lo));
        area.draw(&Rectangle::new([(x, top), (x + BAR_WIDTH, bottom)], colour.filled())).map_err(plot_err)?;
    }
    for (v, at_y, v_pos) in [(scale.hi, y, VPos::Top), (scale.lo, y + height, VPos::Bottom)] {
        let style = TextStyle::from((FONT, TICK_FONT)).pos(Pos::new(HPos::Left, v_pos));
        area.draw(&Text::new(short_number(v), (x + BAR_WIDTH + 6, at_y), style)).map_err(plot_err)?;
    }
    Ok(())
}

/// The colour scale of a heatmap: sequential blues from `lo` to `hi`, or, for
/// values of both signs, red-white-blue symmetric about 0.
struct Scale {
    lo: f64,
    hi: f64,
    diverging: bool,
}

impl Scale {
    fn of(values: ArrayView2<f64>) -> Self {
        let (lo, hi) = bounds(values.iter().copied()).unwrap_or((0.0, 0.0));
        let diverging = lo < 0.0 && hi > 0.0;
        if diverging {
            let m = lo.abs().max(hi);
            Scale { lo: -m, hi: m, diverging }
        } else {
            Scale { lo, hi, diverging }
        }
    }

    fn colour(&self, v: f64) -> RGBColor {
        // A constant matrix (zero range) gets the middle of the scale. Halving
        // first keeps `hi - lo` finite for values near ±1e308.
        let t =
            if self.hi > self.lo { (v / 2.0 - self.lo / 2.0) / (self.hi / 2.0 - self.lo / 2.0) } else { 0.5 };
        interpolate(if self.diverging { &RED_BLUE } else { &BLUES }, t)
    }
}

/// The colour at `t` (0..1) along evenly spaced colour `stops`.
fn interpolate(stops: &[(f64, f64, f64)], t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0) * (stops.len() - 1) as f64;
    let i = (t as usize).min(stops.len() - 2);
    let s = t - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * s).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
