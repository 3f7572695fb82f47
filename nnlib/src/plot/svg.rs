//! A minimal SVG writer for figures drawn shape by shape (the network diagram),
//! where plotters' charts do not fit: it keeps fractional coordinates, a class
//! on each shape (tests count them) and a tooltip (`<title>`) on any shape.

use std::fmt::Write;

use plotters::style::RGBColor;

use super::figure::{check_size, Figure};
use crate::Result;

/// An SVG document being written.
pub(super) struct Svg {
    out: String,
    size: (u32, u32),
}

/// How a text is placed and drawn.
#[derive(Clone, Copy)]
pub(super) struct TextStyle {
    /// Font size in pixels.
    pub size: f64,
    /// `"start"`, `"middle"` or `"end"`: which point of the text `x` is.
    pub anchor: &'static str,
    pub bold: bool,
    pub colour: RGBColor,
    /// A white outline under the letters, so a text stays legible over lines.
    pub halo: bool,
}

impl TextStyle {
    pub(super) fn new(size: f64, anchor: &'static str) -> Self {
        TextStyle { size, anchor, bold: false, colour: RGBColor(0, 0, 0), halo: false }
    }
    pub(super) fn bold(self) -> Self {
        TextStyle { bold: true, ..self }
    }
    pub(super) fn colour(self, colour: RGBColor) -> Self {
        TextStyle { colour, ..self }
    }
    pub(super) fn halo(self) -> Self {
        TextStyle { halo: true, ..self }
    }
}

/// `#RRGGBB`, as plotters writes colours.
pub(super) fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// `text` with the five XML special characters escaped.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

impl Svg {
    /// A white document of `width × height` pixels (checked against [`MAX_SIDE`](super::MAX_SIDE)).
    pub(super) fn new(width: f64, height: f64) -> Result<Svg> {
        let size = check_size("figure size", (width.ceil() as u64, height.ceil() as u64))?;
        // The same opening as plotters writes, which `Figure::with_size` relies on.
        let mut out = format!(
            "<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" xmlns=\"http://www.w3.org/2000/svg\">\n",
            size.0, size.1
        );
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#FFFFFF\"/>",
            size.0, size.1
        );
        Ok(Svg { out, size })
    }

    /// Closes the document.
    pub(super) fn finish(mut self) -> Figure {
        self.out.push_str("</svg>\n");
        Figure::from_svg(self.out, self.size)
    }

    /// Ends a shape: self-closing, or with a tooltip inside.
    fn close(&mut self, tag: &str, tooltip: Option<&str>) {
        match tooltip {
            Some(t) => {
                let _ = writeln!(self.out, "><title>{}</title></{tag}>", escape(t));
            }
            None => self.out.push_str("/>\n"),
        }
    }

    /// A straight line of `width` pixels in `colour`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn line(
        &mut self,
        class: &str,
        (x1, y1): (f64, f64),
        (x2, y2): (f64, f64),
        colour: RGBColor,
        width: f64,
        opacity: f64,
        tooltip: Option<&str>,
    ) {
        let _ = write!(
            self.out,
            "<line class=\"{class}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{}\" stroke-width=\"{width:.2}\" stroke-opacity=\"{opacity:.2}\" stroke-linecap=\"round\"",
            hex(colour)
        );
        self.close("line", tooltip);
    }

    /// A thin dashed line from a label to what it describes.
    pub(super) fn leader(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), colour: RGBColor) {
        let _ = writeln!(
            self.out,
            "<line class=\"leader\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
            hex(colour)
        );
    }

    /// A filled circle with an outline.
    pub(super) fn circle(
        &mut self,
        class: &str,
        (cx, cy): (f64, f64),
        r: f64,
        (fill, stroke, stroke_width): (RGBColor, RGBColor, f64),
        tooltip: Option<&str>,
    ) {
        let _ = write!(
            self.out,
            "<circle class=\"{class}\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{r:.1}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{stroke_width:.1}\"",
            hex(fill),
            hex(stroke)
        );
        self.close("circle", tooltip);
    }

    /// A rectangle with rounded corners, e.g. the box behind a label.
    pub(super) fn rect(
        &mut self,
        class: &str,
        (x, y): (f64, f64),
        (w, h): (f64, f64),
        fill: RGBColor,
        stroke: RGBColor,
    ) {
        let _ = writeln!(
            self.out,
            "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"4\" fill=\"{}\" fill-opacity=\"0.92\" stroke=\"{}\"/>",
            hex(fill),
            hex(stroke)
        );
    }

    /// One line of text; `y` is its vertical middle.
    pub(super) fn text(&mut self, (x, y): (f64, f64), text: &str, style: TextStyle) {
        let weight = if style.bold { " font-weight=\"bold\"" } else { "" };
        let halo = if style.halo {
            " stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\""
        } else {
            ""
        };
        let _ = writeln!(
            self.out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" dy=\"0.35em\" text-anchor=\"{}\" font-family=\"sans-serif\" font-size=\"{:.1}\" fill=\"{}\"{weight}{halo}>{}</text>",
            style.anchor,
            style.size,
            hex(style.colour),
            escape(text)
        );
    }
}
