//! [`Replay::fit`]: the fitted line (or curve) of a network of one input and one output.

use std::ops::Range;

use ndarray::{Array2, ArrayView2};
use plotters::style::RGBColor;

use super::doc::{Axes, Doc, Timing, FIT_PANEL, SIZE};
use super::{check_data, subsample, Recorder, Replay, CURVE_SAMPLES};
use crate::plot::ranges::{bounds, padded};
use crate::plot::style::{colour, lighten};
use crate::plot::Figure;
use crate::{Activation, Network, Result};

impl Replay {
    /// The replay of a network of one input and one output trained on `(x, y)`
    /// (both `n × 1`, as given to [`Network::train`]): the data with the
    /// network's prediction, and the loss curve.
    ///
    /// # Errors
    /// [`Error::Empty`](crate::Error::Empty) if the recorder has no training recorded (a replay of
    /// 0 frames) or there are no points; [`Error::InvalidParameter`](crate::Error::InvalidParameter) for a
    /// frame budget below 2 or a duration that is not a positive number;
    /// [`Error::Shape`](crate::Error::Shape) for a network without exactly one input and one
    /// output, or `x` and `y` that are not `n × 1`; [`Error::NonFinite`](crate::Error::NonFinite) for a
    /// NaN or infinity in `x` or `y`, or in a prediction.
    pub fn fit(&self, recorder: &Recorder, x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<Figure> {
        self.check(recorder)?;
        check_data("Replay::fit", recorder, 1, "1 input and 1 output (one x, one y)", x, y)?;
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
