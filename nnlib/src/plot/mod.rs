//! Plots for the workshop notebooks, drawn as SVG with [plotters].
//!
//! Every function here returns a [`Figure`]: an SVG image that the evcxr Jupyter
//! kernel shows inline when it is the last value of a cell, and that
//! [`Figure::save`] writes to a `.svg` file.
//!
//! | function | what it draws |
//! |---|---|
//! | [`scatter_with_lines`] | data points with one or more fitted lines |
//! | [`curves`], [`curves_log`] | training curves (loss, accuracy) against the epoch |
//! | [`DecisionBoundary`] | a classifier's class regions with the labelled points on top |
//! | [`function_grid`] | a grid of small plots of functions, e.g. activations and derivatives |
//! | [`Contour`] | a cost surface over two parameters, with a gradient-descent path |
//! | [`ImageGrid`] | small grey images in a grid with captions, e.g. handwritten digits |
//! | [`Heatmap`] | a matrix as coloured, labelled cells, e.g. a confusion matrix |
//! | [`network`], [`NetworkDiagram`] | the lecture's network diagram, with `z`, `a`, `delta`, `dC/dw` |
//! | [`Recorder`], [`Replay`] | training played back as an animated SVG: the fitted line or decision boundary moving, the loss curve growing, the weights changing |
//!
//! The figures that need more than a title and data are builders, each with
//! named settings and defaults: `Contour::new(title, f).x("w", (-1.0, 4.0)).draw()?`,
//! as [`Panel`], [`Line`] and [`NetworkDiagram`] are. Labels and captions take
//! `&str` or `String`, captions and ticks anything printable.
//!
//! All figures share one look: a title, labelled axes, the colours of
//! matplotlib's "tab10" palette in the same order (series 0 blue, 1 orange,
//! 2 green, 3 red, ...) and a legend whenever there are several series. They are
//! [`DEFAULT_SIZE`] pixels (a function grid grows with its panels);
//! [`Figure::with_size`] rescales one.
//!
//! # Bad input
//!
//! No function panics on bad input; each returns an [`Error`](crate::Error) that says what is wrong:
//!
//! * no data at all → [`Error::Empty`](crate::Error::Empty);
//! * two lists that must have the same length but do not → [`Error::Shape`](crate::Error::Shape);
//! * **NaN or ±infinity in data you pass in** (points, lines, series, path, the
//!   output of `predict`) → [`Error::NonFinite`](crate::Error::NonFinite), naming the input and the
//!   position of the first bad value, because a NaN there is almost always a bug
//!   (e.g. a diverged training run) that a plot would hide;
//! * **NaN or ±infinity returned by a function the plot samples for you**
//!   ([`Panel::curve`], [`Line::from_fn`], the `f` of [`Contour`]) → that sample
//!   is skipped and the curve has a gap there, because functions such as `ln x`
//!   or `1/x` are legitimately undefined at some points of a range. Only a
//!   function that is undefined everywhere gives [`Error::Empty`](crate::Error::Empty).
//!
//! * a figure that would be wider or taller than [`MAX_SIDE`] pixels (thousands
//!   of images or panels, [`Figure::with_size`] of `u32::MAX`) →
//!   [`Error::InvalidParameter`](crate::Error::InvalidParameter), before anything is allocated;
//! * values too far apart for one axis (e.g. `f64::MIN` and `f64::MAX`) →
//!   [`Error::Plot`](crate::Error::Plot) naming them.
//!
//! When every value is the same (a zero-width range), the axis is widened around
//! that value instead of failing. Property tests (`nnlib/tests/plot_props.rs`)
//! call every function with random shapes and values, NaN, infinities, 1e300
//! and subnormals included: each returns a figure or an error, none panics.

mod contour;
mod curves;
mod decision;
mod diagram;
mod figure;
mod function_grid;
mod grid;
mod heatmap;
mod image_grid;
mod ranges;
mod replay;
mod scatter;
mod style;
mod svg;
mod ticks;

pub use contour::Contour;
pub use curves::{curves, curves_log};
pub use decision::DecisionBoundary;
pub use diagram::{network, NetworkDiagram};
pub use figure::{Figure, DEFAULT_SIZE, MAX_SIDE};
pub use function_grid::{function_grid, Panel};
pub use heatmap::Heatmap;
pub use image_grid::ImageGrid;
pub use replay::{
    Recorder, Replay, BOUNDARY_GRID, CURVE_SAMPLES, DEFAULT_MAX_FRAMES, HOLD_SECONDS, MAX_ANIMATED_WEIGHTS,
    SURFACE_GRID,
};
pub use scatter::{scatter_with_lines, Line};
