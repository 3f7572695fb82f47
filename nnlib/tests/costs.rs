//! Cost functions: each derivative against central differences, the batched
//! gradient against the batched value, the values against the lecture's
//! formulas worked by hand, the clamp at 0 and 1, and the fused output deltas.

mod common;

use common::{assert_all_close, assert_close, central_diff_h, random_distributions, uniform};
use nnlib::cost::{self, Cost};
use nnlib::ndarray::{array, Array2};
use nnlib::{Activation, Network};
use std::f64::consts::{E, LN_2};

// ---------------------------------------------------------------------------
// ℓ'(ŷ, y) against central differences of ℓ(ŷ, y)
// ---------------------------------------------------------------------------

/// Checks `cost.loss_prime(ŷ, y)` against `(ℓ(ŷ+h, y) - ℓ(ŷ-h, y)) / 2h` with
/// the step `h = step(ŷ, y)`.
#[track_caller]
fn check_loss_prime(cost: Cost, pairs: &[(f64, f64)], step: impl Fn(f64, f64) -> f64) {
    assert!(pairs.len() >= 10, "too few pairs for {cost:?}");
    for &(y_hat, y) in pairs {
        let numeric = central_diff_h(|p| cost.loss(p, y), y_hat, step(y_hat, y));
        let analytic = cost.loss_prime(y_hat, y);
        assert_close(analytic, numeric, 1e-6, 1e-9, &format!("{cost:?} ℓ'(ŷ={y_hat:e}, y={y:e})"));
    }
}

/// All pairs from two lists, keeping those `keep` accepts.
fn pairs(y_hats: &[f64], ys: &[f64], keep: impl Fn(f64, f64) -> bool) -> Vec<(f64, f64)> {
    let mut out = vec![];
    for &p in y_hats {
        for &t in ys {
            if keep(p, t) {
                out.push((p, t));
            }
        }
    }
    out
}

/// Real-valued predictions and targets, from small to huge.
const REALS: [f64; 14] =
    [-1e150, -1e3, -37.5, -2.0, -0.6, -0.01, 0.0, 0.02, 0.7, 1.3, 4.0, 250.0, 1e3, 1e150];
/// Probabilities strictly inside (0, 1), near both ends too.
const PROBS: [f64; 9] = [1e-6, 1e-3, 0.05, 0.2, 0.5, 0.77, 0.95, 0.999, 1.0 - 1e-6];

/// A step that scales with the larger of |ŷ| and |y| (for the real-valued
/// costs): near ŷ = -1e3 with y = 1e150 the loss is about 1e300, and only a
/// step of that scale moves it.
fn rel_step(p: f64, t: f64) -> f64 {
    1e-6 * p.abs().max(t.abs()).max(1.0)
}

#[test]
fn mse_prime_matches_finite_differences() {
    check_loss_prime(Cost::Mse, &pairs(&REALS, &REALS, |_, _| true), rel_step);
}

#[test]
fn mae_prime_matches_finite_differences_away_from_the_kink() {
    // |y - ŷ| has a kink at ŷ = y; stay at least a few steps away from it.
    let keep = |p: f64, t: f64| (p - t).abs() > 10.0 * rel_step(p, t);
    check_loss_prime(Cost::Mae, &pairs(&REALS, &REALS, keep), rel_step);
}

#[test]
fn bce_prime_matches_finite_differences() {
    // The step must keep ŷ ± h inside (0, 1), where the clamp is inactive.
    let targets = [0.0, 0.3, 0.5, 1.0];
    check_loss_prime(Cost::BinaryCrossEntropy, &pairs(&PROBS, &targets, |_, _| true), |p, _| {
        1e-4 * p.min(1.0 - p)
    });
}

#[test]
fn cce_prime_matches_finite_differences() {
    let targets = [0.0, 0.25, 0.6, 1.0];
    let y_hats = [1e-6, 1e-3, 0.1, 0.5, 0.9, 1.0, 3.0, 1e6];
    check_loss_prime(Cost::CategoricalCrossEntropy, &pairs(&y_hats, &targets, |_, _| true), |p, _| 1e-5 * p);
}

#[test]
fn hinge_prime_matches_finite_differences_away_from_the_kink() {
    // max(0, 1 - yŷ) has a kink at yŷ = 1.
    let keep = |p: f64, t: f64| (1.0 - p * t).abs() > 10.0 * rel_step(p, t);
    check_loss_prime(Cost::Hinge, &pairs(&REALS, &[-1.0, 1.0], keep), rel_step);
}

#[test]
fn huber_prime_matches_finite_differences_for_several_deltas() {
    for delta in [0.1, 1.0, 1.5, 30.0] {
        // The quadratic part turns linear at |y - ŷ| = δ (the derivative is
        // continuous there, the second derivative is not): stay away from it.
        let keep = |p: f64, t: f64| ((p - t).abs() - delta).abs() > 10.0 * rel_step(p, t);
        check_loss_prime(Cost::Huber { delta }, &pairs(&REALS, &REALS, keep), rel_step);
    }
}

#[test]
fn kl_prime_matches_finite_differences() {
    let targets = [0.0, 0.1, 0.5, 0.9, 1.0];
    let y_hats = [1e-6, 1e-3, 0.1, 0.5, 0.9, 1.0, 4.0, 1e6];
    check_loss_prime(Cost::KlDivergence, &pairs(&y_hats, &targets, |_, _| true), |p, _| 1e-5 * p);
}

#[test]
fn poisson_prime_matches_finite_differences() {
    let counts = [0.0, 1.0, 3.0, 7.0, 40.0, 1e6];
    let rates = [1e-6, 0.01, 0.5, 1.0, 2.7, 10.0, 1e3, 1e6, 1e100];
    check_loss_prime(Cost::Poisson, &pairs(&rates, &counts, |_, _| true), |p, _| 1e-5 * p);
}

// ---------------------------------------------------------------------------
// Cost::gradient (batched, divided by n) against finite differences of Cost::value
// ---------------------------------------------------------------------------

/// Predictions and targets in each cost's domain, 4 samples × 3 outputs.
fn batch_for(cost: Cost) -> (Array2<f64>, Array2<f64>) {
    let probs = || random_distributions(4, 3, 11);
    match cost {
        Cost::Mse | Cost::Mae | Cost::Huber { .. } => {
            (uniform(4, 3, -3.0, 3.0, 12), uniform(4, 3, -3.0, 3.0, 13))
        }
        Cost::Hinge => {
            let y = uniform(4, 3, -1.0, 1.0, 14).mapv(|v| if v < 0.0 { -1.0 } else { 1.0 });
            (uniform(4, 3, -0.9, 0.9, 15), y)
        }
        Cost::BinaryCrossEntropy => (uniform(4, 3, 0.05, 0.95, 16), uniform(4, 3, 0.0, 1.0, 17)),
        Cost::CategoricalCrossEntropy | Cost::KlDivergence => (probs(), random_distributions(4, 3, 18)),
        Cost::Poisson => (uniform(4, 3, 0.2, 5.0, 19), uniform(4, 3, 0.0, 6.0, 20).mapv(f64::floor)),
    }
}

fn all_costs() -> Vec<Cost> {
    vec![
        Cost::Mse,
        Cost::Mae,
        Cost::BinaryCrossEntropy,
        Cost::CategoricalCrossEntropy,
        Cost::Hinge,
        Cost::Huber { delta: 0.8 },
        Cost::KlDivergence,
        Cost::Poisson,
    ]
}

#[test]
fn batched_gradient_matches_finite_differences_of_value() {
    for cost in all_costs() {
        let (y_hat, y) = batch_for(cost);
        let grad = cost.gradient(y_hat.view(), y.view()).expect("valid batch");
        assert_eq!(grad.dim(), y_hat.dim());
        for ((i, j), &analytic) in grad.indexed_iter() {
            let numeric = central_diff_h(
                |t| {
                    let mut p = y_hat.clone();
                    p[[i, j]] = t;
                    cost.value(p.view(), y.view()).expect("valid batch")
                },
                y_hat[[i, j]],
                1e-6,
            );
            assert_close(analytic, numeric, 1e-6, 1e-9, &format!("{cost:?} dC/dŷ[{i},{j}]"));
        }
    }
}

#[test]
fn batched_gradient_is_the_elementwise_derivative_over_n() {
    // dC/dŷ_ij = ℓ'(ŷ_ij, y_ij) / n with n = 4 rows.
    for cost in all_costs() {
        let (y_hat, y) = batch_for(cost);
        let grad = cost.gradient(y_hat.view(), y.view()).unwrap();
        for ((i, j), &g) in grad.indexed_iter() {
            assert_close(
                g,
                cost.loss_prime(y_hat[[i, j]], y[[i, j]]) / 4.0,
                1e-15,
                0.0,
                &format!("{cost:?}"),
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Values against the lecture's formulas, worked by hand
// ---------------------------------------------------------------------------

fn col(v: &[f64]) -> Array2<f64> {
    Array2::from_shape_vec((v.len(), 1), v.to_vec()).unwrap()
}

fn value(cost: Cost, y_hat: &Array2<f64>, y: &Array2<f64>) -> f64 {
    cost.value(y_hat.view(), y.view()).expect("valid inputs")
}

#[test]
fn mse_by_hand() {
    // ŷ = [1, 2, 4], y = [1, 3, 2]: (0² + 1² + 2²) / 3 = (0 + 1 + 4) / 3 = 5/3.
    assert_close(
        value(Cost::Mse, &col(&[1.0, 2.0, 4.0]), &col(&[1.0, 3.0, 2.0])),
        5.0 / 3.0,
        1e-15,
        0.0,
        "MSE",
    );
}

#[test]
fn mae_by_hand() {
    // ŷ = [1, 2, 4], y = [1, 3, 2]: (0 + 1 + 2) / 3 = 1.
    assert_close(value(Cost::Mae, &col(&[1.0, 2.0, 4.0]), &col(&[1.0, 3.0, 2.0])), 1.0, 1e-15, 0.0, "MAE");
}

#[test]
fn bce_by_hand() {
    // ŷ = [0.5, 0.75], y = [1, 0]:
    // -(1/2) [1·ln 0.5 + 0·ln 0.5 + 0·ln 0.75 + 1·ln(1 - 0.75)]
    // = -(1/2) (ln ½ + ln ¼) = (ln 2 + 2 ln 2) / 2 = 1.5 ln 2.
    let c = value(Cost::BinaryCrossEntropy, &col(&[0.5, 0.75]), &col(&[1.0, 0.0]));
    assert_close(c, 1.5 * LN_2, 1e-12, 0.0, "BCE");
}

#[test]
fn cce_by_hand_times_n_is_the_lectures_sum() {
    // Two samples, three classes:
    //   ŷ = [½, ¼, ¼], y = [1, 0, 0]  →  -ln ½ = ln 2
    //   ŷ = [¼, ¼, ½], y = [0, 1, 0]  →  -ln ¼ = 2 ln 2
    // The lecture's sum over samples: 3 ln 2; nnlib's mean: 3 ln 2 / 2.
    let y_hat = array![[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]];
    let y = array![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]];
    let c = value(Cost::CategoricalCrossEntropy, &y_hat, &y);
    assert_close(c * 2.0, 3.0 * LN_2, 1e-12, 0.0, "CCE · n");
}

#[test]
fn hinge_by_hand() {
    // ŷ = [2, 0.5, 0.5], y = [1, 1, -1]:
    // max(0, 1 - 2) + max(0, 1 - 0.5) + max(0, 1 + 0.5) = 0 + 0.5 + 1.5 = 2, mean 2/3.
    let c = value(Cost::Hinge, &col(&[2.0, 0.5, 0.5]), &col(&[1.0, 1.0, -1.0]));
    assert_close(c, 2.0 / 3.0, 1e-15, 0.0, "hinge");
}

#[test]
fn huber_by_hand() {
    // δ = 1, ŷ = [0, 0.5, 3], y = [0, 0, 0]; residuals 0, 0.5, 3:
    //   0 → ½·0² = 0;  0.5 ≤ δ → ½·0.5² = 0.125;  3 > δ → 1·3 - ½·1² = 2.5.
    // The lecture's formula is per sample; nnlib averages: (0 + 0.125 + 2.5)/3 = 0.875.
    let c = value(Cost::Huber { delta: 1.0 }, &col(&[0.0, 0.5, 3.0]), &col(&[0.0, 0.0, 0.0]));
    assert_close(c, 0.875, 1e-15, 0.0, "Huber δ=1");
    // δ = 2 moves 3 further into the linear part: 2·3 - ½·2² = 4; (0 + 0.125 + 4)/3 = 1.375.
    let c = value(Cost::Huber { delta: 2.0 }, &col(&[0.0, 0.5, 3.0]), &col(&[0.0, 0.0, 0.0]));
    assert_close(c, 1.375, 1e-15, 0.0, "Huber δ=2");
}

#[test]
fn kl_by_hand_times_n_is_the_lectures_sum() {
    // Row 1: y = [½, ½], ŷ = [¼, ¾]: ½ ln(½/¼) + ½ ln(½/¾) = ½ ln 2 + ½ ln(2/3).
    // Row 2: y = [1, 0], ŷ = [½, ½]: 1·ln(1/½) + 0 = ln 2.
    // Sum (the lecture's): 2 ln 2 - ½ ln 3 (since ½ ln(2/3) = ½ ln 2 - ½ ln 3).
    let y_hat = array![[0.25, 0.75], [0.5, 0.5]];
    let y = array![[0.5, 0.5], [1.0, 0.0]];
    let c = value(Cost::KlDivergence, &y_hat, &y);
    assert_close(c * 2.0, 2.0 * LN_2 - 0.5 * 3f64.ln(), 1e-12, 0.0, "KL · n");
}

#[test]
fn poisson_by_hand() {
    // ŷ = [1, e, 2], y = [0, 1, 2]:
    //   1 - 0·ln 1 = 1;  e - 1·ln e = e - 1;  2 - 2 ln 2.
    // Mean: (1 + e - 1 + 2 - 2 ln 2) / 3 = (e + 2 - 2 ln 2) / 3.
    let c = value(Cost::Poisson, &col(&[1.0, E, 2.0]), &col(&[0.0, 1.0, 2.0]));
    assert_close(c, (E + 2.0 - 2.0 * LN_2) / 3.0, 1e-14, 0.0, "Poisson");
}

#[test]
fn perfect_predictions_cost_nothing() {
    // MSE, MAE, Huber and KL are 0 exactly when ŷ = y.
    let y = random_distributions(3, 4, 21);
    for cost in [Cost::Mse, Cost::Mae, Cost::Huber { delta: 0.5 }, Cost::KlDivergence] {
        assert_close(value(cost, &y, &y), 0.0, 0.0, 1e-15, &format!("{cost:?}"));
    }
}

// ---------------------------------------------------------------------------
// The clamp: predictions of exactly 0 and 1
// ---------------------------------------------------------------------------

#[test]
fn log_costs_are_finite_at_predictions_of_exactly_zero_and_one() {
    // Without the clamp, ln 0 = -inf and 0 · ln 0 = NaN.
    let cases: Vec<(Cost, Array2<f64>, Array2<f64>)> = vec![
        (Cost::BinaryCrossEntropy, col(&[0.0, 1.0, 0.0, 1.0]), col(&[0.0, 1.0, 1.0, 0.0])),
        (Cost::CategoricalCrossEntropy, array![[1.0, 0.0], [0.0, 1.0]], array![[0.0, 1.0], [0.0, 1.0]]),
        (Cost::KlDivergence, array![[1.0, 0.0], [0.0, 1.0]], array![[0.5, 0.5], [0.0, 1.0]]),
        (Cost::Poisson, col(&[0.0, 1.0, 0.0]), col(&[0.0, 2.0, 3.0])),
    ];
    for (cost, y_hat, y) in cases {
        let c = value(cost, &y_hat, &y);
        assert!(c.is_finite() && c >= 0.0, "{cost:?} value {c}");
        let g = cost.gradient(y_hat.view(), y.view()).unwrap();
        assert!(g.iter().all(|v| v.is_finite()), "{cost:?} gradient {g}");
    }
    // A confident wrong BCE answer costs -ln(PROB_FLOOR) ≈ 27.6, not infinity.
    let c = value(Cost::BinaryCrossEntropy, &col(&[0.0]), &col(&[1.0]));
    assert_close(c, -cost::PROB_FLOOR.ln(), 1e-9, 0.0, "BCE at the clamp");
}

// ---------------------------------------------------------------------------
// The fused output deltas
// ---------------------------------------------------------------------------

/// The unfused chain `dC/dz = dC/da ⊙ f'(z)`, with f's batched backward.
fn unfused_delta(cost: Cost, f: Activation, z: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
    let a = f.forward(z.view());
    let dc_da = cost.gradient(a.view(), y.view()).unwrap();
    f.backward(z.view(), a.view(), dc_da.view()).unwrap()
}

/// The fused form the network uses for these pairs, `delta = (a - y) / n`.
fn fused_delta(f: Activation, z: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
    let a = f.forward(z.view());
    (&a - y) / a.nrows() as f64
}

#[test]
fn fused_sigmoid_bce_delta_equals_the_unfused_chain() {
    // (a - y)/(a(1-a)) / n · a(1-a) = (a - y)/n while a stays inside the clamp.
    let z = uniform(5, 2, -6.0, 6.0, 22);
    let y = uniform(5, 2, 0.0, 1.0, 23);
    let unfused = unfused_delta(Cost::BinaryCrossEntropy, Activation::Sigmoid, &z, &y);
    assert_all_close(&fused_delta(Activation::Sigmoid, &z, &y), &unfused, 1e-9, 1e-15, "sigmoid+BCE");
}

#[test]
fn fused_softmax_cce_delta_equals_the_unfused_chain() {
    let z = uniform(4, 3, -4.0, 4.0, 24);
    let y = random_distributions(4, 3, 25);
    let unfused = unfused_delta(Cost::CategoricalCrossEntropy, Activation::Softmax, &z, &y);
    assert_all_close(&fused_delta(Activation::Softmax, &z, &y), &unfused, 1e-9, 1e-15, "softmax+CCE");
}

#[test]
fn fused_exp_poisson_delta_equals_the_unfused_chain() {
    // (1 - y/a)/n · a = (a - y)/n: the log link is Poisson's canonical link.
    let z = uniform(5, 2, -4.0, 4.0, 29);
    let y = uniform(5, 2, 0.0, 6.0, 30).mapv(f64::round); // counts
    let unfused = unfused_delta(Cost::Poisson, Activation::Exp, &z, &y);
    assert_all_close(&fused_delta(Activation::Exp, &z, &y), &unfused, 1e-9, 1e-15, "exp+Poisson");
}

#[test]
fn network_output_delta_equals_the_unfused_chain() {
    // The network uses the fused form; it must agree with dC/da ⊙ f'(z) at its output.
    let x = uniform(6, 3, -1.0, 1.0, 26);
    for (f, cost, y) in [
        (Activation::Sigmoid, Cost::BinaryCrossEntropy, uniform(6, 2, 0.0, 1.0, 27)),
        (Activation::Softmax, Cost::CategoricalCrossEntropy, random_distributions(6, 2, 28)),
        (Activation::Exp, Cost::Poisson, uniform(6, 2, 0.0, 5.0, 31).mapv(f64::round)),
    ] {
        let net = Network::builder(3).dense(4, Activation::Tanh).dense(2, f).seed(3).build().unwrap();
        let trace = net.forward(x.view()).unwrap();
        let grads = net.backward(&trace, y.view(), cost).unwrap();
        // Layers: 1 = input, 2 = hidden, 3 = output.
        let expected = unfused_delta(cost, f, trace.z(3).unwrap(), &y);
        assert_all_close(grads.delta(3).unwrap(), &expected, 1e-9, 1e-15, &format!("{f:?} + {cost:?}"));
    }
}
