//! Training: gradient descent reaches the least-squares line, learns XOR and
//! the breast-cancer data; the optimizers, mini-batches (with a short last
//! batch), early stopping, validation history and seeding all behave.

mod common;

use common::{assert_close, breast_cancer, fraction_equal, labels_to_column, uniform};
use nnlib::data::{self, synthetic, Standardizer};
use nnlib::data::{column, one_hot};
use nnlib::linfa::prelude::*;
use nnlib::linfa::Dataset;
use nnlib::linfa_linear::LinearRegression;
use nnlib::ndarray::{array, Array1, Array2, Axis};
use nnlib::{Activation, Cost, MlpClassifier, Network, Optimizer, Stop, TrainConfig};

// ---------------------------------------------------------------------------
// One linear neuron = ordinary least squares
// ---------------------------------------------------------------------------

#[test]
fn one_linear_neuron_reaches_the_ols_line_on_diabetes_bmi() {
    let diabetes = data::diabetes().unwrap();
    assert_eq!(diabetes.feature_names()[2], "bmi", "column 2 should be the body-mass index");
    let bmi = diabetes.records.slice(nnlib::ndarray::s![.., 2..3]).to_owned(); // n × 1
    let y = diabetes.targets.clone();

    // The baseline: linfa-linear's closed-form least squares on the raw BMI.
    let ols = LinearRegression::new().fit(&Dataset::new(bmi.clone(), y.clone())).unwrap();
    let (ols_slope, ols_intercept) = (ols.params()[0], ols.intercept());

    // The network sees the standardised x' = (x - m)/s, for which the cost's
    // curvature is the same in w and b, so plain gradient descent converges fast:
    // each epoch at ε = 0.1 shrinks the error by a factor 1 - 2ε = 0.8.
    let scaler = Standardizer::fit(bmi.view()).unwrap();
    let x = scaler.transform(bmi.view()).unwrap();
    let mut net = Network::new(&[1, 1], &[Activation::Identity], 0).unwrap();
    let history =
        net.train(x.view(), column(y.view()).view(), Cost::Mse, &TrainConfig::new(400, 0.1)).unwrap();
    // On this convex problem the full-batch loss never goes up (beyond rounding).
    assert!(history.loss.windows(2).all(|w| w[1] <= w[0] * (1.0 + 1e-12)), "full-batch loss went up");

    // Map back: y = w (x - m)/s + b  →  slope w/s, intercept b - w m / s.
    let (w, b) = (net.w(1).unwrap()[[0, 0]], net.b(1).unwrap()[0]);
    let (m, s) = (scaler.mean()[0], scaler.std()[0]);
    let slope = w / s;
    let intercept = b - w * m / s;
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
    assert!(rel(slope, ols_slope) < 1e-6, "slope {slope} vs OLS {ols_slope}");
    assert!(rel(intercept, ols_intercept) < 1e-6, "intercept {intercept} vs OLS {ols_intercept}");
}

// ---------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------

#[test]
fn small_network_learns_xor() {
    let x = array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    let y = array![[0.0], [1.0], [1.0], [0.0]];
    let mut net =
        Network::builder(2).dense(4, Activation::Tanh).dense(1, Activation::Sigmoid).seed(1).build().unwrap();
    let config = TrainConfig::new(1000, 0.05).optimizer(Optimizer::adam());
    net.train(x.view(), y.view(), Cost::BinaryCrossEntropy, &config).unwrap();
    let p = net.predict(x.view()).unwrap();
    // Each prediction on the right side of ½.
    for i in 0..4 {
        assert_eq!(p[[i, 0]] > 0.5, y[[i, 0]] == 1.0, "XOR{:?} → {}", x.row(i).to_vec(), p[[i, 0]]);
    }
}

#[test]
fn network_train_classifies_breast_cancer_above_95_percent() {
    let d = breast_cancer();
    let mut net = Network::builder(30)
        .dense(16, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(2)
        .build()
        .unwrap();
    let y = labels_to_column(&d.y_train);
    // A short run of Adam: on this split, longer training starts to overfit.
    let config = TrainConfig::new(50, 0.01).optimizer(Optimizer::adam());
    net.train(d.x_train.view(), y.view(), Cost::BinaryCrossEntropy, &config).unwrap();
    let p = net.predict(d.x_test.view()).unwrap();
    let predicted: Array1<usize> = p.column(0).mapv(|v| usize::from(v >= 0.5));
    let acc = fraction_equal(&predicted, &d.y_test);
    assert!(acc >= 0.95, "test accuracy {acc}");
}

#[test]
fn mlp_classifier_classifies_breast_cancer_above_95_percent() {
    let d = breast_cancer();
    let train = Dataset::new(d.x_train.clone(), d.y_train.clone());
    let model = MlpClassifier::params()
        .hidden(&[16])
        .epochs(50)
        .learning_rate(0.01)
        .optimizer(Optimizer::adam())
        .seed(3)
        .fit(&train)
        .unwrap();
    assert_eq!(model.n_classes, 2);
    let predicted = model.predict(&d.x_test);
    let acc = fraction_equal(&predicted, &d.y_test);
    assert!(acc >= 0.95, "test accuracy {acc}");
}

// ---------------------------------------------------------------------------
// Optimizers and mini-batches
// ---------------------------------------------------------------------------

/// Two moons (not linearly separable) and a fresh small network for them.
fn moons() -> (Array2<f64>, Array2<f64>, Network) {
    let d = synthetic::two_moons(100, 0.1, 4).unwrap();
    let net =
        Network::builder(2).dense(8, Activation::Tanh).dense(1, Activation::Sigmoid).seed(5).build().unwrap();
    (d.records.clone(), labels_to_column(&d.targets), net)
}

#[test]
fn sgd_momentum_and_adam_each_reduce_the_loss() {
    let (x, y, start) = moons();
    let before = Cost::BinaryCrossEntropy.value(start.predict(x.view()).unwrap().view(), y.view()).unwrap();
    for (optimizer, eps) in [(Optimizer::Sgd, 0.5), (Optimizer::momentum(), 0.05), (Optimizer::adam(), 0.01)]
    {
        let mut net = start.clone();
        let history = net.train(
            x.view(),
            y.view(),
            Cost::BinaryCrossEntropy,
            &TrainConfig::new(100, eps).optimizer(optimizer),
        );
        let history = history.unwrap();
        let after = Cost::BinaryCrossEntropy.value(net.predict(x.view()).unwrap().view(), y.view()).unwrap();
        // The first recorded loss is the cost before any update.
        assert_close(history.loss[0], before, 1e-12, 0.0, "loss[0]");
        assert!(after < 0.7 * before, "{optimizer:?}: loss {before} → {after}");
        assert!(history.loss.last().unwrap() < &history.loss[0], "{optimizer:?}");
    }
}

/// Every weight and bias of a network, layer by layer, W before b.
fn params(net: &Network) -> Vec<f64> {
    net.layers().iter().flat_map(|l| l.w().iter().chain(l.b()).copied().collect::<Vec<_>>()).collect()
}

/// dC/dθ for every parameter, in the same order as [`params`].
fn gradient(net: &Network, x: &Array2<f64>, y: &Array2<f64>) -> Vec<f64> {
    let (_, g) = net.cost_and_gradients(x.view(), y.view(), Cost::BinaryCrossEntropy).unwrap();
    (1..g.n_layers())
        .flat_map(|l| g.dc_dw(l).unwrap().iter().chain(g.dc_db(l).unwrap()).copied().collect::<Vec<_>>())
        .collect()
}

#[test]
fn one_update_follows_each_optimizers_formula() {
    let (x, y, start) = moons();
    let (w0, g0) = (params(&start), gradient(&start, &x, &y));
    let eps = 0.1;
    let after = |optimizer: Optimizer, epochs: usize| {
        let mut net = start.clone();
        let config = TrainConfig::new(epochs, eps).optimizer(optimizer);
        net.train(x.view(), y.view(), Cost::BinaryCrossEntropy, &config).unwrap();
        net
    };
    // SGD, the lecture's update: w := w - ε dC/dw.
    let sgd = params(&after(Optimizer::Sgd, 1));
    // Momentum starts from v = 0, so its first step is v = -ε g: the same as SGD.
    let momentum = params(&after(Optimizer::momentum(), 1));
    // Adam's bias-corrected first step: m̂ = g, v̂ = g², so w := w - ε g / (|g| + 1e-8).
    let adam = params(&after(Optimizer::adam(), 1));
    for i in 0..w0.len() {
        assert_close(sgd[i], w0[i] - eps * g0[i], 1e-12, 1e-15, &format!("SGD θ{i}"));
        assert_close(momentum[i], w0[i] - eps * g0[i], 1e-12, 1e-15, &format!("momentum θ{i}"));
        assert_close(
            adam[i],
            w0[i] - eps * g0[i] / (g0[i].abs() + 1e-8),
            1e-12,
            1e-15,
            &format!("Adam θ{i}"),
        );
    }
    // Momentum's second step keeps β = 0.9 of the first: w2 = w1 + 0.9 v1 - ε g(w1), v1 = -ε g0.
    let net1 = after(Optimizer::momentum(), 1);
    let g1 = gradient(&net1, &x, &y);
    let momentum2 = params(&after(Optimizer::momentum(), 2));
    for i in 0..w0.len() {
        let expected = momentum[i] + 0.9 * (-eps * g0[i]) - eps * g1[i];
        assert_close(momentum2[i], expected, 1e-12, 1e-15, &format!("momentum step 2, θ{i}"));
    }
}

#[test]
fn mini_batches_with_a_short_last_batch_train() {
    // 100 samples in batches of 32: 32 + 32 + 32 + 4.
    let (x, y, mut net) = moons();
    let config = TrainConfig::new(40, 0.2).batch_size(32).seed(6);
    let history = net.train(x.view(), y.view(), Cost::BinaryCrossEntropy, &config).unwrap();
    assert_eq!(history.loss.len(), 40);
    assert_eq!(history.stop, Stop::MaxEpochs);
    assert!(history.loss.iter().all(|l| l.is_finite()));
    assert!(history.loss[39] < 0.8 * history.loss[0], "{:?}", history.loss);
    assert!(net.layers().iter().all(|l| l.w().iter().chain(l.b()).all(|v| v.is_finite())));
}

#[test]
fn mini_batch_epoch_loss_weights_every_sample_equally() {
    // With a negligible step the weights do not move, so the epoch's loss (the
    // batch costs weighted by batch size: (32 c1 + 32 c2 + 32 c3 + 4 c4) / 100)
    // must equal the cost of the whole data set at the starting weights.
    let (x, y, start) = moons();
    let full = Cost::BinaryCrossEntropy.value(start.predict(x.view()).unwrap().view(), y.view()).unwrap();
    for batch in [32, 7, 1, 99] {
        let mut net = start.clone();
        let config = TrainConfig::new(1, 1e-12).batch_size(batch);
        let history = net.train(x.view(), y.view(), Cost::BinaryCrossEntropy, &config).unwrap();
        assert_close(history.loss[0], full, 1e-9, 0.0, &format!("batch size {batch}"));
    }
}

#[test]
fn batch_size_of_at_least_n_is_the_full_batch() {
    let (x, y, start) = moons();
    let train = |config: TrainConfig| {
        let mut net = start.clone();
        let h = net.train(x.view(), y.view(), Cost::BinaryCrossEntropy, &config).unwrap();
        (net, h)
    };
    let full = train(TrainConfig::new(20, 0.3));
    assert_eq!(train(TrainConfig::new(20, 0.3).batch_size(100)), full);
    assert_eq!(train(TrainConfig::new(20, 0.3).batch_size(1000)), full);
}

// ---------------------------------------------------------------------------
// Termination and history
// ---------------------------------------------------------------------------

/// Noise-free points on y = 2x + 1 and one linear neuron.
fn line() -> (Array2<f64>, Array2<f64>, Network) {
    let x = Array2::from_shape_fn((21, 1), |(i, _)| -1.0 + 0.1 * i as f64);
    let y = x.mapv(|v| 2.0 * v + 1.0);
    (x, y, Network::new(&[1, 1], &[Activation::Identity], 7).unwrap())
}

#[test]
fn tolerance_stops_early_and_records_why() {
    let (x, y, mut net) = line();
    let config = TrainConfig::new(10_000, 0.1).tolerance(1e-6);
    let history = net.train(x.view(), y.view(), Cost::Mse, &config).unwrap();
    let epochs = history.loss.len();
    assert!(epochs < 10_000, "never stopped early");
    assert_eq!(history.stop, Stop::Tolerance(epochs));
    // The last epoch is the first whose loss fell below the tolerance.
    assert!(history.loss[epochs - 1] < 1e-6);
    assert!(history.loss[..epochs - 1].iter().all(|&l| l >= 1e-6));
}

#[test]
fn without_reaching_the_tolerance_all_epochs_run() {
    let (x, y, mut net) = line();
    let config = TrainConfig::new(5, 0.1).tolerance(1e-6);
    let history = net.train(x.view(), y.view(), Cost::Mse, &config).unwrap();
    assert_eq!(history.loss.len(), 5);
    assert_eq!(history.stop, Stop::MaxEpochs);
}

#[test]
fn validation_history_has_one_entry_per_epoch() {
    let (x, y, mut net) = moons();
    let (x_val, y_val) =
        (x.slice_axis(Axis(0), (0..30).into()).to_owned(), y.slice_axis(Axis(0), (0..30).into()).to_owned());
    let config = TrainConfig::new(25, 0.3);
    let h = net.train_with_validation(
        x.view(),
        y.view(),
        Cost::BinaryCrossEntropy,
        &config,
        x_val.view(),
        y_val.view(),
    );
    let h = h.unwrap();
    assert_eq!(h.loss.len(), 25);
    assert_eq!(h.val_loss.len(), 25);
    assert_eq!(h.val_accuracy.len(), 25);
    assert!(h.val_accuracy.iter().all(|a| (0.0..=1.0).contains(a)), "{:?}", h.val_accuracy);
    // The last entries describe the trained network.
    let p = net.predict(x_val.view()).unwrap();
    let val_loss = Cost::BinaryCrossEntropy.value(p.view(), y_val.view()).unwrap();
    assert_close(*h.val_loss.last().unwrap(), val_loss, 1e-12, 0.0, "last val_loss");
    let correct = p.iter().zip(&y_val).filter(|(p, t)| (**p >= 0.5) == (**t == 1.0)).count();
    assert_close(*h.val_accuracy.last().unwrap(), correct as f64 / 30.0, 1e-15, 0.0, "last val_accuracy");
}

#[test]
fn validation_accuracy_is_not_recorded_for_regression() {
    let (x, y, mut net) = line();
    let h = net.train_with_validation(
        x.view(),
        y.view(),
        Cost::Mse,
        &TrainConfig::new(3, 0.1),
        x.view(),
        y.view(),
    );
    let h = h.unwrap();
    assert_eq!(h.val_loss.len(), 3);
    assert!(h.val_accuracy.is_empty());
}

#[test]
fn softmax_network_trains_on_one_hot_targets() {
    let (x, labels) = common::blobs(&[[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]], 20, 0.4, 8);
    let y = one_hot(labels.as_slice().unwrap(), 3).unwrap();
    let mut net =
        Network::builder(2).dense(6, Activation::Tanh).dense(3, Activation::Softmax).seed(9).build().unwrap();
    let h =
        net.train(x.view(), y.view(), Cost::CategoricalCrossEntropy, &TrainConfig::new(200, 0.5)).unwrap();
    assert!(h.loss.last().unwrap() < &(0.2 * h.loss[0]), "{} → {}", h.loss[0], h.loss.last().unwrap());
}

// ---------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------

fn seeded_run(net_seed: u64, train_seed: u64, batch: Option<usize>) -> (Network, nnlib::History) {
    let x = uniform(50, 3, -1.0, 1.0, 10);
    let y = uniform(50, 2, -1.0, 1.0, 11);
    let mut net = Network::builder(3)
        .dense(5, Activation::Tanh)
        .dense(2, Activation::Identity)
        .seed(net_seed)
        .build()
        .unwrap();
    let mut config = TrainConfig::new(30, 0.05).optimizer(Optimizer::momentum()).seed(train_seed);
    config.batch_size = batch;
    let h = net.train(x.view(), y.view(), Cost::Mse, &config).unwrap();
    (net, h)
}

#[test]
fn same_seed_gives_bit_identical_weights_and_history() {
    for batch in [None, Some(8)] {
        let (net1, h1) = seeded_run(1, 2, batch);
        let (net2, h2) = seeded_run(1, 2, batch);
        // Exact comparison on purpose: not approximately, bit for bit.
        for (l1, l2) in net1.layers().iter().zip(net2.layers()) {
            assert!(l1.w().iter().zip(l2.w()).all(|(a, b)| a.to_bits() == b.to_bits()), "batch {batch:?}");
            assert!(l1.b().iter().zip(l2.b()).all(|(a, b)| a.to_bits() == b.to_bits()), "batch {batch:?}");
        }
        assert!(net1 == net2);
        assert!(h1 == h2, "batch {batch:?}");
    }
}

#[test]
fn same_seed_gives_identical_initial_weights() {
    let build =
        |seed| Network::builder(4).dense(3, Activation::Sigmoid).maxout(2, 3).seed(seed).build().unwrap();
    assert!(build(42) == build(42));
    assert!(build(42) != build(43));
}

#[test]
fn different_seeds_give_different_weights() {
    // A different initialisation seed.
    assert!(seeded_run(1, 2, None).0 != seeded_run(3, 2, None).0);
    // The same initialisation but a different shuffle of the mini-batches.
    assert!(seeded_run(1, 2, Some(8)).0 != seeded_run(1, 4, Some(8)).0);
    // The full batch is never shuffled, so its training seed changes nothing.
    assert!(seeded_run(1, 2, None) == seeded_run(1, 4, None));
}

// ---------------------------------------------------------------------------
// Live progress
// ---------------------------------------------------------------------------

/// Printing progress lines only prints: the same seed gives the same weights
/// and history with and without it. (The lines' text is tested through
/// `nnlib::train::progress_line`; a test cannot capture its own `println!`.)
#[test]
fn progress_lines_do_not_change_training() {
    let x = Array2::from_shape_fn((20, 2), |(i, j)| ((i * 3 + j) as f64 * 0.37).sin());
    let y = Array2::from_shape_fn((20, 1), |(i, _)| (i % 2) as f64);
    let build = || {
        Network::builder(2).dense(4, Activation::Tanh).dense(1, Activation::Sigmoid).seed(5).build().unwrap()
    };
    let config = TrainConfig::new(30, 0.5).batch_size(8).seed(5);
    let (mut quiet, mut chatty) = (build(), build());
    let cost = Cost::BinaryCrossEntropy;
    let h_quiet = quiet.train_with_validation(x.view(), y.view(), cost, &config, x.view(), y.view()).unwrap();
    let loud = config.clone().progress(7);
    let h_chatty = chatty.train_with_validation(x.view(), y.view(), cost, &loud, x.view(), y.view()).unwrap();
    assert_eq!(quiet, chatty);
    assert_eq!(h_quiet, h_chatty);
    let zero = config.progress(0);
    match build().train(x.view(), y.view(), cost, &zero) {
        Err(nnlib::Error::InvalidParameter { name, reason }) => {
            assert_eq!(name, "progress");
            assert!(reason.contains("every 1 or more epochs"), "{reason}");
        }
        other => panic!("progress(0) should be an InvalidParameter error, got {other:?}"),
    }
}
