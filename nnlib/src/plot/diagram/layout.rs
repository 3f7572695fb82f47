//! Where everything of the network diagram goes: the columns of neurons, the
//! gaps of summarised layers, the boxes under the network, the canvas size.

use super::content::{Column, Edge, Model};
use super::text::{given_name, heading, legend, neuron_lines, value_lines, weight_box};
use crate::plot::style::text_width;

/// Columns of at most this many drawn neurons get the detailed look: names in
/// the circles and values printed under them. Larger ones are compact.
pub(super) const DETAILED_MAX: usize = 6;

/// Font sizes in pixels: the title (as large as plotters' other figures) and
/// every other text; and the height of one line of text.
pub(super) const TITLE_SIZE: f64 = 19.4;
pub(super) const FONT_SIZE: f64 = 12.0;
pub(super) const LINE: f64 = 14.0;

/// Sizes that depend on the look (detailed or compact).
pub(super) struct Geometry {
    pub(super) detailed: bool,
    pub(super) r: f64,
    /// Horizontal distance between layers.
    pub(super) dx: f64,
    /// Vertical distance between neighbouring neurons.
    pub(super) pitch: f64,
    pub(super) left: f64,
    pub(super) top: f64,
}

/// Where each drawn neuron's centre is: `centres[c][i]` for neuron `i` of column `c`.
pub(super) struct Layout {
    pub(super) g: Geometry,
    /// Top of the area under the network for the highlights' boxes.
    pub(super) callout_top: f64,
    pub(super) centres: Vec<Vec<(f64, f64)>>,
    /// The ellipses of summarised columns, as points.
    pub(super) gaps: Vec<(f64, f64)>,
    pub(super) width: f64,
    pub(super) height: f64,
}

pub(super) fn layout(model: &Model, title: &str) -> Layout {
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
    g.left = g.left.max(heading_w(0) / 2.0 + 12.0 - g.r).max(names_w(model, 0) + 14.0);
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
    let right_room = (heading_w(last) / 2.0 + 12.0 - g.r).max(90.0).max(names_w(model, last) + 14.0);
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

/// The width of the widest given name written beside column `c`'s neurons (0 without names).
fn names_w(model: &Model, c: usize) -> f64 {
    let column = &model.columns[c];
    let names = column.neurons.iter().filter_map(|n| given_name(model, column.l, n.j));
    // Bold in the detailed look: measured a little wider than the plain text.
    names.map(|name| text_width(name, FONT_SIZE * 1.3)).fold(0.0, f64::max)
}

pub(super) fn is_detailed(model: &Model) -> bool {
    model.columns.iter().all(|c| c.neurons.len() <= DETAILED_MAX)
}

/// The ends of the edge from neuron `k` (column `l - 1`) to neuron `j` (column `l`), at the circles' rims.
pub(super) fn edge_ends(model: &Model, layout: &Layout, l: usize, edge: &Edge) -> ((f64, f64), (f64, f64)) {
    let find = |c: usize, j: usize| {
        let i = model.columns[c].neurons.iter().position(|n| n.j == j).unwrap_or(0);
        layout.centres[c].get(i).copied().unwrap_or_default()
    };
    let (from, to) = (find(l - 1, edge.k), find(l, edge.j));
    ((from.0 + layout.g.r, from.1), (to.0 - layout.g.r, to.1))
}

/// The boxes of the highlighted weight and neuron: their lines, in that order.
pub(super) fn callouts(model: &Model) -> Vec<Vec<String>> {
    let mut boxes = Vec::new();
    if let Some(edge) = highlighted_edge(model) {
        boxes.push(weight_box(model, model.weight.map_or(1, |w| w.0), edge));
    }
    if let (Some((c, i)), true) = (highlighted_neuron(model), is_detailed(model)) {
        boxes.push(neuron_lines(model, &model.columns[c], &model.columns[c].neurons[i]));
    }
    boxes
}

pub(super) fn highlighted_edge(model: &Model) -> Option<&Edge> {
    let (l, j, k) = model.weight?;
    model.edges[l - 1].iter().find(|e| e.j == j && e.k == k)
}

/// Column and position in it of the highlighted neuron.
pub(super) fn highlighted_neuron(model: &Model) -> Option<(usize, usize)> {
    let (l, j) = model.neuron?;
    Some((l - 1, model.columns[l - 1].neurons.iter().position(|n| n.j == j)?))
}

pub(super) fn box_height(lines: &[String]) -> f64 {
    lines.len() as f64 * LINE + 10.0
}

pub(super) fn box_width(lines: &[String]) -> f64 {
    lines.iter().map(|t| text_width(t, FONT_SIZE * 1.24)).fold(0.0, f64::max) + 16.0
}
