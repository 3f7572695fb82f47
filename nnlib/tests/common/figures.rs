//! The figure builders with every setting given, in the order the plot tests
//! were first written (title, axis labels, data, the rest).
#![allow(dead_code)]

use nnlib::ndarray::{Array1, ArrayView2};
use nnlib::plot::{Contour, DecisionBoundary, Figure, Heatmap, ImageGrid};
use nnlib::Result;

pub fn contour(
    title: &str,
    x_label: &str,
    y_label: &str,
    f: impl Fn(f64, f64) -> f64,
    x_range: (f64, f64),
    y_range: (f64, f64),
    path: &[(f64, f64)],
) -> Result<Figure> {
    Contour::new(title, f).x(x_label, x_range).y(y_label, y_range).path(path).draw()
}

pub fn decision_boundary(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: ArrayView2<f64>,
    labels: &[usize],
    predict: impl Fn(ArrayView2<f64>) -> Result<Array1<f64>>,
) -> Result<Figure> {
    DecisionBoundary::new(title, points, labels, predict).labels(x_label, y_label).draw()
}

pub fn image_grid(
    title: &str,
    images: ArrayView2<f64>,
    image_width: usize,
    captions: &[String],
    cols: usize,
) -> Result<Figure> {
    ImageGrid::new(title, images).image_width(image_width).captions(captions).cols(cols).draw()
}

pub fn heatmap(
    title: &str,
    x_label: &str,
    y_label: &str,
    values: ArrayView2<f64>,
    x_ticks: &[String],
    y_ticks: &[String],
) -> Result<Figure> {
    Heatmap::new(title, values).labels(x_label, y_label).x_ticks(x_ticks).y_ticks(y_ticks).draw()
}
