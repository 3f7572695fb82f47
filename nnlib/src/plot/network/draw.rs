//! Draws a checked [`Model`] in the lecture's layout: layers left to right,
//! neurons as circles named `a_j(l)`, one edge per weight `w_jk(l)`.

use plotters::style::RGBColor;

use super::model::{scalar_activation, Column, Edge, Model, Neuron, MAX_SHOWN};
use crate::layer::LayerKind;
use crate::plot::figure::Figure;
use crate::plot::style::{precise, short_number, text_colour_on, text_width};
use crate::plot::svg::{Svg, TextStyle};
use crate::Result;

/// Columns of at most this many drawn neurons get the detailed look: names in
/// the circles and values printed under them. Larger ones are compact.
const DETAILED_MAX: usize = 6;

const POSITIVE: RGBColor = RGBColor(33, 102, 172);
const NEGATIVE: RGBColor = RGBColor(178, 24, 43);
const NEUTRAL: RGBColor = RGBColor(150, 150, 150);
const HIGHLIGHT: RGBColor = RGBColor(242, 183, 5);
const OUTLINE: RGBColor = RGBColor(60, 60, 60);

const TITLE_SIZE: f64 = 19.4;
const FONT_SIZE: f64 = 12.0;
const LINE: f64 = 14.0;

/// Sizes that depend on the look (detailed or compact).
struct Geometry {
    detailed: bool,
    r: f64,
    /// Horizontal distance between layers.
    dx: f64,
    /// Vertical distance between neighbouring neurons.
    pitch: f64,
    left: f64,
    top: f64,
}

/// Where each drawn neuron's centre is: `centres[c][i]` for neuron `i` of column `c`.
struct Layout {
    g: Geometry,
    /// Top of the area under the network for the highlights' boxes.
    callout_top: f64,
    centres: Vec<Vec<(f64, f64)>>,
    /// The ellipses of summarised columns, as points.
    gaps: Vec<(f64, f64)>,
    width: f64,
    height: f64,
}

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

/// The value lines printed under a neuron in the detailed look.
fn value_lines(model: &Model, column: &Column, neuron: &Neuron) -> Vec<String> {
    let pieces = |v: &[f64]| v.iter().map(|&x| short_number(x)).collect::<Vec<_>>().join(" | ");
    let mut lines = Vec::new();
    if let Some(LayerKind::Maxout { pieces: k }) = column.kind {
        lines.push(format!("max of {k} pieces"));
    }
    if !model.has_values && !neuron.b.is_empty() {
        lines.push(format!("b = {}", pieces(&neuron.b)));
    }
    if !neuron.z.is_empty() {
        lines.push(format!("z = {}", pieces(&neuron.z)));
    }
    if let (Some(a), true) = (neuron.a, column.l > 1) {
        lines.push(format!("a = {}", short_number(a)));
    } else if let Some(a) = neuron.a {
        lines.push(format!("= {}", short_number(a)));
    }
    if !neuron.delta.is_empty() {
        lines.push(format!("δ = {}", pieces(&neuron.delta)));
    }
    lines
}

fn layout(model: &Model, title: &str) -> Layout {
    let detailed = is_detailed(model);
    let most_lines = model
        .columns
        .iter()
        .flat_map(|c| c.neurons.iter().map(move |n| value_lines(model, c, n).len()))
        .max()
        .unwrap_or(0);
    let g = if detailed {
        let widest =
            model.columns.iter().flat_map(|c| c.neurons.iter().map(move |n| value_lines(model, c, n)));
        let widest = widest.flatten().map(|t| text_width(&t, FONT_SIZE * 1.24)).fold(0.0, f64::max);
        let r = 26.0;
        Geometry {
            detailed,
            r,
            dx: (widest + 80.0).max(190.0),
            pitch: 2.0 * r + most_lines as f64 * LINE + 22.0,
            left: 70.0,
            top: 96.0,
        }
    } else {
        Geometry { detailed, r: 8.0, dx: 220.0, pitch: 22.0, left: 70.0, top: 96.0 }
    };
    let headings = model.columns.iter().map(|c| heading(model, c)).collect::<Vec<_>>();
    let heading_w = |c: usize| text_width(&headings[c].0, (FONT_SIZE + 1.0) * 1.24) * 1.05;
    let mut g = g;
    // Room for the first heading, and for the input names left of compact circles.
    g.left = g.left.max(heading_w(0) / 2.0 + 12.0 - g.r);
    // A column's slots: its neurons, plus one slot for each ellipsis.
    let slots = |c: &Column| c.neurons.len() + c.neurons.windows(2).filter(|p| p[1].j > p[0].j + 1).count();
    let tallest = model.columns.iter().map(slots).max().unwrap_or(1) as f64;
    let column_h = |c: &Column| (slots(c) as f64 - 1.0) * g.pitch;
    let body_h =
        (tallest - 1.0) * g.pitch + 2.0 * g.r + if detailed { most_lines as f64 * LINE } else { 0.0 };
    let (mut centres, mut gaps) = (Vec::new(), Vec::new());
    for (c, column) in model.columns.iter().enumerate() {
        let x = g.left + g.r + c as f64 * g.dx;
        let mut y = g.top + g.r + ((tallest - 1.0) * g.pitch - column_h(column)) / 2.0;
        let mut at = Vec::with_capacity(column.neurons.len());
        for (i, neuron) in column.neurons.iter().enumerate() {
            if i > 0 && neuron.j > column.neurons[i - 1].j + 1 {
                gaps.push((x, y));
                y += g.pitch;
            }
            at.push((x, y));
            y += g.pitch;
        }
        centres.push(at);
    }
    let last = model.columns.len().saturating_sub(1);
    let right_room = (heading_w(last) / 2.0 + 12.0 - g.r).max(90.0);
    let span = g.left + 2.0 * g.r + last as f64 * g.dx + right_room;
    let legend_w = legend(model).iter().map(|t| text_width(t, FONT_SIZE * 1.24)).fold(0.0, f64::max) + 40.0;
    let width = span.max(legend_w).max(text_width(title, TITLE_SIZE * 1.24) + 40.0);
    // Centre the network when the legend or the title is wider than it.
    let shift = (width - span) / 2.0;
    g.left += shift;
    for (x, _) in centres.iter_mut().flatten().chain(gaps.iter_mut()) {
        *x += shift;
    }
    let callout_top = g.top + body_h + 16.0;
    let callouts: f64 = callouts(model).iter().map(|lines| box_height(lines) + 12.0).sum();
    let height = callout_top + callouts + 14.0 + legend(model).len() as f64 * 16.0;
    Layout { g, callout_top, centres, gaps, width, height }
}

fn is_detailed(model: &Model) -> bool {
    model.columns.iter().all(|c| c.neurons.len() <= DETAILED_MAX)
}

/// `a2(3)`, or `x2` for an input.
fn neuron_name(l: usize, j: usize) -> String {
    if l == 1 {
        format!("x{j}")
    } else {
        format!("a{j}({l})")
    }
}

/// `w22(2)`; `w12,3(1)` once an index has two digits, so that it stays unambiguous.
fn weight_name(l: usize, j: usize, k: usize) -> String {
    if j < 10 && k < 10 {
        format!("w{j}{k}({l})")
    } else {
        format!("w{j},{k}({l})")
    }
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

/// The largest magnitude, or 0.
fn max_abs(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().filter(|v| v.is_finite()).fold(0.0, |m, v| m.max(v.abs()))
}

/// The entry of largest magnitude: the value an edge shows for a maxout neuron's pieces.
fn dominant(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, |best, v| if v.abs() > best.abs() || v.is_nan() { v } else { best })
}

/// The two lines over a column: `layer 3: hidden a(3)` and `2 × sigmoid`.
fn heading(model: &Model, column: &Column) -> (String, String) {
    let l = column.l;
    let role = match l {
        1 => "input x = a(1)".to_string(),
        _ if l == model.columns.len() => format!("output s = a({l})"),
        _ => format!("hidden a({l})"),
    };
    let kind = match column.kind {
        None => format!("{} inputs", column.size),
        Some(LayerKind::Dense(f)) => format!("{} × {}", column.size, f.name()),
        Some(LayerKind::Maxout { pieces }) => format!("{} × maxout (k = {pieces})", column.size),
    };
    let drawn = column.neurons.len();
    let kind = if drawn < column.size { format!("{kind}, {drawn} drawn") } else { kind };
    (format!("layer {l}: {role}"), kind)
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

/// What an edge shows: `dC/dw` when gradients are drawn, else `w`.
fn edge_value(model: &Model, edge: &Edge) -> f64 {
    dominant(if model.has_gradients { &edge.dc_dw } else { &edge.w })
}

fn edge_tooltip(l: usize, edge: &Edge) -> String {
    let name = weight_name(l, edge.j, edge.k);
    let list = |v: &[f64]| {
        if v.len() == 1 {
            precise(v[0])
        } else {
            let pieces: Vec<String> =
                v.iter().enumerate().map(|(p, x)| format!("piece {}: {}", p + 1, precise(*x))).collect();
            pieces.join(", ")
        }
    };
    let mut text = format!("{name} = {}", list(&edge.w));
    if !edge.dc_dw.is_empty() {
        text += &format!("\ndC/d{name} = {}", list(&edge.dc_dw));
    }
    text
}

/// The ends of the edge from neuron `k` (column `l - 1`) to neuron `j` (column `l`), at the circles' rims.
fn edge_ends(model: &Model, layout: &Layout, l: usize, edge: &Edge) -> ((f64, f64), (f64, f64)) {
    let find = |c: usize, j: usize| {
        let i = model.columns[c].neurons.iter().position(|n| n.j == j).unwrap_or(0);
        layout.centres[c].get(i).copied().unwrap_or_default()
    };
    let (from, to) = (find(l - 1, edge.k), find(l, edge.j));
    ((from.0 + layout.g.r, from.1), (to.0 - layout.g.r, to.1))
}

fn draw_edges(svg: &mut Svg, model: &Model, layout: &Layout, l: usize, edges: &[Edge]) {
    let scale = max_abs(edges.iter().map(|e| edge_value(model, e)));
    let label_edges = layout.g.detailed && edges.len() <= 16;
    for edge in edges {
        let v = edge_value(model, edge);
        let t = if scale > 0.0 { v.abs() / scale } else { 0.0 };
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
    let scale = max_abs(column.neurons.iter().filter_map(|n| n.a));
    let fill = match neuron.a {
        Some(a) if scale > 0.0 => signed_colour(a, 0.12 + 0.75 * a.abs() / scale),
        _ => RGBColor(242, 242, 242),
    };
    let tooltip = neuron_lines(model, column, neuron).join("\n");
    svg.circle("neuron", (x, y), g.r, (fill, OUTLINE, 1.5), Some(&tooltip));
    let ink = text_colour_on(fill);
    let name = neuron_name(l, neuron.j);
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
    } else if l == 1 {
        svg.text((x - g.r - 6.0, y), &name, TextStyle::new(FONT_SIZE - 1.0, "end"));
    } else if l == model.columns.len() {
        svg.text((x + g.r + 6.0, y), &name, TextStyle::new(FONT_SIZE - 1.0, "start"));
    }
}

/// Everything known about a neuron, one fact a line, in the lecture's names:
/// its tooltip and the box of a highlighted neuron.
fn neuron_lines(model: &Model, column: &Column, neuron: &Neuron) -> Vec<String> {
    let (l, j) = (column.l, neuron.j);
    let mut lines = vec![if l == 1 { format!("x{j} = a{j}(1)") } else { neuron_name(l, j) }];
    let list = |v: &[f64]| v.iter().map(|&x| precise(x)).collect::<Vec<_>>().join(", ");
    if let Some(LayerKind::Maxout { pieces }) = column.kind {
        lines.push(format!("maxout: a = the largest of {pieces} pieces z"));
    }
    if !neuron.b.is_empty() {
        lines.push(format!("b{j}({}) = {}", l - 1, list(&neuron.b)));
    }
    if !neuron.z.is_empty() {
        lines.push(format!("z{j}({l}) = {}", list(&neuron.z)));
    }
    if let Some(a) = neuron.a {
        lines.push(format!("a{j}({l}) = {}", precise(a)));
    }
    if let Some(dc_da) = neuron.dc_da {
        lines.push(format!("dC/da{j}({l}) = {}", precise(dc_da)));
    }
    if let (Some(f), [z]) = (scalar_activation(column.kind), neuron.z.as_slice()) {
        if model.has_gradients {
            lines.push(format!("f'(z{j}({l})) = {}", precise(f.derivative(*z))));
        }
    }
    if !neuron.delta.is_empty() {
        lines.push(format!("δ{j}({l}) = dC/dz{j}({l}) = {}", list(&neuron.delta)));
    }
    lines
}

/// The boxes of the highlighted weight and neuron: their lines, in that order.
fn callouts(model: &Model) -> Vec<Vec<String>> {
    let mut boxes = Vec::new();
    if let Some(edge) = highlighted_edge(model) {
        boxes.push(weight_box(model, model.weight.map_or(1, |w| w.0), edge));
    }
    if let (Some((c, i)), true) = (highlighted_neuron(model), is_detailed(model)) {
        boxes.push(neuron_lines(model, &model.columns[c], &model.columns[c].neurons[i]));
    }
    boxes
}

fn highlighted_edge(model: &Model) -> Option<&Edge> {
    let (l, j, k) = model.weight?;
    model.edges[l - 1].iter().find(|e| e.j == j && e.k == k)
}

/// Column and position in it of the highlighted neuron.
fn highlighted_neuron(model: &Model) -> Option<(usize, usize)> {
    let (l, j) = model.neuron?;
    Some((l - 1, model.columns[l - 1].neurons.iter().position(|n| n.j == j)?))
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

/// The lines of a highlighted weight's box: its value and, with gradients, its
/// gradient, spelled out by the chain rule when trace and gradients are of one sample.
fn weight_box(model: &Model, l: usize, edge: &Edge) -> Vec<String> {
    let (j, k) = (edge.j, edge.k);
    let name = weight_name(l, j, k);
    let list = |v: &[f64]| v.iter().map(|&x| short_number(x)).collect::<Vec<_>>().join(" | ");
    let mut lines = vec![format!("{name} = {}", list(&edge.w))];
    if model.has_gradients {
        lines.push(format!("dC/d{name} = {}", list(&edge.dc_dw)));
        let target = &model.columns[l];
        let to = target.neurons.iter().find(|n| n.j == j);
        let from = model.columns[l - 1].neurons.iter().find(|n| n.j == k);
        if let (Some(to), Some(a_k), true) = (to, from.and_then(|n| n.a), model.single_sample) {
            let f = scalar_activation(target.kind);
            let a_name = if l == 1 { format!("x{k}") } else { format!("a{k}({l})") };
            let (l1, delta) = (l + 1, to.delta.first().copied().unwrap_or(f64::NAN));
            let chain = match (f, to.z.first(), to.dc_da) {
                // The lecture's three factors, when they multiply to delta (not for a fused output delta).
                (Some(f), Some(&z), Some(dc_da))
                    if (dc_da * f.derivative(z) - delta).abs() <= 1e-12 * (1.0 + delta.abs()) =>
                {
                    Some((
                        format!("= dC/da{j}({l1}) · f'(z{j}({l1})) · {a_name}"),
                        format!(
                            "= ({}) · ({}) · ({})",
                            short_number(dc_da),
                            short_number(f.derivative(z)),
                            short_number(a_k)
                        ),
                    ))
                }
                _ if to.delta.len() == 1 => Some((
                    format!("= δ{j}({l1}) · {a_name}"),
                    format!("= ({}) · ({})", short_number(delta), short_number(a_k)),
                )),
                _ => None,
            };
            if let Some((names, numbers)) = chain {
                lines.extend([names, numbers]);
            }
        }
    }
    lines
}

fn box_height(lines: &[String]) -> f64 {
    lines.len() as f64 * LINE + 10.0
}

fn box_width(lines: &[String]) -> f64 {
    lines.iter().map(|t| text_width(t, FONT_SIZE * 1.24)).fold(0.0, f64::max) + 16.0
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

/// What the colours and widths mean.
fn legend(model: &Model) -> Vec<String> {
    let mut lines = vec![if model.has_gradients {
        "Edges: dC/dw_jk(l) of the weight from neuron k of layer l to neuron j of layer l + 1; blue > 0, red < 0, thicker = larger."
    } else {
        "Edges: weight w_jk(l) from neuron k of layer l to neuron j of layer l + 1; blue > 0, red < 0, thicker = larger |w|."
    }
    .to_string()];
    if model.has_values {
        lines.push(
            "Neurons: colour = activation a (blue > 0, red < 0, darker = larger |a| within the layer)."
                .into(),
        );
    }
    if model.has_gradients {
        lines.push("δ = dC/dz on each neuron; dC/dw_jk(l) = δ_j(l+1) · a_k(l).".into());
    }
    if !is_detailed(model) {
        lines.push("Hover over a neuron or an edge to see its values.".into());
    }
    if model.columns.iter().any(|c| c.size > MAX_SHOWN) {
        lines.push(format!(
            "Layers of more than {MAX_SHOWN} neurons show their first and last ones; ⋮ marks the others."
        ));
    }
    lines
}

fn draw_legend(svg: &mut Svg, model: &Model, layout: &Layout) {
    let lines = legend(model);
    let top = layout.height - lines.len() as f64 * 16.0 - 8.0;
    for (i, line) in lines.iter().enumerate() {
        svg.text((20.0, top + i as f64 * 16.0), line, TextStyle::new(FONT_SIZE, "start").colour(OUTLINE));
    }
}
