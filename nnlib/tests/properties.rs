//! Property tests: random shapes and values, including NaN, ±∞, ±0 and huge
//! numbers, through every public entry point. Each call must return `Ok` or a
//! typed error and never panic (proptest fails a case that panics); an `Ok`
//! number must be finite where the inputs were. Case counts are modest so the
//! suite stays fast on 2 cores.

use nnlib::data::one_hot;
use nnlib::data::{self, synthetic, Standardizer};
use nnlib::exercise;
use nnlib::linfa::prelude::*;
use nnlib::linfa::{Dataset, DatasetBase};
use nnlib::ndarray::{Array1, Array2};
use nnlib::train::accuracy;
use nnlib::{gradient_check, Activation, Cost, MlpClassifier, MlpRegressor, Network, Optimizer, TrainConfig};
use proptest::prelude::*;

/// Edge values first, then ordinary ones.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -3.0..3.0f64,
        1 => prop::sample::select(vec![
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 1.0, -1.0, 0.5,
            1e200, -1e200, 1e308, -1e308, 5e-324, f64::MAX, f64::MIN,
        ]),
        1 => any::<f64>(),
    ]
}

/// Mostly finite values (so that some calls get past the input checks).
fn mostly_finite() -> impl Strategy<Value = f64> {
    prop_oneof![8 => -3.0..3.0f64, 1 => value()]
}

fn matrix(
    rows: impl Strategy<Value = usize>,
    cols: impl Strategy<Value = usize>,
) -> impl Strategy<Value = Array2<f64>> {
    (rows, cols).prop_flat_map(|(r, c)| {
        prop::collection::vec(mostly_finite(), r * c)
            .prop_map(move |v| Array2::from_shape_vec((r, c), v).expect("r * c values"))
    })
}

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Identity),
        Just(Activation::Sigmoid),
        Just(Activation::Tanh),
        Just(Activation::Relu),
        value().prop_map(|slope| Activation::LeakyRelu { slope }),
        value().prop_map(|alpha| Activation::Elu { alpha }),
        Just(Activation::Softmax),
        Just(Activation::Exp),
    ]
}

fn cost() -> impl Strategy<Value = Cost> {
    prop_oneof![
        4 => Just(Cost::Mse),
        2 => Just(Cost::Mae),
        1 => Just(Cost::BinaryCrossEntropy),
        1 => Just(Cost::CategoricalCrossEntropy),
        1 => Just(Cost::Hinge),
        2 => prop_oneof![3 => 0.1..3.0f64, 1 => value()].prop_map(|delta| Cost::Huber { delta }),
        1 => Just(Cost::KlDivergence),
        1 => Just(Cost::Poisson),
    ]
}

/// Sizes from 1 to 4, now and then 0 or a huge one.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        12 => 1..5usize,
        1 => Just(0usize),
        1 => prop::sample::select(vec![1 << 40, 1 << 63, usize::MAX]),
    ]
}

/// `x`'s values (repeated) in the shape `(rows, cols)`, so that most cases get
/// past the shape checks and into the arithmetic.
fn reshape(x: &Array2<f64>, rows: usize, cols: usize) -> Array2<f64> {
    let values: Vec<f64> = x.iter().copied().chain([0.5]).collect();
    Array2::from_shape_fn((rows, cols), |(i, j)| values[(i * cols + j) % values.len()])
}

/// A learning rate: mostly a usable one, sometimes any value.
fn learning_rate() -> impl Strategy<Value = f64> {
    prop_oneof![4 => 1e-3..1.0f64, 1 => value()]
}

/// A network of small random sizes, or the error that refused it.
fn network() -> impl Strategy<Value = nnlib::Result<Network>> {
    (size(), prop::collection::vec((size(), activation(), 0..3usize), 1..4), any::<u64>()).prop_map(
        |(n_in, layers, seed)| {
            let mut b = Network::builder(n_in).seed(seed);
            for (n, f, pieces) in layers {
                b = if pieces == 0 { b.dense(n, f) } else { b.maxout(n, pieces) };
            }
            b.build()
        },
    )
}

fn assert_finite(a: &Array2<f64>, what: &str) {
    assert!(a.iter().all(|v| v.is_finite()), "{what} is not finite: {a}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn forward_and_backward_return_ok_or_an_error(net in network(), x in matrix(0..4usize, 0..5usize),
                                                   y in matrix(0..4usize, 0..4usize), cost in cost()) {
        let Ok(net) = net else { return Ok(()) };
        let _ = net.forward(x.view()); // any width
        let x = reshape(&x, x.nrows(), net.n_inputs());
        let y = reshape(&y, x.nrows(), net.n_outputs());
        if let Ok(trace) = net.forward(x.view()) {
            assert_eq!(trace.output().dim(), (x.nrows(), net.n_outputs()));
            assert_finite(trace.output(), "a forward pass of finite inputs");
            if let Ok(g) = net.backward(&trace, y.view(), cost) {
                for l in 1..g.n_layers() {
                    assert_finite(g.dc_dw(l).unwrap(), "dC/dW");
                }
            }
        }
        let _ = net.predict(x.view());
        let _ = net.cost_and_gradients(x.view(), y.view(), cost);
        let _ = gradient_check(&net, x.view(), y.view(), cost, 1e-5);
        // The regularised check, through masks of any rate and row count (wrong ones are errors).
        for (rate, rows) in [(0.5, x.nrows()), (0.0, x.nrows() + 1), (1.0, x.nrows())] {
            let masks = nnlib::dropout_masks(&net, rows, rate, 7);
            if rate >= 1.0 {
                prop_assert!(masks.is_err());
            }
            let reg = nnlib::Regularization {
                weight_decay: 0.5,
                n_train: Some(x.nrows().max(1) * 3),
                dropout_masks: masks.unwrap_or_default(),
            };
            if let Ok(check) = nnlib::gradient_check_with(&net, x.view(), y.view(), cost, 1e-5, &reg) {
                prop_assert!(rows == x.nrows() || net.layers().len() == 1, "masks of {rows} rows accepted");
                prop_assert!(check.entries.iter().all(|e| e.backprop.is_finite()));
            }
        }
    }

    #[test]
    fn every_cost_returns_ok_or_an_error(cost in cost(), p in matrix(0..4usize, 0..3usize),
                                         t in matrix(0..4usize, 0..3usize), a in value(), b in value()) {
        let _ = cost.value(p.view(), t.view()); // any shapes
        let t = reshape(&t, p.nrows(), p.ncols());
        if let Ok(c) = cost.value(p.view(), t.view()) {
            prop_assert!(c.is_finite(), "{cost:?} value {c}");
        }
        if let Ok(g) = cost.gradient(p.view(), t.view()) {
            assert_finite(&g, "a gradient");
        }
        let _ = (cost.loss(a, b), cost.loss_prime(a, b));
        let _ = accuracy(cost, p.view(), t.view());
    }

    #[test]
    fn activations_never_panic(f in activation(), x in value(), z in matrix(0..4usize, 0..4usize)) {
        let _ = (f.value(x), f.derivative(x));
        let a = f.forward(z.view());
        prop_assert_eq!(a.dim(), z.dim());
        let _ = nnlib::activation::softmax(z.as_slice().unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn training_returns_ok_or_an_error(net in network(), x in matrix(0..6usize, 0..4usize),
                                       y in matrix(0..6usize, 0..3usize), cost in cost(),
                                       epochs in prop_oneof![9 => 1..20usize, 1 => Just(0usize)], lr in learning_rate(),
                                       batch in prop::option::of(size()), tol in prop::option::of(value()),
                                       optimizer in 0..3usize, seed in any::<u64>()) {
        let Ok(mut net) = net else { return Ok(()) };
        let x = reshape(&x, x.nrows(), net.n_inputs());
        let y = reshape(&y, x.nrows(), net.n_outputs());
        let optimizer = [Optimizer::Sgd, Optimizer::momentum(), Optimizer::adam()][optimizer];
        let config = TrainConfig { epochs, learning_rate: lr, batch_size: batch, tolerance: tol, optimizer, seed, ..Default::default() };
        let before = net.clone();
        match net.train(x.view(), y.view(), cost, &config) {
            Ok(h) => {
                prop_assert!(h.loss.len() <= epochs && h.final_loss.is_finite(), "{h:?}");
            }
            Err(_) => prop_assert_eq!(net, before), // an error leaves the network as it was
        }
    }

    #[test]
    fn bad_cures_are_typed_errors(weight_decay in prop_oneof![2 => 0.0..10.0f64, 1 => value()],
                                  dropout in prop_oneof![2 => 0.0..1.0f64, 1 => value()],
                                  patience in prop::option::of(prop_oneof![1 => Just(0usize), 3 => 1..4usize]),
                                  with_validation in any::<bool>(), record in any::<bool>(),
                                  batch in prop::option::of(1..5usize), seed in any::<u64>(),
                                  progress in prop::option::of(prop_oneof![1 => Just(0usize), 3 => 1..4usize])) {
        let x = Array2::from_shape_fn((6, 2), |(i, j)| ((i * 2 + j) as f64 * 0.7).sin());
        let y = Array2::from_shape_fn((6, 1), |(i, _)| (i % 2) as f64);
        let mut net = Network::builder(2).dense(3, Activation::Tanh).dense(1, Activation::Sigmoid)
            .seed(seed).build().unwrap();
        let config = TrainConfig { epochs: 5, batch_size: batch, seed, weight_decay, dropout, patience,
                                   record_training: record, progress, ..TrainConfig::new(5, 0.1) };
        let before = net.clone();
        let cost = Cost::BinaryCrossEntropy;
        let result = if with_validation {
            net.train_with_validation(x.view(), y.view(), cost, &config, x.view(), y.view())
        } else {
            net.train(x.view(), y.view(), cost, &config)
        };
        // The first bad setting, in the order TrainConfig::check looks at them.
        let expected = if patience == Some(0) {
            Some("patience")
        } else if !(weight_decay >= 0.0 && weight_decay.is_finite()) {
            Some("weight_decay")
        } else if !(0.0..1.0).contains(&dropout) {
            Some("dropout")
        } else if progress == Some(0) {
            Some("progress")
        } else if patience.is_some() && !with_validation {
            Some("patience")
        } else {
            None
        };
        match (expected, result) {
            (Some(name), Err(nnlib::Error::InvalidParameter { name: got, .. })) => {
                prop_assert_eq!(got, name);
                prop_assert_eq!(&net, &before);
            }
            (None, Ok(h)) => {
                prop_assert!(h.final_loss.is_finite() && h.loss.len() <= 5);
                prop_assert_eq!(h.train_loss.len(), if record { h.loss.len() } else { 0 });
                if let (Some(p), Some(best)) = (patience, h.best_epoch) {
                    prop_assert!(h.loss.len() <= best + p);
                }
            }
            (None, Err(nnlib::Error::Diverged { .. })) => prop_assert_eq!(&net, &before),
            (expected, other) => prop_assert!(false, "expected {expected:?}, got {other:?}"),
        }
        // The same checks guard the linfa-style models.
        let labels = Array1::from_shape_fn(6, |i| i % 2);
        let fitted = MlpClassifier::params().hidden(&[3]).epochs(3).weight_decay(weight_decay).dropout(dropout)
            .fit(&DatasetBase::new(x.clone(), labels));
        let model_bad = !(weight_decay >= 0.0 && weight_decay.is_finite()) || !(0.0..1.0).contains(&dropout);
        match fitted {
            Err(nnlib::Error::InvalidParameter { name, .. }) => {
                prop_assert!(model_bad && (name == "weight_decay" || name == "dropout"), "{name}");
            }
            // A huge but valid λ can blow the weights up: an error that says so.
            Err(nnlib::Error::Diverged { .. }) => prop_assert!(!model_bad),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
            Ok(_) => prop_assert!(!model_bad),
        }
    }

    #[test]
    fn models_fit_and_predict_or_return_an_error(x in matrix(0..6usize, 0..3usize), y in prop::collection::vec(mostly_finite(), 0..6),
                                                 labels in prop::collection::vec(prop_oneof![4 => 0..3usize, 1 => Just(usize::MAX)], 0..6),
                                                 hidden in prop::collection::vec(size(), 0..2), epochs in 1..10usize, lr in learning_rate(),
                                                 x_new in matrix(0..3usize, 0..4usize)) {
        let y = Array1::from_shape_fn(x.nrows(), |i| y.get(i).copied().unwrap_or(0.5));
        let fitted = MlpRegressor::params().hidden(&hidden).epochs(epochs).learning_rate(lr)
            .fit(&Dataset::new(x.clone(), y));
        if let Ok(model) = fitted {
            if let Ok(p) = model.try_predict(x_new.view()) {
                prop_assert!(p.iter().all(|v| v.is_finite()));
            }
        }
        // Mostly labels 0, 1, 0, 1, ... (a valid classification), else the random ones.
        let labels = if labels.len() % 2 == 0 { (0..x.nrows()).map(|i| i % 2).collect() } else { labels };
        let labels = Array1::from_shape_fn(x.nrows(), |i| labels.get(i).copied().unwrap_or(i % 2));
        let fitted = MlpClassifier::params().hidden(&hidden).epochs(epochs).learning_rate(lr)
            .fit(&DatasetBase::new(x, labels));
        if let Ok(model) = fitted {
            if let Ok(p) = model.try_predict(x_new.view()) {
                prop_assert!(p.iter().all(|&c| c < model.n_classes));
            }
            let _ = model.predict_proba(x_new.view());
        }
    }

    #[test]
    fn data_helpers_return_ok_or_an_error(x in matrix(0..6usize, 0..3usize), x2 in matrix(0..3usize, 0..3usize),
                                          fraction in value(), seed in any::<u64>(), n in size(),
                                          labels in prop::collection::vec(0..4usize, 0..8), n_classes in size(),
                                          noise in value(), slope in value()) {
        if let Ok(s) = Standardizer::fit(x.view()) {
            prop_assert!(s.std().iter().all(|v| v.is_finite() && *v > 0.0));
            if let Ok(t) = s.transform(x2.view()) {
                assert_finite(&t, "standardised values");
            }
            let _ = s.inverse_transform(x2.view());
        }
        let targets = Array1::from_shape_fn(x.nrows(), |i| i as f64);
        let _ = data::train_test_split(&Dataset::new(x.clone(), targets), fraction, seed);
        let k = labels.len().min(x.nrows());
        let dataset = DatasetBase::new(x.slice(nnlib::ndarray::s![..k, ..]).to_owned(), Array1::from(labels[..k].to_vec()));
        let _ = data::stratified_train_test_split(&dataset, fraction, seed);
        if let Ok(y) = one_hot(&labels, n_classes) {
            prop_assert_eq!(y.dim(), (labels.len(), n_classes));
        }
        if let Ok(d) = synthetic::noisy_line(n, slope, 0.5, noise, seed) {
            prop_assert!(d.targets().iter().all(|v| v.is_finite()));
        }
        if let Ok(d) = synthetic::two_moons(n, noise, seed) {
            prop_assert!(d.records().iter().all(|v| v.is_finite()));
        }
    }

    #[test]
    fn read_csv_of_any_text_returns_ok_or_an_error(text in "[0-9a,.\\-e \r\n]{0,40}") {
        let path = std::env::temp_dir().join(format!("nnlib_prop_{}_{:?}.csv", std::process::id(), std::thread::current().id()));
        std::fs::write(&path, &text).unwrap();
        let table = data::read_csv(&path);
        let classes = data::load_classification(&path, "a");
        std::fs::remove_file(&path).unwrap();
        if let Ok(t) = table {
            prop_assert_eq!(t.values.ncols(), t.header.len());
            assert_finite(&t.values, "a CSV table");
        }
        let _ = classes;
    }

    #[test]
    fn exercise_checks_never_accept_with_a_broken_tolerance(got in value(), expected in value(), tol in value()) {
        let ok = exercise::check_value("x", got, expected, tol, "h");
        if !(tol >= 0.0 && tol.is_finite()) {
            prop_assert!(!ok);
        }
        let _ = exercise::check_fn("f", |x| x * got, |x| x * expected, &[got, expected], tol, "h");
        let _ = exercise::check_array("a", &Array1::from(vec![got]), &Array1::from(vec![expected]), tol, "h");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `a = e^z` overflows for z > 709.78: a one-neuron Poisson model with any
    /// weight, any inputs and any counts trains to a finite loss or returns an
    /// error (leaving the network unchanged); its predictions are finite or an error.
    #[test]
    fn an_exp_poisson_neuron_trains_or_returns_an_error(x in matrix(1..6usize, 1..3usize),
            counts in prop::collection::vec(prop_oneof![4 => (0..20u32).prop_map(f64::from), 1 => value()], 6),
            w in value(), lr in learning_rate(), epochs in 1..20usize) {
        let Ok(mut net) = Network::zeroed(&[x.ncols(), 1], &[Activation::Exp]) else { return Ok(()) };
        let _ = net.set_w(1, Array2::from_elem((1, x.ncols()), w));
        let y = Array2::from_shape_fn((x.nrows(), 1), |(i, _)| counts[i]);
        let before = net.clone();
        match net.train(x.view(), y.view(), Cost::Poisson, &TrainConfig::new(epochs, lr)) {
            Ok(h) => prop_assert!(h.final_loss.is_finite(), "{h:?}"),
            Err(_) => prop_assert_eq!(&net, &before),
        }
        if let Ok(a) = net.predict(x.view()) {
            assert_finite(&a, "exp predictions");
            prop_assert!(a.iter().all(|&v| v >= 0.0));
        }
    }
}
