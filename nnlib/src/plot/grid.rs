//! The sampling grid [`DecisionBoundary`](super::DecisionBoundary) and
//! [`Contour`](super::Contour) evaluate their function on, its iso-lines
//! ("marching squares") and its shaded cells.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use plotters::prelude::*;

use super::style::{plot_err, LinearChart};
use crate::Result;

/// Cells per side of the grid on which [`DecisionBoundary`](super::DecisionBoundary) and [`Contour`](super::Contour)
/// evaluate their function (100 × 100 = 10 000 evaluations).
pub(super) const GRID_CELLS: usize = 100;

/// The centres of the `GRID_CELLS × GRID_CELLS` cells covering `x × y`, row by
/// row from the bottom (x varies fastest).
pub(super) fn grid_centres(x: &Range<f64>, y: &Range<f64>) -> Vec<(f64, f64)> {
    let at = |r: &Range<f64>, k: usize| r.start + (r.end - r.start) * (k as f64 + 0.5) / GRID_CELLS as f64;
    (0..GRID_CELLS).flat_map(|j| (0..GRID_CELLS).map(move |i| (at(x, i), at(y, j)))).collect()
}

/// A function's values at the [`grid_centres`] of a rectangle.
pub(super) struct Grid {
    x: Range<f64>,
    y: Range<f64>,
    /// Row-major from the bottom row: the value of cell (i, j) is at `j * GRID_CELLS + i`.
    pub(super) values: Vec<f64>,
}

impl Grid {
    pub(super) fn new(x: Range<f64>, y: Range<f64>, values: Vec<f64>) -> Self {
        debug_assert_eq!(values.len(), GRID_CELLS * GRID_CELLS);
        Grid { x, y, values }
    }

    fn value(&self, i: usize, j: usize) -> f64 {
        self.values[j * GRID_CELLS + i]
    }

    /// The corner of cells at column edge `i` and row edge `j` (0..=GRID_CELLS).
    /// Neighbouring cells compute their shared edge identically, so no gap
    /// appears between their rectangles.
    fn corner(&self, i: usize, j: usize) -> (f64, f64) {
        let at = |r: &Range<f64>, k: usize| r.start + (r.end - r.start) * k as f64 / GRID_CELLS as f64;
        (at(&self.x, i), at(&self.y, j))
    }

    fn centre(&self, i: usize, j: usize) -> (f64, f64) {
        let ((x0, y0), (x1, y1)) = (self.corner(i, j), self.corner(i + 1, j + 1));
        ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
    }

    /// The line(s) where the sampled function equals `level`, as short segments
    /// (the "marching squares" method: in each square of four neighbouring
    /// samples, the line crosses the sides whose ends lie on opposite sides of
    /// `level`, at the linearly interpolated point).
    pub(super) fn iso_lines(&self, level: f64) -> Vec<Vec<(f64, f64)>> {
        let mut segments: Vec<[(f64, f64); 2]> = Vec::new();
        for j in 0..GRID_CELLS - 1 {
            for i in 0..GRID_CELLS - 1 {
                // Corners anticlockwise from bottom-left; side k joins corner k and k + 1.
                let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
                let v = corners.map(|(a, b)| self.value(a, b));
                if v.iter().any(|v| !v.is_finite()) {
                    continue;
                }
                let p = corners.map(|(a, b)| self.centre(a, b));
                let cross: Vec<(f64, f64)> = (0..4)
                    .filter_map(|k| crossing((p[k], v[k]), (p[(k + 1) % 4], v[(k + 1) % 4]), level))
                    .collect();
                match cross[..] {
                    [a, b] => segments.push([a, b]),
                    // A saddle: opposite corners agree. The average of the corners
                    // decides which pair of corners the region between them joins.
                    [a, b, c, d] => {
                        let centre_below = v.iter().sum::<f64>() / 4.0 < level;
                        if centre_below == (v[0] < level) {
                            segments.extend([[a, b], [c, d]]);
                        } else {
                            segments.extend([[d, a], [b, c]]);
                        }
                    }
                    _ => {}
                }
            }
        }
        join_segments(&segments)
    }
}

/// Joins segments that share an end into polylines: far fewer SVG elements, and
/// no darker dots where the ends of translucent segments would overlap.
pub(super) fn join_segments(segments: &[[(f64, f64); 2]]) -> Vec<Vec<(f64, f64)>> {
    // `crossing` makes shared ends bit-identical, so the bits can be the key.
    let key = |p: (f64, f64)| (p.0.to_bits(), p.1.to_bits());
    let mut touching: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
    for (i, segment) in segments.iter().enumerate() {
        for &p in segment {
            touching.entry(key(p)).or_default().push(i);
        }
    }
    let mut used = vec![false; segments.len()];
    let mut lines = Vec::new();
    for first in 0..segments.len() {
        if used[first] {
            continue;
        }
        used[first] = true;
        let mut line = VecDeque::from(segments[first]);
        // Grow the line at its back, then at its front, until no segment continues it.
        for at_back in [true, false] {
            loop {
                let end = if at_back { line.back() } else { line.front() };
                let Some(&end) = end else { break };
                let next = touching[&key(end)].iter().copied().find(|&i| !used[i]);
                let Some(next) = next else { break };
                used[next] = true;
                let [a, b] = segments[next];
                let other = if key(a) == key(end) { b } else { a };
                if at_back {
                    line.push_back(other);
                } else {
                    line.push_front(other);
                }
            }
        }
        lines.push(Vec::from(line));
    }
    lines
}

/// Where the value crosses `level` on the side between two samples `(point, value)`,
/// if it does.
pub(super) fn crossing(a: ((f64, f64), f64), b: ((f64, f64), f64), level: f64) -> Option<(f64, f64)> {
    // Interpolate from the same end whichever of the two cells sharing this side
    // asks, so both get the bit-identical point and `join_segments` can match them.
    let ((p0, v0), (p1, v1)) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    if (v0 < level) == (v1 < level) {
        return None;
    }
    let t = (level - v0) / (v1 - v0);
    Some((p0.0 + t * (p1.0 - p0.0), p0.1 + t * (p1.1 - p0.1)))
}

/// Shades every grid cell in the colour `colour_of` gives its value (`None` leaves
/// it blank). Neighbouring cells of a row with the same colour become one
/// rectangle, which keeps the SVG small.
pub(super) fn fill_cells(
    chart: &mut LinearChart<'_, '_>,
    grid: &Grid,
    colour_of: impl Fn(f64) -> Option<RGBColor>,
) -> Result<()> {
    let mut rects = Vec::new();
    for j in 0..GRID_CELLS {
        let mut i = 0;
        while i < GRID_CELLS {
            let (start, colour) = (i, colour_of(grid.value(i, j)));
            while i < GRID_CELLS && colour_of(grid.value(i, j)) == colour {
                i += 1;
            }
            if let Some(colour) = colour {
                let corners = [grid.corner(start, j), grid.corner(i, j + 1)];
                rects.push(Rectangle::new(corners, colour.filled()));
            }
        }
    }
    chart.draw_series(rects).map_err(plot_err)?;
    Ok(())
}
