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
//! the decision boundary; [`Replay::surface`]: for a single neuron, gradient
//! descent's path on the cost surface `C(w, b)`); on the right the loss curve drawn up to the current epoch, a
//! dot on the current epoch and an "epoch e of E" counter. [`Replay::network`]
//! draws the network's diagram, one line per weight whose colour (sign) and
//! width (size) change from frame to frame, with the same counter. All play
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
//! about 80 kB for 40. [`Replay::surface`]'s shaded cost surface is drawn
//! once, a fixed 900 cells (about 70 kB), and its path adds a point a frame:
//! Gradient_Descent's replay of 31 frames is 87 kB. Three replays in a
//! notebook stay under 0.3 MB.

use ndarray::ArrayView2;

use crate::{Error, Result};

mod boundary;
mod doc;
mod fit;
mod network;
mod recorder;
mod surface;

pub use recorder::Recorder;

/// The frame budget of a [`Replay`] unless [`Replay::max_frames`] says otherwise.
pub const DEFAULT_MAX_FRAMES: usize = 40;

/// How long a replay holds its last frame before it starts again, in seconds.
pub const HOLD_SECONDS: f64 = 1.5;

/// Points on a network's prediction curve per frame (a single identity neuron,
/// whose prediction is a straight line, needs only its two ends).
pub const CURVE_SAMPLES: usize = 48;

/// The decision boundary is traced on a grid of this many cells a side.
pub const BOUNDARY_GRID: usize = 30;

/// The cost surface of [`Replay::surface`] is shaded on a grid of this many cells a side.
pub const SURFACE_GRID: usize = 30;

/// The most weights [`Replay::network`] animates: each costs about 33 bytes a
/// frame, so 100 weights over 40 frames are about 140 kB (a 2-8-8-1 network has 88).
pub const MAX_ANIMATED_WEIGHTS: usize = 100;

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
}

impl Replay {
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

/// The checks [`Replay::fit`] and [`Replay::boundary`] share: a network of
/// `inputs` inputs and one output (`expected` says so in words),
/// `x` and `y` of the same rows, `y` one column, no NaN or infinity, some points.
fn check_data(
    context: &str,
    recorder: &Recorder,
    inputs: usize,
    expected: &str,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<()> {
    let sizes = &recorder.sizes;
    if sizes.first() != Some(&inputs) || sizes.last() != Some(&1) {
        return Err(Error::Shape {
            context: format!("{context}: the network"),
            expected: expected.into(),
            got: format!("layer sizes {sizes:?}"),
        });
    }
    for (what, m, cols) in [("x", x.view(), inputs), ("y", y.view(), 1)] {
        if m.ncols() != cols || m.nrows() != x.nrows() {
            return Err(Error::Shape {
                context: format!("{context}: {what}"),
                expected: format!("({}, {cols})", x.nrows()),
                got: format!("({}, {})", m.nrows(), m.ncols()),
            });
        }
        crate::check::finite(what, &m)?;
    }
    if x.nrows() == 0 {
        return Err(Error::Empty(format!("{context}: no data points")));
    }
    Ok(())
}

/// `budget` indices evenly spread over `0..n` (the first and the last always
/// among them), or all of `0..n` when there are no more than `budget`.
fn subsample(n: usize, budget: usize) -> Vec<usize> {
    if n <= budget {
        return (0..n).collect();
    }
    (0..budget).map(|i| (i * (n - 1) + (budget - 1) / 2) / (budget - 1)).collect()
}
