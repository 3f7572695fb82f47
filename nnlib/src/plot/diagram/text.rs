//! What the network diagram says, in the lecture's notation: the names
//! (`a2(3)`, `w22(2)`), the values under each neuron, the tooltips, the boxes
//! of highlighted shapes and the legend.

use super::content::{scalar_activation, Column, Edge, Model, Neuron, MAX_SHOWN};
use super::layout::is_detailed;
use crate::layer::LayerKind;
use crate::plot::style::{precise, short_number};

/// `a2(3)`, or `x2` for an input.
pub(super) fn neuron_name(l: usize, j: usize) -> String {
    if l == 1 {
        format!("x{j}")
    } else {
        format!("a{j}({l})")
    }
}

/// The name given to neuron `j` of layer `l` (an input or an output), if names were given.
pub(super) fn given_name(model: &Model, l: usize, j: usize) -> Option<&str> {
    let names = match l {
        1 => model.input_names.as_ref(),
        _ if l == model.columns.len() => model.output_names.as_ref(),
        _ => None,
    };
    names.and_then(|names| names.get(j - 1)).map(String::as_str)
}

/// `w22(2)`; `w12,3(1)` once an index has two digits, so that it stays unambiguous.
pub(super) fn weight_name(l: usize, j: usize, k: usize) -> String {
    if j < 10 && k < 10 {
        format!("w{j}{k}({l})")
    } else {
        format!("w{j},{k}({l})")
    }
}

/// The two lines over a column: `layer 3: hidden a(3)` and `2 × sigmoid`.
pub(super) fn heading(model: &Model, column: &Column) -> (String, String) {
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

/// The value lines printed under a neuron in the detailed look.
pub(super) fn value_lines(model: &Model, column: &Column, neuron: &Neuron) -> Vec<String> {
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
        lines.push(format!("x{} = {}", neuron.j, short_number(a)));
    }
    if !neuron.delta.is_empty() {
        lines.push(format!("δ = {}", pieces(&neuron.delta)));
    }
    lines
}

/// What an edge shows: `dC/dw` when gradients are drawn, else `w`.
pub(super) fn edge_value(model: &Model, edge: &Edge) -> f64 {
    dominant(if model.has_gradients { &edge.dc_dw } else { &edge.w })
}

/// The entry of largest magnitude: the value an edge shows for a maxout neuron's pieces.
pub(super) fn dominant(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, |best, v| if v.abs() > best.abs() || v.is_nan() { v } else { best })
}

pub(super) fn edge_tooltip(l: usize, edge: &Edge) -> String {
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

/// Everything known about a neuron, one fact a line, in the lecture's names:
/// its tooltip and the box of a highlighted neuron.
pub(super) fn neuron_lines(model: &Model, column: &Column, neuron: &Neuron) -> Vec<String> {
    let (l, j) = (column.l, neuron.j);
    let lecture = if l == 1 { format!("x{j} = a{j}(1)") } else { neuron_name(l, j) };
    let first = given_name(model, l, j).map_or(lecture.clone(), |name| format!("{name}: {lecture}"));
    let mut lines = vec![first];
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

/// The lines of a highlighted weight's box: its value and, with gradients, its
/// gradient, spelled out by the chain rule when trace and gradients are of one sample.
pub(super) fn weight_box(model: &Model, l: usize, edge: &Edge) -> Vec<String> {
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

/// What the colours and widths mean.
pub(super) fn legend(model: &Model) -> Vec<String> {
    let mut lines = vec![if model.has_gradients {
        "Edges: dC/dw_jk(l) of the weight from neuron k of layer l to neuron j of layer l + 1; blue > 0, red < 0, thicker = larger."
    } else {
        "Edges: weight w_jk(l) from neuron k of layer l to neuron j of layer l + 1; blue > 0, red < 0, thicker = larger |w|."
    }
    .to_string()];
    if model.one_scale && model.has_gradients {
        lines.push(
            "One logarithmic scale for the whole network: neurons coloured by δ (blue > 0, red < 0), edges by dC/dw;"
                .into(),
        );
        lines.push(
            "each factor of 10 below the largest value is one sixth paler (10⁻⁶ of it is white).".into(),
        );
    } else if model.has_values {
        lines.push(
            "Neurons: colour = activation a (blue > 0, red < 0, darker = larger |a| within the layer)."
                .into(),
        );
    }
    if model.one_scale && !model.has_gradients {
        lines.push(
            "One logarithmic scale for the whole network: each factor of 10 below the largest |w| is one sixth fainter."
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
