//! Bad input: every mistake returns its documented `nnlib::Error` variant,
//! with the fields and message a learner needs, and nothing panics.

mod common;

use common::uniform;
use nnlib::data::one_hot;
use nnlib::linfa::prelude::*;
use nnlib::linfa::{Dataset, ParamGuard};
use nnlib::ndarray::{array, Array1, Array2};
use nnlib::{
    gradient_check, Activation, Cost, Error, MlpClassifier, MlpRegressor, Network, Optimizer, TrainConfig,
};

/// The lecture's network: 4 inputs → 3 → 2 → 1 (so the output is layer 4).
fn lecture_net() -> Network {
    Network::new(&[4, 3, 2, 1], &[Activation::Sigmoid, Activation::Sigmoid, Activation::Identity], 1).unwrap()
}

fn x5() -> Array2<f64> {
    uniform(5, 4, -1.0, 1.0, 1)
}

fn y5() -> Array2<f64> {
    uniform(5, 1, -1.0, 1.0, 2)
}

/// Unpacks `Error::InvalidParameter`, checking the parameter's name.
#[track_caller]
fn invalid_parameter<T: std::fmt::Debug>(result: nnlib::Result<T>, name: &str) -> String {
    match result {
        Err(Error::InvalidParameter { name: n, reason }) => {
            assert_eq!(n, name, "wrong parameter blamed ({reason})");
            reason
        }
        other => panic!("expected InvalidParameter `{name}`, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------

#[test]
fn wrong_input_width_names_both_shapes_and_the_layer() {
    let net = lecture_net();
    let x = uniform(5, 3, -1.0, 1.0, 3); // 3 columns, the net wants 4
    let err = net.forward(x.view()).unwrap_err();
    match &err {
        Error::Shape { context, expected, got } => {
            assert!(context.contains("layer 1"), "{context}");
            assert_eq!(expected, "(n, 4)");
            assert_eq!(got, "(5, 3)");
        }
        other => panic!("expected Error::Shape, got {other:?}"),
    }
    let message = err.to_string();
    for part in ["layer 1", "(n, 4)", "(5, 3)"] {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }
    // Training reports the same problem.
    let mut net = net;
    assert!(matches!(
        net.train(x.view(), y5().view(), Cost::Mse, &TrainConfig::default()),
        Err(Error::Shape { .. })
    ));
}

#[test]
fn wrong_target_shape_is_reported() {
    let mut net = lecture_net();
    // Two target columns for one output neuron.
    let err = net.train(x5().view(), Array2::zeros((5, 2)).view(), Cost::Mse, &TrainConfig::default());
    match err {
        Err(Error::Shape { context, expected, got }) => {
            assert!(context.contains("targets") && context.contains("layer 4"), "{context}");
            assert_eq!(expected, "(5, 1)");
            assert_eq!(got, "(5, 2)");
        }
        other => panic!("expected Error::Shape, got {other:?}"),
    }
    // Four target rows for five samples.
    let err = net.train(x5().view(), Array2::zeros((4, 1)).view(), Cost::Mse, &TrainConfig::default());
    assert!(matches!(err, Err(Error::Shape { ref got, .. }) if got == "(4, 1)"), "{err:?}");
    // The cost itself checks predictions against targets.
    let err = Cost::Mse.value(Array2::zeros((3, 2)).view(), Array2::zeros((3, 1)).view());
    assert!(matches!(err, Err(Error::Shape { .. })), "{err:?}");
}

#[test]
fn setting_weights_of_the_wrong_shape_or_with_nan_is_refused() {
    let mut net = lecture_net();
    let before = net.clone();
    let err = net.set_w(1, Array2::zeros((4, 3))); // W(1) is 3 × 4
    assert!(
        matches!(err, Err(Error::Shape { ref expected, ref got, .. })
            if expected == "(n_out, n_in) = (3, 4)" && got == "(4, 3) (transposed?)"),
        "{err:?}"
    );
    let message = err.unwrap_err().to_string();
    assert!(message.contains("W(1)") && message.contains("transposed?"), "{message}");
    let err = net.set_b(2, Array1::zeros(3)); // b(2) has 2 entries
    assert!(matches!(err, Err(Error::Shape { .. })), "{err:?}");
    let mut w = Array2::zeros((3, 4));
    w[[1, 2]] = f64::NAN;
    match net.set_w(1, w) {
        Err(Error::NonFinite { row: 1, column: 2, value, .. }) => assert!(value.is_nan()),
        other => panic!("expected NonFinite at (1, 2), got {other:?}"),
    }
    assert_eq!(net, before, "a refused update must leave the network unchanged");
}

#[test]
fn empty_data_is_reported() {
    let mut net = lecture_net();
    let no_rows = Array2::<f64>::zeros((0, 4));
    assert!(matches!(net.forward(no_rows.view()), Err(Error::Empty(_))));
    let err = net.train(no_rows.view(), Array2::zeros((0, 1)).view(), Cost::Mse, &TrainConfig::default());
    match err {
        Err(Error::Empty(message)) => assert!(message.contains("(0, 4)"), "{message}"),
        other => panic!("expected Error::Empty, got {other:?}"),
    }
    // Found by fuzzing: no columns was "empty data", without the width the network needs.
    let no_columns = Array2::<f64>::zeros((5, 0));
    match net.predict(no_columns.view()) {
        Err(Error::Shape { context, expected, .. }) => {
            assert!(context.contains("takes 4 inputs") && expected == "(n, 4)", "{context}; {expected}")
        }
        other => panic!("expected Error::Shape, got {other:?}"),
    }
}

/// Found by fuzzing: predicting no rows (of the right width) panicked in linfa's
/// `predict`; no samples have no predictions.
#[test]
fn predicting_no_rows_gives_no_predictions() {
    let net = lecture_net();
    let no_rows = Array2::<f64>::zeros((0, 4));
    assert_eq!(net.predict(no_rows.view()).unwrap().dim(), (0, 1));
    let data = Dataset::new(x5(), y5().column(0).to_owned());
    let regressor = MlpRegressor::params().epochs(5).fit(&data).unwrap();
    assert_eq!(regressor.predict(&no_rows).len(), 0);
    let labels = Dataset::new(x5(), Array1::from(vec![0usize, 1, 0, 1, 0]));
    let classifier = MlpClassifier::params().epochs(5).fit(&labels).unwrap();
    assert_eq!(classifier.predict(&no_rows).len(), 0);
    assert_eq!(classifier.predict_proba(no_rows.view()).unwrap().dim(), (0, 2));
}

// ---------------------------------------------------------------------------
// NaN and infinity
// ---------------------------------------------------------------------------

/// Unpacks `Error::NonFinite`, checking what, where and which value.
#[track_caller]
fn assert_non_finite<T: std::fmt::Debug>(
    result: nnlib::Result<T>,
    what: &str,
    row: usize,
    column: usize,
    bad: f64,
) {
    match result {
        Err(Error::NonFinite { what: w, row: r, column: c, value }) => {
            assert_eq!((w.as_str(), r, c), (what, row, column));
            assert!(value.is_nan() && bad.is_nan() || value == bad, "value {value} vs {bad}");
        }
        other => panic!("expected NonFinite in {what} at ({row}, {column}), got {other:?}"),
    }
}

#[test]
fn nan_and_inf_in_inputs_are_located() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut x = x5();
        x[[3, 2]] = bad;
        let mut net = lecture_net();
        assert_non_finite(net.forward(x.view()), "inputs", 3, 2, bad);
        assert_non_finite(
            net.train(x.view(), y5().view(), Cost::Mse, &TrainConfig::default()),
            "inputs",
            3,
            2,
            bad,
        );
    }
}

#[test]
fn nan_and_inf_in_targets_are_located() {
    for bad in [f64::NAN, f64::INFINITY] {
        let mut y = y5();
        y[[4, 0]] = bad;
        let mut net = lecture_net();
        let before = net.clone();
        assert_non_finite(
            net.train(x5().view(), y.view(), Cost::Mse, &TrainConfig::default()),
            "targets",
            4,
            0,
            bad,
        );
        assert_eq!(net, before);
        // The same through the linfa regressor.
        let data = Dataset::new(x5(), y.column(0).to_owned());
        assert_non_finite(MlpRegressor::params().fit(&data), "targets", 4, 0, bad);
    }
}

#[test]
fn nan_in_the_records_of_a_linfa_dataset_is_located() {
    let mut x = x5();
    x[[0, 1]] = f64::NAN;
    let data = Dataset::new(x, array![0usize, 1, 0, 1, 1]);
    assert_non_finite(MlpClassifier::params().fit(&data), "inputs", 0, 1, f64::NAN);
}

// ---------------------------------------------------------------------------
// Targets outside a cost's domain
// ---------------------------------------------------------------------------

#[track_caller]
fn assert_target_domain<T: std::fmt::Debug>(
    result: nnlib::Result<T>,
    cost: &str,
    row: usize,
    column: usize,
    value: f64,
) {
    match result {
        Err(Error::TargetDomain { cost: c, row: r, column: col, value: v, expected }) => {
            assert_eq!((c, r, col, v), (cost, row, column, value), "({expected})");
        }
        other => panic!("expected TargetDomain for {cost} at ({row}, {column}), got {other:?}"),
    }
}

fn sigmoid_net(outputs: usize, f: Activation) -> Network {
    Network::builder(4).dense(3, Activation::Tanh).dense(outputs, f).build().unwrap()
}

#[test]
fn bce_target_of_1_5_is_outside_the_domain() {
    let y = array![[0.0], [1.0], [1.5], [0.0], [1.0]];
    let mut net = sigmoid_net(1, Activation::Sigmoid);
    let err = net.train(x5().view(), y.view(), Cost::BinaryCrossEntropy, &TrainConfig::default());
    assert_target_domain(err, "binary cross-entropy", 2, 0, 1.5);
    let message = Cost::BinaryCrossEntropy.value(y.view(), y.view()).unwrap_err().to_string();
    assert!(message.contains("1.5") && message.contains("[0, 1]"), "{message}");
}

#[test]
fn hinge_target_of_0_is_outside_the_domain() {
    let y = array![[1.0], [-1.0], [-1.0], [0.0], [1.0]];
    let mut net = lecture_net();
    assert_target_domain(
        net.train(x5().view(), y.view(), Cost::Hinge, &TrainConfig::default()),
        "hinge",
        3,
        0,
        0.0,
    );
}

#[test]
fn cce_row_not_summing_to_one_is_reported_with_its_sum() {
    // Row 1 sums to 0.5 + 0.2 + 0.2 = 0.9.
    let y = array![[1.0, 0.0, 0.0], [0.5, 0.2, 0.2], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5]];
    let mut net = sigmoid_net(3, Activation::Softmax);
    let err = net.train(x5().view(), y.view(), Cost::CategoricalCrossEntropy, &TrainConfig::default());
    match err {
        Err(e @ Error::TargetRowSum { cost, row, sum }) => {
            assert_eq!((cost, row), ("categorical cross-entropy", 1));
            assert!((sum - 0.9).abs() < 1e-12, "the error reports the row's sum, got {sum}");
            assert!(e.to_string().contains("sums to 0.9"), "{e}");
        }
        other => panic!("expected TargetRowSum, got {other:?}"),
    }
}

#[test]
fn negative_poisson_count_is_outside_the_domain() {
    let y = array![[1.0], [0.0], [2.0], [-1.0], [3.0]];
    let mut net = sigmoid_net(1, Activation::Relu);
    assert_target_domain(
        net.train(x5().view(), y.view(), Cost::Poisson, &TrainConfig::default()),
        "Poisson",
        3,
        0,
        -1.0,
    );
}

#[test]
fn one_hot_label_out_of_range_is_reported() {
    match one_hot(&[0, 2, 3, 1], 3) {
        Err(Error::ClassOutOfRange { label, row, n_classes }) => {
            assert_eq!((label, row, n_classes), (3, 2, 3))
        }
        other => panic!("expected ClassOutOfRange, got {other:?}"),
    }
    let message = one_hot(&[5], 2).unwrap_err().to_string();
    assert!(message.contains('5') && message.contains("2 classes"), "{message}");
    // In range it is the identity matrix's rows.
    assert_eq!(one_hot(&[1, 0], 2).unwrap(), array![[0.0, 1.0], [1.0, 0.0]]);
}

// ---------------------------------------------------------------------------
// Divergence
// ---------------------------------------------------------------------------

/// The raw (unscaled) diabetes BMI, around 26, and the progression target.
fn raw_bmi() -> (Array2<f64>, Array2<f64>) {
    let d = nnlib::data::diabetes().unwrap();
    let x = d.records.column(2).to_owned().insert_axis(nnlib::ndarray::Axis(1));
    let y = d.targets.clone().insert_axis(nnlib::ndarray::Axis(1));
    (x, y)
}

#[test]
fn too_large_a_learning_rate_diverges_and_restores_the_weights() {
    // With x ≈ 26 the cost's curvature is about 2·E[x²] ≈ 1400, so any ε above
    // 2/1400 ≈ 0.0014 makes gradient descent blow up; 0.01 does it in a few epochs.
    let (x, y) = raw_bmi();
    let mut net = Network::new(&[1, 1], &[Activation::Identity], 0).unwrap();
    let before = net.clone();
    let err = net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(1000, 0.01)).unwrap_err();
    let message = err.to_string();
    match err {
        Error::Diverged { epoch, loss, initial_loss, learning_rate, .. } => {
            assert!(epoch > 1 && epoch < 1000, "epoch {epoch}");
            assert!(!loss.is_finite() || loss > 1e4 * initial_loss, "loss {loss} from {initial_loss}");
            assert_eq!(learning_rate, 0.01);
        }
        other => panic!("expected Diverged, got {other:?}"),
    }
    assert!(message.contains("lower the learning rate"), "{message}");
    // The learner gets back the network they started with, bit for bit.
    assert_eq!(net, before);
}

#[test]
fn the_linfa_regressor_reports_divergence_too() {
    let (x, y) = raw_bmi();
    let data = Dataset::new(x, y.column(0).to_owned());
    let result = MlpRegressor::params().hidden(&[]).learning_rate(0.01).epochs(1000).fit(&data);
    assert!(matches!(result, Err(Error::Diverged { .. })), "{:?}", result.map(|m| m.history.loss.len()));
}

#[test]
fn divergence_in_the_last_epoch_is_reported() {
    // The same ε = 0.01 for only 2 epochs. Each update multiplies the error
    // along the steep direction by about |1 - 0.01·1435| ≈ 13, the loss by ≈ 180.
    // The loss recorded for an epoch is taken *before* its update, so the
    // history shows [L0, ≈180·L0] while the returned network's cost is ≈ 3e4·L0:
    // far above the DIVERGENCE_FACTOR (1e4) that counts as diverged.
    let (x, y) = raw_bmi();
    let mut net = Network::new(&[1, 1], &[Activation::Identity], 0).unwrap();
    let before = net.clone();
    let start = Cost::Mse.value(net.predict(x.view()).unwrap().view(), y.view()).unwrap();
    let result = net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(2, 0.01));
    let end = Cost::Mse.value(net.predict(x.view()).unwrap().view(), y.view()).unwrap_or(f64::INFINITY);
    // The premise: the cost of what training returns really did blow up.
    if result.is_ok() {
        assert!(end > nnlib::train::DIVERGENCE_FACTOR * start, "premise: cost {start:e} → {end:e}");
    }
    assert!(
        matches!(result, Err(Error::Diverged { .. })),
        "training returned {result:?} although the cost went from {start:e} to {end:e}"
    );
    assert_eq!(net, before);
}

// ---------------------------------------------------------------------------
// Invalid hyper-parameters
// ---------------------------------------------------------------------------

#[test]
fn a_network_without_layers_is_refused() {
    invalid_parameter(Network::builder(3).build(), "layers");
    invalid_parameter(Network::builder(0).dense(1, Activation::Identity).build(), "n_inputs");
    invalid_parameter(Network::new(&[3], &[], 0), "sizes");
}

#[test]
fn a_layer_of_width_zero_is_refused() {
    let reason = invalid_parameter(Network::builder(3).dense(0, Activation::Tanh).build(), "layers");
    assert!(reason.contains("width 0"), "{reason}");
    let reason = invalid_parameter(MlpRegressor::params().hidden(&[4, 0]).check(), "hidden");
    assert!(reason.contains("layer 2"), "{reason}");
    invalid_parameter(MlpClassifier::params().hidden(&[0]).check(), "hidden");
    invalid_parameter(Network::builder(3).maxout(2, 0).build(), "pieces");
}

#[test]
fn bad_learning_rates_are_refused() {
    for eps in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        invalid_parameter(MlpRegressor::params().learning_rate(eps).check(), "learning_rate");
        let mut net = lecture_net();
        invalid_parameter(
            net.train(x5().view(), y5().view(), Cost::Mse, &TrainConfig::new(10, eps)),
            "learning_rate",
        );
    }
}

#[test]
fn zero_batch_size_and_zero_epochs_are_refused() {
    invalid_parameter(MlpRegressor::params().batch_size(0).check(), "batch_size");
    invalid_parameter(MlpRegressor::params().epochs(0).check(), "epochs");
    invalid_parameter(TrainConfig::new(10, 0.1).batch_size(0).check(), "batch_size");
    invalid_parameter(TrainConfig::new(0, 0.1).check(), "epochs");
    invalid_parameter(TrainConfig::new(10, 0.1).tolerance(-1.0).check(), "tolerance");
}

#[test]
fn a_cost_that_cannot_follow_the_output_activation_is_refused() {
    // The regressor's output is the identity: log-based costs need probabilities.
    for cost in [Cost::BinaryCrossEntropy, Cost::CategoricalCrossEntropy, Cost::KlDivergence, Cost::Poisson] {
        let reason = invalid_parameter(MlpRegressor::params().cost(cost).check(), "cost");
        assert!(reason.contains("identity"), "{reason}");
    }
    // CCE on an identity output in Network::train directly.
    let mut net = lecture_net();
    let y = array![[1.0], [1.0], [1.0], [1.0], [1.0]];
    let reason = invalid_parameter(
        net.train(x5().view(), y.view(), Cost::CategoricalCrossEntropy, &TrainConfig::default()),
        "cost",
    );
    assert!(reason.contains("sigmoid or softmax"), "{reason}");
}

#[test]
fn huber_delta_must_be_positive() {
    for delta in [0.0, -1.0, f64::NAN] {
        invalid_parameter(MlpRegressor::params().cost(Cost::Huber { delta }).check(), "delta");
        let mut net = lecture_net();
        invalid_parameter(
            net.train(x5().view(), y5().view(), Cost::Huber { delta }, &TrainConfig::default()),
            "delta",
        );
    }
}

// Cost::value and Cost::gradient promise checked inputs, and Cost::check_output
// already rejects a Huber delta <= 0 or NaN; but value and gradient never call it.

#[test]
fn huber_value_with_a_bad_delta_is_an_error() {
    // With δ = -1 the "linear part" δ|r| - ½δ² is negative: a negative cost.
    let (p, y) = (array![[0.0], [3.0]], array![[1.0], [0.0]]);
    for delta in [-1.0, f64::NAN] {
        let value = Cost::Huber { delta }.value(p.view(), y.view());
        assert!(
            matches!(value, Err(Error::InvalidParameter { name: "delta", .. })),
            "δ = {delta}: {value:?}"
        );
    }
}

#[test]
fn huber_gradient_with_a_bad_delta_is_an_error_not_a_panic() {
    // huber_prime is (ŷ - y).clamp(-δ, δ), and f64::clamp panics when -δ > δ or δ is NaN.
    let (p, y) = (array![[0.0], [3.0]], array![[1.0], [0.0]]);
    for delta in [-1.0, f64::NAN] {
        let gradient = std::panic::catch_unwind(|| Cost::Huber { delta }.gradient(p.view(), y.view()));
        assert!(
            matches!(gradient, Ok(Err(Error::InvalidParameter { name: "delta", .. }))),
            "δ = {delta} (Err(Any) is a panic): {gradient:?}"
        );
    }
}

#[test]
fn bad_optimizer_constants_are_refused() {
    // Bad constants cannot even make an optimizer: adam_with / momentum_with refuse them.
    let adam = Optimizer::adam_with;
    invalid_parameter(adam(1.0, 0.999, 1e-8), "beta1");
    invalid_parameter(adam(-0.1, 0.999, 1e-8), "beta1");
    invalid_parameter(adam(0.9, 1.5, 1e-8), "beta2");
    invalid_parameter(adam(0.9, f64::NAN, 1e-8), "beta2");
    invalid_parameter(adam(0.9, 0.999, 0.0), "epsilon");
    invalid_parameter(Optimizer::momentum_with(1.0), "beta");
}

#[test]
fn other_bad_settings_are_refused() {
    invalid_parameter(MlpClassifier::params().activation(Activation::Softmax).check(), "activation");
    let reason = invalid_parameter(
        Network::builder(2).dense(3, Activation::Softmax).dense(1, Activation::Identity).build(),
        "layers",
    );
    assert!(reason.contains("output layer"), "{reason}");
    invalid_parameter(
        Network::builder(2).dense(1, Activation::LeakyRelu { slope: f64::NAN }).build(),
        "slope",
    );
    invalid_parameter(
        Network::builder(2).dense(1, Activation::Elu { alpha: f64::INFINITY }).build(),
        "alpha",
    );
    let net = lecture_net();
    invalid_parameter(gradient_check(&net, x5().view(), y5().view(), Cost::Mse, 0.0), "h");
}

/// Found by fuzzing: a step of 1e-300 vanished in θ ± h = θ, the difference came out 0
/// and the check reported backprop wrong (relative error 1). The step is to blame.
#[test]
fn a_gradient_check_step_too_small_to_measure_blames_the_step() {
    let net = lecture_net();
    let reason = invalid_parameter(gradient_check(&net, x5().view(), y5().view(), Cost::Mse, 1e-300), "h");
    assert!(reason.contains("θ ± h = θ") && reason.contains("1e-5"), "{reason}");
    // At θ = 0 the step survives in θ but not in C: C(θ + h) = C(θ - h) exactly.
    let zero = Network::zeroed(&[1, 1], &[Activation::Identity]).unwrap();
    let (x, y) = (array![[1.0]], array![[2.0]]);
    let reason = invalid_parameter(gradient_check(&zero, x.view(), y.view(), Cost::Mse, 1e-300), "h");
    assert!(reason.contains("C did not change"), "{reason}");
    // A sensible step still checks out.
    assert!(gradient_check(&net, x5().view(), y5().view(), Cost::Mse, 1e-5).unwrap().max_rel_error() < 1e-6);
}

#[test]
fn fit_checks_the_parameters_first() {
    // linfa's Fit on unchecked parameters runs ParamGuard::check before training.
    let data = Dataset::new(x5(), y5().column(0).to_owned());
    invalid_parameter(MlpRegressor::params().learning_rate(-1.0).fit(&data), "learning_rate");
}

// ---------------------------------------------------------------------------
// Prediction with the wrong width
// ---------------------------------------------------------------------------

/// The message of the panic `f` raises (and fails the test if it does not panic).
fn panic_message<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(f).err().expect("expected a panic");
    payload.downcast_ref::<String>().cloned().unwrap_or_default()
}

#[test]
fn try_predict_with_the_wrong_width_is_a_shape_error_and_predict_panics_naming_both_widths() {
    // linfa's predict has no error channel. It used to return NaN (regressor) or
    // usize::MAX (classifier), which surfaced later as an R² of NaN or an accuracy
    // of 0; now it panics like linfa's own models, naming the widths and try_predict.
    let data = Dataset::new(x5(), y5().column(0).to_owned());
    let regressor = MlpRegressor::params().hidden(&[2]).epochs(5).fit(&data).unwrap();
    let narrow = uniform(3, 2, -1.0, 1.0, 4);
    assert!(matches!(regressor.try_predict(narrow.view()), Err(Error::Shape { .. })));
    let message = panic_message(|| -> Array1<f64> { regressor.predict(&narrow) });
    for part in ["(n, 4)", "(3, 2)", "try_predict"] {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }

    let labels = Dataset::new(x5(), array![0usize, 1, 1, 0, 1]);
    let classifier = MlpClassifier::params().hidden(&[2]).epochs(5).fit(&labels).unwrap();
    assert!(matches!(classifier.try_predict(narrow.view()), Err(Error::Shape { .. })));
    assert!(matches!(classifier.predict_proba(narrow.view()), Err(Error::Shape { .. })));
    let message = panic_message(|| -> Array1<usize> { classifier.predict(&narrow) });
    for part in ["(n, 4)", "(3, 2)", "try_predict"] {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }
}

#[test]
fn predict_with_nan_inputs_gives_nan_not_a_panic() {
    let data = Dataset::new(x5(), y5().column(0).to_owned());
    let regressor = MlpRegressor::params().hidden(&[2]).epochs(5).fit(&data).unwrap();
    let mut x = x5();
    x[[1, 1]] = f64::NAN;
    assert_non_finite(regressor.try_predict(x.view()), "inputs", 1, 1, f64::NAN);
    let y: Array1<f64> = regressor.predict(&x);
    assert!(y.iter().all(|v| v.is_nan()));
}

#[test]
fn backward_with_a_trace_from_another_network_is_a_shape_error() {
    // Same layer count and widths after the input, but 3 inputs instead of 4:
    // backward must refuse the foreign trace rather than panic in a matrix product.
    let net = lecture_net();
    let other =
        Network::new(&[3, 3, 2, 1], &[Activation::Sigmoid, Activation::Sigmoid, Activation::Identity], 2);
    let trace = other.unwrap().forward(uniform(5, 3, -1.0, 1.0, 5).view()).unwrap();
    let result = std::panic::catch_unwind(|| net.backward(&trace, y5().view(), Cost::Mse));
    assert!(matches!(result, Ok(Err(Error::Shape { .. }))), "Err(Any) is a panic: {result:?}");
}

// (An empty `Trace { a: vec![], z: vec![] }` can no longer be built: Trace's
// fields are private, and only `forward` makes one.)
