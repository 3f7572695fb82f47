//! [`Replay::boundary`]: the decision boundary of a classifier of two inputs.

use std::fmt::Write;
use std::ops::Range;

use ndarray::{Array2, ArrayView2};

use super::doc::{Axes, Doc, Timing, FIT_PANEL, INK, SIZE};
use super::{check_data, subsample, Recorder, Replay, BOUNDARY_GRID};
use crate::plot::ranges::{bounds, padded};
use crate::plot::style::{colour, lighten};
use crate::plot::svg::hex;
use crate::plot::Figure;
use crate::{Activation, Network, Result};

impl Replay {
    /// The replay of a classifier of two inputs and one output trained on
    /// `(x, y)` (`n × 2` inputs, `n × 1` labels, class 1 where `y ≥ 0.5`): the
    /// points coloured by class with the network's decision boundary of the
    /// current frame (where its output crosses 0.5 for a sigmoid output, 0
    /// for any other, traced on a [`BOUNDARY_GRID`]² grid), the trained
    /// boundary dashed, and the loss curve as in [`Replay::fit`].
    ///
    /// # Errors
    /// As [`Replay::fit`], for a network of 2 inputs and 1 output and `x`, `y`
    /// of `n × 2` and `n × 1`.
    pub fn boundary(&self, recorder: &Recorder, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<Figure> {
        self.check(recorder)?;
        check_data(
            "Replay::boundary",
            recorder,
            2,
            "2 inputs and 1 output (a binary classifier of points in the plane)",
            x,
            y,
        )?;
        let frames = subsample(recorder.frames.len(), self.max_frames);
        let x_range = padded(bounds(x.column(0).iter().copied()), 0.05)?;
        let y_range = padded(bounds(x.column(1).iter().copied()), 0.05)?;
        let axes = Axes::new(FIT_PANEL, x_range, y_range);
        let paths = frames
            .iter()
            .map(|&i| boundary_path(&recorder.frames[i].1, &axes))
            .collect::<Result<Vec<_>>>()?;
        let last = boundary_path(&recorder.frames[recorder.frames.len() - 1].1, &axes)?;
        let epochs: Vec<usize> = frames.iter().map(|&i| recorder.frames[i].0).collect();

        let mut svg = Doc::new(SIZE, &self.title)?;
        let timing = Timing::new(epochs.len(), self.seconds);
        svg.axes(&axes, "fit", &self.x_label, &self.y_label);
        draw_classes(&mut svg, &axes, x, y);
        svg.open_clip(&axes, "fit-clip");
        let _ = writeln!(
            svg.out,
            "<path class=\"final\" d=\"{last}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
            hex(lighten(INK, 0.55))
        );
        let _ = writeln!(
            svg.out,
            "<path class=\"boundary\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\">{}</path>",
            paths[0],
            hex(INK),
            timing.animate("d", paths.iter().cloned())
        );
        svg.out.push_str("</g>\n");
        svg.legend(&axes, INK, "the boundary now", self.final_label(recorder));
        svg.loss_panel(&recorder.loss, &epochs, &timing)?;
        Ok(svg.finish())
    }
}

/// The points coloured by class (class 1 where `y ≥ 0.5`), one group per class.
fn draw_classes(svg: &mut Doc, axes: &Axes, x: ArrayView2<f64>, y: ArrayView2<f64>) {
    for class in [false, true] {
        let c = colour(usize::from(class));
        let _ = writeln!(
            svg.out,
            "<g class=\"class-{}\" fill=\"{}\" fill-opacity=\"0.7\">",
            u8::from(class),
            hex(c)
        );
        for (p, label) in x.rows().into_iter().zip(y.iter()) {
            if (*label >= 0.5) == class {
                let _ = writeln!(
                    svg.out,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"/>",
                    axes.px(p[0]),
                    axes.py(p[1])
                );
            }
        }
        svg.out.push_str("</g>\n");
    }
}

/// Where `net`'s output crosses its threshold (0.5 for a sigmoid output, else
/// 0) over the panel, by marching squares: an SVG path of one segment per grid
/// cell the boundary crosses, in pixels (`M0 0`, nothing drawn, when it
/// crosses none).
fn boundary_path(net: &Network, axes: &Axes) -> Result<String> {
    let threshold = if net.output_activation() == Activation::Sigmoid { 0.5 } else { 0.0 };
    let g = BOUNDARY_GRID;
    let at = |r: &Range<f64>, i: usize| r.start + (r.end - r.start) * i as f64 / g as f64;
    let grid = Array2::from_shape_fn(((g + 1) * (g + 1), 2), |(row, c)| {
        if c == 0 {
            at(&axes.x, row % (g + 1))
        } else {
            at(&axes.y, row / (g + 1))
        }
    });
    let a = net.predict(grid.view())?;
    crate::check::finite("the network's prediction", &a)?;
    let v = |i: usize, j: usize| a[[j * (g + 1) + i, 0]] - threshold;
    let point = |i: usize, j: usize| (at(&axes.x, i), at(&axes.y, j));
    let mut d = String::new();
    for j in 0..g {
        for i in 0..g {
            // Corners counter-clockwise from the bottom left; edge e joins corner e and e + 1.
            let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let crossings: Vec<(f64, f64)> = (0..4)
                .filter_map(|e| {
                    let (p, q) = (corners[e], corners[(e + 1) % 4]);
                    let (vp, vq) = (v(p.0, p.1), v(q.0, q.1));
                    if (vp >= 0.0) == (vq >= 0.0) {
                        return None;
                    }
                    let t = vp / (vp - vq);
                    let ((x0, y0), (x1, y1)) = (point(p.0, p.1), point(q.0, q.1));
                    Some((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
                })
                .collect();
            // 2 crossings: one segment; 4 (a saddle): pair them in edge order.
            for pair in crossings.chunks_exact(2) {
                let _ = write!(
                    d,
                    "M{:.1} {:.1}L{:.1} {:.1}",
                    axes.px(pair[0].0),
                    axes.py(pair[0].1),
                    axes.px(pair[1].0),
                    axes.py(pair[1].1)
                );
            }
        }
    }
    if d.is_empty() {
        d.push_str("M0 0");
    }
    Ok(d)
}
