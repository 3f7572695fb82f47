//! The hinge cost's classical twin, as Choosing_a_Cost shows it: a linear neuron
//! trained on the hinge cost plus the penalty λ/2 |w|² (λ = 1/(C n)) by subgradient
//! descent minimises the soft-margin SVM's objective C Σ max(0, 1 − y ŷ) + |w|²/2,
//! so it lands on linfa-svm's linear SVM.

use linfa_svm::Svm;
use nnlib::linfa::prelude::*;
use nnlib::linfa::Dataset;
use nnlib::ndarray::{Array1, Array2, Axis};
use nnlib::{data, Activation, Cost, Network};

fn objective(x: &Array2<f64>, y: &Array1<f64>, w: &Array1<f64>, b: f64, c: f64) -> f64 {
    let hinge: f64 = x.dot(w).iter().zip(y).map(|(z, y)| (1.0 - y * (z + b)).max(0.0)).sum();
    c * hinge + 0.5 * w.dot(w)
}

#[test]
fn a_hinge_neuron_lands_on_the_linear_svm() {
    // The notebook's data: two moons pulled apart, labels ±1.
    let moons = data::synthetic::two_moons(60, 0.1, 4).unwrap();
    let mut x: Array2<f64> = moons.records().to_owned();
    let y: Array1<f64> = moons.targets().mapv(|c| if c == 1 { 1.0 } else { -1.0 });
    for (mut row, &yi) in x.rows_mut().into_iter().zip(&y) {
        row[1] -= 0.5 * yi;
    }
    let c = 1.0;
    let svm: Svm<f64, bool> = Svm::<f64, bool>::params()
        .pos_neg_weights(c, c)
        .linear_kernel()
        .fit(&Dataset::new(x.clone(), y.mapv(|v| v > 0.0)))
        .unwrap();
    let w_svm = Array1::from_shape_fn(2, |j| {
        svm.weighted_sum(&Array1::from_shape_fn(2, |k| f64::from(u8::from(j == k))))
    });
    let b_svm = -svm.rho;

    let lambda = 1.0 / (c * x.nrows() as f64);
    let y_col = y.clone().insert_axis(Axis(1));
    let mut neuron = Network::zeroed(&[2, 1], &[Activation::Identity]).unwrap();
    for t in 0..20000 {
        let (_, g) = neuron.cost_and_gradients(x.view(), y_col.view(), Cost::Hinge).unwrap();
        let step = 0.5 / (1.0 + t as f64 / 100.0).sqrt();
        let w = neuron.w(1).unwrap().clone();
        let w_new = &w - &(step * &(g.dc_dw(1).unwrap() + &(lambda * &w)));
        let b_new = neuron.b(1).unwrap() - &(step * g.dc_db(1).unwrap());
        neuron.set_w(1, w_new).unwrap();
        neuron.set_b(1, b_new).unwrap();
    }
    let w_nn: Array1<f64> = neuron.w(1).unwrap().row(0).to_owned();
    let b_nn = neuron.b(1).unwrap()[0];

    let gap = (&w_nn - &w_svm).fold((b_nn - b_svm).abs(), |m, &d| m.max(d.abs()));
    let (j_nn, j_svm) = (objective(&x, &y, &w_nn, b_nn, c), objective(&x, &y, &w_svm, b_svm, c));
    assert!(gap < 2e-3, "coefficients differ by {gap:e}: neuron ({w_nn}, {b_nn}), SVM ({w_svm}, {b_svm})");
    assert!((j_nn - j_svm).abs() / j_svm < 1e-4, "objectives {j_nn} (neuron) and {j_svm} (SVM)");
}
