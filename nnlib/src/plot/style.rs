//! The look all figures share: fonts, margins, the palette, axes and legends.

use std::fmt;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::ticks::LinearLabels;
use crate::{Error, Result};

pub(super) const FONT: &str = "sans-serif";

/// Space around a chart, and above it (below the title), in pixels.
pub(super) const CHART_MARGIN: u32 = 14;
pub(super) const CHART_MARGIN_TOP: u32 = 4;

/// Height of the space under a chart for the x tick labels and the x-axis label.
pub(super) const X_LABEL_AREA: u32 = 48;

/// matplotlib's "tab10" colours: distinct, and familiar from Python tutorials.
pub(super) const PALETTE: [RGBColor; 10] = [
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
pub(super) const DATA_COLOUR: RGBColor = RGBColor(70, 70, 70);

/// Lines drawn on top of shaded areas (decision boundaries, contour levels).
pub(super) const INK: RGBColor = RGBColor(40, 40, 40);

/// The drawing surface every plot is drawn on.
pub(super) type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// A chart with linear x and y axes.
pub(super) type LinearChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The margins and label areas every full-size chart uses.
pub(super) fn chart_builder<'a, 'b>(area: &'a Area<'b>) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(CHART_MARGIN)
        .margin_top(CHART_MARGIN_TOP)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(70);
    builder
}

/// Grid lines, axes, tick labels (at most `ticks` per axis) and the axis labels
/// of a chart with linear axes. Tick labels are as precise as the tick spacing
/// needs, so no two are the same (see [`LinearLabels`]).
pub(super) fn draw_axes(
    chart: &mut LinearChart<'_, '_>,
    x_label: &str,
    y_label: &str,
    ticks: usize,
) -> Result<()> {
    let x_format = LinearLabels::for_axis(&chart.x_range(), ticks);
    let y_format = LinearLabels::for_axis(&chart.y_range(), ticks);
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_labels(ticks)
        .y_labels(ticks)
        .x_label_formatter(&|v| x_format.label(*v))
        .y_label_formatter(&|v| y_format.label(*v))
        .axis_desc_style((FONT, 17))
        .label_style((FONT, 15))
        .bold_line_style(BLACK.mix(0.12))
        // No minor grid lines: they add clutter (and a texture over shaded plots).
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(plot_err)
}

/// A value rounded to 6 significant digits and printed in its shortest form:
/// `0.30000000000000004` becomes `0.3`; outside 0.0001 to 1 000 000 in
/// scientific notation (`1e-7`, `2.5e300`), never as hundreds of digits.
pub(super) fn precise(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    // Printing with 6 significant digits and reading back rounds in decimal,
    // which stays exact from the largest value down to the subnormals.
    let rounded: f64 = format!("{v:.5e}").parse().unwrap_or(v);
    if (1e-4..1e6).contains(&rounded.abs()) {
        format!("{rounded}")
    } else {
        format!("{rounded:e}")
    }
}

/// The legend, in the corner `corner`, on a translucent white box.
pub(super) fn draw_legend<'a, 'b: 'a, X: Ranged, Y: Ranged>(
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
pub(super) fn legend_line(x: i32, y: i32, style: ShapeStyle) -> PathElement<(i32, i32)> {
    PathElement::new(vec![(x, y), (x + 20, y)], style)
}

/// The legend corner that hides the fewest drawn points. `points` are in units of
/// the plot (0..1 from left to right and bottom to top). Ties go to the upper
/// right, where readers look for a legend first.
pub(super) fn emptiest_corner(points: impl IntoIterator<Item = (f64, f64)>) -> SeriesLabelPosition {
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
pub(super) fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// `c` moved `amount` (0..1) of the way towards white.
pub(super) fn lighten(c: RGBColor, amount: f64) -> RGBColor {
    let towards_white = |v: u8| (v as f64 + (255.0 - v as f64) * amount).round() as u8;
    RGBColor(towards_white(c.0), towards_white(c.1), towards_white(c.2))
}

pub(super) fn plot_err(e: impl fmt::Display) -> Error {
    Error::Plot(e.to_string())
}

/// Roughly how wide `text` is in pixels at plotters font `size` (the SVG font
/// size is `size / 1.24`; an average sans-serif character is about 0.55 em).
/// Used to give labels room, so it errs on the wide side.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size / 1.24 * 0.58
}

/// A value printed short for a label on a drawing: whole numbers without
/// decimals (`12`), others with 3 significant digits (`0.618`, `-1.25`,
/// `3.4e-5`), so that a cell or a neuron can hold it.
pub(super) fn short_number(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let size = v.abs();
    if v == v.round() && size < 1e6 {
        return format!("{}", v as i64);
    }
    if size != 0.0 && !(1e-3..1e5).contains(&size) {
        let text = format!("{v:.2e}");
        // "3.40e-5" → "3.4e-5", "1.00e7" → "1e7"
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let decimals = (2 - size.log10().floor() as i32).clamp(0, 5) as usize;
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// The grey of intensity `t` (0 = white, 1 = black), for images drawn in ink.
pub(super) fn grey(t: f64) -> RGBColor {
    let level = (255.0 * (1.0 - t.clamp(0.0, 1.0))).round() as u8;
    RGBColor(level, level, level)
}

/// Black or white, whichever reads better on `background`.
pub(super) fn text_colour_on(background: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = background;
    let luminance = (0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64) / 255.0;
    if luminance < 0.55 {
        WHITE
    } else {
        BLACK
    }
}
