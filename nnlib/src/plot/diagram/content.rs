//! What a network diagram shows: the neurons and edges of a [`Network`] with
//! their parameters, and optionally one sample's `z`, `a` from a [`Trace`] and
//! `delta`, `dC/dw` from [`Gradients`], read through their accessors after
//! checking that they belong to this network.

use crate::layer::LayerKind;
use crate::{Activation, Error, Gradients, Network, Result, Trace};

/// Layers with more neurons than this are summarised: their first
/// `SHOWN_FIRST` and last `SHOWN_LAST` neurons (and any highlighted one) are
/// drawn, with an ellipsis between.
pub(super) const MAX_SHOWN: usize = 30;
const SHOWN_FIRST: usize = 10;
const SHOWN_LAST: usize = 3;

/// One neuron `a_j(l)`, in the lecture's 1-based numbering. Vectors hold one
/// entry per maxout piece (one for a dense neuron) and are empty when unknown.
pub(super) struct Neuron {
    pub j: usize,
    pub b: Vec<f64>,
    pub z: Vec<f64>,
    pub a: Option<f64>,
    pub dc_da: Option<f64>,
    pub delta: Vec<f64>,
}

/// The weights from neuron `k` of layer `l` to neuron `j` of layer `l + 1`:
/// `w_jk(l)` (one per maxout piece) and, with gradients, `dC/dw_jk(l)`.
pub(super) struct Edge {
    pub j: usize,
    pub k: usize,
    pub w: Vec<f64>,
    pub dc_dw: Vec<f64>,
}

/// One column of the diagram: layer `l` and the neurons drawn of it.
pub(super) struct Column {
    pub l: usize,
    /// All neurons of the layer, drawn or not.
    pub size: usize,
    /// `None` for the input layer.
    pub kind: Option<LayerKind>,
    pub neurons: Vec<Neuron>,
}

/// Everything the drawing needs, checked.
pub(super) struct Model {
    pub columns: Vec<Column>,
    /// `edges[l - 1]`: the drawn edges of `W(l)`.
    pub edges: Vec<Vec<Edge>>,
    pub has_values: bool,
    pub has_gradients: bool,
    /// Edges (and, with gradients, neurons by their `delta`) coloured on one
    /// scale for the whole network instead of one per layer.
    pub one_scale: bool,
    /// Trace and gradients come from a batch of one sample, so `dC/dw` is that
    /// sample's `delta · a` (for a larger batch it sums over the batch).
    pub single_sample: bool,
    /// `(l, j, k)` and `(l, j)`, 1-based, already checked.
    pub weight: Option<(usize, usize, usize)>,
    pub neuron: Option<(usize, usize)>,
    /// The names of the inputs and of the outputs, one per neuron, checked.
    pub input_names: Option<Vec<String>>,
    pub output_names: Option<Vec<String>>,
}

/// What [`Model::read`] is given: the builder's settings.
pub(super) struct Request<'a> {
    pub net: &'a Network,
    pub values: Option<(&'a Trace, usize)>,
    pub gradients: Option<(&'a Gradients, usize)>,
    pub weight: Option<(usize, usize, usize)>,
    pub neuron: Option<(usize, usize)>,
    pub one_scale: bool,
    pub input_names: Option<&'a [String]>,
    pub output_names: Option<&'a [String]>,
}

impl Model {
    pub(super) fn read(req: &Request<'_>) -> Result<Model> {
        let sizes = req.net.sizes();
        check_highlights(req, &sizes)?;
        let last = sizes.len() - 1;
        check_names("input_names", "input", req.input_names, sizes[0], &sizes)?;
        check_names("output_names", "output neuron", req.output_names, sizes[last], &sizes)?;
        let values = req.values.map(|(t, s)| check_trace(req.net, &sizes, t, s)).transpose()?;
        let gradients = req.gradients.map(|(g, s)| check_gradients(req.net, &sizes, g, s)).transpose()?;
        if let (Some(t), Some(g)) = (values, gradients) {
            if t != g {
                return Err(Error::Shape {
                    context: "NetworkDiagram: trace and gradients".into(),
                    expected: format!("gradients of the same batch as the trace ({t} samples)"),
                    got: format!("gradients of {g} samples"),
                });
            }
        }
        let shown: Vec<Vec<usize>> = (1..=sizes.len()).map(|l| shown(req, l, sizes[l - 1])).collect();
        let columns =
            (1..=sizes.len()).map(|l| column(req, l, sizes[l - 1], &shown[l - 1])).collect::<Result<_>>()?;
        let edges =
            (1..sizes.len()).map(|l| edges(req, l, &shown[l], &shown[l - 1])).collect::<Result<_>>()?;
        Ok(Model {
            columns,
            edges,
            has_values: req.values.is_some(),
            has_gradients: req.gradients.is_some(),
            one_scale: req.one_scale,
            single_sample: values.or(gradients) == Some(1),
            weight: req.weight,
            neuron: req.neuron,
            input_names: req.input_names.map(<[String]>::to_vec),
            output_names: req.output_names.map(<[String]>::to_vec),
        })
    }
}

/// One name per neuron, if names are given.
fn check_names(method: &str, what: &str, names: Option<&[String]>, n: usize, sizes: &[usize]) -> Result<()> {
    match names {
        Some(names) if names.len() != n => Err(Error::Shape {
            context: format!("NetworkDiagram::{method}"),
            expected: format!("{n} names, one per {what} of the {} network", describe(sizes)),
            got: format!("{} names", names.len()),
        }),
        _ => Ok(()),
    }
}

/// The 1-based neurons of layer `l` to draw: all of a small layer, else the
/// first and last few and any highlighted one.
fn shown(req: &Request<'_>, l: usize, n: usize) -> Vec<usize> {
    if n <= MAX_SHOWN {
        return (1..=n).collect();
    }
    let mut shown: Vec<usize> = (1..=SHOWN_FIRST).chain(n + 1 - SHOWN_LAST..=n).collect();
    let highlighted = [
        req.weight.filter(|w| w.0 == l).map(|w| w.2),
        req.weight.filter(|w| w.0 + 1 == l).map(|w| w.1),
        req.neuron.filter(|h| h.0 == l).map(|h| h.1),
    ];
    shown.extend(highlighted.into_iter().flatten());
    shown.sort_unstable();
    shown.dedup();
    shown
}

/// Layer `l`'s neurons `shown`, with whatever the trace and gradients say about them.
fn column(req: &Request<'_>, l: usize, size: usize, shown: &[usize]) -> Result<Column> {
    let layer = l.checked_sub(2).map(|i| &req.net.layers()[i]);
    let pieces = layer.map_or(1, |layer| layer.pieces());
    // Units j·k .. j·k + k of a maxout layer are neuron j's pieces (0-based).
    let units = |j: usize| (j - 1) * pieces..j * pieces;
    let mut neurons = Vec::with_capacity(shown.len());
    for &j in shown {
        let mut neuron = Neuron { j, b: vec![], z: vec![], a: None, dc_da: None, delta: vec![] };
        if let Some(layer) = layer {
            neuron.b = units(j).map(|u| layer.b()[u]).collect();
        }
        if let Some((trace, s)) = req.values {
            neuron.a = Some(trace.a(l)?[[s, j - 1]]);
            if l > 1 {
                let z = trace.z(l)?;
                neuron.z = units(j).map(|u| z[[s, u]]).collect();
            }
        }
        if let (Some((grads, s)), true) = (req.gradients, l > 1) {
            neuron.dc_da = Some(grads.dc_da(l)?[[s, j - 1]]);
            let delta = grads.delta(l)?;
            neuron.delta = units(j).map(|u| delta[[s, u]]).collect();
        }
        neurons.push(neuron);
    }
    Ok(Column { l, size, kind: layer.map(|layer| layer.kind()), neurons })
}

/// The edges of `W(l)` between the drawn neurons of layers `l` and `l + 1`.
fn edges(req: &Request<'_>, l: usize, to: &[usize], from: &[usize]) -> Result<Vec<Edge>> {
    let w = req.net.w(l)?;
    let pieces = req.net.layers()[l - 1].pieces();
    let dc_dw = req.gradients.map(|(g, _)| g.dc_dw(l)).transpose()?;
    let mut edges = Vec::with_capacity(to.len() * from.len());
    for &j in to {
        for &k in from {
            let units = (j - 1) * pieces..j * pieces;
            let w_jk = units.clone().map(|u| w[[u, k - 1]]).collect();
            let dc = dc_dw.map_or(vec![], |d| units.map(|u| d[[u, k - 1]]).collect());
            edges.push(Edge { j, k, w: w_jk, dc_dw: dc });
        }
    }
    Ok(edges)
}

/// The highlighted weight and neuron exist in this network.
fn check_highlights(req: &Request<'_>, sizes: &[usize]) -> Result<()> {
    let layers = sizes.len();
    if let Some((l, j, k)) = req.weight {
        let fits = (1..layers).contains(&l) && (1..=sizes[l]).contains(&j) && (1..=sizes[l - 1]).contains(&k);
        if !fits {
            let shape = |l: usize| sizes.get(l).map_or("none".into(), |n| format!("1..={n}"));
            return Err(Error::InvalidParameter {
                name: "highlight_weight",
                reason: format!(
                    "w_jk(l) = w{j}{k}({l}) is not in this {} network: l must be in 1..={}, and then j in {} (neurons of layer l + 1) and k in {} (neurons of layer l)",
                    describe(sizes),
                    layers - 1,
                    if (1..layers).contains(&l) { shape(l) } else { "?".into() },
                    if (1..layers).contains(&l) { shape(l - 1) } else { "?".into() },
                ),
            });
        }
    }
    if let Some((l, j)) = req.neuron {
        if !(1..=layers).contains(&l) || !(1..=sizes[l - 1]).contains(&j) {
            let valid =
                if (1..=layers).contains(&l) { format!("j in 1..={}", sizes[l - 1]) } else { "?".into() };
            return Err(Error::InvalidParameter {
                name: "highlight_neuron",
                reason: format!(
                    "a_j(l) = a{j}({l}) is not in this {} network: l must be in 1..={layers}, and then {valid}",
                    describe(sizes)
                ),
            });
        }
    }
    Ok(())
}

/// The trace has this network's layers and widths; returns its batch size.
fn check_trace(net: &Network, sizes: &[usize], trace: &Trace, sample: usize) -> Result<usize> {
    let mismatch = |detail: String| Error::Shape {
        context: "NetworkDiagram::values: the trace".into(),
        expected: format!("a trace of this {} network (from its forward())", describe(sizes)),
        got: detail,
    };
    let batch = trace.a(1).map_err(|_| mismatch("a trace without inputs".into()))?.nrows();
    for (l, &n) in sizes.iter().enumerate().map(|(i, n)| (i + 1, n)) {
        let a = trace.a(l).map_err(|_| mismatch(format!("no a({l})")))?;
        if a.dim() != (batch, n) {
            return Err(mismatch(format!(
                "a({l}) of shape {:?}, this network's layer {l} has {n} neurons",
                a.dim()
            )));
        }
        if l > 1 {
            let units = net.layers()[l - 2].w().nrows();
            let z = trace.z(l).map_err(|_| mismatch(format!("no z({l})")))?;
            if z.dim() != (batch, units) {
                return Err(mismatch(format!("z({l}) of shape {:?}, expected ({batch}, {units})", z.dim())));
            }
        }
    }
    if trace.a(sizes.len() + 1).is_ok() {
        return Err(mismatch(format!("more than {} layers", sizes.len())));
    }
    check_sample("values", sample, batch)?;
    Ok(batch)
}

/// The gradients have this network's layers and shapes; returns their batch size.
fn check_gradients(net: &Network, sizes: &[usize], grads: &Gradients, sample: usize) -> Result<usize> {
    let mismatch = |detail: String| Error::Shape {
        context: "NetworkDiagram::gradients: the gradients".into(),
        expected: format!("gradients of this {} network (from its backward())", describe(sizes)),
        got: detail,
    };
    let layers = sizes.len();
    let batch = grads.delta(2).map_err(|_| mismatch("no delta(2)".into()))?.nrows();
    for l in 2..=layers {
        let units = net.layers()[l - 2].w().nrows();
        let delta = grads.delta(l).map_err(|_| mismatch(format!("no delta({l})")))?;
        let dc_da = grads.dc_da(l).map_err(|_| mismatch(format!("no dC/da({l})")))?;
        if delta.dim() != (batch, units) || dc_da.dim() != (batch, sizes[l - 1]) {
            return Err(mismatch(format!(
                "delta({l}) of shape {:?}, expected ({batch}, {units})",
                delta.dim()
            )));
        }
        let w = net.w(l - 1)?;
        let dc_dw = grads.dc_dw(l - 1).map_err(|_| mismatch(format!("no dC/dW({})", l - 1)))?;
        if dc_dw.dim() != w.dim() {
            return Err(mismatch(format!(
                "dC/dW({}) of shape {:?}, W({}) is {:?}",
                l - 1,
                dc_dw.dim(),
                l - 1,
                w.dim()
            )));
        }
    }
    if grads.delta(layers + 1).is_ok() {
        return Err(mismatch(format!("more than {layers} layers")));
    }
    check_sample("gradients", sample, batch)?;
    Ok(batch)
}

fn check_sample(method: &str, sample: usize, batch: usize) -> Result<()> {
    if sample >= batch {
        return Err(Error::InvalidParameter {
            name: "sample",
            reason: format!(
                "NetworkDiagram::{method}(.., {sample}): the batch has {batch} samples, so the sample index runs 0..={}",
                batch.saturating_sub(1)
            ),
        });
    }
    Ok(())
}

/// `4-3-2-1`, the layer sizes as the lecture writes them.
pub(super) fn describe(sizes: &[usize]) -> String {
    sizes.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("-")
}

/// The activation of a dense layer, if it has a scalar derivative (not softmax).
pub(super) fn scalar_activation(kind: Option<LayerKind>) -> Option<Activation> {
    match kind {
        Some(LayerKind::Dense(f)) if f != Activation::Softmax => Some(f),
        _ => None,
    }
}
