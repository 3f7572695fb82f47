//! [`Figure`], the SVG image every plot returns, and [`render`], which draws one.

use std::fmt;
use std::path::Path;

use plotters::prelude::*;

use super::style::{plot_err, text_width, Area, FONT};
use crate::{Error, Result};

/// The size, in pixels (width, height), of every figure except [`function_grid`](super::function_grid).
pub const DEFAULT_SIZE: (u32, u32) = (640, 420);

/// The largest width or height, in pixels, of any figure, including one
/// rescaled with [`Figure::with_size`]: 16 384, enough for a poster. A figure
/// that would need more (e.g. thousands of images in an [`ImageGrid`](super::ImageGrid))
/// is an [`Error::InvalidParameter`] rather than a drawing no viewer can open.
pub const MAX_SIDE: u32 = 16_384;

/// A finished plot: an SVG image.
///
/// In a notebook, make it the last expression of a cell to see it. Outside a
/// notebook, [`save`](Figure::save) it or print it (its [`Display`](fmt::Display)
/// is the SVG text).
#[derive(Clone, PartialEq, Eq)]
pub struct Figure {
    svg: String,
    width: u32,
    height: u32,
}

impl Figure {
    /// A figure from a finished SVG document of `size` pixels.
    pub(super) fn from_svg(svg: String, (width, height): (u32, u32)) -> Figure {
        Figure { svg, width, height }
    }

    /// The SVG document, starting with `<svg`.
    pub fn svg(&self) -> &str {
        &self.svg
    }

    /// The displayed size in pixels, (width, height).
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The same figure shown at another size, e.g. `fig.with_size(960, 630)?` to
    /// make it 1.5 times larger. The drawing is scaled as a whole (text too) and
    /// keeps its proportions: if the new size has another aspect ratio the
    /// drawing is centred in it.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `width` or `height` is 0 or more than [`MAX_SIDE`].
    pub fn with_size(self, width: u32, height: u32) -> Result<Figure> {
        check_size("size", (width as u64, height as u64))?;
        // plotters writes `<svg width=".." height=".." viewBox="0 0 w h" ...>`: the
        // viewBox keeps the drawing's own coordinates, so changing only width and
        // height makes the viewer scale it.
        let old = format!("<svg width=\"{}\" height=\"{}\"", self.width, self.height);
        let new = format!("<svg width=\"{width}\" height=\"{height}\"");
        let svg = self.svg.replacen(&old, &new, 1);
        Ok(Figure { svg, width, height })
    }

    /// Writes the SVG to `path` (conventionally ending in `.svg`), replacing the
    /// file if it exists.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, &self.svg).map_err(|source| Error::Io { path: path.to_path_buf(), source })
    }

    /// Saves the SVG like [`Figure::save`] and gives the figure back, so one
    /// notebook cell can save a plot and still show it:
    /// `plot::curves(...)?.saved("../docs/loss.svg")?`.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be written.
    pub fn saved(self, path: impl AsRef<Path>) -> Result<Figure> {
        self.save(path)?;
        Ok(self)
    }

    /// The text [`evcxr_display`](Figure::evcxr_display) prints: the SVG wrapped
    /// in the markers that tell the evcxr kernel to show it as HTML.
    pub(crate) fn evcxr_html(&self) -> String {
        format!("EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT", self.svg.trim_end())
    }

    /// Shows the figure in a Jupyter notebook running the evcxr kernel. The kernel
    /// calls this itself when a `Figure` is the value of a cell.
    pub fn evcxr_display(&self) {
        println!("{}", self.evcxr_html());
    }
}

/// The SVG text, e.g. for `println!("{fig}")`.
impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.svg)
    }
}

/// A short summary rather than kilobytes of SVG.
impl fmt::Debug for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Figure {{ {} × {} px, {} bytes of SVG }}", self.width, self.height, self.svg.len())
    }
}

/// Draws a figure of `size` pixels: white background, `title` on top, then
/// whatever `draw` puts in the area below the title.
pub(super) fn render(
    size: (u32, u32),
    title: &str,
    draw: impl FnOnce(&Area<'_>) -> Result<()>,
) -> Result<Figure> {
    check_size("figure size", (size.0 as u64, size.1 as u64))?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let body = root.titled(title, (FONT, title_font(title, size.0))).map_err(plot_err)?;
        draw(&body)?;
        root.present().map_err(plot_err)?;
    }
    Ok(Figure { svg, width: size.0, height: size.1 })
}

/// The title's font size: 24, or smaller (down to 14) so that a long title fits
/// a narrow figure.
fn title_font(title: &str, width: u32) -> f64 {
    let at_24 = text_width(title, 24.0);
    let room = width as f64 - 24.0;
    if at_24 <= room {
        24.0
    } else {
        (24.0 * room / at_24).max(14.0)
    }
}

/// A figure size is at least 1 × 1 and at most [`MAX_SIDE`] × [`MAX_SIDE`] pixels.
/// Sizes are computed as `u64` so that callers can check before any `u32` overflows.
pub(super) fn check_size(name: &'static str, (width, height): (u64, u64)) -> Result<(u32, u32)> {
    let max = MAX_SIDE as u64;
    if width == 0 || height == 0 || width > max || height > max {
        return Err(Error::InvalidParameter {
            name,
            reason: format!(
                "a figure must be between 1 × 1 and {max} × {max} pixels, this one would be {width} × {height}"
            ),
        });
    }
    Ok((width as u32, height as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evcxr_html_wraps_the_svg_in_evcxr_markers() {
        let fig = Figure::from_svg("<svg width=\"2\" height=\"1\"></svg>\n".into(), (2, 1));
        let html = fig.evcxr_html();
        assert!(html.starts_with("EVCXR_BEGIN_CONTENT text/html\n<svg"), "{html}");
        assert!(html.ends_with("</svg>\nEVCXR_END_CONTENT"), "{html}");
    }
}
