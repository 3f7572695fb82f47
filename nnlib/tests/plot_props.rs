//! Property tests of `nnlib::plot` (issue #9): every public plot function,
//! given random shapes and values (NaN, ±inf, 0, 1e300, f64::MAX, subnormals,
//! constant data), returns a complete SVG or a typed error and never panics;
//! data with a NaN or an infinity is always an error.
//!
//! Case counts are modest (48 a property) because each case renders a figure.

use std::panic::{catch_unwind, AssertUnwindSafe};

use nnlib::ndarray::{Array1, Array2, ArrayView2};
use nnlib::plot::{self, Figure, Line, NetworkDiagram, Panel, MAX_SIDE};
use nnlib::{Activation, Cost, Error, Network};
use proptest::collection::vec;
use proptest::prelude::*;

#[path = "common/figures.rs"]
mod figures;
use figures::{contour, decision_boundary, heatmap, image_grid};

/// A value a learner's data could hold, edge cases included.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -10.0..10.0f64,
        1 => Just(0.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(1e300),
        1 => Just(-1e300),
        1 => Just(f64::MAX),
        1 => Just(f64::MIN_POSITIVE),
        1 => Just(5e-324),
    ]
}

/// A list of values: random, or all the same (a zero-width range).
fn values(max_len: usize) -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![vec(value(), 0..max_len), (value(), 0..max_len).prop_map(|(v, n)| vec![v; n])]
}

fn matrix(max_rows: usize, max_cols: usize) -> impl Strategy<Value = Array2<f64>> {
    (0..=max_rows, 0..=max_cols, value(), any::<bool>()).prop_flat_map(|(r, c, fill, constant)| {
        vec(value(), r * c).prop_map(move |v| {
            let v = if constant { vec![fill; r * c] } else { v };
            Array2::from_shape_vec((r, c), v).unwrap()
        })
    })
}

fn all_finite<'a>(values: impl IntoIterator<Item = &'a f64>) -> bool {
    values.into_iter().all(|v| v.is_finite())
}

/// Runs `f`, failing the case if it panics; an `Ok` figure must be a whole SVG
/// within the size limit.
fn no_panic(f: impl FnOnce() -> nnlib::Result<Figure>) -> Result<nnlib::Result<Figure>, TestCaseError> {
    let result = catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        TestCaseError::fail(format!("panicked: {message}"))
    })?;
    if let Ok(fig) = &result {
        prop_assert!(fig.svg().starts_with("<svg") && fig.svg().trim_end().ends_with("</svg>"));
        let (w, h) = fig.size();
        prop_assert!((1..=MAX_SIDE).contains(&w) && (1..=MAX_SIDE).contains(&h), "{:?}", fig.size());
    }
    Ok(result)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn scatter_with_lines_never_panics(xs in values(12), ys in values(12), lx in values(6), ly in values(6)) {
        let lines = [Line::new("fit", lx.clone(), ly.clone())];
        let result = no_panic(|| plot::scatter_with_lines("t", "x", "y", (&xs, &ys), &lines))?;
        if !all_finite(xs.iter().chain(&ys).chain(&lx).chain(&ly)) {
            prop_assert!(result.is_err(), "non-finite data was drawn");
        }
        if xs.is_empty() && ys.is_empty() {
            prop_assert!(matches!(result, Err(Error::Empty(_))));
        }
    }

    #[test]
    fn line_from_fn_never_panics(lo in value(), hi in value(), a in value()) {
        let line = catch_unwind(|| Line::from_fn("f", (lo, hi), move |x| a * x));
        prop_assert!(line.is_ok());
    }

    #[test]
    fn curves_and_curves_log_never_panic(a in values(30), b in values(30)) {
        let series = [("a", &a[..]), ("b", &b[..])];
        let linear = no_panic(|| plot::curves("t", "epoch", "loss", &series))?;
        let log = no_panic(|| plot::curves_log("t", "epoch", "loss", &series))?;
        if !all_finite(a.iter().chain(&b)) || a.is_empty() || b.is_empty() {
            prop_assert!(linear.is_err() && log.is_err());
        }
    }

    #[test]
    fn decision_boundary_never_panics(
        points in matrix(8, 3),
        labels in vec(0usize..12, 0..9),
        answer in value(),
    ) {
        let predict = |grid: ArrayView2<f64>| -> nnlib::Result<Array1<f64>> { Ok(Array1::from_elem(grid.nrows(), answer)) };
        let result = no_panic(|| decision_boundary("t", "x", "y", points.view(), &labels, predict))?;
        if !all_finite(points.iter()) || !answer.is_finite() {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn function_grid_never_panics(lo in value(), hi in value(), a in value(), b in value(), cols in 0usize..4, n in 0usize..4) {
        let panels: Vec<Panel> = (0..n)
            .map(|i| Panel::new(format!("p{i}"), (lo, hi)).curve("line", move |x| a * x + b).curve("1/x", |x| 1.0 / x))
            .collect();
        let result = no_panic(|| plot::function_grid("t", &panels, cols))?;
        if n == 0 || cols == 0 || !(lo.is_finite() && hi.is_finite()) {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn contour_never_panics(
        x in (value(), value()),
        y in (value(), value()),
        a in value(),
        path in vec((value(), value()), 0..5),
    ) {
        let f = move |u: f64, v: f64| a * u * u + v / u;
        let result = no_panic(|| contour("t", "w", "b", f, x, y, &path))?;
        if !all_finite(path.iter().flat_map(|p| [&p.0, &p.1])) {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn image_grid_never_panics(
        images in matrix(6, 20),
        width in 0usize..7,
        n_captions in 0usize..8,
        cols in 0usize..6,
    ) {
        let captions: Vec<String> = (0..n_captions).map(|i| format!("{i} → {}", i + 1)).collect();
        let result = no_panic(|| image_grid("t", images.view(), width, &captions, cols))?;
        if !all_finite(images.iter()) || images.is_empty() || width == 0 || cols == 0 {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn heatmap_never_panics(values in matrix(7, 7), nx in 0usize..8, ny in 0usize..8) {
        let x_ticks: Vec<String> = (0..nx).map(|i| format!("c{i}")).collect();
        let y_ticks: Vec<String> = (0..ny).map(|i| format!("r{i}")).collect();
        let result = no_panic(|| heatmap("t", "x", "y", values.view(), &x_ticks, &y_ticks))?;
        let (rows, cols) = values.dim();
        let ticks_fit = (nx == 0 || nx == cols) && (ny == 0 || ny == rows);
        prop_assert_eq!(result.is_ok(), all_finite(values.iter()) && !values.is_empty() && ticks_fit);
    }

    #[test]
    fn with_size_is_ok_exactly_within_the_limit(w in prop_oneof![0u32..2000, Just(u32::MAX), Just(MAX_SIDE), Just(MAX_SIDE + 1)], h in 0u32..20_000) {
        let fig = plot::curves("t", "x", "y", &[("a", &[1.0, 2.0][..])]).unwrap();
        let result = no_panic(|| fig.with_size(w, h))?;
        prop_assert_eq!(result.is_ok(), (1..=MAX_SIDE).contains(&w) && (1..=MAX_SIDE).contains(&h));
    }

    #[test]
    fn network_diagram_never_panics(
        sizes in vec(1usize..40, 2..5),
        maxout in any::<bool>(),
        other in vec(1usize..6, 2..5),
        use_other in any::<bool>(),
        sample in 0usize..3,
        x in value(),
        weight in (0usize..5, 0usize..8, 0usize..8),
        neuron in (0usize..6, 0usize..8),
    ) {
        let net = build(&sizes, maxout);
        let traced = if use_other { build(&other, false) } else { net.clone() };
        let inputs = Array2::from_elem((2, traced.n_inputs()), if x.is_finite() { x.clamp(-1e3, 1e3) } else { 0.5 });
        let trace = traced.forward(inputs.view()).unwrap();
        let y = Array2::zeros((2, traced.n_outputs()));
        let grads = traced.backward(&trace, y.view(), Cost::Mse).unwrap();
        let diagram = NetworkDiagram::new(&net)
            .values(&trace, sample)
            .gradients(&grads, sample)
            .highlight_weight(weight.0, weight.1, weight.2)
            .highlight_neuron(neuron.0, neuron.1);
        let result = no_panic(|| diagram.draw())?;
        let fits = |l: usize, j: usize| (1..=sizes.len()).contains(&l) && (1..=sizes[l - 1]).contains(&j);
        let (l, j, k) = weight;
        let valid = (!use_other || other == sizes)
            && sample < 2
            && l + 1 < sizes.len() + 1 && fits(l, k) && fits(l + 1, j)
            && fits(neuron.0, neuron.1);
        prop_assert_eq!(result.is_ok(), valid, "{:?}", result.err());
        prop_assert!(no_panic(|| plot::network(&net))?.is_ok());
    }
}

/// A network of `sizes`, the first hidden layer maxout (k = 2) if asked.
fn build(sizes: &[usize], maxout: bool) -> Network {
    let mut builder = Network::builder(sizes[0]);
    for (i, &n) in sizes[1..].iter().enumerate() {
        builder = if i == 0 && maxout { builder.maxout(n, 2) } else { builder.dense(n, Activation::Tanh) };
    }
    builder.seed(3).build().unwrap()
}

// ----------------------------------------------------------------- the listed cases

#[test]
fn a_figure_of_u32_max_pixels_is_an_error_not_an_abort() {
    let fig = plot::curves("t", "x", "y", &[("a", &[1.0, 2.0][..])]).unwrap();
    for (w, h) in [(u32::MAX, 420), (640, u32::MAX), (u32::MAX, u32::MAX), (0, 10), (MAX_SIDE + 1, 10)] {
        let e = fig.clone().with_size(w, h).unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { name: "size", .. }), "{e}");
        assert!(e.to_string().contains("16384"), "{e}");
    }
    assert_eq!(fig.with_size(MAX_SIDE, 1).unwrap().size(), (MAX_SIDE, 1));
}

#[test]
fn a_grid_too_large_to_draw_is_an_error() {
    let panels: Vec<Panel> =
        (0..100).map(|i| Panel::new(format!("{i}"), (0.0, 1.0)).curve("x", |x| x)).collect();
    let e = plot::function_grid("t", &panels, 1).unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { .. }) && e.to_string().contains("pixels"), "{e}");
    let wide = Network::new(
        &[
            2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
            2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
            2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        ],
        &[Activation::Tanh; 90],
        0,
    )
    .unwrap();
    assert!(matches!(plot::network(&wide), Err(Error::InvalidParameter { .. })));
}

#[test]
fn huge_and_constant_data_draw_or_name_the_problem() {
    let huge = [1e300, -1e300, 0.0];
    assert!(plot::curves("t", "x", "y", &[("h", &huge[..])]).is_ok());
    let extreme = [f64::MAX, f64::MIN];
    let e = plot::curves("t", "x", "y", &[("e", &extreme[..])]).unwrap_err();
    assert!(e.to_string().contains("cannot be shown"), "{e}");
    let constant = [3.0; 5];
    assert!(plot::curves("t", "x", "y", &[("c", &constant[..])]).is_ok());
    assert!(plot::curves_log("t", "x", "y", &[("c", &constant[..])]).is_ok());
    assert!(plot::scatter_with_lines("t", "x", "y", (&constant, &constant), &[]).is_ok());
    let tiny = [5e-324, 1e-320];
    assert!(plot::curves_log("t", "x", "y", &[("t", &tiny[..])]).is_ok());
}

#[test]
fn images_spanning_all_of_f64_keep_their_ink_order() {
    let images = Array2::from_shape_vec((1, 3), vec![f64::MIN, 0.0, f64::MAX]).unwrap();
    let svg = image_grid("t", images.view(), 3, &[], 1).unwrap().svg().to_string();
    // f64::MIN is white (left out), 0 mid grey, f64::MAX black.
    assert!(svg.contains("fill=\"#000000\""), "the maximum is black");
    assert!(svg.contains("fill=\"#808080\"") || svg.contains("fill=\"#7F7F7F\""), "0 is mid grey");
}
