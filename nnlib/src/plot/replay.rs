//! [`Recorder`] and [`Replay`]: training you can watch. A recorder keeps the
//! network every few epochs while the learner's own loop trains it; a replay
//! draws the recording as one SVG that plays itself back with SVG's own
//! animation (SMIL `<animate>`, no JavaScript), so it plays in JupyterLab, in a
//! static HTML page and offline, on any kernel.
//!
//! ```
//! use nnlib::ndarray::array;
//! use nnlib::plot::{Recorder, Replay};
//! use nnlib::{Activation, Cost, Network, TrainConfig};
//!
//! let x = array![[-1.0], [0.0], [1.0], [2.0]];
//! let y = array![[-1.0], [1.0], [3.0], [5.0]];
//! let mut net = Network::zeroed(&[1, 1], &[Activation::Identity])?;
//! let mut recorder = Recorder::new(&net)?; // frame 0: the untrained network
//! for _ in 0..20 {
//!     let history = net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(5, 0.05))?;
//!     recorder.record(&net, &history)?; // one frame every 5 epochs
//! }
//! let fig = Replay::new("The line during training").fit(&recorder, x.view(), y.view())?;
//! assert!(fig.svg().contains("<animate"));
//! # Ok::<(), nnlib::Error>(())
//! ```
//!
//! Training in chunks of `k` epochs is the same as training `n·k` epochs at
//! once for full-batch gradient descent; with mini-batches or Adam each
//! [`Network::train`] call starts its shuffling and its optimizer memory again.
//!
//! # What the figure shows
//!
//! [`Replay::fit`] draws two panels: on the left the data with the network's
//! prediction (for one input and one output: the fitted line, or curve) of the
//! current frame ([`Replay::boundary`]: for two inputs, the points by class and
//! the decision boundary); on the right the loss curve drawn up to the current epoch, a
//! dot on the current epoch and an "epoch e of E" counter. [`Replay::network`]
//! draws the network's diagram, one line per weight whose colour (sign) and
//! width (size) change from frame to frame, with the same counter. Both play
//! every frame for the same time, hold the last one for [`HOLD_SECONDS`] and loop.
//!
//! Where animation does not run (print, PDF, an image viewer) the figure shows
//! its **first frame**, made to be a meaningful still: the untrained network's
//! line (or boundary), the trained one dashed in grey (where it ends up), and the whole loss
//! curve in light grey behind the part drawn so far. The diagram's still is
//! its first frame too: the starting weights.
//!
//! # Size
//!
//! A frame budget ([`Replay::max_frames`], default [`DEFAULT_MAX_FRAMES`])
//! keeps the SVG small: a recording with more frames is evenly subsampled,
//! keeping the first and the last. Measured by `typical_replay_size` in
//! `nnlib/tests/replay.rs` (300 points, 200 epochs recorded after each epoch):
//! a single neuron (a straight line, two points per frame) costs 378 bytes a
//! frame and its replay of 40 frames is 37 677 bytes, about 14 kB of it the
//! data points; a 1-8-1 tanh network draws its curve with [`CURVE_SAMPLES`]
//! points, 1 013 bytes a frame, 64 339 bytes for 40 frames. The diagram of a
//! 2-3-1 network is 548 bytes a frame (`diagram_size`: 9 weights, about 33
//! bytes each, plus the counter's 250), 9 411 bytes for 9 frames. The decision
//! boundary of a 2-8-1 network on 200 two-moons points is 1 411 bytes a frame
//! (one path segment per grid cell it crosses), 39 271 bytes for 11 frames, so
//! about 80 kB for 40. Three replays in a notebook stay under 0.3 MB.

use std::fmt::Write;
use std::ops::Range;

use ndarray::{Array2, ArrayView2};
use plotters::style::RGBColor;

use super::figure::{check_size, Figure};
use super::ranges::{bounds, padded};
use super::style::{colour, lighten};
use super::svg::{escape, hex};
use super::ticks::LinearLabels;
use crate::{Activation, Error, History, LayerKind, Network, Result};

/// The frame budget of a [`Replay`] unless [`Replay::max_frames`] says otherwise.
pub const DEFAULT_MAX_FRAMES: usize = 40;

/// How long a replay holds its last frame before it starts again, in seconds.
pub const HOLD_SECONDS: f64 = 1.5;

/// Points on a network's prediction curve per frame (a single identity neuron,
/// whose prediction is a straight line, needs only its two ends).
pub const CURVE_SAMPLES: usize = 48;

/// The network at some epochs of a training run, and the loss of every epoch,
/// collected by the learner's own training loop for a [`Replay`].
///
/// It keeps a copy of the network at each [`record`](Recorder::record) (so
/// its memory is the number of records times the network's parameters times
/// 8 bytes): record every few epochs, not after every one.
#[derive(Debug, Clone)]
pub struct Recorder {
    sizes: Vec<usize>,
    /// `(epochs trained so far, the network then)`, the first at epoch 0.
    frames: Vec<(usize, Network)>,
    /// The training loss of every epoch so far, across all records.
    loss: Vec<f64>,
}

impl Recorder {
    /// A recorder for networks of `net`'s shape, whose frame 0 is `net` as it
    /// is now (usually untrained).
    ///
    /// # Errors
    /// [`Error::NonFinite`] if a weight or bias of `net` is NaN or infinite.
    pub fn new(net: &Network) -> Result<Recorder> {
        check_weights(net)?;
        Ok(Recorder { sizes: net.sizes(), frames: vec![(0, net.clone())], loss: vec![] })
    }

    /// Adds a frame: `net` after the training that `history` describes (its
    /// epochs are counted on from the previous record's).
    ///
    /// # Errors
    /// [`Error::Shape`] if `net` has other layer sizes than the recorder's
    /// network; [`Error::NonFinite`] if a loss in `history` is NaN or infinite
    /// (or a weight of `net`, which nnlib's own API never produces). Nothing
    /// is recorded then.
    pub fn record(&mut self, net: &Network, history: &History) -> Result<()> {
        if net.sizes() != self.sizes {
            return Err(Error::Shape {
                context: "Recorder::record: the network".into(),
                expected: format!("layer sizes {:?} (the network the recorder was made for)", self.sizes),
                got: format!("layer sizes {:?}", net.sizes()),
            });
        }
        if let Some((i, &value)) = history.loss.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::NonFinite {
                what: format!("the history's loss (epoch {} of the recording)", self.loss.len() + i + 1),
                row: i,
                column: 0,
                value,
            });
        }
        check_weights(net)?;
        self.loss.extend_from_slice(&history.loss);
        self.frames.push((self.loss.len(), net.clone()));
        Ok(())
    }

    /// The number of frames: the starting network and one per record.
    pub fn n_frames(&self) -> usize {
        self.frames.len()
    }

    /// The epoch of each frame (0 for the first).
    pub fn epochs(&self) -> Vec<usize> {
        self.frames.iter().map(|f| f.0).collect()
    }

    /// The training loss of every recorded epoch (epoch `e` is `loss()[e - 1]`).
    pub fn loss(&self) -> &[f64] {
        &self.loss
    }

    /// The network at frame `i`.
    pub fn network(&self, i: usize) -> Option<&Network> {
        self.frames.get(i).map(|f| &f.1)
    }
}

/// [`Error::NonFinite`] at the first NaN or infinity among `net`'s weights and biases.
fn check_weights(net: &Network) -> Result<()> {
    for l in 1..=net.layers().len() {
        crate::check::finite(&format!("weights W({l})"), net.w(l)?)?;
        crate::check::finite(&format!("biases b({l})"), net.b(l)?)?;
    }
    Ok(())
}

/// The replay figure of a [`Recorder`]: a builder with named settings.
///
/// `Replay::new(title).x_label("BMI").y_label("disease progression").fit(&recorder, x, y)?`
#[derive(Debug, Clone)]
pub struct Replay {
    title: String,
    x_label: String,
    y_label: String,
    max_frames: usize,
    seconds: f64,
}

impl Replay {
    /// A replay titled `title`, with axis labels `x` and `y`, at most
    /// [`DEFAULT_MAX_FRAMES`] frames, playing for 6 seconds (then
    /// [`HOLD_SECONDS`] on the last frame).
    pub fn new(title: impl Into<String>) -> Replay {
        Replay {
            title: title.into(),
            x_label: "x".into(),
            y_label: "y".into(),
            max_frames: DEFAULT_MAX_FRAMES,
            seconds: 6.0,
        }
    }

    /// The label of the data's x axis.
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }

    /// The label of the data's y axis.
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }

    /// The frame budget: a recording with more frames is evenly subsampled to
    /// this many (its first and last kept). At least 2.
    pub fn max_frames(mut self, n: usize) -> Self {
        self.max_frames = n;
        self
    }

    /// How long the frames play, in seconds, before the last is held.
    pub fn seconds(mut self, seconds: f64) -> Self {
        self.seconds = seconds;
        self
    }

    /// The replay of a network of one input and one output trained on `(x, y)`
    /// (both `n × 1`, as given to [`Network::train`]): the data with the
    /// network's prediction, and the loss curve.
    ///
    /// # Errors
    /// [`Error::Empty`] if the recorder has no training recorded (a replay of
    /// 0 frames) or there are no points; [`Error::InvalidParameter`] for a
    /// frame budget below 2 or a duration that is not a positive number;
    /// [`Error::Shape`] for a network without exactly one input and one
    /// output, or `x` and `y` that are not `n × 1`; [`Error::NonFinite`] for a
    /// NaN or infinity in `x` or `y`, or in a prediction.
    pub fn fit(&self, recorder: &Recorder, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<Figure> {
        self.check(recorder)?;
        let sizes = &recorder.sizes;
        if sizes.first() != Some(&1) || sizes.last() != Some(&1) {
            return Err(Error::Shape {
                context: "Replay::fit: the network".into(),
                expected: "1 input and 1 output (one x, one y)".into(),
                got: format!("layer sizes {sizes:?}"),
            });
        }
        for (what, m) in [("x", x.view()), ("y", y.view())] {
            if m.ncols() != 1 || m.nrows() != x.nrows() {
                return Err(Error::Shape {
                    context: format!("Replay::fit: {what}"),
                    expected: format!("({}, 1)", x.nrows()),
                    got: format!("({}, {})", m.nrows(), m.ncols()),
                });
            }
            crate::check::finite(what, &m)?;
        }
        if x.nrows() == 0 {
            return Err(Error::Empty("Replay::fit: no data points".into()));
        }
        let frames = subsample(recorder.frames.len(), self.max_frames);
        let x_range = padded(bounds(x.iter().copied()), 0.05)?;
        let curves = frames
            .iter()
            .map(|&i| prediction(&recorder.frames[i].1, &x_range))
            .collect::<Result<Vec<_>>>()?;
        let last = prediction(&recorder.frames[recorder.frames.len() - 1].1, &x_range)?;
        let all_y = y.iter().copied().chain(curves.iter().flatten().map(|p| p.1));
        let y_range = padded(bounds(all_y), 0.05)?;
        let epochs: Vec<usize> = frames.iter().map(|&i| recorder.frames[i].0).collect();

        let mut svg = Doc::new(SIZE, &self.title)?;
        let timing = Timing::new(epochs.len(), self.seconds);
        let fit = Axes::new(FIT_PANEL, x_range, y_range);
        svg.axes(&fit, "fit", &self.x_label, &self.y_label);
        svg.points(&fit, x, y);
        svg.open_clip(&fit, "fit-clip");
        let final_points = fit.polyline(&last);
        svg.polyline("final", &final_points, lighten(RGBColor(0, 0, 0), 0.55), 1.5, Some("6 4"));
        let frames_points: Vec<String> = curves.iter().map(|c| fit.polyline(c)).collect();
        svg.animated_polyline("prediction", &frames_points, colour(1), &timing);
        svg.out.push_str("</g>\n");
        svg.legend(&fit, colour(1), "the network now", self.final_label(recorder));

        svg.loss_panel(&recorder.loss, &epochs, &timing)?;
        Ok(svg.finish())
    }

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
        let sizes = &recorder.sizes;
        if sizes.first() != Some(&2) || sizes.last() != Some(&1) {
            return Err(Error::Shape {
                context: "Replay::boundary: the network".into(),
                expected: "2 inputs and 1 output (a binary classifier of points in the plane)".into(),
                got: format!("layer sizes {sizes:?}"),
            });
        }
        for (what, m, cols) in [("x", x.view(), 2), ("y", y.view(), 1)] {
            if m.ncols() != cols || m.nrows() != x.nrows() {
                return Err(Error::Shape {
                    context: format!("Replay::boundary: {what}"),
                    expected: format!("({}, {cols})", x.nrows()),
                    got: format!("({}, {})", m.nrows(), m.ncols()),
                });
            }
            crate::check::finite(what, &m)?;
        }
        if x.nrows() == 0 {
            return Err(Error::Empty("Replay::boundary: no data points".into()));
        }
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

    /// The replay of the network's diagram: the lecture's layers of neurons,
    /// one line per weight `w_jk(l)`, blue for a positive and red for a
    /// negative weight, wider and darker for a larger `|w|` (scaled to the
    /// largest `|w|` of the whole recording, so a growing weight is seen
    /// growing), with the epoch counter. Biases are not drawn. Any network of
    /// dense layers with at most [`MAX_ANIMATED_WEIGHTS`] weights.
    ///
    /// # Errors
    /// As [`Replay::fit`] for the frames and settings; [`Error::InvalidParameter`]
    /// for a maxout layer or more than [`MAX_ANIMATED_WEIGHTS`] weights.
    pub fn network(&self, recorder: &Recorder) -> Result<Figure> {
        self.check(recorder)?;
        let first = &recorder.frames[0].1;
        if let Some(l) =
            first.layers().iter().position(|layer| matches!(layer.kind(), LayerKind::Maxout { .. }))
        {
            return Err(Error::InvalidParameter {
                name: "network",
                reason: format!("Replay::network draws dense layers; layer {} is maxout", l + 2),
            });
        }
        let n_weights: usize = first.layers().iter().map(|layer| layer.w().len()).sum();
        if n_weights > MAX_ANIMATED_WEIGHTS {
            return Err(Error::InvalidParameter {
                name: "network",
                reason: format!(
                    "{n_weights} weights are too many to animate (at most {MAX_ANIMATED_WEIGHTS}, to keep the SVG small)"
                ),
            });
        }
        let frames = subsample(recorder.frames.len(), self.max_frames);
        let nets: Vec<&Network> = frames.iter().map(|&i| &recorder.frames[i].1).collect();
        let epochs: Vec<usize> = frames.iter().map(|&i| recorder.frames[i].0).collect();
        let largest = nets
            .iter()
            .flat_map(|net| net.layers().iter().flat_map(|layer| layer.w().iter().map(|w| w.abs())))
            .fold(0.0, f64::max);
        let timing = Timing::new(nets.len(), self.seconds);
        let mut svg = Doc::new(DIAGRAM_SIZE, &self.title)?;
        let sizes = &recorder.sizes;
        let spot = |l: usize, j: usize| -> (f64, f64) {
            let x = 90.0 + (DIAGRAM_SIZE.0 - 180.0) * l as f64 / (sizes.len() - 1) as f64;
            let gap = ((DIAGRAM_SIZE.1 - 130.0) / sizes[l].max(1) as f64).min(60.0);
            let y = 60.0 + (DIAGRAM_SIZE.1 - 130.0) / 2.0 + gap * (j as f64 - (sizes[l] as f64 - 1.0) / 2.0);
            (x, y)
        };
        svg.out.push_str("<g class=\"weights\" stroke-linecap=\"round\">\n");
        for l in 0..sizes.len() - 1 {
            let w0 = first.layers()[l].w();
            for ((j, k), _) in w0.indexed_iter() {
                let (from, to) = (spot(l, k), spot(l + 1, j));
                let (colours, widths): (Vec<String>, Vec<String>) = nets
                    .iter()
                    .map(|net| {
                        let w = net.layers()[l].w()[[j, k]];
                        let t = if largest > 0.0 { w.abs() / largest } else { 0.0 };
                        (hex(weight_colour(w, t)), format!("{:.2}", 0.5 + 4.5 * t))
                    })
                    .unzip();
                let _ = writeln!(
                    svg.out,
                    "<line class=\"w\" data-l=\"{}\" data-j=\"{}\" data-k=\"{}\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"{}\">{}{}</line>",
                    l + 1,
                    j + 1,
                    k + 1,
                    from.0,
                    from.1,
                    to.0,
                    to.1,
                    colours[0],
                    widths[0],
                    timing.animate("stroke", colours.iter().cloned()),
                    timing.animate("stroke-width", widths.iter().cloned())
                );
            }
        }
        svg.out.push_str("</g>\n");
        let radius = (0.4 * (DIAGRAM_SIZE.1 - 130.0) / sizes.iter().copied().max().unwrap_or(1) as f64)
            .clamp(3.0, 14.0);
        for (l, &n) in sizes.iter().enumerate() {
            for j in 0..n {
                let (x, y) = spot(l, j);
                let _ = writeln!(
                    svg.out,
                    "<circle class=\"neuron\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{radius:.1}\" fill=\"#FFFFFF\" stroke=\"#3C3C3C\" stroke-width=\"1.5\"/>"
                );
            }
            let name = match l {
                0 => format!("a({}) input", l + 1),
                _ if l == sizes.len() - 1 => format!("a({}) output", l + 1),
                _ => format!("a({})", l + 1),
            };
            svg.text((spot(l, 0).0, DIAGRAM_SIZE.1 - 50.0), &name, "middle", 13.0, "");
        }
        svg.counter((DIAGRAM_SIZE.0 / 2.0, DIAGRAM_SIZE.1 - 22.0), &epochs, recorder.loss.len(), &timing);
        Ok(svg.finish())
    }

    fn final_label(&self, recorder: &Recorder) -> String {
        format!("after {} epochs", recorder.loss.len())
    }

    /// The checks every replay shares: frames to play and settings that work.
    fn check(&self, recorder: &Recorder) -> Result<()> {
        if recorder.frames.len() < 2 {
            return Err(Error::Empty(
                "a replay of 0 frames: the recorder holds only the starting network; call \
                 recorder.record(&net, &history) after each round of training"
                    .into(),
            ));
        }
        if self.max_frames < 2 {
            return Err(Error::InvalidParameter {
                name: "max_frames",
                reason: format!("a replay needs at least 2 frames, got {}", self.max_frames),
            });
        }
        if !(self.seconds.is_finite() && self.seconds > 0.0) {
            return Err(Error::InvalidParameter {
                name: "seconds",
                reason: format!(
                    "the playing time must be a positive number of seconds, got {}",
                    self.seconds
                ),
            });
        }
        Ok(())
    }
}

/// `budget` indices evenly spread over `0..n` (the first and the last always
/// among them), or all of `0..n` when there are no more than `budget`.
pub(super) fn subsample(n: usize, budget: usize) -> Vec<usize> {
    if n <= budget {
        return (0..n).collect();
    }
    (0..budget).map(|i| (i * (n - 1) + (budget - 1) / 2) / (budget - 1)).collect()
}

/// The network's prediction across `x_range`: the two ends for a single
/// identity neuron (a straight line), else [`CURVE_SAMPLES`] points.
fn prediction(net: &Network, x_range: &Range<f64>) -> Result<Vec<(f64, f64)>> {
    let straight = net.layers().len() == 1 && net.output_activation() == Activation::Identity;
    let n = if straight { 2 } else { CURVE_SAMPLES };
    let (lo, hi) = (x_range.start, x_range.end);
    let xs = Array2::from_shape_fn((n, 1), |(i, _)| lo + (hi - lo) * i as f64 / (n - 1) as f64);
    let a = net.predict(xs.view())?;
    crate::check::finite("the network's prediction", &a)?;
    Ok(xs.iter().copied().zip(a.iter().copied()).collect())
}

/// The decision boundary is traced on a grid of this many cells a side.
pub const BOUNDARY_GRID: usize = 30;

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

/// The whole figure, in pixels.
const SIZE: (f64, f64) = (900.0, 400.0);
/// The plot areas (left, top, right, bottom) of the two panels.
const FIT_PANEL: (f64, f64, f64, f64) = (70.0, 50.0, 420.0, 340.0);
const LOSS_PANEL: (f64, f64, f64, f64) = (540.0, 50.0, 880.0, 340.0);
const TICKS: usize = 6;
/// The size of [`Replay::network`]'s figure.
const DIAGRAM_SIZE: (f64, f64) = (640.0, 420.0);

/// The most weights [`Replay::network`] animates: each costs about 33 bytes a
/// frame, so 100 weights over 40 frames are about 140 kB (a 2-8-8-1 network has 88).
pub const MAX_ANIMATED_WEIGHTS: usize = 100;

/// When each frame starts, as SMIL `keyTimes` (fractions of one loop).
struct Timing {
    /// Seconds per loop: the frames, then the hold.
    dur: f64,
    key_times: Vec<f64>,
}

impl Timing {
    fn new(n: usize, seconds: f64) -> Timing {
        let dur = seconds + HOLD_SECONDS;
        let key_times = (0..n).map(|i| seconds * i as f64 / (n - 1).max(1) as f64 / dur).collect();
        Timing { dur, key_times }
    }

    /// The attributes that make an `<animate>` step through `values` in this timing, forever.
    fn attributes(&self, values: &str, key_times: &str) -> String {
        format!(
            "values=\"{values}\" keyTimes=\"{key_times}\" dur=\"{:.2}s\" calcMode=\"discrete\" repeatCount=\"indefinite\"",
            self.dur
        )
    }

    fn all_key_times(&self) -> String {
        join(self.key_times.iter().map(|t| format!("{t:.4}")))
    }

    /// `<animate>` of `attribute` through one value per frame.
    fn animate(&self, attribute: &str, values: impl IntoIterator<Item = String>) -> String {
        format!(
            "<animate attributeName=\"{attribute}\" {}/>",
            self.attributes(&join(values), &self.all_key_times())
        )
    }

    /// `<animate>` that shows an element during frame `i` only.
    fn visible_during(&self, i: usize) -> String {
        let n = self.key_times.len();
        let k = |j: usize| format!("{:.4}", self.key_times[j]);
        let (values, times) = if i == 0 {
            ("visible;hidden".to_string(), format!("0;{}", k(1)))
        } else if i == n - 1 {
            ("hidden;visible".to_string(), format!("0;{}", k(i)))
        } else {
            ("hidden;visible;hidden".to_string(), format!("0;{};{}", k(i), k(i + 1)))
        };
        format!("<animate attributeName=\"visibility\" {}/>", self.attributes(&values, &times))
    }
}

fn join(values: impl IntoIterator<Item = String>) -> String {
    values.into_iter().collect::<Vec<_>>().join(";")
}

/// A linear map from data to pixels over one panel's plot area.
struct Axes {
    area: (f64, f64, f64, f64),
    x: Range<f64>,
    y: Range<f64>,
}

impl Axes {
    fn new(area: (f64, f64, f64, f64), x: Range<f64>, y: Range<f64>) -> Axes {
        Axes { area, x, y }
    }
    fn px(&self, v: f64) -> f64 {
        self.area.0 + (v - self.x.start) / (self.x.end - self.x.start) * (self.area.2 - self.area.0)
    }
    fn py(&self, v: f64) -> f64 {
        self.area.3 - (v - self.y.start) / (self.y.end - self.y.start) * (self.area.3 - self.area.1)
    }
    fn polyline(&self, points: &[(f64, f64)]) -> String {
        let pts = points.iter().map(|&(x, y)| format!("{:.2},{:.2}", self.px(x), self.py(y)));
        pts.collect::<Vec<_>>().join(" ")
    }
    /// `data-map="x0 x1 px0 px1 y0 y1 py0 py1"`: how data become pixels, so a
    /// reader (the tests) can read the drawn values back.
    fn data_map(&self) -> String {
        format!(
            "data-map=\"{} {} {} {} {} {} {} {}\"",
            self.x.start,
            self.x.end,
            self.area.0,
            self.area.2,
            self.y.start,
            self.y.end,
            self.area.3,
            self.area.1
        )
    }
}

/// "Nice" tick values (1, 2 or 5 times a power of ten apart) inside `range`.
fn ticks(range: &Range<f64>, n: usize) -> Vec<f64> {
    let raw = (range.end - range.start) / n as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|&s| s >= raw).unwrap_or(raw);
    let first = (range.start / step).ceil() as i64;
    let last = (range.end / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// The replay's SVG document being written.
struct Doc {
    out: String,
    size: (u32, u32),
}

const INK: RGBColor = RGBColor(0, 0, 0);

impl Doc {
    fn new(size: (f64, f64), title: &str) -> Result<Doc> {
        let size = check_size("figure size", (size.0 as u64, size.1 as u64))?;
        // The same opening as plotters writes, which `Figure::with_size` relies on.
        let mut out = format!(
            "<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\">\n\
             <rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#FFFFFF\"/>\n",
            size.0, size.1
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"26\" text-anchor=\"middle\" font-size=\"19\">{}</text>",
            size.0 as f64 / 2.0,
            escape(title)
        );
        Ok(Doc { out, size })
    }

    fn finish(mut self) -> Figure {
        self.out.push_str("</svg>\n");
        Figure::from_svg(self.out, self.size)
    }

    fn text(&mut self, (x, y): (f64, f64), text: &str, anchor: &str, size: f64, extra: &str) {
        let _ = writeln!(
            self.out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" dy=\"0.35em\" text-anchor=\"{anchor}\" font-size=\"{size}\"{extra}>{}</text>",
            escape(text)
        );
    }

    /// Frame, ticks with labels, and the axis labels of one panel.
    fn axes(&mut self, axes: &Axes, class: &str, x_label: &str, y_label: &str) {
        let (l, t, r, b) = axes.area;
        let _ = writeln!(self.out, "<g class=\"panel {class}\" {}>", axes.data_map());
        let _ = writeln!(
            self.out,
            "<rect x=\"{l}\" y=\"{t}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#000000\"/>",
            r - l,
            b - t
        );
        let labels = LinearLabels::for_axis(&axes.x, TICKS);
        for v in ticks(&axes.x, TICKS) {
            let x = axes.px(v);
            let _ = writeln!(
                self.out,
                "<line x1=\"{x:.1}\" y1=\"{b}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#000000\"/>",
                b + 5.0
            );
            self.text((x, b + 15.0), &labels.label(v), "middle", 11.0, "");
        }
        let labels = LinearLabels::for_axis(&axes.y, TICKS);
        for v in ticks(&axes.y, TICKS) {
            let y = axes.py(v);
            let _ = writeln!(
                self.out,
                "<line x1=\"{}\" y1=\"{y:.1}\" x2=\"{l}\" y2=\"{y:.1}\" stroke=\"#000000\"/>",
                l - 5.0
            );
            self.text((l - 8.0, y), &labels.label(v), "end", 11.0, "");
        }
        self.text(((l + r) / 2.0, b + 38.0), x_label, "middle", 13.0, "");
        let (cx, cy) = (l - 52.0, (t + b) / 2.0);
        let rotate = format!(" transform=\"rotate(-90 {cx:.1} {cy:.1})\"");
        self.text((cx, cy), y_label, "middle", 13.0, &rotate);
        self.out.push_str("</g>\n");
    }

    /// The data as small blue dots.
    fn points(&mut self, axes: &Axes, x: ArrayView2<f64>, y: ArrayView2<f64>) {
        let _ = writeln!(self.out, "<g class=\"data\" fill=\"{}\" fill-opacity=\"0.6\">", hex(colour(0)));
        for (&xi, &yi) in x.iter().zip(y.iter()) {
            let _ =
                writeln!(self.out, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"/>", axes.px(xi), axes.py(yi));
        }
        self.out.push_str("</g>\n");
    }

    /// Opens a group clipped to the panel's plot area (closed by the caller).
    fn open_clip(&mut self, axes: &Axes, id: &str) {
        let (l, t, r, b) = axes.area;
        let _ = writeln!(
            self.out,
            "<clipPath id=\"{id}\"><rect x=\"{l}\" y=\"{t}\" width=\"{}\" height=\"{}\"/></clipPath>\n<g clip-path=\"url(#{id})\">",
            r - l,
            b - t
        );
    }

    fn polyline(&mut self, class: &str, points: &str, colour: RGBColor, width: f64, dash: Option<&str>) {
        let dash = dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
        let _ = writeln!(
            self.out,
            "<polyline class=\"{class}\" points=\"{points}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{width}\"{dash}/>",
            hex(colour)
        );
    }

    /// A polyline whose points step through `frames`; its static points are frame 0's.
    fn animated_polyline(&mut self, class: &str, frames: &[String], colour: RGBColor, timing: &Timing) {
        let _ = writeln!(
            self.out,
            "<polyline class=\"{class}\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\">{}</polyline>",
            frames[0],
            hex(colour),
            timing.animate("points", frames.iter().cloned())
        );
    }

    /// The key of the fit panel: the current prediction and the trained one.
    fn legend(&mut self, axes: &Axes, now: RGBColor, now_label: &str, final_label: String) {
        let (l, t) = (axes.area.0 + 10.0, axes.area.1 + 12.0);
        let _ = writeln!(
            self.out,
            "<g class=\"legend\"><line x1=\"{l}\" y1=\"{t}\" x2=\"{}\" y2=\"{t}\" stroke=\"{}\" stroke-width=\"3\"/>\n\
             <line x1=\"{l}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
            l + 24.0,
            hex(now),
            t + 18.0,
            l + 24.0,
            t + 18.0,
            hex(lighten(INK, 0.55))
        );
        self.text((l + 30.0, t), now_label, "start", 12.0, "");
        self.text((l + 30.0, t + 18.0), &final_label, "start", 12.0, "");
        self.out.push_str("</g>\n");
    }

    /// The loss curve: the whole run in light grey, the part up to the
    /// current frame's epoch in colour (a clip that widens), a dot on the
    /// current epoch and the epoch counter.
    fn loss_panel(&mut self, loss: &[f64], epochs: &[usize], timing: &Timing) -> Result<()> {
        let n_epochs = loss.len().max(1);
        let x_range = if n_epochs == 1 { 0.0..2.0 } else { 1.0..n_epochs as f64 };
        let y_range = padded(bounds(loss.iter().copied()), 0.05)?;
        let axes = Axes::new(LOSS_PANEL, x_range, y_range);
        self.axes(&axes, "loss", "epoch", "training loss");
        let points: Vec<(f64, f64)> = loss.iter().enumerate().map(|(i, &v)| ((i + 1) as f64, v)).collect();
        let line = axes.polyline(&points);
        self.polyline("loss-all", &line, lighten(INK, 0.8), 2.0, None);

        // The epoch whose loss a frame shows: epoch 0 (before training) shows
        // epoch 1's, which for full-batch training is the untrained network's cost.
        let shown: Vec<usize> = epochs.iter().map(|&e| e.clamp(1, n_epochs)).collect();
        let (l, t, _, b) = axes.area;
        let widths: Vec<String> =
            shown.iter().map(|&e| format!("{:.2}", axes.px(e as f64) - l + 1.0)).collect();
        let _ = writeln!(
            self.out,
            "<clipPath id=\"loss-so-far\"><rect x=\"{l}\" y=\"{t}\" width=\"{}\" height=\"{}\">{}</rect></clipPath>",
            widths[0],
            b - t,
            timing.animate("width", widths.iter().cloned())
        );
        let _ = writeln!(
            self.out,
            "<polyline class=\"loss-so-far\" points=\"{line}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" clip-path=\"url(#loss-so-far)\"/>",
            hex(colour(0))
        );
        let cx: Vec<String> = shown.iter().map(|&e| format!("{:.2}", axes.px(e as f64))).collect();
        let cy: Vec<String> = shown
            .iter()
            .map(|&e| format!("{:.2}", axes.py(loss.get(e - 1).copied().unwrap_or(0.0))))
            .collect();
        let _ = writeln!(
            self.out,
            "<circle class=\"loss-now\" cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\">{}{}</circle>",
            cx[0],
            cy[0],
            hex(colour(1)),
            timing.animate("cx", cx.iter().cloned()),
            timing.animate("cy", cy.iter().cloned())
        );

        let at = ((LOSS_PANEL.0 + LOSS_PANEL.2) / 2.0, LOSS_PANEL.1 + 14.0);
        self.counter(at, epochs, loss.len(), timing);
        Ok(())
    }

    /// "epoch e of E", one text per frame, each visible during its frame only.
    fn counter(&mut self, (x, y): (f64, f64), epochs: &[usize], total: usize, timing: &Timing) {
        let _ = writeln!(self.out, "<g class=\"epoch-counter\">");
        for (i, &e) in epochs.iter().enumerate() {
            let visibility = if i == 0 { "visible" } else { "hidden" };
            let _ = writeln!(
                self.out,
                "<text x=\"{x:.1}\" y=\"{y:.1}\" dy=\"0.35em\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" visibility=\"{visibility}\" data-epoch=\"{e}\">epoch {e} of {total}{}</text>",
                timing.visible_during(i)
            );
        }
        self.out.push_str("</g>\n");
    }
}

/// Blue for a positive weight, red for a negative one, `t` (0..1) of the way
/// from a light grey: the network diagram's colours.
pub(super) fn weight_colour(w: f64, t: f64) -> RGBColor {
    let base = if w >= 0.0 { RGBColor(33, 102, 172) } else { RGBColor(178, 24, 43) };
    let mix = |c: u8| (225.0 + (c as f64 - 225.0) * t.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(base.0), mix(base.1), mix(base.2))
}
