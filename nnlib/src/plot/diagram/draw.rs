//! Draws a checked [`Model`] in the lecture's layout: layers left to right,
//! neurons as circles named `a_j(l)`, one edge per weight `w_jk(l)`.

use plotters::style::RGBColor;

use super::content::{Column, Edge, Model, Neuron};
use super::layout::{
    box_height, box_width, edge_ends, highlighted_edge, highlighted_neuron, layout, Geometry, Layout,
    FONT_SIZE, LINE, TITLE_SIZE,
};
use super::text::{
    dominant, edge_tooltip, edge_value, given_name, heading, legend, neuron_lines, neuron_name, value_lines,
    weight_box,
};
use crate::plot::figure::Figure;
use crate::plot::style::{short_number, text_colour_on};
use crate::plot::svg::{Svg, TextStyle};
use crate::Result;

const POSITIVE: RGBColor = RGBColor(33, 102, 172);

const NEGATIVE: RGBColor = RGBColor(178, 24, 43);

const NEUTRAL: RGBColor = RGBColor(150, 150, 150);

const HIGHLIGHT: RGBColor = RGBColor(242, 183, 5);

const OUTLINE: RGBColor = RGBColor(60, 60, 60);

pub(super) fn draw(model: &Model, title: &str) -> Result<Figure> {
    let layout = layout(model, title);
    let mut svg = Svg::new(layout.width, layout.height)?;
    svg.text((layout.width / 2.0, 22.0), title, TextStyle::new(TITLE_SIZE, "middle"));
    draw_headings(&mut svg, model, &layout);
    // The highlighted edge's glow goes under all edges, so its label stays readable.
    if let (Some(edge), Some((l, _, _))) = (highlighted_edge(model), model.weight) {
        let (from, to) = edge_ends(model, &layout, l, edge);
        svg.line("highlight", from, to, HIGHLIGHT, 10.0, 0.75, None);
    }
    for (l, edges) in model.edges.iter().enumerate().map(|(i, e)| (i + 1, e)) {
        draw_edges(&mut svg, model, &layout, l, edges);
    }
    for (column, centres) in model.columns.iter().zip(&layout.centres) {
        for (neuron, &centre) in column.neurons.iter().zip(centres) {
            draw_neuron(&mut svg, model, &layout.g, column, neuron, centre);
        }
    }
    for &(x, y) in &layout.gaps {
        svg.text((x, y), "⋮", TextStyle::new(20.0, "middle").bold());
    }
    draw_highlights(&mut svg, model, &layout);
    draw_legend(&mut svg, model, &layout);
    Ok(svg.finish())
}

/// Blue for positive, red for negative, `t` (0..1) of the way from white.
fn signed_colour(v: f64, t: f64) -> RGBColor {
    let base = if v >= 0.0 { POSITIVE } else { NEGATIVE };
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 1.0 };
    let mix = |c: u8| (255.0 + (c as f64 - 255.0) * t).round() as u8;
    if v.is_nan() {
        NEUTRAL
    } else {
        RGBColor(mix(base.0), mix(base.1), mix(base.2))
    }
}

/// Decades that [`share`] spans on the one, logarithmic scale: a value
/// `10^-ONE_SCALE_DECADES` times the largest is drawn as faintly as 0.
const ONE_SCALE_DECADES: f64 = 6.0;

/// Where `|v|` lies between 0 and `scale` (the largest magnitude), from 0 to 1:
/// linearly within one layer, or on the whole network's one scale
/// logarithmically, each factor of 10 below the largest one sixth fainter, so
/// that a gradient shrinking layer by layer fades step by step instead of
/// vanishing after two layers.
fn share(v: f64, scale: f64, one_scale: bool) -> f64 {
    if scale.is_nan() || scale <= 0.0 || !v.is_finite() || v == 0.0 {
        return 0.0;
    }
    let linear = (v.abs() / scale).min(1.0);
    if one_scale {
        (1.0 + linear.log10() / ONE_SCALE_DECADES).max(0.0)
    } else {
        linear
    }
}

/// The largest magnitude, or 0.
fn max_abs(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().filter(|v| v.is_finite()).fold(0.0, |m, v| m.max(v.abs()))
}

fn draw_headings(svg: &mut Svg, model: &Model, layout: &Layout) {
    let last = model.columns.len();
    for (c, column) in model.columns.iter().enumerate() {
        let x = layout.g.left + layout.g.r + c as f64 * layout.g.dx;
        let l = column.l;
        let (role, kind) = heading(model, column);
        svg.text((x, 48.0), &role, TextStyle::new(FONT_SIZE + 1.0, "middle").bold());
        svg.text((x, 64.0), &kind, TextStyle::new(FONT_SIZE, "middle"));
        if c + 1 < last {
            let mid = x + layout.g.dx / 2.0;
            svg.text(
                (mid, 82.0),
                &format!("W({l})"),
                TextStyle::new(FONT_SIZE + 1.0, "middle").colour(OUTLINE),
            );
        }
    }
}

fn draw_edges(svg: &mut Svg, model: &Model, layout: &Layout, l: usize, edges: &[Edge]) {
    let scale = if model.one_scale {
        max_abs(model.edges.iter().flatten().map(|e| edge_value(model, e)))
    } else {
        max_abs(edges.iter().map(|e| edge_value(model, e)))
    };
    let label_edges = layout.g.detailed && edges.len() <= 16;
    for edge in edges {
        let v = edge_value(model, edge);
        let t = share(v, scale, model.one_scale);
        let (from, to) = edge_ends(model, layout, l, edge);
        let colour = if t > 0.0 { signed_colour(v, 1.0) } else { NEUTRAL };
        // Many thin, faint edges in a compact diagram, so that the strong ones stand out.
        let (width, opacity) =
            if layout.g.detailed { (0.8 + 4.2 * t, 0.3 + 0.6 * t) } else { (0.4 + 1.6 * t, 0.12 + 0.6 * t) };
        svg.line("edge", from, to, colour, width, opacity, Some(&edge_tooltip(l, edge)));
        if label_edges {
            // Each source's labels at their own distance along the edges, so
            // that the labels of edges converging on one neuron do not collide.
            let n_from = model.columns[l - 1].neurons.len().max(2) as f64;
            let t = 0.22 + 0.5 * (edge.k - 1) as f64 / (n_from - 1.0);
            let at = (from.0 + t * (to.0 - from.0), from.1 + t * (to.1 - from.1) - 1.0);
            let style = TextStyle::new(FONT_SIZE - 1.0, "middle").colour(signed_colour(v, 1.0)).halo();
            svg.text(at, &short_number(v), style);
        }
    }
}

fn draw_neuron(
    svg: &mut Svg,
    model: &Model,
    g: &Geometry,
    column: &Column,
    neuron: &Neuron,
    (x, y): (f64, f64),
) {
    let l = column.l;
    let fill = if model.one_scale && model.has_gradients {
        // delta on one scale for the whole network (the input has none).
        let scale = max_abs(model.columns.iter().flat_map(|c| &c.neurons).map(|n| dominant(&n.delta)));
        match neuron.delta.as_slice() {
            [] => RGBColor(242, 242, 242),
            delta => {
                let d = dominant(delta);
                signed_colour(d, 0.02 + 0.85 * share(d, scale, true))
            }
        }
    } else {
        let scale = max_abs(column.neurons.iter().filter_map(|n| n.a));
        match neuron.a {
            Some(a) if scale > 0.0 => signed_colour(a, 0.12 + 0.75 * a.abs() / scale),
            _ => RGBColor(242, 242, 242),
        }
    };
    let tooltip = neuron_lines(model, column, neuron).join("\n");
    svg.circle("neuron", (x, y), g.r, (fill, OUTLINE, 1.5), Some(&tooltip));
    let ink = text_colour_on(fill);
    let name = neuron_name(l, neuron.j);
    let given = given_name(model, l, neuron.j);
    // A given name goes beside the neuron, outward: left of an input, right of an output.
    let beside = |svg: &mut Svg, text: &str, size: f64, bold: bool| {
        let (at, anchor) = if l == 1 { (x - g.r - 6.0, "end") } else { (x + g.r + 6.0, "start") };
        let style = TextStyle::new(size, anchor);
        svg.text((at, y), text, if bold { style.bold() } else { style });
    };
    if let (true, Some(given)) = (g.detailed, given) {
        beside(svg, given, FONT_SIZE, true);
    }
    if g.detailed {
        if l == 1 {
            svg.text((x, y - 7.0), &name, TextStyle::new(FONT_SIZE + 2.0, "middle").bold().colour(ink));
            svg.text(
                (x, y + 9.0),
                &format!("a{}(1)", neuron.j),
                TextStyle::new(FONT_SIZE - 1.0, "middle").colour(ink),
            );
        } else {
            svg.text((x, y), &name, TextStyle::new(FONT_SIZE + 2.0, "middle").bold().colour(ink));
        }
        for (i, line) in value_lines(model, column, neuron).iter().enumerate() {
            let at = (x, y + g.r + 10.0 + i as f64 * LINE);
            svg.text(at, line, TextStyle::new(FONT_SIZE, "middle").halo());
        }
    } else if l == 1 || l == model.columns.len() {
        beside(svg, given.unwrap_or(&name), FONT_SIZE - 1.0, false);
    }
}

/// Rings the highlighted edge and neuron, and writes what is known about them
/// in boxes under the network, each joined to its shape by a dashed line.
fn draw_highlights(svg: &mut Svg, model: &Model, layout: &Layout) {
    let mut top = layout.callout_top;
    if let (Some(edge), Some((l, _, _))) = (highlighted_edge(model), model.weight) {
        let (from, to) = edge_ends(model, layout, l, edge);
        svg.line("edge-highlighted", from, to, OUTLINE, 2.0, 1.0, Some(&edge_tooltip(l, edge)));
        let lines = weight_box(model, l, edge);
        let mid = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
        top += label_box(svg, layout, (mid, top), &lines) + 12.0;
    }
    if let Some((c, i)) = highlighted_neuron(model) {
        let column = &model.columns[c];
        let (x, y) = layout.centres[c][i];
        let ring = (RGBColor(255, 255, 255), HIGHLIGHT, 5.0);
        svg.circle("highlight", (x, y), layout.g.r + 5.0, ring, None);
        // Redrawn on top of the ring.
        draw_neuron(svg, model, &layout.g, column, &column.neurons[i], (x, y));
        let lines = neuron_lines(model, column, &column.neurons[i]);
        if layout.g.detailed {
            label_box(svg, layout, ((x, y + layout.g.r + 5.0), top), &lines);
        } else {
            // Beside the neuron: a line down to the boxes would cross its whole column.
            let (w, h) = (box_width(&lines), box_height(&lines));
            let corner = (x + layout.g.r + 12.0, (y - h / 2.0).max(30.0));
            text_box(svg, corner, (w, h), &lines);
        }
    }
}

/// A white box with a highlighted border holding `lines`, with its top at `y`,
/// as close under `target` as the canvas allows, and a dashed line from the box
/// to `target`. Returns the box's height.
fn label_box(svg: &mut Svg, layout: &Layout, (target, y0): ((f64, f64), f64), lines: &[String]) -> f64 {
    let (w, h) = (box_width(lines), box_height(lines));
    let x0 = (target.0 - w / 2.0).clamp(4.0, (layout.width - w - 4.0).max(4.0));
    svg.leader(target, (target.0.clamp(x0 + 8.0, x0 + w - 8.0), y0), HIGHLIGHT);
    text_box(svg, (x0, y0), (w, h), lines);
    h
}

/// The box itself: its first line bold.
fn text_box(svg: &mut Svg, (x0, y0): (f64, f64), size: (f64, f64), lines: &[String]) {
    svg.rect("label", (x0, y0), size, RGBColor(255, 255, 255), HIGHLIGHT);
    for (i, line) in lines.iter().enumerate() {
        let style = TextStyle::new(FONT_SIZE, "start");
        let style = if i == 0 { style.bold() } else { style };
        svg.text((x0 + 8.0, y0 + 5.0 + LINE / 2.0 + i as f64 * LINE), line, style);
    }
}

fn draw_legend(svg: &mut Svg, model: &Model, layout: &Layout) {
    let lines = legend(model);
    let top = layout.height - lines.len() as f64 * 16.0 - 8.0;
    for (i, line) in lines.iter().enumerate() {
        svg.text((20.0, top + i as f64 * 16.0), line, TextStyle::new(FONT_SIZE, "start").colour(OUTLINE));
    }
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn one_scale_is_logarithmic_and_each_layer_scale_linear() {
        // Per layer: linear in |v| / largest.
        assert_eq!(share(-0.5, 2.0, false), 0.25);
        // One scale: the largest is 1, each factor of 10 below it one sixth less, 10^-6 and below 0.
        assert_eq!(share(2.0, 2.0, true), 1.0);
        assert!((share(0.2, 2.0, true) - 5.0 / 6.0).abs() < 1e-12);
        assert!((share(-2e-3, 2.0, true) - 0.5).abs() < 1e-12);
        assert_eq!(share(2e-7, 2.0, true), 0.0);
        // Nothing to scale, or nothing drawable: 0, never NaN.
        for (v, scale) in [(0.0, 1.0), (1.0, 0.0), (f64::NAN, 1.0), (1.0, f64::NAN), (f64::INFINITY, 1.0)] {
            assert_eq!(share(v, scale, true), 0.0);
            assert_eq!(share(v, scale, false), 0.0);
        }
    }
}
