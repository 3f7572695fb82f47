//! Tests of `nnlib::plot`: every figure is a complete SVG with its title, axis
//! labels and one element per point / legend entry, and bad input gives the
//! documented error instead of a panic.
//!
//! `cargo test -p nnlib --test plot -- --ignored render_previews` also writes one
//! figure of each kind to /tmp/plot-preview/ for a human to look at.

use std::cell::Cell;
use std::path::PathBuf;

use nnlib::ndarray::{array, Array1, Array2, ArrayView1, ArrayView2};
use nnlib::plot::*;
use nnlib::Error;

#[path = "common/figures.rs"]
mod figures;
#[path = "common/svg.rs"]
mod svg;
use figures::{contour, decision_boundary, heatmap, image_grid};
use svg::texts;

// ----------------------------------------------------------------- helpers

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

/// A whole SVG document with the title and both axis labels as text.
fn assert_labelled(fig: &Figure, title: &str, x_label: &str, y_label: &str) {
    let svg = fig.svg();
    assert!(svg.starts_with("<svg"), "not an SVG: {}", &svg[..svg.len().min(80)]);
    assert!(svg.trim_end().ends_with("</svg>"), "SVG not closed");
    let texts = texts(svg);
    for wanted in [title, x_label, y_label] {
        assert!(texts.iter().any(|t| t == wanted), "no text {wanted:?} in {texts:?}");
    }
}

/// Attribute `attr` of the first `<text>` element whose text is `wanted`.
fn text_attr(svg: &str, wanted: &str, attr: &str) -> Option<String> {
    svg.split("<text").skip(1).find_map(|rest| {
        let (tag, after) = rest.split_once('>')?;
        (after[..after.find("</text>")?].trim() == wanted).then_some(())?;
        let value = &tag[tag.find(&format!(" {attr}=\""))? + attr.len() + 3..];
        Some(value[..value.find('"')?].to_string())
    })
}

fn has_text(fig: &Figure, wanted: &str) -> bool {
    texts(fig.svg()).iter().any(|t| t == wanted)
}

/// Elements stroked in the i-th palette colour (the series colours of every plot).
fn stroked_in(fig: &Figure, hex: &str) -> usize {
    count(fig.svg(), &format!("stroke=\"{hex}\""))
}

const BLUE: &str = "#1F77B4";
const ORANGE: &str = "#FF7F0E";

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("nnlib-plot-test-{}-{name}", std::process::id()))
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn simple_scatter() -> Figure {
    scatter_with_lines("Fit", "x", "y", (&[1.0, 2.0, 3.0], &[1.0, 2.0, 2.5]), &[]).unwrap()
}

// ----------------------------------------------------------------- Figure

#[test]
fn save_writes_the_svg_and_it_reads_back_identically() {
    let fig = simple_scatter();
    let path = temp_path("save.svg");
    fig.save(&path).unwrap();
    let back = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(back, fig.svg());
}

#[test]
fn saved_writes_the_file_and_returns_the_same_figure() {
    let fig = simple_scatter();
    let path = temp_path("saved.svg");
    let back = fig.clone().saved(&path).unwrap();
    let on_disk = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(back.svg(), fig.svg());
    assert_eq!(on_disk, fig.svg());
    assert!(simple_scatter().saved(temp_path("no-such-dir").join("f.svg")).is_err());
}

#[test]
fn save_into_a_missing_directory_is_an_io_error_naming_the_path() {
    let path = temp_path("no-such-dir").join("fig.svg");
    match simple_scatter().save(&path) {
        Err(Error::Io { path: p, .. }) => assert_eq!(p, path),
        other => panic!("expected Error::Io, got {other:?}"),
    }
}

#[test]
fn display_is_the_svg_and_debug_is_short() {
    let fig = simple_scatter();
    assert_eq!(fig.to_string(), fig.svg());
    let debug = format!("{fig:?}");
    assert!(debug.starts_with("Figure {") && debug.len() < 100, "{debug}");
}

#[test]
fn figures_have_the_default_size_and_with_size_rescales() {
    let fig = simple_scatter();
    assert_eq!(fig.size(), DEFAULT_SIZE);
    assert!(fig.svg().starts_with("<svg width=\"640\" height=\"420\" viewBox=\"0 0 640 420\""));
    let big = fig.clone().with_size(960, 630).unwrap();
    assert_eq!(big.size(), (960, 630));
    assert!(big.svg().starts_with("<svg width=\"960\" height=\"630\" viewBox=\"0 0 640 420\""));
    assert_eq!(big.svg().len(), fig.svg().len()); // only the header changed
    assert!(matches!(fig.with_size(0, 100), Err(Error::InvalidParameter { name: "size", .. })));
}

#[test]
fn special_characters_in_titles_are_escaped_and_unicode_survives() {
    let fig = scatter_with_lines("a < b & c", "σ′(z)", "ŷ — Ü", (&[1.0], &[2.0]), &[]).unwrap();
    assert_labelled(&fig, "a < b & c", "σ′(z)", "ŷ — Ü");
    assert!(fig.svg().contains(">\na &lt; b &amp; c\n</text>"));
    assert!(!fig.svg().contains("a < b"));
}

// ----------------------------------------------------------------- scatter_with_lines

#[test]
fn scatter_has_a_dot_per_point_a_line_per_fit_and_a_legend() {
    let xs = [0.0, 1.0, 2.0, 3.0, 4.0];
    let ys = [0.1, 0.9, 2.2, 2.8, 4.1];
    let lines =
        [Line::new("epoch 1", vec![0.0, 4.0], vec![0.0, 1.0]), Line::from_fn("epoch 50", (0.0, 4.0), |x| x)];
    let fig = scatter_with_lines("Regression", "input x", "target y", (&xs, &ys), &lines).unwrap();
    assert_labelled(&fig, "Regression", "input x", "target y");
    // One dot per point plus the legend's dot for "data".
    assert_eq!(count(fig.svg(), "<circle"), xs.len() + 1);
    for name in ["data", "epoch 1", "epoch 50"] {
        assert!(has_text(&fig, name), "legend entry {name} missing");
    }
    // Each line and its legend sample, in its own palette colour.
    assert_eq!(stroked_in(&fig, BLUE), 2);
    assert_eq!(stroked_in(&fig, ORANGE), 2);
}

#[test]
fn scatter_without_lines_has_no_legend() {
    let fig = simple_scatter();
    assert_labelled(&fig, "Fit", "x", "y");
    assert_eq!(count(fig.svg(), "<circle"), 3);
    assert!(!has_text(&fig, "data"));
}

#[test]
fn scatter_rejects_empty_mismatched_and_non_finite_data() {
    let e = scatter_with_lines("t", "x", "y", (&[], &[]), &[]);
    assert!(matches!(e, Err(Error::Empty(_))), "{e:?}");

    let e = scatter_with_lines("t", "x", "y", (&[1.0, 2.0], &[1.0]), &[]);
    assert!(matches!(e, Err(Error::Shape { .. })), "{e:?}");

    let e = scatter_with_lines("t", "x", "y", (&[1.0, 2.0, 3.0], &[1.0, 2.0, f64::NAN]), &[]);
    match e {
        Err(Error::NonFinite { row: 2, column: 1, value, .. }) => assert!(value.is_nan()),
        other => panic!("expected NonFinite at row 2, column 1, got {other:?}"),
    }

    let pts: (&[f64], &[f64]) = (&[1.0, 2.0], &[1.0, 2.0]);
    let bad_line = Line::new("fit", vec![0.0, f64::INFINITY], vec![0.0, 1.0]);
    match scatter_with_lines("t", "x", "y", pts, &[bad_line]) {
        Err(Error::NonFinite { what, row: 1, column: 0, .. }) => assert!(what.contains("fit"), "{what}"),
        other => panic!("expected NonFinite for the line, got {other:?}"),
    }

    let short_line = Line::new("fit", vec![0.0, 1.0], vec![0.0]);
    let e = scatter_with_lines("t", "x", "y", pts, &[short_line]);
    assert!(matches!(e, Err(Error::Shape { .. })), "{e:?}");

    // from_fn leaves out undefined points; a function undefined everywhere leaves none.
    let nowhere = Line::from_fn("ln", (-2.0, -1.0), f64::ln);
    assert!(nowhere.xs.is_empty());
    let e = scatter_with_lines("t", "x", "y", pts, &[nowhere]);
    assert!(matches!(e, Err(Error::Empty(_))), "{e:?}");
}

#[test]
fn line_from_fn_skips_undefined_points() {
    let line = Line::from_fn("ln", (-1.0, 1.0), f64::ln);
    assert!(!line.xs.is_empty() && line.xs.len() < 200);
    assert!(line.xs.iter().all(|&x| x > 0.0));
    assert!(line.ys.iter().all(|y| y.is_finite()));
    assert_eq!(line.xs.len(), line.ys.len());
}

#[test]
fn constant_and_extreme_data_do_not_panic() {
    // All equal: the zero-width ranges are padded.
    let fig = scatter_with_lines("same", "x", "y", (&[2.0, 2.0], &[5.0, 5.0]), &[]).unwrap();
    assert_eq!(count(fig.svg(), "<circle"), 2);
    scatter_with_lines("zero", "x", "y", (&[0.0], &[0.0]), &[]).unwrap();
    scatter_with_lines("tiny", "x", "y", (&[1e-200, 3e-200], &[0.0, 5e-324]), &[]).unwrap();
    // A range wider than f64 can represent is reported, not panicked on.
    let e = scatter_with_lines("huge", "x", "y", (&[-1e308, 1e308], &[0.0, 1.0]), &[]);
    assert!(matches!(e, Err(Error::Plot(_))), "{e:?}");
}

// ----------------------------------------------------------------- curves

#[test]
fn curves_draw_each_series_with_markers_and_a_legend() {
    let train = [1.0, 0.6, 0.4, 0.3, 0.25];
    let val = [1.1, 0.7, 0.55, 0.5, 0.5];
    let fig = curves("Loss", "epoch", "loss", &[("training", &train), ("validation", &val)]).unwrap();
    assert_labelled(&fig, "Loss", "epoch", "loss");
    assert!(has_text(&fig, "training") && has_text(&fig, "validation"));
    // Short histories: a dot per epoch, no legend dots (the legend shows lines).
    assert_eq!(count(fig.svg(), "<circle"), train.len() + val.len());
    assert_eq!(stroked_in(&fig, BLUE), 2); // curve + legend sample
    assert_eq!(stroked_in(&fig, ORANGE), 2);
    // Epochs are integers on the x axis, starting at 1.
    assert!(has_text(&fig, "1") && has_text(&fig, "5"));
    assert!(!texts(fig.svg()).iter().any(|t| t == "1.5"));
}

#[test]
fn one_curve_has_no_legend_and_long_curves_have_no_markers() {
    let loss: Vec<f64> = (0..100).map(|e| 1.0 / (1.0 + e as f64)).collect();
    let fig = curves("Loss", "epoch", "loss", &[("training", &loss)]).unwrap();
    assert!(!has_text(&fig, "training"));
    assert_eq!(count(fig.svg(), "<circle"), 0);
    assert_eq!(stroked_in(&fig, BLUE), 1);
}

#[test]
fn curves_of_different_lengths_and_a_single_epoch_work() {
    let fig = curves("t", "epoch", "v", &[("a", vec![1.0, 2.0, 3.0]), ("b", vec![2.0])]).unwrap();
    assert_eq!(count(fig.svg(), "<circle"), 4);
    let fig = curves("t", "epoch", "v", &[("only", &[0.5])]).unwrap();
    assert_eq!(count(fig.svg(), "<circle"), 1);
}

#[test]
fn curves_reject_no_series_empty_series_and_nan() {
    assert!(matches!(curves("t", "x", "y", &[] as &[(&str, Vec<f64>)]), Err(Error::Empty(_))));
    assert!(matches!(curves("t", "x", "y", &[("a", &[])]), Err(Error::Empty(_))));
    match curves("t", "x", "y", &[("ok", vec![1.0]), ("loss", vec![1.0, 0.5, 0.2, f64::NAN])]) {
        Err(Error::NonFinite { what, row: 3, column: 0, .. }) => assert!(what.contains("loss"), "{what}"),
        other => panic!("expected NonFinite at row 3, got {other:?}"),
    }
    let e = curves_log("t", "x", "y", &[("loss", &[1.0, f64::INFINITY])]);
    assert!(matches!(e, Err(Error::NonFinite { row: 1, .. })), "{e:?}");
}

#[test]
fn curves_log_leaves_gaps_at_non_positive_values() {
    let loss = [10.0, 1.0, 0.0, 0.01, 0.001, -1.0, 1e-5];
    let fig = curves_log("Loss", "epoch", "loss (log)", &[("training", &loss)]).unwrap();
    assert_labelled(&fig, "Loss", "epoch", "loss (log)");
    // Three runs of positive values: [10, 1], [0.01, 0.001], [1e-5].
    assert_eq!(stroked_in(&fig, BLUE), 3);
    assert_eq!(count(fig.svg(), "<circle"), 5);
    // Powers of ten label the axis.
    assert!(has_text(&fig, "0.001") || has_text(&fig, "1e-3"), "{:?}", texts(fig.svg()));
}

#[test]
fn curves_log_needs_a_positive_value_in_each_series() {
    let e = curves_log("t", "x", "y", &[("good", vec![1.0]), ("acc", vec![0.0, -0.5])]);
    match e {
        Err(Error::Empty(msg)) => assert!(msg.contains("acc"), "{msg}"),
        other => panic!("expected Empty, got {other:?}"),
    }
    // Constant values get a padded range.
    curves_log("t", "x", "y", &[("flat", &[0.3, 0.3, 0.3])]).unwrap();
}

// ----------------------------------------------------------------- decision_boundary

fn two_blobs() -> (Array2<f64>, Vec<usize>) {
    let points = array![[0.0, 0.0], [0.5, 0.3], [0.2, 0.8], [3.0, 3.0], [2.5, 3.4], [3.3, 2.6]];
    (points, vec![0, 0, 0, 1, 1, 1])
}

#[test]
fn decision_boundary_calls_predict_once_with_the_whole_grid() {
    let (points, labels) = two_blobs();
    let calls = Cell::new(0);
    let shape = Cell::new((0, 0));
    let predict = |grid: ArrayView2<f64>| -> nnlib::Result<Array1<f64>> {
        calls.set(calls.get() + 1);
        shape.set(grid.dim());
        Ok(grid.rows().into_iter().map(|p| sigmoid(2.0 * (p[0] + p[1] - 3.0))).collect())
    };
    let fig = decision_boundary("Classes", "x₁", "x₂", points.view(), &labels, predict).unwrap();
    assert_eq!(calls.get(), 1);
    assert_eq!(shape.get(), (10_000, 2));
    assert_labelled(&fig, "Classes", "x₁", "x₂");
    for name in ["class 0", "class 1", "decision boundary"] {
        assert!(has_text(&fig, name), "legend entry {name} missing");
    }
    // A dot per point plus one legend dot per class.
    assert_eq!(count(fig.svg(), "<circle"), points.nrows() + 2);
    // Both class regions are shaded: the light blue and the light orange.
    assert!(fig.svg().contains("fill=\"#C7DDEC\""), "no light blue region");
    assert!(fig.svg().contains("fill=\"#FFDFC3\""), "no light orange region");
}

#[test]
fn decision_boundary_accepts_class_indices_for_several_classes() {
    let points = array![[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0]];
    let labels = [0, 1, 2, 1];
    let predict = |grid: ArrayView2<f64>| Ok(grid.column(0).mapv(|x| x.round().clamp(0.0, 2.0)));
    let fig = decision_boundary("Three", "a", "b", points.view(), &labels, predict).unwrap();
    assert!(has_text(&fig, "class 2"));
    assert!(has_text(&fig, "decision boundary"));
    assert_eq!(count(fig.svg(), "<circle"), 4 + 3);
}

#[test]
fn decision_boundary_without_a_boundary_has_no_boundary_entry() {
    let (points, labels) = two_blobs();
    let fig =
        decision_boundary("t", "x", "y", points.view(), &labels, |g| Ok(Array1::zeros(g.nrows()))).unwrap();
    assert!(!has_text(&fig, "decision boundary"));
    assert!(has_text(&fig, "class 1"));
}

#[test]
fn decision_boundary_handles_a_single_point_and_identical_points() {
    let points = array![[1.0, 1.0], [1.0, 1.0]];
    let fig = decision_boundary("t", "x", "y", points.view(), &[0, 0], |g| Ok(Array1::zeros(g.nrows())));
    assert_eq!(count(fig.unwrap().svg(), "<circle"), 2 + 2);
}

#[test]
fn decision_boundary_class_names_replace_class_k_in_the_legend() {
    let (points, labels) = two_blobs();
    let predict = |g: ArrayView2<f64>| Ok(g.column(0).mapv(|x| if x > 1.5 { 1.0 } else { 0.0 }));
    let fig = DecisionBoundary::new("Penguins", points.view(), &labels, predict)
        .class_names(&["Adelie", "Gentoo"])
        .draw()
        .unwrap();
    assert!(has_text(&fig, "Adelie") && has_text(&fig, "Gentoo"), "{:?}", texts(fig.svg()));
    assert!(!has_text(&fig, "class 0") && !has_text(&fig, "class 1"));
    // A third name is a third class with its legend entry, though no point has it.
    let names = ["Adelie".to_string(), "Gentoo".to_string(), "Chinstrap".to_string()];
    let fig = DecisionBoundary::new("t", points.view(), &labels, predict).class_names(&names).draw().unwrap();
    assert!(has_text(&fig, "Chinstrap"));
    assert_eq!(count(fig.svg(), "<circle"), points.nrows() + 3);
}

#[test]
fn decision_boundary_class_names_of_the_wrong_count_are_errors() {
    let (points, labels) = two_blobs();
    let zeros = |g: ArrayView2<f64>| Ok(Array1::zeros(g.nrows()));
    let board = || DecisionBoundary::new("t", points.view(), &labels, zeros);
    match board().class_names(&["Adelie"]).draw() {
        Err(Error::Shape { context, expected, got }) => {
            assert!(context.contains("class_names") && expected.contains("label 1"), "{expected}");
            assert_eq!(got, "1 names");
        }
        other => panic!("expected Error::Shape, got {:?}", other.map(|_| ())),
    }
    let none: [&str; 0] = [];
    assert!(matches!(board().class_names(&none).draw(), Err(Error::InvalidParameter { .. })));
    let eleven: Vec<String> = (0..11).map(|i| format!("c{i}")).collect();
    assert!(matches!(board().class_names(&eleven).draw(), Err(Error::InvalidParameter { .. })));
}

#[test]
fn decision_boundary_rejects_bad_inputs_and_bad_predictions() {
    let (points, labels) = two_blobs();
    let zeros = |g: ArrayView2<f64>| Ok(Array1::zeros(g.nrows()));

    let three_cols = Array2::<f64>::zeros((4, 3));
    let e = decision_boundary("t", "x", "y", three_cols.view(), &[0; 4], zeros);
    assert!(matches!(e, Err(Error::Shape { .. })), "{e:?}");

    let none = Array2::<f64>::zeros((0, 2));
    let e = decision_boundary("t", "x", "y", none.view(), &[], zeros);
    assert!(matches!(e, Err(Error::Empty(_))), "{e:?}");

    let e = decision_boundary("t", "x", "y", points.view(), &labels[..5], zeros);
    assert!(matches!(e, Err(Error::Shape { .. })), "{e:?}");

    let e = decision_boundary("t", "x", "y", points.view(), &[0, 1, 2, 3, 4, 10], zeros);
    match e {
        Err(Error::InvalidParameter { name: "labels", reason }) => {
            assert!(reason.contains("row 5"), "{reason}")
        }
        other => panic!("expected InvalidParameter for label 10, got {other:?}"),
    }

    let mut nan = points.clone();
    nan[[4, 0]] = f64::NAN;
    let e = decision_boundary("t", "x", "y", nan.view(), &labels, zeros);
    assert!(matches!(e, Err(Error::NonFinite { row: 4, column: 0, .. })), "{e:?}");

    let short = |_: ArrayView2<f64>| Ok(Array1::zeros(10));
    let e = decision_boundary("t", "x", "y", points.view(), &labels, short);
    assert!(matches!(e, Err(Error::Shape { .. })), "{e:?}");

    let nan_out = |g: ArrayView2<f64>| Ok(Array1::from_elem(g.nrows(), f64::NAN));
    let e = decision_boundary("t", "x", "y", points.view(), &labels, nan_out);
    assert!(matches!(e, Err(Error::NonFinite { row: 0, .. })), "{e:?}");

    let failing = |_: ArrayView2<f64>| -> nnlib::Result<Array1<f64>> {
        Err(Error::InvalidParameter { name: "model", reason: "not trained".into() })
    };
    let e = decision_boundary("t", "x", "y", points.view(), &labels, failing);
    assert!(matches!(e, Err(Error::InvalidParameter { name: "model", .. })), "{e:?}");
}

// ----------------------------------------------------------------- function_grid

fn activation_panels() -> Vec<Panel<'static>> {
    vec![
        Panel::new("sigmoid", (-6.0, 6.0))
            .labels("z", "a")
            .curve("σ(z)", sigmoid)
            .curve("σ'(z)", |z| sigmoid(z) * (1.0 - sigmoid(z))),
        Panel::new("ReLU", (-3.0, 3.0)).labels("z", "relu").curve("relu", |z| z.max(0.0)),
        Panel::new("cost", (0.0, 1.0)).labels("prediction p", "cost").curve("-ln p", |p| -p.ln()),
    ]
}

#[test]
fn function_grid_draws_every_panel_with_its_title_labels_and_legend() {
    let fig = function_grid("Activations", &activation_panels(), 2).unwrap();
    assert_labelled(&fig, "Activations", "z", "a");
    for wanted in ["sigmoid", "ReLU", "cost", "relu", "prediction p"] {
        assert!(has_text(&fig, wanted), "no text {wanted}");
    }
    // The two-curve panel has a legend; one-curve panels do not.
    assert!(has_text(&fig, "σ(z)") && has_text(&fig, "σ'(z)"));
    assert!(!has_text(&fig, "-ln p"));
    // 3 panels, 2 per row: 2 rows of 320 × 260 and a one-row legend (24 pixels)
    // under a 40-pixel title.
    assert_eq!(fig.size(), (640, 2 * (260 + 24) + 40));
    // Blue: sigmoid + its legend sample, relu, -ln p.  Orange: σ' + legend sample.
    assert_eq!(stroked_in(&fig, BLUE), 4);
    assert_eq!(stroked_in(&fig, ORANGE), 2);
}

#[test]
fn function_grid_leaves_gaps_where_a_function_is_undefined() {
    // ln x on (-1, 1): the negative half is undefined and is skipped;
    // √(x² − 0.25) is undefined in the middle, which splits it in two.
    let panels = [
        Panel::new("ln", (-1.0, 1.0)).curve("ln x", f64::ln),
        Panel::new("root", (-1.0, 1.0)).curve("√(x² − 0.25)", |x: f64| (x * x - 0.25).sqrt()),
    ];
    let fig = function_grid("Gaps", &panels, 1).unwrap();
    assert_eq!(fig.size(), (320, 2 * 260 + 40));
    assert_eq!(stroked_in(&fig, BLUE), 1 + 2);
}

#[test]
fn function_grid_clamps_columns_and_pads_a_zero_width_range() {
    let fig = function_grid("One", &[Panel::new("p", (1.0, 1.0)).curve("c", |x| x)], 4).unwrap();
    assert_eq!(fig.size(), (320, 260 + 40));
}

#[test]
fn function_grid_rejects_bad_panels() {
    assert!(matches!(function_grid("t", &[], 2), Err(Error::Empty(_))));
    let e = function_grid("t", &activation_panels(), 0);
    assert!(matches!(e, Err(Error::InvalidParameter { name: "cols", .. })), "{e:?}");
    let e = function_grid("t", &[Panel::new("bare", (0.0, 1.0))], 1);
    assert!(matches!(e, Err(Error::Empty(ref m)) if m.contains("bare")), "{e:?}");
    let e = function_grid("t", &[Panel::new("ln", (-2.0, -1.0)).curve("ln", f64::ln)], 1);
    assert!(matches!(e, Err(Error::Empty(_))), "{e:?}");
    let e = function_grid("t", &[Panel::new("p", (1.0, 0.0)).curve("c", |x| x)], 1);
    assert!(matches!(e, Err(Error::InvalidParameter { name: "x_range", .. })), "{e:?}");
    let e = function_grid("t", &[Panel::new("p", (f64::NAN, 1.0)).curve("c", |x| x)], 1);
    assert!(matches!(e, Err(Error::InvalidParameter { name: "x_range", .. })), "{e:?}");
}

#[test]
fn panels_may_borrow_local_data() {
    let weights = array![0.5, -1.0]; // not 'static: the panel borrows it
    let panel = Panel::new("model", (0.0, 1.0)).curve("w·x", |x| weights[0] * x + weights[1]);
    function_grid("Borrowed", &[panel], 1).unwrap();
}

// ----------------------------------------------------------------- contour

fn bowl(w: f64, b: f64) -> f64 {
    (w - 1.0).powi(2) + 2.0 * (b + 0.5).powi(2)
}

#[test]
fn contour_draws_bands_levels_colour_bar_and_the_path() {
    let path = [(-2.0, 1.5), (-0.5, 0.2), (0.4, -0.3), (0.8, -0.45)];
    let fig = contour("Cost surface", "w", "b", bowl, (-3.0, 3.0), (-2.0, 2.0), &path).unwrap();
    assert_labelled(&fig, "Cost surface", "w", "b");
    assert!(has_text(&fig, "descent path (big dot = start)"));
    // One dot per step of the path (the start is the big one).
    assert_eq!(count(fig.svg(), "<circle"), path.len());
    assert_eq!(count(fig.svg(), "r=\"6\""), 1);
    // Shaded bands (many rectangles) and contour lines.
    assert!(count(fig.svg(), "<rect") > 100);
    assert!(count(fig.svg(), "opacity=\"0.35\"") >= 5, "no contour lines");
    // The colour bar labels the values: the bowl reaches 4² + 2·2.5² = 28.5.
    let numbers: Vec<f64> = texts(fig.svg()).iter().filter_map(|t| t.parse().ok()).collect();
    assert!(numbers.iter().any(|&v| v >= 20.0), "colour bar labels missing: {numbers:?}");
}

#[test]
fn contour_without_a_path_has_no_dots_and_no_legend() {
    let fig = contour("t", "w", "b", bowl, (-1.0, 1.0), (-1.0, 1.0), &[]).unwrap();
    assert_eq!(count(fig.svg(), "<circle"), 0);
    assert!(!has_text(&fig, "descent path (big dot = start)"));
}

#[test]
fn contour_grows_to_show_a_path_that_leaves_the_ranges() {
    let path = [(0.0, 0.0), (6.0, 0.5)];
    let fig = contour("t", "w", "b", bowl, (-1.0, 1.0), (-1.0, 1.0), &path).unwrap();
    let numbers: Vec<f64> = texts(fig.svg()).iter().filter_map(|t| t.parse().ok()).collect();
    assert!(numbers.contains(&6.0) || numbers.contains(&5.0), "x axis not extended: {numbers:?}");
}

#[test]
fn contour_handles_constant_and_partly_undefined_functions() {
    contour("flat", "w", "b", |_, _| 3.0, (0.0, 1.0), (0.0, 1.0), &[]).unwrap();
    contour("point", "w", "b", bowl, (1.0, 1.0), (2.0, 2.0), &[]).unwrap();
    let half = contour("half", "w", "b", |w, b| (w * b).ln(), (-1.0, 1.0), (0.1, 1.0), &[]).unwrap();
    assert_labelled(&half, "half", "w", "b");
}

#[test]
fn contour_rejects_bad_ranges_nan_paths_and_undefined_functions() {
    let e = contour("t", "w", "b", bowl, (1.0, -1.0), (0.0, 1.0), &[]);
    assert!(matches!(e, Err(Error::InvalidParameter { name: "x_range", .. })), "{e:?}");
    let e = contour("t", "w", "b", bowl, (0.0, 1.0), (0.0, f64::INFINITY), &[]);
    assert!(matches!(e, Err(Error::InvalidParameter { name: "y_range", .. })), "{e:?}");
    let e = contour("t", "w", "b", bowl, (0.0, 1.0), (0.0, 1.0), &[(0.0, 0.0), (0.5, f64::NAN)]);
    assert!(matches!(e, Err(Error::NonFinite { row: 1, column: 1, .. })), "{e:?}");
    let e = contour("t", "w", "b", |_, _| f64::NAN, (0.0, 1.0), (0.0, 1.0), &[]);
    assert!(matches!(e, Err(Error::Empty(_))), "{e:?}");
}

// ----------------------------------------------------------------- image grid

/// Three 2 × 3 images (width 3): pixel values 0..=5, 5..=0 and all 2.
fn three_images() -> Array2<f64> {
    Array2::from_shape_fn((3, 6), |(i, p)| match i {
        0 => p as f64,
        1 => 5.0 - p as f64,
        _ => 2.0,
    })
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The fill colours of every `<rect>`, in order.
fn rect_fills(svg: &str) -> Vec<String> {
    svg.split("<rect")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find("fill=\"")? + 6;
            Some(rest[start..start + rest[start..].find('"')?].to_string())
        })
        .collect()
}

#[test]
fn image_grid_draws_each_inked_pixel_a_frame_per_image_and_the_captions() {
    let images = three_images();
    let captions = strings(&["zero", "7 → 9 (0.62)", "flat"]);
    let fig = image_grid("Digits", images.view(), 3, &captions, 2).unwrap();
    let svg = fig.svg();
    assert!(has_text(&fig, "Digits"));
    for caption in &captions {
        assert!(has_text(&fig, caption), "caption {caption:?} missing: {:?}", texts(svg));
    }
    let fills = rect_fills(svg);
    // Background, one frame per image (no fill), and every pixel that is not
    // white: 5 of image 0 (the 0 is white), 5 of image 1, 6 of image 2.
    let frames = fills.iter().filter(|f| *f == "none").count();
    assert_eq!(frames, 3);
    let inked = fills.iter().filter(|f| *f != "none" && *f != "#FFFFFF").count();
    assert_eq!(inked, 16, "{fills:?}");
    // The maximum (5) is black, 0 white, and the scale is shared: 2 is the same grey everywhere.
    assert_eq!(fills.iter().filter(|f| *f == "#000000").count(), 2);
    let grey_of_2 = format!("#{0:02X}{0:02X}{0:02X}", (255.0 * (1.0 - 2.0 / 5.0f64)).round() as u8);
    assert_eq!(fills.iter().filter(|f| **f == grey_of_2).count(), 8, "{fills:?}");
}

#[test]
fn image_grid_without_captions_has_only_the_title_as_text_and_wraps_rows() {
    let images = Array2::from_elem((5, 4), 1.0);
    let one_row = image_grid("Gallery", images.view(), 2, &[], 5).unwrap();
    let two_rows = image_grid("Gallery", images.view(), 2, &[], 3).unwrap();
    assert_eq!(texts(one_row.svg()), ["Gallery"]);
    assert!(two_rows.size().1 > one_row.size().1, "3 per row needs a second row");
    assert!(two_rows.size().0 < one_row.size().0);
}

#[test]
fn image_grid_rejects_bad_input_with_clear_errors() {
    let images = three_images();
    let err = |r: nnlib::Result<Figure>| r.expect_err("bad input was accepted");
    let empty = Array2::<f64>::zeros((0, 64));
    assert!(matches!(err(image_grid("t", empty.view(), 8, &[], 4)), Error::Empty(_)));
    assert!(matches!(
        err(image_grid("t", images.view(), 0, &[], 2)),
        Error::InvalidParameter { name: "image_width", .. }
    ));
    assert!(matches!(
        err(image_grid("t", images.view(), 3, &[], 0)),
        Error::InvalidParameter { name: "cols", .. }
    ));
    let e = err(image_grid("t", images.view(), 4, &[], 2));
    assert!(matches!(e, Error::Shape { .. }) && e.to_string().contains("image_width = 4"), "{e}");
    let e = err(image_grid("t", images.view(), 3, &strings(&["a", "b"]), 2));
    assert!(e.to_string().contains("one caption per image (3)"), "{e}");
    let mut nan = images.clone();
    nan[[2, 4]] = f64::NAN;
    assert!(matches!(
        err(image_grid("t", nan.view(), 3, &[], 2)),
        Error::NonFinite { row: 2, column: 4, .. }
    ));
    nan[[2, 4]] = f64::INFINITY;
    assert!(matches!(err(image_grid("t", nan.view(), 3, &[], 2)), Error::NonFinite { .. }));
    // 100 000 images in one row would be millions of pixels wide.
    let many = Array2::<f64>::zeros((100_000, 1));
    assert!(matches!(err(image_grid("t", many.view(), 1, &[], 100_000)), Error::InvalidParameter { .. }));
}

#[test]
fn image_grid_accepts_negative_and_constant_images() {
    let standardised = Array2::from_shape_fn((2, 4), |(i, p)| (i as f64 - 0.5) * p as f64);
    let fig = image_grid("z-scores", standardised.view(), 2, &[], 2).unwrap();
    assert_eq!(
        rect_fills(fig.svg()).iter().filter(|f| *f == "#000000").count(),
        1,
        "only the maximum is black"
    );
    let blank = Array2::<f64>::zeros((2, 4));
    let fig = image_grid("blank", blank.view(), 2, &[], 2).unwrap();
    assert_eq!(rect_fills(fig.svg()).len(), 1 + 2, "background and two frames, no ink");
}

// ----------------------------------------------------------------- heatmap

#[test]
fn heatmap_draws_a_cell_per_value_with_its_value_and_the_ticks() {
    let m = array![[50.0, 2.0, 0.0], [3.0, 45.0, 1.0]];
    let classes = strings(&["cat", "dog", "owl"]);
    let rows = strings(&["true cat", "true dog"]);
    let fig = heatmap("Confusion matrix", "predicted", "true class", m.view(), &classes, &rows).unwrap();
    assert_labelled(&fig, "Confusion matrix", "predicted", "true class");
    let all = texts(fig.svg());
    for wanted in ["cat", "dog", "owl", "true cat", "true dog", "50", "45", "2", "3", "0", "1"] {
        assert!(all.iter().any(|t| t == wanted), "no {wanted:?} in {all:?}");
    }
    assert!(!all.iter().any(|t| t.contains('.')), "whole numbers print without decimals: {all:?}");
    // Background + 6 cells + 20 steps of the colour bar.
    assert_eq!(count(fig.svg(), "<rect"), 1 + 6 + 20);
    // Row 0 is drawn on top: "50" is above "3", and "2" right of "50".
    let at = |wanted: &str, attr: &str| text_attr(fig.svg(), wanted, attr).unwrap().parse::<i32>().unwrap();
    assert!(at("50", "y") < at("3", "y"));
    assert!(at("50", "x") < at("2", "x"));
}

#[test]
fn heatmap_prints_fractions_short_and_numbers_rows_without_ticks() {
    let m = array![[0.123456, -0.5], [2.0, 1e-6]];
    let fig = heatmap("Weights", "k", "j", m.view(), &[], &[]).unwrap();
    let all = texts(fig.svg());
    for wanted in ["0.123", "-0.5", "2", "1e-6", "0", "1"] {
        assert!(all.iter().any(|t| t == wanted), "no {wanted:?} in {all:?}");
    }
}

#[test]
fn heatmap_text_contrasts_with_its_cell() {
    let m = array![[0.0, 100.0]];
    let svg = heatmap("t", "x", "y", m.view(), &[], &[]).unwrap().svg().to_string();
    let fill_of_text = |wanted: &str| text_attr(&svg, wanted, "fill").unwrap();
    assert_eq!(fill_of_text("100"), "#FFFFFF", "white on the darkest cell");
    assert_eq!(fill_of_text("0"), "#000000", "black on the lightest cell");
}

#[test]
fn heatmap_rejects_bad_input_with_clear_errors() {
    let m = array![[1.0, 2.0], [3.0, 4.0]];
    let two = strings(&["a", "b"]);
    let err = |r: nnlib::Result<Figure>| r.expect_err("bad input was accepted");
    let empty = Array2::<f64>::zeros((0, 3));
    assert!(matches!(err(heatmap("t", "x", "y", empty.view(), &[], &[])), Error::Empty(_)));
    let mut nan = m.clone();
    nan[[1, 0]] = f64::NAN;
    assert!(matches!(
        err(heatmap("t", "x", "y", nan.view(), &two, &two)),
        Error::NonFinite { row: 1, column: 0, .. }
    ));
    let e = err(heatmap("t", "x", "y", m.view(), &strings(&["a", "b", "c"]), &two));
    assert!(e.to_string().contains("x_ticks") && e.to_string().contains("one label per column (2)"), "{e}");
    let e = err(heatmap("t", "x", "y", m.view(), &two, &strings(&["a"])));
    assert!(e.to_string().contains("y_ticks"), "{e}");
    let huge = Array2::<f64>::zeros((1, 5000));
    assert!(matches!(err(heatmap("t", "x", "y", huge.view(), &[], &[])), Error::InvalidParameter { .. }));
}

#[test]
fn heatmap_of_constant_and_huge_values_draws() {
    let constant = Array2::from_elem((3, 3), 7.0);
    assert!(heatmap("t", "x", "y", constant.view(), &[], &[]).is_ok());
    let huge = array![[1e300, -1e300], [f64::MAX, f64::MIN]];
    assert!(heatmap("t", "x", "y", huge.view(), &[], &[]).is_ok());
}

// ----------------------------------------------------------------- previews

/// Writes one figure of each kind to /tmp/plot-preview/ (run with `--ignored`).
#[test]
#[ignore = "writes preview SVGs to /tmp/plot-preview for a human to look at"]
fn render_previews() {
    let dir = std::path::Path::new("/tmp/plot-preview");
    std::fs::create_dir_all(dir).unwrap();

    let xs: Vec<f64> = (0..30).map(|i| i as f64 / 6.0).collect();
    let noise = |i: usize| ((i * 7 % 11) as f64 - 5.0) * 0.12;
    let ys: Vec<f64> = xs.iter().enumerate().map(|(i, x)| 1.8 * x + 0.5 + noise(i)).collect();
    let lines: Vec<Line> = [(1, 0.3, 0.1), (10, 1.2, 0.3), (100, 1.8, 0.5)]
        .iter()
        .map(|&(e, w, b)| Line::from_fn(format!("epoch {e}"), (0.0, 5.0), move |x| w * x + b))
        .collect();
    let title = "Linear regression: fitted line during training";
    let fig = scatter_with_lines(title, "x (input)", "y (target)", (&xs, &ys), &lines).unwrap();
    fig.save(dir.join("scatter.svg")).unwrap();

    let decay = |e: usize, scale: f64, tau: f64| scale * (-(e as f64) / tau).exp();
    let train: Vec<f64> = (0..60).map(|e| decay(e, 2.0, 12.0) + 0.05).collect();
    let val: Vec<f64> = (0..60).map(|e| decay(e, 2.1, 12.0) + 0.09 + 0.0005 * e as f64).collect();
    let series = [("training", &train[..]), ("validation", &val[..])];
    curves("Loss during training", "epoch", "loss (MSE)", &series)
        .unwrap()
        .save(dir.join("curves.svg"))
        .unwrap();
    let acc: Vec<f64> = (0..25).map(|e| 1.0 - decay(e, 0.5, 5.0)).collect();
    let val_acc: Vec<f64> = (0..25).map(|e| 0.97 - decay(e, 0.5, 5.0)).collect();
    let series = [("training", &acc[..]), ("validation", &val_acc[..])];
    curves("Accuracy", "epoch", "accuracy", &series).unwrap().save(dir.join("accuracy.svg")).unwrap();
    let loss: Vec<f64> = (0..200).map(|e| decay(e, 5.0, 15.0) + 1e-4).collect();
    let fig = curves_log("Loss (log scale)", "epoch", "loss", &[("training", &loss)]).unwrap();
    fig.save(dir.join("curves_log.svg")).unwrap();

    let n = 60;
    let points = Array2::from_shape_fn((n, 2), |(r, c)| {
        let (angle, radius) = (r as f64 * 2.399, 0.3 + (r % 7) as f64 * 0.12);
        let centre = if r < n / 2 { (-1.0, -0.5) } else { (1.0, 0.8) };
        if c == 0 {
            centre.0 + radius * angle.cos()
        } else {
            centre.1 + radius * angle.sin()
        }
    });
    let labels: Vec<usize> = (0..n).map(|r| usize::from(r >= n / 2)).collect();
    let predict = |g: ArrayView2<f64>| -> nnlib::Result<Array1<f64>> {
        Ok(g.rows()
            .into_iter()
            .map(|p| sigmoid(2.0 * p[0] + 1.5 * p[1] - 0.2 + 0.8 * (2.0 * p[0]).sin()))
            .collect())
    };
    let title = "Decision boundary of a 2-4-1 network";
    let fig = decision_boundary(title, "x₁", "x₂", points.view(), &labels, predict).unwrap();
    fig.save(dir.join("decision.svg")).unwrap();

    // Three classes, predict returning the class index.
    let three = Array2::from_shape_fn((45, 2), |(r, c)| {
        let centre = [(0.0, 0.0), (2.0, 0.5), (1.0, 2.0)][r % 3];
        let jitter = ((r * 37 + c * 11) % 17) as f64 / 17.0 - 0.5;
        if c == 0 {
            centre.0 + jitter
        } else {
            centre.1 + jitter * 0.8
        }
    });
    let labels: Vec<usize> = (0..45).map(|r| r % 3).collect();
    let nearest = |g: ArrayView2<f64>| -> nnlib::Result<Array1<f64>> {
        let centres = [(0.0, 0.0), (2.0, 0.5), (1.0, 2.0)];
        let distance = |p: &ArrayView1<f64>, c: (f64, f64)| (p[0] - c.0).hypot(p[1] - c.1);
        Ok(g.rows()
            .into_iter()
            .map(|p| {
                let best =
                    (0..3).min_by(|&a, &b| distance(&p, centres[a]).total_cmp(&distance(&p, centres[b])));
                best.unwrap_or(0) as f64
            })
            .collect())
    };
    let fig = decision_boundary("Three classes", "x₁", "x₂", three.view(), &labels, nearest).unwrap();
    fig.save(dir.join("decision3.svg")).unwrap();

    let mut panels = activation_panels();
    panels.insert(
        1,
        Panel::new("tanh", (-4.0, 4.0))
            .labels("z", "a")
            .curve("tanh z", f64::tanh)
            .curve("tanh' z", |z| 1.0 - z.tanh().powi(2)),
    );
    let fig = function_grid("Activation functions and their derivatives", &panels, 2).unwrap();
    fig.save(dir.join("grid.svg")).unwrap();

    let cost = |w: f64, b: f64| (w - 2.0).powi(2) + 3.0 * (b + 1.0).powi(2) + 0.5 * w * b;
    let mut p = (-2.5, 1.5);
    let mut path = vec![p];
    for _ in 0..15 {
        let gradient = (2.0 * (p.0 - 2.0) + 0.5 * p.1, 6.0 * (p.1 + 1.0) + 0.5 * p.0);
        p = (p.0 - 0.12 * gradient.0, p.1 - 0.12 * gradient.1);
        path.push(p);
    }
    let title = "Cost J(w, b) and gradient descent";
    let fig = contour(title, "w (weight)", "b (bias)", cost, (-3.0, 4.0), (-3.0, 2.0), &path).unwrap();
    fig.save(dir.join("contour.svg")).unwrap();

    let digits = nnlib::data::digits().unwrap();
    let first = digits.records.slice(nnlib::ndarray::s![..20, ..]);
    let captions: Vec<String> = digits.targets.iter().take(20).map(|d| d.to_string()).collect();
    let fig = image_grid("Handwritten digits (8 × 8)", first, 8, &captions, 10).unwrap();
    fig.save(dir.join("digits.svg")).unwrap();
    let wrong: Vec<String> = (0..6).map(|i| format!("{} → {} (0.{})", i, (i + 3) % 10, 51 + 7 * i)).collect();
    let fig =
        image_grid("Misclassified", digits.records.slice(nnlib::ndarray::s![..6, ..]), 8, &wrong, 6).unwrap();
    fig.save(dir.join("misclassified.svg")).unwrap();
    let confusion = Array2::from_shape_fn((10, 10), |(i, j)| {
        if i == j {
            40.0 + ((i * 7) % 6) as f64
        } else {
            ((i * 3 + j * 5) % 11 / 8) as f64 * ((i + j) % 3) as f64
        }
    });
    let classes: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    let fig = heatmap(
        "Confusion matrix (test set)",
        "predicted digit",
        "true digit",
        confusion.view(),
        &classes,
        &classes,
    )
    .unwrap();
    fig.save(dir.join("confusion.svg")).unwrap();
    // The Forward_Propagation maxout figure: one small panel, a long title, four curves.
    let maxout3 = |x: f64| (-x - 1.0).max(0.5 * x).max(2.0 * x - 2.0);
    let panel = Panel::new("k = 3 pieces", (-3.0, 3.0))
        .labels("input x", "value")
        .curve("piece 1: -x - 1", |x| -x - 1.0)
        .curve("piece 2: 0.5x", |x| 0.5 * x)
        .curve("piece 3: 2x - 2", |x| 2.0 * x - 2.0)
        .curve("maxout: their maximum", maxout3);
    let fig = function_grid("A maxout neuron: three affine pieces and their maximum", &[panel], 1).unwrap();
    fig.save(dir.join("maxout_grid.svg")).unwrap();
    // Linear_Regression_nn's loss: from 1e5 down to a plateau near 3e3.
    let loss: Vec<f64> = (0..300).map(|e| 2900.0 + 1e5 * (-(e as f64) / 20.0).exp()).collect();
    let fig =
        curves_log("Loss (log scale)", "epoch", "MSE", &[("by hand", &loss), ("nnlib", &loss)]).unwrap();
    fig.save(dir.join("curves_log_plateau.svg")).unwrap();
    // Gradient_Descent's learning rates: 5 down to 0.06.
    let slow: Vec<f64> = (0..100).map(|i| 5.0 * (0.99f64).powi(i)).collect();
    let good: Vec<f64> = (0..100).map(|i| 0.06 + 5.0 * (0.7f64).powi(i)).collect();
    let fig =
        curves_log("Learning rate", "epoch", "MSE", &[("ε = 0.01", &slow), ("ε = 0.3", &good)]).unwrap();
    fig.save(dir.join("curves_log_lr.svg")).unwrap();

    let signed = Array2::from_shape_fn((3, 4), |(i, j)| ((i * 4 + j) as f64 - 5.5) * 0.173);
    heatmap("W(1)", "k (input)", "j (neuron)", signed.view(), &[], &[])
        .unwrap()
        .save(dir.join("weights.svg"))
        .unwrap();
}

#[test]
fn log_axis_ticks_are_rounded_not_float_noise() {
    // Losses from 5 down to 0.08, as in Gradient_Descent: the log axis puts
    // ticks at 3 × 0.1, 7 × 0.1, ..., which printed as 0.30000000000000004.
    let slow: Vec<f64> = (0..100).map(|i| 5.0 * (0.99f64).powi(i)).collect();
    let good: Vec<f64> = (0..100).map(|i| 0.08 + 5.0 * (0.7f64).powi(i)).collect();
    let fig = nnlib::plot::curves_log("Loss", "epoch", "MSE", &[("slow", &slow), ("good", &good)]).unwrap();
    let labels = texts(fig.svg());
    assert!(labels.iter().any(|t| t == "0.2") && labels.iter().any(|t| t == "0.5"), "{labels:?}");
    assert!(!labels.iter().any(|t| t.contains("0000000")), "a tick label shows float noise: {labels:?}");
}

// ----------------------------------------------------------------- layout and ticks (#15)

/// The numeric tick labels of the y axis (right-aligned text), in drawing order.
fn y_tick_labels(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter(|rest| rest[..rest.find('>').unwrap_or(0)].contains("text-anchor=\"end\""))
        .filter_map(|rest| {
            let text = rest[rest.find('>')? + 1..rest.find("</text>")?].trim().to_string();
            text.parse::<f64>().is_ok().then_some(text)
        })
        .collect()
}

#[test]
fn a_small_function_grid_fits_its_title_and_puts_the_legend_under_the_plot() {
    let title = "A maxout neuron: three affine pieces and their maximum";
    let panel = Panel::new("k = 3 pieces", (-3.0, 3.0))
        .labels("input x", "value")
        .curve("piece 1: -x - 1", |x| -x - 1.0)
        .curve("piece 2: 0.5x", |x| 0.5 * x)
        .curve("piece 3: 2x - 2", |x| 2.0 * x - 2.0)
        .curve("maxout: their maximum", |x| (-x - 1.0).max(0.5 * x).max(2.0 * x - 2.0));
    let fig = function_grid(title, &[panel], 1).unwrap();
    let svg = fig.svg();
    // The title fits: its estimated width (0.6 em a character) is within the figure.
    let font: f64 = text_attr(svg, title, "font-size").unwrap().parse().unwrap();
    let title_width = title.chars().count() as f64 * font * 0.6;
    assert!(title_width <= fig.size().0 as f64, "{title_width} px of title in {:?}", fig.size());
    // Every legend entry lies below the x-axis label, i.e. outside the plotting area.
    let y = |text: &str| text_attr(svg, text, "y").unwrap().parse::<i32>().unwrap();
    for name in ["piece 1: -x - 1", "piece 2: 0.5x", "piece 3: 2x - 2", "maxout: their maximum"] {
        assert!(y(name) > y("input x"), "legend entry {name:?} at y = {} overlaps the plot", y(name));
    }
}

#[test]
fn a_short_title_keeps_the_standard_font() {
    let fig = simple_scatter();
    let font: f64 = text_attr(fig.svg(), "Fit", "font-size").unwrap().parse().unwrap();
    assert!((font - 24.0 / 1.24).abs() < 1e-9, "{font}");
}

#[test]
fn a_log_axis_has_a_tick_at_every_decade_and_at_2_and_5_when_sparse() {
    // Linear_Regression_nn: the loss falls from 1e5 to a plateau near 3e3.
    let loss: Vec<f64> = (0..300).map(|e| 2900.0 + 1e5 * (-(e as f64) / 20.0).exp()).collect();
    let fig = curves_log("Loss", "epoch", "MSE", &[("by hand", &loss)]).unwrap();
    let ticks = y_tick_labels(fig.svg());
    for wanted in ["5000", "10000", "20000", "50000", "100000"] {
        assert!(ticks.iter().any(|t| t == wanted), "no tick {wanted} in {ticks:?}");
    }
    // Eight decades: one tick per decade, no 2 or 5 in between.
    let wide: Vec<f64> = (0..9).map(|i| 10f64.powi(i - 4)).collect();
    let ticks = y_tick_labels(curves_log("Wide", "epoch", "loss", &[("l", &wide)]).unwrap().svg());
    assert_eq!(ticks, ["0.0001", "0.001", "0.01", "0.1", "1", "10", "100", "1000", "10000"]);
    // Within one decade, 1 to 9 times it.
    let narrow = [0.2, 0.9];
    let ticks = y_tick_labels(curves_log("Narrow", "epoch", "loss", &[("l", &narrow)]).unwrap().svg());
    assert!(ticks.len() >= 5, "{ticks:?}");
}

#[test]
fn no_axis_prints_the_same_tick_label_twice() {
    let ranges: [(f64, f64); 8] = [
        (0.9, 1.0),
        (0.95, 1.0000001),
        (1.0, 1.0 + 1e-7),
        (1e6, 1e6 + 3.0),
        (0.0, 1e-9),
        (-1e300, 1e300),
        (123456.0, 123457.0),
        (-0.001, 0.001),
    ];
    for (lo, hi) in ranges {
        let values = [lo, (lo + hi) / 2.0, hi];
        let figs = [
            curves("c", "epoch", "v", &[("s", &values)]).unwrap(),
            scatter_with_lines("s", "x", "y", (&values, &values), &[]).unwrap(),
        ];
        for fig in figs {
            let ticks = y_tick_labels(fig.svg());
            let mut unique = ticks.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), ticks.len(), "repeated tick label for {lo}..{hi}: {ticks:?}");
            assert!(ticks.len() >= 2, "too few ticks for {lo}..{hi}: {ticks:?}");
        }
    }
    // Gradient_Descent's learning-rate plot: 5 down to 0.06 on a log axis.
    let slow: Vec<f64> = (0..100).map(|i| 5.0 * (0.99f64).powi(i)).collect();
    let good: Vec<f64> = (0..100).map(|i| 0.06 + 5.0 * (0.7f64).powi(i)).collect();
    let fig = curves_log("Learning rate", "epoch", "MSE", &[("slow", &slow), ("good", &good)]).unwrap();
    let ticks = y_tick_labels(fig.svg());
    assert_eq!(ticks, ["0.05", "0.1", "0.2", "0.5", "1", "2", "5"]);
}

#[test]
fn the_builders_read_as_in_the_notebooks() {
    // No type annotations: the closure's argument and error type come from the builder.
    let points = array![[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
    let boundary =
        DecisionBoundary::new("t", points.view(), &[0, 1, 0], |grid| Ok(grid.column(0).to_owned()));
    assert!(boundary.draw().is_ok());
    let digits = Array2::from_elem((3, 64), 8.0);
    assert!(ImageGrid::new("digits", digits.view()).captions(&[7, 1, 4]).draw().is_ok());
    let counts = array![[5.0, 1.0], [0.0, 4.0]];
    assert!(Heatmap::new("counts", counts.view())
        .labels("predicted", "true")
        .x_ticks(&[0, 1])
        .draw()
        .is_ok());
    let path = [(0.5, 0.5), (0.1, 0.1)];
    assert!(Contour::new("cost", |w, b| w * w + b * b).x("w", (-1.0, 1.0)).path(&path).draw().is_ok());
    // An image whose pixels are not a square number needs its width.
    let odd = Array2::zeros((2, 6));
    let err = ImageGrid::new("odd", odd.view()).draw().unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { name: "image_width", .. }), "{err}");
    assert!(ImageGrid::new("odd", odd.view()).image_width(3).draw().is_ok());
}
