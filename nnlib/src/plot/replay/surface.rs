//! [`Replay::surface`]: gradient descent's path on the cost surface `C(w, b)` of a single neuron.

use std::fmt::Write;

use ndarray::{Array2, ArrayView2};

use super::doc::{Axes, Doc, Timing, FIT_PANEL, INK, SIZE};
use super::{check_data, subsample, Recorder, Replay, SURFACE_GRID};
use crate::plot::ranges::{bounds, padded};
use crate::plot::style::{colour, lighten};
use crate::plot::svg::hex;
use crate::plot::Figure;
use crate::{Cost, Error, Network, Result};

impl Replay {
    /// The replay of gradient descent on the cost surface of a single neuron
    /// (one input, one output, no hidden layer) trained on `(x, y)` with
    /// `cost`: `C(w, b)` over the `(w, b)` plane around the recorded path,
    /// shaded on a [`SURFACE_GRID`]² grid (darker is lower, on a logarithmic
    /// scale), the path of `(w, b)` up to the current frame with a dot where it
    /// is now, the whole path dashed in grey, and the loss curve as in
    /// [`Replay::fit`]. Label the axes with `.x_label("w").y_label("b")`.
    ///
    /// # Errors
    /// As [`Replay::fit`], for a network without hidden layers; the errors of
    /// [`Cost::value`] for targets that do not suit `cost`.
    pub fn surface(
        &self,
        recorder: &Recorder,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        cost: Cost,
    ) -> Result<Figure> {
        self.check(recorder)?;
        let expected = "a single neuron: 1 input, 1 output, no hidden layer";
        check_data("Replay::surface", recorder, 1, expected, x, y)?;
        if recorder.sizes.len() != 2 {
            return Err(Error::Shape {
                context: "Replay::surface: the network".into(),
                expected: expected.into(),
                got: format!("layer sizes {:?}", recorder.sizes),
            });
        }
        let every: Vec<(f64, f64)> = recorder.frames.iter().map(|(_, net)| w_b(net)).collect();
        let frames = subsample(recorder.frames.len(), self.max_frames);
        let path: Vec<(f64, f64)> = frames.iter().map(|&i| every[i]).collect();
        let epochs: Vec<usize> = frames.iter().map(|&i| recorder.frames[i].0).collect();
        let w_range = padded(bounds(every.iter().map(|p| p.0)), 0.3)?;
        let b_range = padded(bounds(every.iter().map(|p| p.1)), 0.3)?;
        let axes = Axes::new(FIT_PANEL, w_range, b_range);
        let costs = cost_grid(&recorder.frames[0].1, &axes, x, y, cost)?;

        let mut svg = Doc::new(SIZE, &self.title)?;
        let timing = Timing::new(path.len(), self.seconds);
        draw_surface(&mut svg, &axes, &costs);
        svg.axes(&axes, "fit", &self.x_label, &self.y_label);
        svg.open_clip(&axes, "fit-clip");
        svg.polyline("final", &axes.polyline(&every), lighten(INK, 0.55), 1.5, Some("6 4"));
        let so_far: Vec<String> = (0..path.len()).map(|f| axes.polyline(&path[..=f])).collect();
        svg.animated_polyline("path", &so_far, colour(1), &timing);
        svg.animated_dot("now", &axes, &path, 5.0, &timing);
        svg.out.push_str("</g>\n");
        svg.legend(&axes, colour(1), "the path so far", self.final_label(recorder));
        svg.loss_panel(&recorder.loss, &epochs, &timing)?;
        Ok(svg.finish())
    }
}

/// A single neuron's `(w, b)`.
fn w_b(net: &Network) -> (f64, f64) {
    let layer = &net.layers()[0];
    (layer.w()[[0, 0]], layer.b()[0])
}

/// `C(w, b)` at the centre of each cell of a [`SURFACE_GRID`]² grid over the
/// panel (row 0 at the bottom), for `net` with its weight and bias set there.
fn cost_grid(
    net: &Network,
    axes: &Axes,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    cost: Cost,
) -> Result<Array2<f64>> {
    let g = SURFACE_GRID;
    let centre =
        |r: &std::ops::Range<f64>, i: usize| r.start + (r.end - r.start) * (i as f64 + 0.5) / g as f64;
    let mut probe = net.clone();
    let mut costs = Array2::zeros((g, g));
    for ((row, col), c) in costs.indexed_iter_mut() {
        probe.set_w(1, Array2::from_elem((1, 1), centre(&axes.x, col)))?;
        probe.set_b(1, ndarray::Array1::from_elem(1, centre(&axes.y, row)))?;
        *c = cost.value(probe.predict(x)?.view(), y)?;
    }
    crate::check::finite("the cost surface", &costs)?;
    Ok(costs)
}

/// The grid's cells, shaded from white (the highest cost) to blue (the lowest)
/// by `ln C`, so the valley shows however steep its walls are.
fn draw_surface(svg: &mut Doc, axes: &Axes, costs: &Array2<f64>) {
    let g = SURFACE_GRID as f64;
    let logs = costs.mapv(|c| c.max(1e-300).ln());
    let (lo, hi) = logs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    let (l, t, r, b) = axes.area;
    let (cell_w, cell_h) = ((r - l) / g, (b - t) / g);
    let _ = writeln!(svg.out, "<g class=\"surface\" shape-rendering=\"crispEdges\">");
    for ((row, col), &v) in logs.indexed_iter() {
        let depth = if hi > lo { (hi - v) / (hi - lo) } else { 0.0 }; // 1 at the lowest cost
        let fill = hex(lighten(colour(0), 1.0 - 0.75 * depth));
        let (px, py) = (l + col as f64 * cell_w, b - (row as f64 + 1.0) * cell_h);
        let _ = writeln!(
            svg.out,
            "<rect x=\"{px:.1}\" y=\"{py:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>",
            cell_w + 0.1,
            cell_h + 0.1
        );
    }
    svg.out.push_str("</g>\n");
}
