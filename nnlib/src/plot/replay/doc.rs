//! The replay's SVG: its layout, the SMIL timing of the frames, and the document writer.

use std::fmt::Write;
use std::ops::Range;

use ndarray::ArrayView2;
use plotters::style::RGBColor;

use super::HOLD_SECONDS;
use crate::plot::figure::{check_size, Figure};
use crate::plot::ranges::{bounds, padded};
use crate::plot::style::{colour, lighten};
use crate::plot::svg::{escape, hex};
use crate::plot::ticks::{nice_ticks, LinearLabels};
use crate::Result;

/// The whole figure, in pixels.
pub(super) const SIZE: (f64, f64) = (900.0, 400.0);
/// The plot areas (left, top, right, bottom) of the two panels.
pub(super) const FIT_PANEL: (f64, f64, f64, f64) = (70.0, 50.0, 420.0, 340.0);
pub(super) const LOSS_PANEL: (f64, f64, f64, f64) = (540.0, 50.0, 880.0, 340.0);
pub(super) const TICKS: usize = 6;

/// When each frame starts, as SMIL `keyTimes` (fractions of one loop).
pub(super) struct Timing {
    /// Seconds per loop: the frames, then the hold.
    pub(super) dur: f64,
    pub(super) key_times: Vec<f64>,
}

impl Timing {
    pub(super) fn new(n: usize, seconds: f64) -> Timing {
        let dur = seconds + HOLD_SECONDS;
        let key_times = (0..n).map(|i| seconds * i as f64 / (n - 1).max(1) as f64 / dur).collect();
        Timing { dur, key_times }
    }

    /// The attributes that make an `<animate>` step through `values` in this timing, forever.
    pub(super) fn attributes(&self, values: &str, key_times: &str) -> String {
        format!(
            "values=\"{values}\" keyTimes=\"{key_times}\" dur=\"{:.2}s\" calcMode=\"discrete\" repeatCount=\"indefinite\"",
            self.dur
        )
    }

    pub(super) fn all_key_times(&self) -> String {
        join(self.key_times.iter().map(|t| format!("{t:.4}")))
    }

    /// `<animate>` of `attribute` through one value per frame.
    pub(super) fn animate(&self, attribute: &str, values: impl IntoIterator<Item = String>) -> String {
        format!(
            "<animate attributeName=\"{attribute}\" {}/>",
            self.attributes(&join(values), &self.all_key_times())
        )
    }

    /// `<animate>` that shows an element during frame `i` only.
    pub(super) fn visible_during(&self, i: usize) -> String {
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

pub(super) fn join(values: impl IntoIterator<Item = String>) -> String {
    values.into_iter().collect::<Vec<_>>().join(";")
}

/// A linear map from data to pixels over one panel's plot area.
pub(super) struct Axes {
    pub(super) area: (f64, f64, f64, f64),
    pub(super) x: Range<f64>,
    pub(super) y: Range<f64>,
}

impl Axes {
    pub(super) fn new(area: (f64, f64, f64, f64), x: Range<f64>, y: Range<f64>) -> Axes {
        Axes { area, x, y }
    }
    pub(super) fn px(&self, v: f64) -> f64 {
        self.area.0 + (v - self.x.start) / (self.x.end - self.x.start) * (self.area.2 - self.area.0)
    }
    pub(super) fn py(&self, v: f64) -> f64 {
        self.area.3 - (v - self.y.start) / (self.y.end - self.y.start) * (self.area.3 - self.area.1)
    }
    pub(super) fn polyline(&self, points: &[(f64, f64)]) -> String {
        let pts = points.iter().map(|&(x, y)| format!("{:.2},{:.2}", self.px(x), self.py(y)));
        pts.collect::<Vec<_>>().join(" ")
    }
    /// `data-map="x0 x1 px0 px1 y0 y1 py0 py1"`: how data become pixels, so a
    /// reader (the tests) can read the drawn values back.
    pub(super) fn data_map(&self) -> String {
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

/// The replay's SVG document being written.
pub(super) struct Doc {
    pub(super) out: String,
    pub(super) size: (u32, u32),
}

pub(super) const INK: RGBColor = RGBColor(0, 0, 0);

impl Doc {
    pub(super) fn new(size: (f64, f64), title: &str) -> Result<Doc> {
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

    pub(super) fn finish(mut self) -> Figure {
        self.out.push_str("</svg>\n");
        Figure::from_svg(self.out, self.size)
    }

    pub(super) fn text(&mut self, (x, y): (f64, f64), text: &str, anchor: &str, size: f64, extra: &str) {
        let _ = writeln!(
            self.out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" dy=\"0.35em\" text-anchor=\"{anchor}\" font-size=\"{size}\"{extra}>{}</text>",
            escape(text)
        );
    }

    /// Frame, ticks with labels, and the axis labels of one panel.
    pub(super) fn axes(&mut self, axes: &Axes, class: &str, x_label: &str, y_label: &str) {
        let (l, t, r, b) = axes.area;
        let _ = writeln!(self.out, "<g class=\"panel {class}\" {}>", axes.data_map());
        let _ = writeln!(
            self.out,
            "<rect x=\"{l}\" y=\"{t}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#000000\"/>",
            r - l,
            b - t
        );
        let labels = LinearLabels::for_axis(&axes.x, TICKS);
        for v in nice_ticks(&axes.x, TICKS) {
            let x = axes.px(v);
            let _ = writeln!(
                self.out,
                "<line x1=\"{x:.1}\" y1=\"{b}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#000000\"/>",
                b + 5.0
            );
            self.text((x, b + 15.0), &labels.label(v), "middle", 11.0, "");
        }
        let labels = LinearLabels::for_axis(&axes.y, TICKS);
        for v in nice_ticks(&axes.y, TICKS) {
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
    pub(super) fn points(&mut self, axes: &Axes, x: ArrayView2<f64>, y: ArrayView2<f64>) {
        let _ = writeln!(self.out, "<g class=\"data\" fill=\"{}\" fill-opacity=\"0.6\">", hex(colour(0)));
        for (&xi, &yi) in x.iter().zip(y.iter()) {
            let _ =
                writeln!(self.out, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"/>", axes.px(xi), axes.py(yi));
        }
        self.out.push_str("</g>\n");
    }

    /// Opens a group clipped to the panel's plot area (closed by the caller).
    pub(super) fn open_clip(&mut self, axes: &Axes, id: &str) {
        let (l, t, r, b) = axes.area;
        let _ = writeln!(
            self.out,
            "<clipPath id=\"{id}\"><rect x=\"{l}\" y=\"{t}\" width=\"{}\" height=\"{}\"/></clipPath>\n<g clip-path=\"url(#{id})\">",
            r - l,
            b - t
        );
    }

    pub(super) fn polyline(
        &mut self,
        class: &str,
        points: &str,
        colour: RGBColor,
        width: f64,
        dash: Option<&str>,
    ) {
        let dash = dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
        let _ = writeln!(
            self.out,
            "<polyline class=\"{class}\" points=\"{points}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{width}\"{dash}/>",
            hex(colour)
        );
    }

    /// A polyline whose points step through `frames`; its static points are frame 0's.
    pub(super) fn animated_polyline(
        &mut self,
        class: &str,
        frames: &[String],
        colour: RGBColor,
        timing: &Timing,
    ) {
        let _ = writeln!(
            self.out,
            "<polyline class=\"{class}\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"3\">{}</polyline>",
            frames[0],
            hex(colour),
            timing.animate("points", frames.iter().cloned())
        );
    }

    /// The key of the fit panel: the current prediction and the trained one.
    pub(super) fn legend(&mut self, axes: &Axes, now: RGBColor, now_label: &str, final_label: String) {
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
    pub(super) fn loss_panel(&mut self, loss: &[f64], epochs: &[usize], timing: &Timing) -> Result<()> {
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
        let now: Vec<(f64, f64)> =
            shown.iter().map(|&e| (e as f64, loss.get(e - 1).copied().unwrap_or(0.0))).collect();
        self.animated_dot("loss-now", &axes, &now, 4.5, timing);

        let at = ((LOSS_PANEL.0 + LOSS_PANEL.2) / 2.0, LOSS_PANEL.1 + 14.0);
        self.counter(at, epochs, loss.len(), timing);
        Ok(())
    }

    /// A dot that moves through `points` (data, one per frame); its static place is frame 0's.
    pub(super) fn animated_dot(
        &mut self,
        class: &str,
        axes: &Axes,
        points: &[(f64, f64)],
        r: f64,
        timing: &Timing,
    ) {
        let cx: Vec<String> = points.iter().map(|p| format!("{:.2}", axes.px(p.0))).collect();
        let cy: Vec<String> = points.iter().map(|p| format!("{:.2}", axes.py(p.1))).collect();
        let _ = writeln!(
            self.out,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{r}\" fill=\"{}\">{}{}</circle>",
            cx[0],
            cy[0],
            hex(colour(1)),
            timing.animate("cx", cx.iter().cloned()),
            timing.animate("cy", cy.iter().cloned())
        );
    }

    /// "epoch e of E", one text per frame, each visible during its frame only.
    pub(super) fn counter(&mut self, (x, y): (f64, f64), epochs: &[usize], total: usize, timing: &Timing) {
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
