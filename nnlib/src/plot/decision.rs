//! [`DecisionBoundary`]: a classifier's class regions with the labelled points on top.

use ndarray::{Array1, Array2, ArrayView2};
use plotters::prelude::*;

use super::figure::{render, Figure, DEFAULT_SIZE};
use super::grid::{fill_cells, grid_centres, Grid};
use super::ranges::{bounds, padded, unit};
use super::style::{
    chart_builder, colour, draw_axes, draw_legend, emptiest_corner, legend_line, lighten, plot_err, INK,
    PALETTE,
};
use crate::{Error, Result};

/// The regions a classifier assigns to each class, with the labelled points on top.
///
/// `points` is an n × 2 array of inputs and `labels` their classes (0, 1, ...);
/// the axes are named `x₁` and `x₂` unless [`labels`](DecisionBoundary::labels) says otherwise.
/// The plot covers the points with a margin, divides that area into a 100 × 100
/// grid and calls `predict` **once** with all 10 000 grid centres as one
/// (10 000 × 2) array. `predict` returns one number per row, either
///
/// * the probability of class 1 (binary classification): cells ≥ 0.5 are class 1, or
/// * the predicted class itself as a number (0.0, 1.0, 2.0, ...).
///
/// Both are read the same way: a cell belongs to the class nearest to its value,
/// `value.round()` (clamped to the known classes). Each class region is shaded in
/// a light version of the class colour, the boundaries between classes (the 0.5
/// contour of a probability) are drawn as dark lines, and each point is a dot in
/// its class colour.
///
/// ```
/// use nnlib::ndarray::{array, Array1, ArrayView2};
/// let x = array![[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]];
/// let labels = [0, 1, 0, 1];
/// // A stand-in for a trained model: "class 1 when x0 > 0.5".
/// let predict = |grid: ArrayView2<f64>| -> nnlib::Result<Array1<f64>> {
///     Ok(grid.column(0).mapv(|v| if v > 0.5 { 1.0 } else { 0.0 }))
/// };
/// let fig = nnlib::plot::DecisionBoundary::new("XOR?", x.view(), &labels, predict).draw()?;
/// # Ok::<(), nnlib::Error>(())
/// ```
///
/// # Errors
/// [`Error::Shape`] if `points` does not have 2 columns, if there is not one label
/// per point or if `predict` does not return one value per grid row;
/// [`Error::InvalidParameter`] for a label of 10 or more (the plot has 10 colours);
/// [`Error::Empty`] if there are no points; [`Error::NonFinite`] for a NaN or
/// infinity in `points` or in the output of `predict`; any error `predict` returns.
#[derive(Debug, Clone)]
pub struct DecisionBoundary<'a, P> {
    title: String,
    points: ArrayView2<'a, f64>,
    labels: Vec<usize>,
    predict: P,
    axes: (String, String),
    class_names: Option<Vec<String>>,
}

impl<'a, P: Fn(ArrayView2<f64>) -> Result<Array1<f64>>> DecisionBoundary<'a, P> {
    /// The classes `predict` gives over the plane of `points`, which are drawn
    /// with their `labels`.
    pub fn new(title: impl Into<String>, points: ArrayView2<'a, f64>, labels: &[usize], predict: P) -> Self {
        let axes = ("x₁".to_string(), "x₂".to_string());
        DecisionBoundary {
            title: title.into(),
            points,
            labels: labels.to_vec(),
            predict,
            axes,
            class_names: None,
        }
    }

    /// The axes' names (default `x₁`, `x₂`).
    pub fn labels(mut self, x: impl Into<String>, y: impl Into<String>) -> Self {
        self.axes = (x.into(), y.into());
        self
    }

    /// Names the classes in the legend, `names[label]` for each label (e.g.
    /// [`Labelled::classes`](crate::data::Labelled::classes)), instead of
    /// "class 0", "class 1", ... Every name gets its region, also a class that
    /// none of the points has.
    ///
    /// ```
    /// use nnlib::ndarray::{array, Array1, ArrayView2};
    /// let x = array![[0.0, 0.0], [1.0, 1.0]];
    /// let predict = |grid: ArrayView2<f64>| -> nnlib::Result<Array1<f64>> {
    ///     Ok(grid.column(0).mapv(|v| if v > 0.5 { 1.0 } else { 0.0 }))
    /// };
    /// let fig = nnlib::plot::DecisionBoundary::new("Penguins", x.view(), &[0, 1], predict)
    ///     .class_names(&["Adelie", "Gentoo"]) // or &labelled.classes
    ///     .draw()?;
    /// assert!(fig.svg().contains("Gentoo"));
    /// # Ok::<(), nnlib::Error>(())
    /// ```
    pub fn class_names<S: AsRef<str>>(mut self, names: &[S]) -> Self {
        self.class_names = Some(names.iter().map(|n| n.as_ref().to_string()).collect());
        self
    }

    /// Draws the regions and the points.
    ///
    /// # Errors
    /// As listed under [`DecisionBoundary`]; with [`class_names`](Self::class_names),
    /// also [`Error::Shape`] if a label has no name (fewer names than classes), and
    /// [`Error::InvalidParameter`] for no names or more than 10 (the plot has 10 colours).
    pub fn draw(&self) -> Result<Figure> {
        let DecisionBoundary { title, points, labels, predict, axes: (x_label, y_label), class_names } = self;
        let points = *points;
        check_points_2d(points, labels)?;
        let n_classes = match class_names {
            Some(names) => check_class_names(names, labels)?,
            None => labels.iter().max().map_or(2, |&max| (max + 1).max(2)),
        };
        let class_name =
            |k: usize| class_names.as_ref().map_or_else(|| format!("class {k}"), |names| names[k].clone());
        let x_range = padded(bounds(points.column(0).iter().copied()), 0.08)?;
        let y_range = padded(bounds(points.column(1).iter().copied()), 0.08)?;

        let centres = grid_centres(&x_range, &y_range);
        let inputs =
            Array2::from_shape_fn(
                (centres.len(), 2),
                |(r, c)| if c == 0 { centres[r].0 } else { centres[r].1 },
            );
        let scores = predict(inputs.view())?;
        if scores.len() != centres.len() {
            return Err(Error::Shape {
                context: "decision_boundary: output of predict".into(),
                expected: format!("one value per grid row ({})", centres.len()),
                got: format!("{} values", scores.len()),
            });
        }
        let scores = scores.to_vec();
        crate::check::finite_column("decision_boundary: output of predict", &scores, 0)?;
        let grid = Grid::new(x_range.clone(), y_range.clone(), scores);
        let class_of = |v: f64| v.round().clamp(0.0, (n_classes - 1) as f64) as usize;

        render(DEFAULT_SIZE, title, |area| {
            let mut chart =
                chart_builder(area).build_cartesian_2d(x_range.clone(), y_range.clone()).map_err(plot_err)?;
            fill_cells(&mut chart, &grid, |v| Some(lighten(colour(class_of(v)), 0.75)))?;
            draw_axes(&mut chart, x_label, y_label, 10)?;

            // Between classes k and k + 1 the value crosses k + 0.5: for a
            // probability that is the 0.5 contour.
            let boundary: Vec<_> = (0..n_classes - 1).flat_map(|k| grid.iso_lines(k as f64 + 0.5)).collect();
            let ink = INK.stroke_width(2);
            if !boundary.is_empty() {
                chart
                    .draw_series(boundary.into_iter().map(|s| PathElement::new(s, ink)))
                    .map_err(plot_err)?
                    .label("decision boundary")
                    .legend(move |(x, y)| legend_line(x, y, ink));
            }

            for class in 0..n_classes {
                let dot = colour(class).filled();
                let members = points.rows().into_iter().zip(labels).filter(|(_, &l)| l == class);
                chart
                    .draw_series(members.map(|(p, _)| Circle::new((p[0], p[1]), 4, dot)))
                    .map_err(plot_err)?
                    .label(class_name(class))
                    .legend(move |(x, y)| Circle::new((x + 10, y), 4, dot));
            }

            let unit_points = points.rows().into_iter().map(|p| (unit(p[0], &x_range), unit(p[1], &y_range)));
            draw_legend(&mut chart, emptiest_corner(unit_points))
        })
    }
}

/// Checks that every label has a name and that each name has a colour; the number of classes.
fn check_class_names(names: &[String], labels: &[usize]) -> Result<usize> {
    if names.is_empty() || names.len() > PALETTE.len() {
        return Err(Error::InvalidParameter {
            name: "class_names",
            reason: format!(
                "decision_boundary has colours for 1 to {} classes, but {} names were given",
                PALETTE.len(),
                names.len()
            ),
        });
    }
    if let Some((row, &label)) = labels.iter().enumerate().find(|(_, &l)| l >= names.len()) {
        return Err(Error::Shape {
            context: "decision_boundary: class_names".into(),
            expected: format!("a name for every label (row {row} has label {label})"),
            got: format!("{} names", names.len()),
        });
    }
    Ok(names.len())
}

/// Checks the inputs of [`DecisionBoundary`].
fn check_points_2d(points: ArrayView2<f64>, labels: &[usize]) -> Result<()> {
    let (rows, cols) = points.dim();
    if cols != 2 {
        return Err(Error::Shape {
            context: "decision_boundary: points".into(),
            expected: "(n, 2): one row per point, columns x and y".into(),
            got: format!("({rows}, {cols})"),
        });
    }
    if rows == 0 {
        return Err(Error::Empty("decision_boundary: no points".into()));
    }
    if labels.len() != rows {
        return Err(Error::Shape {
            context: "decision_boundary: labels".into(),
            expected: format!("one label per point ({rows})"),
            got: format!("{} labels", labels.len()),
        });
    }
    if let Some((row, &label)) = labels.iter().enumerate().find(|(_, &l)| l >= PALETTE.len()) {
        return Err(Error::InvalidParameter {
            name: "labels",
            reason: format!(
                "decision_boundary has colours for classes 0 to {}, but row {row} has label {label}",
                PALETTE.len() - 1
            ),
        });
    }
    if let Some(((row, column), &value)) = points.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(Error::NonFinite { what: "decision_boundary: points".into(), row, column, value });
    }
    Ok(())
}
