//! [`Replay::network`]: the network's diagram with its weights changing.

use std::fmt::Write;

use plotters::style::RGBColor;

use super::doc::{Doc, Timing};
use super::{subsample, Recorder, Replay, MAX_ANIMATED_WEIGHTS};
use crate::plot::svg::hex;
use crate::plot::Figure;
use crate::{Error, LayerKind, Network, Result};

/// The size of [`Replay::network`]'s figure.
const DIAGRAM_SIZE: (f64, f64) = (640.0, 420.0);

impl Replay {
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
        check_animatable(&recorder.frames[0].1)?;
        let frames = subsample(recorder.frames.len(), self.max_frames);
        let nets: Vec<&Network> = frames.iter().map(|&i| &recorder.frames[i].1).collect();
        let epochs: Vec<usize> = frames.iter().map(|&i| recorder.frames[i].0).collect();
        let timing = Timing::new(nets.len(), self.seconds);
        let spots = Spots { sizes: &recorder.sizes };
        let mut svg = Doc::new(DIAGRAM_SIZE, &self.title)?;
        draw_weights(&mut svg, &nets, &spots, &timing);
        draw_neurons(&mut svg, &spots);
        svg.counter((DIAGRAM_SIZE.0 / 2.0, DIAGRAM_SIZE.1 - 22.0), &epochs, recorder.loss.len(), &timing);
        Ok(svg.finish())
    }
}

/// [`Error::InvalidParameter`] for a maxout layer or more weights than [`MAX_ANIMATED_WEIGHTS`].
fn check_animatable(net: &Network) -> Result<()> {
    let maxout = net.layers().iter().position(|layer| matches!(layer.kind(), LayerKind::Maxout { .. }));
    if let Some(l) = maxout {
        return Err(Error::InvalidParameter {
            name: "network",
            reason: format!("Replay::network draws dense layers; layer {} is maxout", l + 2),
        });
    }
    let n_weights: usize = net.layers().iter().map(|layer| layer.w().len()).sum();
    if n_weights > MAX_ANIMATED_WEIGHTS {
        return Err(Error::InvalidParameter {
            name: "network",
            reason: format!(
                "{n_weights} weights are too many to animate (at most {MAX_ANIMATED_WEIGHTS}, to keep the SVG small)"
            ),
        });
    }
    Ok(())
}

/// Where each neuron sits: the layers spread across, each layer's neurons
/// centred down the figure.
struct Spots<'a> {
    sizes: &'a [usize],
}

impl Spots<'_> {
    /// The centre of neuron `j` (0-based) of layer `l` (0-based: the input is 0).
    fn at(&self, l: usize, j: usize) -> (f64, f64) {
        let (width, height) = (DIAGRAM_SIZE.0 - 180.0, DIAGRAM_SIZE.1 - 130.0);
        let x = 90.0 + width * l as f64 / (self.sizes.len() - 1) as f64;
        let gap = (height / self.sizes[l].max(1) as f64).min(60.0);
        let y = 60.0 + height / 2.0 + gap * (j as f64 - (self.sizes[l] as f64 - 1.0) / 2.0);
        (x, y)
    }
}

/// One line per weight `w_jk(l)`, its colour and width stepping through the
/// frames, scaled to the largest `|w|` of the whole recording.
fn draw_weights(svg: &mut Doc, nets: &[&Network], spots: &Spots, timing: &Timing) {
    let largest = nets
        .iter()
        .flat_map(|net| net.layers().iter().flat_map(|layer| layer.w().iter().map(|w| w.abs())))
        .fold(0.0, f64::max);
    svg.out.push_str("<g class=\"weights\" stroke-linecap=\"round\">\n");
    for l in 0..spots.sizes.len() - 1 {
        for ((j, k), _) in nets[0].layers()[l].w().indexed_iter() {
            let (from, to) = (spots.at(l, k), spots.at(l + 1, j));
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
}

/// The neurons as circles, and each layer's name under it.
fn draw_neurons(svg: &mut Doc, spots: &Spots) {
    let sizes = spots.sizes;
    let largest_layer = sizes.iter().copied().max().unwrap_or(1) as f64;
    let radius = (0.4 * (DIAGRAM_SIZE.1 - 130.0) / largest_layer).clamp(3.0, 14.0);
    for (l, &n) in sizes.iter().enumerate() {
        for j in 0..n {
            let (x, y) = spots.at(l, j);
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
        svg.text((spots.at(l, 0).0, DIAGRAM_SIZE.1 - 50.0), &name, "middle", 13.0, "");
    }
}

/// Blue for a positive weight, red for a negative one, `t` (0..1) of the way
/// from a light grey: the network diagram's colours.
fn weight_colour(w: f64, t: f64) -> RGBColor {
    let base = if w >= 0.0 { RGBColor(33, 102, 172) } else { RGBColor(178, 24, 43) };
    let mix = |c: u8| (225.0 + (c as f64 - 225.0) * t.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(base.0), mix(base.1), mix(base.2))
}
