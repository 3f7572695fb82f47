use nnlib::ndarray::{Array1, Array2, ArrayView2};
use nnlib::plot::*;

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[test]
#[ignore]
fn preview() {
    let dir = std::path::Path::new("/tmp/plot-preview");
    std::fs::create_dir_all(dir).unwrap();
    let xs: Vec<f64> = (0..30).map(|i| i as f64 / 6.0).collect();
    let ys: Vec<f64> =
        xs.iter().enumerate().map(|(i, x)| 1.8 * x + 0.5 + ((i * 7 % 11) as f64 - 5.0) * 0.12).collect();
    let lines: Vec<Line> = [(1, 0.3, 0.1), (10, 1.2, 0.3), (100, 1.8, 0.5)]
        .iter()
        .map(|&(e, w, b)| Line::from_fn(format!("epoch {e}"), (0.0, 5.0), move |x| w * x + b))
        .collect();
    scatter_with_lines(
        "Linear regression: fitted line during training",
        "x (input)",
        "y (target)",
        (&xs, &ys),
        &lines,
    )
    .unwrap()
    .save(dir.join("scatter.svg"))
    .unwrap();

    let train: Vec<f64> = (0..60).map(|e| 2.0 * (-(e as f64) / 12.0).exp() + 0.05).collect();
    let val: Vec<f64> =
        (0..60).map(|e| 2.1 * (-(e as f64) / 12.0).exp() + 0.09 + 0.0005 * e as f64).collect();
    curves("Loss during training", "epoch", "loss (MSE)", &[("training", &train), ("validation", &val)])
        .unwrap()
        .save(dir.join("curves.svg"))
        .unwrap();
    let acc: Vec<f64> = (0..25).map(|e| 1.0 - 0.5 * (-(e as f64) / 5.0).exp()).collect();
    let vacc: Vec<f64> = (0..25).map(|e| 0.97 - 0.5 * (-(e as f64) / 5.0).exp()).collect();
    curves("Accuracy", "epoch", "accuracy", &[("training", &acc), ("validation", &vacc)])
        .unwrap()
        .save(dir.join("accuracy.svg"))
        .unwrap();
    let lossl: Vec<f64> = (0..200).map(|e| 5.0 * (-(e as f64) / 15.0).exp() + 1e-4).collect();
    curves_log("Loss (log scale)", "epoch", "loss", &[("training", &lossl)])
        .unwrap()
        .save(dir.join("curves_log.svg"))
        .unwrap();

    // two blobs
    let n = 60;
    let pts = Array2::from_shape_fn((n, 2), |(r, c)| {
        let t = r as f64 * 2.399;
        let rad = 0.3 + (r % 7) as f64 * 0.12;
        let centre = if r < n / 2 { (-1.0, -0.5) } else { (1.0, 0.8) };
        if c == 0 {
            centre.0 + rad * t.cos()
        } else {
            centre.1 + rad * t.sin()
        }
    });
    let labels: Vec<usize> = (0..n).map(|r| usize::from(r >= n / 2)).collect();
    let predict = |g: ArrayView2<f64>| -> nnlib::Result<Array1<f64>> {
        Ok(g.rows()
            .into_iter()
            .map(|p| sigmoid(2.0 * p[0] + 1.5 * p[1] - 0.2 + 0.8 * (2.0 * p[0]).sin()))
            .collect())
    };
    decision_boundary("Decision boundary of a 2-4-1 network", "x₁", "x₂", pts.view(), &labels, predict)
        .unwrap()
        .save(dir.join("decision.svg"))
        .unwrap();

    let panels = [
        Panel::new("sigmoid", (-6.0, 6.0))
            .labels("z", "value")
            .curve("σ(z)", sigmoid)
            .curve("σ'(z)", |z| sigmoid(z) * (1.0 - sigmoid(z))),
        Panel::new("tanh", (-4.0, 4.0))
            .labels("z", "value")
            .curve("tanh z", f64::tanh)
            .curve("tanh' z", |z| 1.0 - z.tanh().powi(2)),
        Panel::new("ReLU", (-3.0, 3.0))
            .labels("z", "value")
            .curve("relu", |z| z.max(0.0))
            .curve("relu'", |z| if z > 0.0 { 1.0 } else { 0.0 }),
        Panel::new("cross-entropy, y = 1", (0.0, 1.0))
            .labels("prediction p", "cost")
            .curve("−ln p", |p| -p.ln()),
    ];
    function_grid("Activation functions and their derivatives", &panels, 2)
        .unwrap()
        .save(dir.join("grid.svg"))
        .unwrap();

    let cost = |w: f64, b: f64| (w - 2.0).powi(2) + 3.0 * (b + 1.0).powi(2) + 0.5 * w * b;
    let mut p = (-2.5, 1.5);
    let mut path = vec![p];
    for _ in 0..15 {
        let g = (2.0 * (p.0 - 2.0) + 0.5 * p.1, 6.0 * (p.1 + 1.0) + 0.5 * p.0);
        p = (p.0 - 0.12 * g.0, p.1 - 0.12 * g.1);
        path.push(p);
    }
    contour(
        "Cost J(w, b) and gradient descent",
        "w (weight)",
        "b (bias)",
        cost,
        (-3.0, 4.0),
        (-3.0, 2.0),
        &path,
    )
    .unwrap()
    .save(dir.join("contour.svg"))
    .unwrap();
}
