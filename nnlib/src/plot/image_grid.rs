//! [`ImageGrid`]: small grey images in a grid, e.g. handwritten digits with their labels.

use ndarray::ArrayView2;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figure::{check_size, render, Figure};
use super::ranges::bounds;
use super::style::{grey, plot_err, text_width, FONT};
use crate::{check, Error, Result};

/// An image is drawn about this many pixels on its longer side (8 per pixel of an 8 × 8 digit).
const IMAGE_SIDE: usize = 64;

/// Space between neighbouring images, and around the grid.
const GAP: u32 = 14;

/// Plotters font size of the captions, and the height of the line they sit on.
const CAPTION_FONT: f64 = 16.0;
const CAPTION_HEIGHT: u32 = 20;

/// Height taken by the figure's title.
const TITLE_HEIGHT: u32 = 34;

/// Small grey images in a grid, [`cols`](ImageGrid::cols) images per row (10
/// unless set), each with an optional caption under it.
///
/// Each **row** of `images` is one image, stored row-major with
/// [`image_width`](ImageGrid::image_width) pixels per image row (by default the
/// square root of its pixels: 8 for the 8 × 8 digits), so an image has
/// `images.ncols() / image_width` rows. Pixels are drawn in ink: the smallest
/// value (0, or the minimum if some value is negative) is white and the largest
/// black, on one scale for all images, as the digits' intensities 0..16 are meant.
///
/// [`captions`](ImageGrid::captions) are none (the default) or one per image,
/// anything printable: its label, or `"7 → 9 (0.62)"` for a misclassified digit.
///
/// ```
/// use nnlib::ndarray::Array2;
/// // Two 3 × 3 images: a vertical bar and a horizontal one.
/// let mut images = Array2::zeros((2, 9));
/// for i in 0..3 {
///     images[[0, 3 * i + 1]] = 16.0;
///     images[[1, 3 + i]] = 16.0;
/// }
/// let fig = nnlib::plot::ImageGrid::new("Bars", images.view()).captions(&["|", "—"]).cols(2).draw()?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// # Errors
/// [`Error::Empty`] if there is no image or no pixel; [`Error::InvalidParameter`]
/// if `cols` or `image_width` is 0, `image_width` is not set and an image's
/// pixels are not a square number, or the grid would be larger than
/// [`MAX_SIDE`](super::MAX_SIDE); [`Error::Shape`] if `image_width` does not
/// divide the number of pixels or there is neither no caption nor one per image;
/// [`Error::NonFinite`] for a NaN or infinite pixel (row = image, column = pixel).
#[derive(Debug, Clone)]
pub struct ImageGrid<'a> {
    title: String,
    images: ArrayView2<'a, f64>,
    image_width: Option<usize>,
    captions: Vec<String>,
    cols: usize,
}

impl<'a> ImageGrid<'a> {
    /// A grid of the rows of `images`, one image each, under `title`.
    pub fn new(title: impl Into<String>, images: ArrayView2<'a, f64>) -> Self {
        ImageGrid { title: title.into(), images, image_width: None, captions: vec![], cols: 10 }
    }

    /// Pixels per image row (default: the square root of an image's pixels).
    pub fn image_width(mut self, pixels: usize) -> Self {
        self.image_width = Some(pixels);
        self
    }

    /// One caption per image, anything printable (`&labels`, `&["a", "b"]`).
    pub fn captions(mut self, captions: &[impl std::fmt::Display]) -> Self {
        self.captions = captions.iter().map(|c| c.to_string()).collect();
        self
    }

    /// Images per row of the grid (default 10).
    pub fn cols(mut self, cols: usize) -> Self {
        self.cols = cols;
        self
    }

    /// The width set, or the side of a square image.
    fn width(&self) -> Result<usize> {
        let pixels = self.images.ncols();
        self.image_width.or_else(|| square_side(pixels)).ok_or_else(|| Error::InvalidParameter {
            name: "image_width",
            reason: format!("{pixels} pixels per image is not a square number: set .image_width(..)"),
        })
    }

    /// Draws the grid.
    pub fn draw(&self) -> Result<Figure> {
        let image_width = self.width()?;
        let ImageGrid { title, images, captions, cols, .. } = self;
        let (images, cols) = (*images, *cols);
        let image_height = check_images(images, image_width, captions, cols)?;
        let n = images.nrows();
        let (lo, hi) = bounds(images.iter().copied()).unwrap_or((0.0, 0.0));
        // Ink: 0 is white unless there are negative values; an all-zero image is blank.
        // Halving first keeps the span finite even from f64::MIN to f64::MAX.
        let (lo, half_span) = (lo.min(0.0), hi / 2.0 - lo.min(0.0) / 2.0);
        let ink = |v: f64| if half_span > 0.0 { grey((v / 2.0 - lo / 2.0) / half_span) } else { WHITE };

        let pixel = (IMAGE_SIDE / image_width.max(image_height)).max(1) as u64;
        let (image_w, image_h) = (pixel * image_width as u64, pixel * image_height as u64);
        let widest_caption = captions.iter().map(|c| text_width(c, CAPTION_FONT)).fold(0.0, f64::max);
        let cell_w = image_w.max(widest_caption.ceil() as u64) + GAP as u64;
        let cell_h = image_h + if captions.is_empty() { 0 } else { CAPTION_HEIGHT as u64 } + GAP as u64;
        let cols = cols.min(n);
        let rows = n.div_ceil(cols);
        let grid_w = cols as u64 * cell_w + GAP as u64;
        let width = grid_w.max(text_width(title, 24.0) as u64 + 2 * GAP as u64);
        let height = (TITLE_HEIGHT as u64).saturating_add((rows as u64).saturating_mul(cell_h)) + GAP as u64;
        let size = check_size("image_grid: figure size", (width, height))?;

        render(size, title, |area| {
            // Centre the grid when the title is wider than it.
            let left = (width - grid_w) / 2 + GAP as u64;
            for (i, image) in images.rows().into_iter().enumerate() {
                let x0 = (left + (i % cols) as u64 * cell_w + (cell_w - GAP as u64 - image_w) / 2) as i32;
                let y0 = (GAP as u64 / 2 + (i / cols) as u64 * cell_h) as i32;
                let pixels = image.iter().enumerate().filter_map(|(p, &v)| {
                    let colour = ink(v);
                    // White pixels are left out: the background already is white.
                    (colour != WHITE).then(|| {
                        let (x, y) = ((p % image_width) as i32, (p / image_width) as i32);
                        let corner = (x0 + x * pixel as i32, y0 + y * pixel as i32);
                        Rectangle::new(
                            [corner, (corner.0 + pixel as i32, corner.1 + pixel as i32)],
                            colour.filled(),
                        )
                    })
                });
                area.draw(&Rectangle::new(
                    [(x0 - 1, y0 - 1), (x0 + image_w as i32, y0 + image_h as i32)],
                    RGBColor(190, 190, 190).stroke_width(1),
                ))
                .map_err(plot_err)?;
                for rect in pixels {
                    area.draw(&rect).map_err(plot_err)?;
                }
                if let Some(caption) = captions.get(i) {
                    let style = TextStyle::from((FONT, CAPTION_FONT)).pos(Pos::new(HPos::Center, VPos::Top));
                    let at = (x0 + image_w as i32 / 2, y0 + image_h as i32 + 4);
                    area.draw(&Text::new(caption.as_str(), at, style)).map_err(plot_err)?;
                }
            }
            Ok(())
        })
    }
}

/// `Some(s)` when `n = s²` (and `n > 0`).
fn square_side(n: usize) -> Option<usize> {
    let s = (n as f64).sqrt().round() as usize;
    (n > 0 && s * s == n).then_some(s)
}

/// Checks the inputs of [`ImageGrid`] and returns the height of one image in pixels.
fn check_images(
    images: ArrayView2<f64>,
    image_width: usize,
    captions: &[String],
    cols: usize,
) -> Result<usize> {
    let (n, pixels) = images.dim();
    if n == 0 || pixels == 0 {
        return Err(Error::Empty(format!("image_grid: no images to draw ({n} images of {pixels} pixels)")));
    }
    for (name, value) in [("image_width", image_width), ("cols", cols)] {
        if value == 0 {
            return Err(Error::InvalidParameter { name, reason: "must be at least 1".into() });
        }
    }
    if pixels % image_width != 0 {
        return Err(Error::Shape {
            context: "image_grid: images".into(),
            expected: format!(
                "a multiple of image_width = {image_width} pixels per image (one row per image)"
            ),
            got: format!("{pixels} pixels per image"),
        });
    }
    if !captions.is_empty() && captions.len() != n {
        return Err(Error::Shape {
            context: "image_grid: captions".into(),
            expected: format!("one caption per image ({n}), or none"),
            got: format!("{} captions", captions.len()),
        });
    }
    check::finite("image_grid: images", &images)?;
    Ok(pixels / image_width)
}
