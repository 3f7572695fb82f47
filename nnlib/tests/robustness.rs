//! One test per case of issue #9 (and nnlib's messages from #15): nothing a
//! learner types panics, aborts the process or quietly returns a wrong number.
//!
//! The huge sizes here are all far above any machine's memory (terabytes and
//! more), so the size guard must refuse them whatever `memory::limit()` is;
//! none of them allocates anything.

use nnlib::data::one_hot;
use nnlib::data::{self, synthetic, Standardizer};
use nnlib::linfa::prelude::*;
use nnlib::linfa::{Dataset, DatasetBase};
use nnlib::ndarray::{array, Array1, Array2};
use nnlib::train::accuracy;
use nnlib::{Activation, Cost, Error, MlpClassifier, MlpRegressor, Network, Optimizer, Stop, TrainConfig};

const TANH: Activation = Activation::Tanh;
const ID: Activation = Activation::Identity;

/// Fails unless `r` is `Error::TooLarge` naming `what`; returns the message.
fn too_large<T: std::fmt::Debug>(r: nnlib::Result<T>, what: &str) -> String {
    match r {
        Err(e @ Error::TooLarge { .. }) => {
            let message = e.to_string();
            assert!(message.contains(what) && message.contains("of memory"), "{message}");
            message
        }
        other => panic!("expected TooLarge naming {what:?}, got {other:?}"),
    }
}

fn line() -> (Array2<f64>, Array2<f64>) {
    (array![[0.0], [0.5], [1.0], [1.5]], array![[1.0], [2.0], [3.0], [4.0]])
}

fn labelled(labels: Vec<usize>) -> DatasetBase<Array2<f64>, Array1<usize>> {
    let x = Array2::from_shape_fn((labels.len(), 2), |(i, j)| (i as f64 * 0.37 + j as f64).sin());
    DatasetBase::new(x, Array1::from(labels))
}

// ---------------------------------------------------------------------------
// Sizes that would not fit: an error naming the layer or argument and the bytes
// ---------------------------------------------------------------------------

#[test]
fn a_layer_of_a_billion_neurons_is_an_error_naming_the_layer_and_the_bytes() {
    let message = too_large(Network::new(&[784, 1_000_000_000, 10], &[TANH, ID], 0), "layer 2");
    assert!(message.contains("(1000000000, 784)") && message.contains("6.28 TB"), "{message}");
}

#[test]
fn sizes_near_usize_max_are_errors_not_panics() {
    for huge in [1 << 40, 1 << 63, usize::MAX] {
        too_large(Network::new(&[1, huge, 1], &[TANH, ID], 0), "layer 2");
        too_large(Network::new(&[huge, 1], &[ID], 0), "layer 2");
        too_large(Network::builder(2).dense(huge, ID).build(), "layer 2");
        too_large(one_hot(&[0, 1], huge), "one_hot");
        too_large(synthetic::two_moons(huge, 0.1, 0), "two_moons");
        too_large(synthetic::noisy_line(huge, 1.0, 0.0, 0.1, 0), "noisy_line");
    }
}

#[test]
fn maxout_pieces_that_would_wrap_around_are_an_error() {
    // 2 · 2^63 wraps to 0 in usize arithmetic; it must not build a 0-unit layer.
    too_large(Network::builder(2).maxout(2, 1 << 63).build(), "layer 2");
    too_large(Network::builder(2).maxout(usize::MAX, 2).build(), "layer 2");
    too_large(Network::builder(2).maxout(1 << 40, 2).build(), "layer 2");
}

#[test]
fn a_regressor_with_a_billion_hidden_neurons_is_refused_before_training() {
    let (x, y) = line();
    let data = Dataset::new(x, y.column(0).to_owned());
    too_large(MlpRegressor::params().hidden(&[1_000_000_000]).fit(&data), "training a network");
    too_large(MlpRegressor::params().hidden(&[usize::MAX]).fit(&data), "training a network");
}

#[test]
fn huge_class_labels_are_an_error_not_a_huge_one_hot() {
    for label in [1_000_000_000, 1 << 40, usize::MAX - 1, usize::MAX] {
        let result = MlpClassifier::params().epochs(2).fit(&labelled(vec![0, 1, label, 1]));
        match result {
            Err(Error::InvalidParameter { name: "targets", reason }) => {
                assert!(reason.contains("2 never occurs"), "{reason}")
            }
            other => panic!("label {label}: {other:?}"),
        }
    }
}

#[test]
fn epochs_of_usize_max_with_a_tolerance_trains_until_converged() {
    let (x, y) = line();
    for epochs in [1 << 40, usize::MAX] {
        let mut net = Network::new(&[1, 1], &[ID], 0).unwrap();
        let history =
            net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(epochs, 0.3).tolerance(1e-3));
        let history = history.unwrap();
        assert!(matches!(history.stop, Stop::Tolerance(e) if e == history.loss.len()), "{:?}", history.stop);
        assert!(history.loss.len() < 10_000);
    }
    let data = Dataset::new(x, y.column(0).to_owned());
    let model =
        MlpRegressor::params().hidden(&[]).epochs(usize::MAX).tolerance(1e-3).learning_rate(0.3).fit(&data);
    assert!(matches!(model.unwrap().history.stop, Stop::Tolerance(_)));
}

// ---------------------------------------------------------------------------
// Former panics
// ---------------------------------------------------------------------------

#[test]
fn huber_with_a_nan_or_negative_delta_gives_nan_from_the_scalar_functions() {
    for delta in [f64::NAN, -1.0, f64::NEG_INFINITY] {
        assert!(Cost::Huber { delta }.loss_prime(1.0, 0.0).is_nan());
        assert!(Cost::Huber { delta }.loss_prime(3.0, 0.0).is_nan());
        assert!(Cost::Huber { delta }.loss(3.0, 0.0).is_nan());
        let checked = Cost::Huber { delta }.value(array![[1.0]].view(), array![[0.0]].view());
        assert!(matches!(checked, Err(Error::InvalidParameter { name: "delta", .. })), "{checked:?}");
    }
}

#[test]
fn accuracy_with_mismatched_shapes_or_no_rows_is_an_error() {
    let bce = Cost::BinaryCrossEntropy;
    // An extra row used to be ignored, a missing one panicked.
    assert!(matches!(
        accuracy(bce, array![[0.9], [0.1], [0.8]].view(), array![[1.0], [0.0]].view()),
        Err(Error::Shape { .. })
    ));
    assert!(matches!(
        accuracy(bce, array![[0.9]].view(), array![[1.0], [0.0]].view()),
        Err(Error::Shape { .. })
    ));
    assert!(matches!(
        accuracy(bce, Array2::zeros((0, 1)).view(), Array2::zeros((0, 1)).view()),
        Err(Error::Empty(_))
    ));
    assert!(matches!(
        accuracy(bce, array![[f64::NAN]].view(), array![[1.0]].view()),
        Err(Error::NonFinite { .. })
    ));
    assert_eq!(accuracy(bce, array![[0.9], [0.2]].view(), array![[1.0], [1.0]].view()).unwrap(), Some(0.5));
    assert_eq!(accuracy(Cost::Mse, array![[0.9]].view(), array![[1.0]].view()).unwrap(), None);
}

#[test]
fn softmax_of_an_infinite_entry_is_its_limit_not_nan() {
    assert_eq!(nnlib::activation::softmax(&[f64::INFINITY, 0.0]), vec![1.0, 0.0]);
    assert_eq!(nnlib::activation::softmax(&[f64::INFINITY, f64::INFINITY]), vec![0.5, 0.5]);
    let a = Activation::Softmax.forward(array![[f64::INFINITY, 0.0, 1.0]].view());
    assert_eq!(a, array![[1.0, 0.0, 0.0]]);
}

// ---------------------------------------------------------------------------
// Ok where an error was due
// ---------------------------------------------------------------------------

#[test]
fn a_classifier_on_one_class_is_an_error() {
    for labels in [vec![1, 1, 1, 1], vec![0, 0, 0]] {
        match MlpClassifier::params().epochs(2).fit(&labelled(labels)) {
            Err(Error::InvalidParameter { name: "targets", reason }) => {
                assert!(reason.contains("at least two classes"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(MlpClassifier::params().fit(&labelled(vec![])), Err(Error::Empty(_))));
}

#[test]
fn labels_with_gaps_are_an_error_that_names_the_missing_label() {
    match MlpClassifier::params().epochs(2).fit(&labelled(vec![5, 7, 5, 7])) {
        Err(Error::InvalidParameter { name: "targets", reason }) => {
            assert!(reason.contains("0 never occurs") && reason.contains("5, 7"), "{reason}");
            assert!(reason.contains("renumber"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(MlpClassifier::params().epochs(2).fit(&labelled(vec![0, 2, 0, 2])).is_err());
    assert!(MlpClassifier::params().epochs(2).fit(&labelled(vec![0, 1, 2, 1])).is_ok());
}

#[test]
fn costs_on_zero_rows_or_columns_are_errors() {
    let none = Array2::<f64>::zeros((0, 1));
    let no_cols = Array2::<f64>::zeros((2, 0));
    for cost in [
        Cost::Mse,
        Cost::Mae,
        Cost::BinaryCrossEntropy,
        Cost::Hinge,
        Cost::Huber { delta: 1.0 },
        Cost::Poisson,
    ] {
        assert!(matches!(cost.value(none.view(), none.view()), Err(Error::Empty(_))), "{cost:?}");
        assert!(matches!(cost.gradient(none.view(), none.view()), Err(Error::Empty(_))), "{cost:?}");
        assert!(matches!(cost.value(no_cols.view(), no_cols.view()), Err(Error::Empty(_))), "{cost:?}");
    }
}

#[test]
fn nan_and_infinite_targets_are_refused_for_every_cost() {
    let net = Network::new(&[1, 1], &[ID], 0).unwrap();
    for cost in [Cost::Mse, Cost::Mae, Cost::Huber { delta: 1.0 }] {
        for bad in [f64::NAN, f64::INFINITY] {
            let y = array![[bad]];
            let checked = cost.value(array![[0.5]].view(), y.view());
            assert!(matches!(checked, Err(Error::NonFinite { .. })), "{cost:?} {bad}");
            let checked = net.cost_and_gradients(array![[1.0]].view(), y.view(), cost);
            assert!(matches!(checked, Err(Error::NonFinite { .. })), "{cost:?} {bad}");
        }
    }
}

#[test]
fn bce_on_a_prediction_outside_0_1_is_an_error_not_a_clamp() {
    for p in [1.5, -0.2, 2.0] {
        let value = Cost::BinaryCrossEntropy.value(array![[p]].view(), array![[1.0]].view());
        match value {
            Err(e @ Error::PredictionDomain { .. }) => assert!(e.to_string().contains("[0, 1]"), "{e}"),
            other => panic!("{p}: {other:?}"),
        }
        assert!(Cost::BinaryCrossEntropy.gradient(array![[p]].view(), array![[1.0]].view()).is_err());
        assert!(Cost::CategoricalCrossEntropy
            .value(array![[p, 0.5]].view(), array![[1.0, 0.0]].view())
            .is_err());
    }
    assert!(Cost::Poisson.value(array![[-1.0]].view(), array![[1.0]].view()).is_err());
    // Exactly 0 and 1 are valid probabilities (a saturated sigmoid gives them).
    assert_eq!(Cost::BinaryCrossEntropy.value(array![[1.0]].view(), array![[1.0]].view()).unwrap(), 0.0);
}

#[test]
fn standardizer_transform_refuses_nan_and_inf_and_overflow() {
    let s = Standardizer::fit(array![[1.0, 10.0], [3.0, 30.0]].view()).unwrap();
    assert!(matches!(s.transform(array![[f64::NAN, 1.0]].view()), Err(Error::NonFinite { .. })));
    assert!(matches!(s.transform(array![[f64::INFINITY, 1.0]].view()), Err(Error::NonFinite { .. })));
    assert!(matches!(s.inverse_transform(array![[f64::NAN, 1.0]].view()), Err(Error::NonFinite { .. })));
    let t = Standardizer::fit_targets(array![1.0, 2.0].view()).unwrap();
    assert!(t.transform_targets(array![f64::NAN].view()).is_err());
    let tiny = Standardizer::fit(array![[0.0], [1e-300]].view()).unwrap();
    assert!(matches!(tiny.transform(array![[1e308]].view()), Err(Error::Overflow { .. })));
    assert_eq!(s.transform(array![[3.0, 10.0]].view()).unwrap(), array![[1.0, -1.0]]);
}

#[test]
fn standardizer_of_values_near_f64_max_is_exact_not_zero() {
    let s = Standardizer::fit(array![[1e308], [-1e308]].view()).unwrap();
    assert_eq!(s.mean()[0], 0.0);
    assert!((s.std()[0] - 1e308).abs() < 1e294, "{}", s.std()[0]);
    assert!((s.transform(array![[1e308]].view()).unwrap()[[0, 0]] - 1.0).abs() < 1e-12);
}

#[test]
fn predictions_that_overflow_are_errors_not_infinities() {
    let mut net = Network::new(&[2, 1], &[ID], 0).unwrap();
    net.set_w(1, array![[1.0, 1.0]]).unwrap();
    assert!(matches!(net.predict(array![[1e308, 1e308]].view()), Err(Error::NonFinite { .. })));
    assert!(matches!(
        Cost::Mse.value(array![[1e200]].view(), array![[0.0]].view()),
        Err(Error::Overflow { .. })
    ));
}

#[test]
fn a_gradient_check_with_a_huge_step_is_an_error_not_nan() {
    let net = Network::new(&[2, 2, 1], &[TANH, ID], 0).unwrap();
    let r = nnlib::gradient_check(&net, array![[0.1, 0.2]].view(), array![[1.0]].view(), Cost::Mse, 1e300);
    assert!(r.is_err(), "{r:?}");
}

// ---------------------------------------------------------------------------
// Messages that point at the real cause, numbers printed short
// ---------------------------------------------------------------------------

#[test]
fn inputs_of_1e200_say_the_data_scale_is_the_cause() {
    let (x, y) = (array![[1e200], [2e200], [3e200]], array![[1.0], [2.0], [3.0]]);
    let mut net = Network::new(&[1, 1], &[ID], 0).unwrap();
    let message =
        net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(50, 0.1)).unwrap_err().to_string();
    assert!(message.contains("standardise") && message.contains("3e200"), "{message}");
    // Moderately large data: the learning rate is named, and standardising too.
    let (x, y) = (array![[1e5], [2e5], [3e5]], array![[1.0], [2.0], [3.0]]);
    let message =
        net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(50, 0.1)).unwrap_err().to_string();
    assert!(message.contains("lower the learning rate") && message.contains("standardise"), "{message}");
    assert!(message.contains("3e5"), "{message}");
}

/// Found by fuzzing: data of size 2 and W(1) of 1e200 said "the data's values (up to 2
/// in size) overflow", blaming the data for the weights.
#[test]
fn weights_of_1e200_say_the_weights_are_the_cause() {
    let x = array![[-2.0, 1.0], [0.5, 2.0], [1.0, -1.0]];
    let y = array![[1.0], [0.0], [1.0]];
    let mut net = Network::new(&[2, 3, 1], &[Activation::Relu, ID], 0).unwrap();
    net.set_w(1, Array2::from_elem((3, 2), 1e200)).unwrap();
    net.set_w(2, Array2::from_elem((1, 3), 1e200)).unwrap();
    let message =
        net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(5, 0.1)).unwrap_err().to_string();
    assert!(message.contains("weights or biases") && !message.contains("standardise"), "{message}");
}

#[test]
fn a_learning_rate_of_1e308_prints_short() {
    let (x, y) = line();
    let mut net = Network::new(&[1, 1], &[ID], 0).unwrap();
    let message =
        net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(5, 1e308)).unwrap_err().to_string();
    assert!(message.contains("1e308") && message.len() < 300, "{message}");
    let message = TrainConfig::new(5, -1e-300).check().unwrap_err().to_string();
    assert!(message.contains("-1e-300"), "{message}");
}

#[test]
fn a_csv_with_old_mac_line_endings_loads() {
    let path = std::env::temp_dir().join(format!("nnlib_cr_{}.csv", std::process::id()));
    std::fs::write(&path, "a,b\r1,2\r3,4\r").unwrap();
    let table = data::read_csv(&path);
    std::fs::remove_file(&path).unwrap();
    let table = table.unwrap();
    assert_eq!(table.header, vec!["a", "b"]);
    assert_eq!(table.values, array![[1.0, 2.0], [3.0, 4.0]]);
}

#[test]
fn a_missing_csv_names_the_absolute_path_and_the_data_folder() {
    let message = data::read_csv("no_such_file.csv").unwrap_err().to_string();
    let absolute = std::env::current_dir().unwrap().join("no_such_file.csv");
    assert!(message.contains(&absolute.display().to_string()), "{message}");
    assert!(message.contains(&data::data_dir().display().to_string()), "{message}");
}

#[test]
fn set_w_and_set_b_name_the_layer_and_the_rule() {
    let mut net = Network::new(&[4, 3, 1], &[TANH, ID], 0).unwrap();
    let message = net.set_w(1, Array2::zeros((4, 3))).unwrap_err().to_string();
    for part in ["W(1)", "(n_out, n_in) = (3, 4)", "(4, 3)", "transposed?"] {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }
    let message = net.set_b(1, Array1::zeros(4)).unwrap_err().to_string();
    assert!(message.contains("b(1)") && message.contains("(3)") && message.contains("(4)"), "{message}");
}

#[test]
fn messages_say_an_identity() {
    let (x, y) = (array![[0.0]], array![[1.0]]);
    for (f, words) in [(ID, "an identity output layer"), (Activation::Tanh, "a tanh output layer")] {
        let net = Network::new(&[1, 1], &[f], 0).unwrap();
        let message =
            net.cost_and_gradients(x.view(), y.view(), Cost::BinaryCrossEntropy).unwrap_err().to_string();
        assert!(message.contains(words), "{message}");
    }
}

#[test]
fn adam_has_one_obvious_way() {
    let adam = Optimizer::adam();
    match adam {
        Optimizer::Adam(a) => assert_eq!((a.beta1(), a.beta2(), a.epsilon()), (0.9, 0.999, 1e-8)),
        other => panic!("{other:?}"),
    }
    assert_eq!(Optimizer::adam_with(0.9, 0.999, 1e-8).unwrap(), adam);
    assert!(Optimizer::adam_with(0.9, 0.999, f64::INFINITY).is_err());
    assert_eq!(Optimizer::momentum_with(0.9).unwrap(), Optimizer::momentum());
}

// ---------------------------------------------------------------------------
// linfa's predict: a panic that names both widths and try_predict
// ---------------------------------------------------------------------------

fn panic_message<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(f).err().expect("expected a panic");
    payload.downcast_ref::<String>().cloned().unwrap_or_default()
}

#[test]
fn linfa_predict_with_nan_inputs_panics_for_the_classifier() {
    let model = MlpClassifier::params().epochs(2).fit(&labelled(vec![0, 1, 0, 1])).unwrap();
    let x = array![[f64::NAN, 0.0]];
    assert!(model.try_predict(x.view()).is_err());
    let message = panic_message(|| -> Array1<usize> { model.predict(&x) });
    assert!(message.contains("try_predict") && message.contains("NaN"), "{message}");
}

#[test]
fn one_hot_of_no_labels_and_huge_class_count_is_an_error_not_a_panic() {
    // ndarray refuses the shape (0, 2^63) itself; the size guard must catch it first.
    assert!(nnlib::data::one_hot(&[], 1 << 63).is_err());
    assert_eq!(nnlib::data::one_hot(&[], 3).unwrap().dim(), (0, 3));
}
