//! The cures for overfitting: L2 weight decay, early stopping, dropout, and
//! the training set's metrics in `History`.

mod common;

use common::{assert_close, labels_to_column};
use nnlib::data::synthetic;
use nnlib::ndarray::{s, Array2};
use nnlib::train::accuracy;
use nnlib::{
    dropout_masks, gradient_check, gradient_check_with, Activation, Cost, Error, Network, Optimizer,
    Regularization, Stop, TrainConfig,
};

/// 200 noisy moons: 150 to train on, 50 to validate with, and a 2-16-8-1 network.
fn moons() -> (Array2<f64>, Array2<f64>, Array2<f64>, Array2<f64>, Network) {
    let d = synthetic::two_moons(200, 0.25, 3).unwrap();
    let x = d.records().to_owned();
    let y = labels_to_column(d.targets());
    let net = Network::builder(2)
        .dense(16, Activation::Tanh)
        .dense(8, Activation::Relu)
        .dense(1, Activation::Sigmoid)
        .seed(1)
        .build()
        .unwrap();
    let (xt, yt) = (x.slice(s![..150, ..]).to_owned(), y.slice(s![..150, ..]).to_owned());
    let (xv, yv) = (x.slice(s![150.., ..]).to_owned(), y.slice(s![150.., ..]).to_owned());
    (xt, yt, xv, yv, net)
}

const BCE: Cost = Cost::BinaryCrossEntropy;

fn invalid_name(r: nnlib::Result<nnlib::History>) -> &'static str {
    match r {
        Err(Error::InvalidParameter { name, .. }) => name,
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

#[test]
fn recorded_training_metrics_describe_the_network_and_change_nothing() {
    let (x, y, _, _, net) = moons();
    // Batches of 32 with a short last one: the passes in order must not disturb the shuffles.
    let config = TrainConfig::new(15, 0.1).batch_size(32).optimizer(Optimizer::momentum()).seed(4);
    let (mut plain, mut recorded) = (net.clone(), net);
    let h_plain = plain.train(x.view(), y.view(), BCE, &config).unwrap();
    let h = recorded.train(x.view(), y.view(), BCE, &config.clone().record_training()).unwrap();
    assert_eq!(plain, recorded, "recording the training metrics changed the weights");
    assert_eq!(h.loss, h_plain.loss);
    assert!(h_plain.train_loss.is_empty() && h_plain.train_accuracy.is_empty());
    assert_eq!((h.train_loss.len(), h.train_accuracy.len()), (15, 15));
    let a = recorded.predict(x.view()).unwrap();
    let c0 = BCE.value(a.view(), y.view()).unwrap();
    assert_close(*h.train_loss.last().unwrap(), c0, 1e-12, 0.0, "last train_loss");
    assert_close(h.final_loss, c0, 1e-12, 0.0, "final_loss");
    let acc = accuracy(BCE, a.view(), y.view()).unwrap().unwrap();
    assert_close(*h.train_accuracy.last().unwrap(), acc, 1e-12, 0.0, "last train_accuracy");
    assert!(acc > 0.8, "the moons were not learned: {acc}");
}

#[test]
fn weight_decay_gradient_passes_the_gradient_check() {
    let (x, y, _, _, net) = moons();
    let (x, y) = (x.slice(s![..10, ..]), y.slice(s![..10, ..]));
    // n = 150 (the whole training set) while the batch has 10 rows, as in mini-batch training.
    let reg = Regularization { weight_decay: 3.0, n_train: Some(150), ..Default::default() };
    let check = gradient_check_with(&net, x, y, BCE, 1e-5, &reg).unwrap();
    assert!(check.max_rel_error() < 1e-6, "{:?}", check.worst);
    // Backprop's gradient is the plain one plus λ/n w for weights, and the plain one for biases.
    let plain = gradient_check(&net, x, y, BCE, 1e-5).unwrap();
    for (r, p) in check.entries.iter().zip(&plain.entries) {
        let extra = match r.param {
            nnlib::gradcheck::Param::W { j, k } => 3.0 / 150.0 * net.w(r.layer).unwrap()[[j, k]],
            nnlib::gradcheck::Param::B { .. } => 0.0,
        };
        assert_close(r.backprop, p.backprop + extra, 1e-12, 1e-15, "dC/dθ with weight decay");
    }
}

#[test]
fn weight_decay_is_one_shrinking_step_of_sgd() {
    // One full-batch SGD step: w := (1 - ελ/n) w - ε dC0/dw, b := b - ε dC0/db.
    let (x, y, _, _, net) = moons();
    let (eps, lambda, n) = (0.1, 5.0, 150.0);
    let (_, g) = net.cost_and_gradients(x.view(), y.view(), BCE).unwrap();
    let mut trained = net.clone();
    let h = trained.train(x.view(), y.view(), BCE, &TrainConfig::new(1, eps).weight_decay(lambda)).unwrap();
    for l in 1..=3 {
        let w = net.w(l).unwrap();
        let expected = w * (1.0 - eps * lambda / n) - g.dc_dw(l).unwrap() * eps;
        common::assert_all_close(trained.w(l).unwrap(), &expected, 1e-12, 1e-14, "decayed W");
        let b = net.b(l).unwrap() - g.dc_db(l).unwrap() * eps;
        assert!(trained.b(l).unwrap().iter().zip(&b).all(|(p, q)| (p - q).abs() < 1e-14), "b decayed");
    }
    // The epoch's loss is the regularised cost C0 + λ/2n Σ w².
    let c0 = BCE.value(net.predict(x.view()).unwrap().view(), y.view()).unwrap();
    let sum_sq: f64 = (1..=3).map(|l| net.w(l).unwrap().iter().map(|w| w * w).sum::<f64>()).sum();
    assert_close(h.loss[0], c0 + lambda / (2.0 * n) * sum_sq, 1e-12, 0.0, "regularised loss");
}

#[test]
fn weight_decay_keeps_the_weights_smaller() {
    let (x, y, _, _, net) = moons();
    let norm = |n: &Network| (1..=3).map(|l| n.w(l).unwrap().iter().map(|w| w * w).sum::<f64>()).sum::<f64>();
    let config = TrainConfig::new(300, 0.05).optimizer(Optimizer::adam());
    let (mut plain, mut decayed) = (net.clone(), net);
    plain.train(x.view(), y.view(), BCE, &config).unwrap();
    decayed.train(x.view(), y.view(), BCE, &config.clone().weight_decay(20.0)).unwrap();
    assert!(norm(&decayed) < 0.7 * norm(&plain), "{} vs {}", norm(&decayed), norm(&plain));
}

#[test]
fn dropout_masks_are_seeded_inverted_and_fixed_masks_pass_the_gradient_check() {
    let (x, y, _, _, net) = moons();
    let masks = dropout_masks(&net, 40, 0.5, 7).unwrap();
    assert_eq!(masks, dropout_masks(&net, 40, 0.5, 7).unwrap());
    assert_ne!(masks, dropout_masks(&net, 40, 0.5, 8).unwrap());
    assert_eq!(masks.iter().map(|m| m.dim()).collect::<Vec<_>>(), vec![(40, 16), (40, 8)]);
    let values: Vec<f64> = masks.iter().flat_map(|m| m.iter().copied()).collect();
    assert!(values.iter().all(|&v| v == 0.0 || v == 2.0), "inverted dropout keeps 1/(1-p) = 2");
    let dropped = values.iter().filter(|&&v| v == 0.0).count() as f64 / values.len() as f64;
    assert!((0.4..0.6).contains(&dropped), "dropped {dropped}");
    let (x, y) = (x.slice(s![..40, ..]), y.slice(s![..40, ..]));
    for weight_decay in [0.0, 2.0] {
        let reg = Regularization { weight_decay, n_train: Some(150), dropout_masks: masks.clone() };
        let check = gradient_check_with(&net, x, y, BCE, 1e-5, &reg).unwrap();
        assert!(check.max_rel_error() < 1e-6, "λ = {weight_decay}: {:?}", check.worst);
    }
    // A fixed mask really changes the function: the masked gradient is not the plain one.
    let reg = Regularization { dropout_masks: masks, ..Default::default() };
    let masked = gradient_check_with(&net, x, y, BCE, 1e-5, &reg).unwrap();
    let plain = gradient_check(&net, x, y, BCE, 1e-5).unwrap();
    assert!(masked.entries.iter().zip(&plain.entries).any(|(m, p)| (m.backprop - p.backprop).abs() > 1e-6));
    // Masks of the wrong shape are a typed error.
    let wrong =
        Regularization { dropout_masks: dropout_masks(&net, 39, 0.5, 7).unwrap(), ..Default::default() };
    assert!(matches!(gradient_check_with(&net, x, y, BCE, 1e-5, &wrong), Err(Error::Shape { .. })));
}

#[test]
fn dropout_trains_deterministically_and_only_while_training() {
    let (x, y, _, _, net) = moons();
    let config = TrainConfig::new(200, 0.01).batch_size(32).optimizer(Optimizer::adam()).seed(2);
    let run = |c: &TrainConfig| {
        let mut n = net.clone();
        let h = n.train(x.view(), y.view(), BCE, c).unwrap();
        (n, h)
    };
    let (plain, _) = run(&config);
    assert_eq!(run(&config.clone().dropout(0.0)).0, plain, "dropout 0 changes nothing");
    let (dropped, h) = run(&config.clone().dropout(0.3));
    assert_eq!(run(&config.clone().dropout(0.3)).0, dropped, "the masks are seeded");
    assert_ne!(dropped, plain);
    // Prediction has no mask: the same input gives the same output, every time.
    assert_eq!(dropped.predict(x.view()).unwrap(), dropped.predict(x.view()).unwrap());
    let a = dropped.predict(x.view()).unwrap();
    let acc = accuracy(BCE, a.view(), y.view()).unwrap().unwrap();
    assert!(acc > 0.8, "training with dropout still learns the moons: {acc}");
    // final_loss is the cost without masks.
    assert_close(h.final_loss, BCE.value(a.view(), y.view()).unwrap(), 1e-12, 0.0, "final_loss");
}

#[test]
fn early_stopping_keeps_the_best_epoch() {
    let (x, y, xv, yv, net) = moons();
    // A large learning rate with few samples overfits the validation set quickly.
    let config = TrainConfig::new(2000, 0.02).optimizer(Optimizer::adam()).early_stopping(20);
    let mut trained = net.clone();
    let h = trained.train_with_validation(x.view(), y.view(), BCE, &config, xv.view(), yv.view()).unwrap();
    let best = h.best_epoch.expect("a best epoch");
    let Stop::Patience(stopped) = h.stop else { panic!("did not stop early: {:?}", h.stop) };
    assert_eq!(stopped, best + 20);
    assert_eq!(h.val_loss.len(), stopped);
    let lowest = h.val_loss.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(h.val_loss[best - 1], lowest);
    // The network returned is the best epoch's.
    let val = BCE.value(trained.predict(xv.view()).unwrap().view(), yv.view()).unwrap();
    assert_close(val, lowest, 1e-12, 0.0, "validation loss of the returned network");
    // Without patience the same run goes on, and its best epoch is the same.
    let mut longer = net;
    let config = TrainConfig::new(stopped, 0.02).optimizer(Optimizer::adam());
    let h2 = longer.train_with_validation(x.view(), y.view(), BCE, &config, xv.view(), yv.view()).unwrap();
    assert_eq!((h2.best_epoch, h2.stop), (Some(best), Stop::MaxEpochs));
    assert_eq!(h2.val_loss, h.val_loss);
}

#[test]
fn bad_cures_are_typed_errors_that_leave_the_network_alone() {
    let (x, y, xv, yv, net) = moons();
    let train = |c: TrainConfig| {
        let mut n = net.clone();
        let r = n.train_with_validation(x.view(), y.view(), BCE, &c, xv.view(), yv.view());
        assert_eq!(n, net);
        r
    };
    let c = || TrainConfig::new(5, 0.1);
    for lambda in [-1e-9, f64::NAN, f64::INFINITY, -3.0] {
        assert_eq!(invalid_name(train(c().weight_decay(lambda))), "weight_decay");
    }
    for p in [1.0, -0.1, f64::NAN, 1.5, f64::INFINITY] {
        assert_eq!(invalid_name(train(c().dropout(p))), "dropout");
    }
    assert_eq!(invalid_name(train(c().early_stopping(0))), "patience");
    let mut n = net.clone();
    assert_eq!(invalid_name(n.train(x.view(), y.view(), BCE, &c().early_stopping(3))), "patience");
    assert_eq!(n, net);
    let message = n.train(x.view(), y.view(), BCE, &c().early_stopping(3)).unwrap_err().to_string();
    assert!(message.contains("train_with_validation"), "{message}");
    assert!(matches!(dropout_masks(&net, 4, 1.0, 0), Err(Error::InvalidParameter { name: "dropout", .. })));
    let reg = Regularization { weight_decay: -1.0, ..Default::default() };
    let r = gradient_check_with(&net, x.view(), y.view(), BCE, 1e-5, &reg);
    assert!(matches!(r, Err(Error::InvalidParameter { name: "weight_decay", .. })));
}
