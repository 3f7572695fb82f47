//! [`Contour`]: a cost surface as filled contour bands, with a descent path.

use std::ops::Range;

use plotters::prelude::*;

use super::figure::{render, Figure, DEFAULT_SIZE};
use super::grid::{fill_cells, grid_centres, Grid};
use super::ranges::{bounds, check_range, padded, unit};
use super::style::{
    chart_builder, draw_axes, draw_legend, emptiest_corner, legend_line, lighten, plot_err, Area,
    LinearChart, CHART_MARGIN, CHART_MARGIN_TOP, FONT, INK, PALETTE, X_LABEL_AREA,
};
use super::ticks::LinearLabels;
use crate::{Error, Result};

/// Number of filled colour bands (and so of contour levels) in [`Contour`].
pub(super) const BANDS: usize = 10;

/// A cost surface f(x, y) as a contour map, with an optional gradient-descent
/// path on top.
///
/// `f` is evaluated on a 100 × 100 grid over the ranges of [`x`](Contour::x) ×
/// [`y`](Contour::y) (each `(-1, 1)` unless set). The values are
/// split into 10 equal bands between their minimum and maximum, each filled with
/// one colour from dark blue (low) to yellow (high) and separated by thin contour
/// lines; the colour bar on the right gives each band's values. Points where `f` is
/// NaN or infinite are left white.
///
/// A [`path`](Contour::path), when given, is drawn as a red line with a dot at each step; its first
/// point, the start, has a larger dot. If the path leaves the given ranges, the
/// plot grows to show all of it.
///
/// ```
/// let cost = |w: f64, b: f64| (w - 2.0).powi(2) + 3.0 * (b + 1.0).powi(2);
/// let path = [(-1.0, 1.0), (0.2, -0.2), (1.1, -0.8), (1.6, -0.95)];
/// let fig = nnlib::plot::Contour::new("Cost J(w, b)", cost)
///     .x("w", (-2.0, 4.0))
///     .y("b", (-3.0, 2.0))
///     .path(&path)
///     .draw()?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] if a range is not finite or runs backwards;
/// [`Error::NonFinite`] for a NaN or infinity in `path` (column 0 is x, 1 is y);
/// [`Error::Empty`] if `f` has no finite value on the grid.
#[derive(Debug, Clone)]
pub struct Contour<F> {
    title: String,
    f: F,
    x: (String, (f64, f64)),
    y: (String, (f64, f64)),
    path: Vec<(f64, f64)>,
}

impl<F: Fn(f64, f64) -> f64> Contour<F> {
    /// The surface `f(x, y)` under `title`, over `(-1, 1)` × `(-1, 1)`, without a path.
    pub fn new(title: impl Into<String>, f: F) -> Self {
        let axis = |name: &str| (name.to_string(), (-1.0, 1.0));
        Contour { title: title.into(), f, x: axis("x"), y: axis("y"), path: vec![] }
    }

    /// The x axis: its name and the range of `f`'s first argument.
    pub fn x(mut self, label: impl Into<String>, range: (f64, f64)) -> Self {
        self.x = (label.into(), range);
        self
    }

    /// The y axis: its name and the range of `f`'s second argument.
    pub fn y(mut self, label: impl Into<String>, range: (f64, f64)) -> Self {
        self.y = (label.into(), range);
        self
    }

    /// The points `(x, y)` of a descent path, start first.
    pub fn path(mut self, path: &[(f64, f64)]) -> Self {
        self.path = path.to_vec();
        self
    }

    /// Draws the surface.
    pub fn draw(&self) -> Result<Figure> {
        let Contour { title, f, path, .. } = self;
        let ((x_label, x_range), (y_label, y_range)) = (&self.x, &self.y);
        let (x_range, y_range) = (*x_range, *y_range);
        check_range("x_range", x_range)?;
        check_range("y_range", y_range)?;
        let (path_x, path_y): (Vec<f64>, Vec<f64>) = path.iter().copied().unzip();
        crate::check::finite_column("contour: path", &path_x, 0)?;
        crate::check::finite_column("contour: path", &path_y, 1)?;
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
            let mut chart = chart_builder(&main)
                .build_cartesian_2d(x_range.clone(), y_range.clone())
                .map_err(plot_err)?;
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
}

/// The gradient-descent path of [`Contour`]: a red polyline, a dot per step and a
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

/// The colour bar of [`Contour`]: the bands stacked from low (bottom) to high,
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
    let labels = LinearLabels::for_axis(levels, 6);
    bar.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(6)
        .y_label_formatter(&|v| labels.label(*v))
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
