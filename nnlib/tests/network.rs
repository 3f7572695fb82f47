//! The network: backpropagation against finite differences on several
//! architectures, the lecture's worked example dC/dw22(2), the accessors'
//! layer numbering, and forward passes worked by hand (dense and maxout).
//!
//! Numbering (see `nnlib::network`): the input is layer 1, `a(1) = x`, and
//! `W(l)`, `b(l)` lead from layer l to layer l + 1: `z(l+1) = W(l) a(l) + b(l)`.

mod common;

use common::{assert_all_close, assert_close, random_distributions, uniform};
use nnlib::ndarray::{array, s, Array1, Array2};
use nnlib::network::{Gradients, Trace};
use nnlib::{gradient_check, Activation, Cost, Error, LayerKind, Network};

/// Runs the whole-network gradient check and asserts the worst relative error.
#[track_caller]
fn assert_gradients_match(net: &Network, x: &Array2<f64>, y: &Array2<f64>, cost: Cost) {
    let check = gradient_check(net, x.view(), y.view(), cost, 1e-5).expect("gradient check runs");
    // One entry per weight and bias: every parameter was nudged.
    assert_eq!(check.entries.len(), net.n_params());
    // The check must see real gradients, not a network that is flat everywhere.
    assert!(check.entries.iter().any(|e| e.backprop.abs() > 1e-3), "all gradients are ~0");
    assert!(
        check.max_rel_error() < 1e-6,
        "{cost:?}: worst relative error {:e} at {:?}",
        check.max_rel_error(),
        check.worst
    );
}

/// The lecture's network: 4 inputs, hidden layers of 3 and 2 neurons, one output.
fn lecture_network(hidden: Activation, seed: u64) -> Network {
    Network::new(&[4, 3, 2, 1], &[hidden, hidden, Activation::Identity], seed).expect("valid sizes")
}

// ---------------------------------------------------------------------------
// Whole-network gradient checks
// ---------------------------------------------------------------------------

#[test]
fn gradient_check_lecture_network_identity_output_mse() {
    let net = lecture_network(Activation::Sigmoid, 1);
    assert_eq!(net.sizes(), vec![4, 3, 2, 1]);
    let x = uniform(8, 4, -2.0, 2.0, 100);
    let y = uniform(8, 1, -1.0, 1.0, 101);
    assert_gradients_match(&net, &x, &y, Cost::Mse);
}

#[test]
fn gradient_check_lecture_network_with_tanh() {
    let net = lecture_network(Activation::Tanh, 2);
    let x = uniform(8, 4, -2.0, 2.0, 102);
    let y = uniform(8, 1, -1.0, 1.0, 103);
    assert_gradients_match(&net, &x, &y, Cost::Mse);
}

#[test]
fn gradient_check_deep_network_with_mixed_activations() {
    // Six weight layers, a different activation in each.
    let net = Network::builder(5)
        .dense(6, Activation::Tanh)
        .dense(5, Activation::Elu { alpha: 0.7 })
        .dense(5, Activation::LeakyRelu { slope: 0.2 })
        .dense(4, Activation::Sigmoid)
        .dense(4, Activation::elu())
        .dense(2, Activation::Identity)
        .seed(3)
        .build()
        .unwrap();
    assert_eq!(net.layers().len(), 6);
    let x = uniform(10, 5, -1.5, 1.5, 104);
    let y = uniform(10, 2, -1.0, 1.0, 105);
    assert_gradients_match(&net, &x, &y, Cost::Mse);
    assert_gradients_match(&net, &x, &y, Cost::Huber { delta: 0.3 });
}

#[test]
fn gradient_check_network_with_maxout_layers() {
    let net = Network::builder(4)
        .maxout(3, 2)
        .dense(3, Activation::Tanh)
        .maxout(2, 3)
        .dense(1, Activation::Identity)
        .seed(4)
        .build()
        .unwrap();
    assert_eq!(net.sizes(), vec![4, 3, 3, 2, 1]);
    let x = uniform(8, 4, -1.0, 1.0, 106);
    let y = uniform(8, 1, -1.0, 1.0, 107);
    assert_gradients_match(&net, &x, &y, Cost::Mse);
}

#[test]
fn gradient_check_softmax_output_with_cce() {
    // Takes the fused delta (a - y)/n.
    let net =
        Network::builder(4).dense(5, Activation::Tanh).dense(3, Activation::Softmax).seed(5).build().unwrap();
    let x = uniform(9, 4, -1.0, 1.0, 108);
    let labels: Vec<usize> = (0..9).map(|i| i % 3).collect();
    let y = nnlib::data::one_hot(&labels, 3).unwrap();
    assert_gradients_match(&net, &x, &y, Cost::CategoricalCrossEntropy);
}

#[test]
fn gradient_check_sigmoid_output_with_bce() {
    let net = Network::builder(3)
        .dense(4, Activation::elu())
        .dense(1, Activation::Sigmoid)
        .seed(6)
        .build()
        .unwrap();
    let x = uniform(8, 3, -1.0, 1.0, 109);
    let y = Array2::from_shape_fn((8, 1), |(i, _)| (i % 2) as f64);
    assert_gradients_match(&net, &x, &y, Cost::BinaryCrossEntropy);
}

#[test]
fn gradient_check_unfused_output_layers() {
    // Output/cost pairs that go through dC/da ⊙ f'(z) (softmax's full Jacobian for KL).
    let x = uniform(7, 3, -1.0, 1.0, 110);
    let cases = [
        (Activation::Softmax, Cost::KlDivergence, random_distributions(7, 3, 111)),
        (Activation::Softmax, Cost::Mse, random_distributions(7, 3, 112)),
        (Activation::Sigmoid, Cost::Mse, uniform(7, 3, 0.0, 1.0, 113)),
        (Activation::Sigmoid, Cost::Poisson, uniform(7, 3, 0.0, 4.0, 114).mapv(f64::floor)),
        (Activation::Tanh, Cost::Mae, uniform(7, 3, -1.0, 1.0, 115)),
        (Activation::Identity, Cost::Hinge, uniform(7, 3, -1.0, 1.0, 116).mapv(f64::signum)),
    ];
    for (f, cost, y) in cases {
        let net = Network::builder(3).dense(4, Activation::Tanh).dense(3, f).seed(7).build().unwrap();
        assert_gradients_match(&net, &x, &y, cost);
    }
}

// ---------------------------------------------------------------------------
// The lecture's worked example
// ---------------------------------------------------------------------------

#[test]
fn worked_example_dc_dw22_of_layer_2() {
    // dC/dw22(2) = dC/da2(3) · f'(z2(3)) · a2(2)   (one sample; indices 0-based,
    // so neuron 2 is index 1). W(2) leads from layer 2 (hidden 1) to layer 3 (hidden 2).
    let f = Activation::Sigmoid;
    let net = lecture_network(f, 8);
    let x = array![[0.5, -1.0, 2.0, 0.25]];
    let y = array![[0.7]];
    let trace = net.forward(x.view()).unwrap();
    let grads = net.backward(&trace, y.view(), Cost::Mse).unwrap();

    let lhs = grads.dc_dw(2).unwrap()[[1, 1]];
    let rhs = grads.dc_da(3).unwrap()[[0, 1]]
        * f.derivative(trace.z(3).unwrap()[[0, 1]])
        * trace.a(2).unwrap()[[0, 1]];
    assert!(lhs.abs() > 1e-6, "the example should have a non-zero gradient, got {lhs}");
    assert_close(lhs, rhs, 1e-12, 0.0, "dC/dw22(2)");

    // The first factor pair is the local gradient delta2(3) = dC/dz2(3).
    let delta = grads.delta(3).unwrap()[[0, 1]];
    assert_close(delta * trace.a(2).unwrap()[[0, 1]], lhs, 1e-12, 0.0, "delta2(3) · a2(2)");
    // And dC/db2(2) = delta2(3) · 1.
    assert_close(grads.dc_db(2).unwrap()[1], delta, 1e-12, 0.0, "dC/db2(2)");
}

#[test]
fn worked_example_holds_for_every_weight_of_the_lecture_network() {
    // dC/dw_jk(l) = dC/da_j(l+1) · f'(z_j(l+1)) · a_k(l) for all hidden weights.
    let f = Activation::Tanh;
    let net = lecture_network(f, 9);
    let x = array![[1.0, 0.3, -0.8, 0.1]];
    let trace = net.forward(x.view()).unwrap();
    let grads = net.backward(&trace, array![[-0.4]].view(), Cost::Mse).unwrap();
    for l in 1..=2 {
        let dw = grads.dc_dw(l).unwrap();
        for ((j, k), &g) in dw.indexed_iter() {
            let chain = grads.dc_da(l + 1).unwrap()[[0, j]]
                * f.derivative(trace.z(l + 1).unwrap()[[0, j]])
                * trace.a(l).unwrap()[[0, k]];
            assert_close(g, chain, 1e-12, 1e-300, &format!("dC/dw{}{}({l})", j + 1, k + 1));
        }
    }
}

#[test]
fn output_cost_gradient_is_dc_da_of_the_last_layer() {
    // For MSE with one sample, dC/da(L) = 2 (a(L) - y).
    let net = lecture_network(Activation::Sigmoid, 10);
    let x = array![[0.1, 0.2, 0.3, 0.4]];
    let trace = net.forward(x.view()).unwrap();
    let grads = net.backward(&trace, array![[2.0]].view(), Cost::Mse).unwrap();
    let a_out = trace.output()[[0, 0]];
    assert_close(grads.dc_da(4).unwrap()[[0, 0]], 2.0 * (a_out - 2.0), 1e-14, 0.0, "dC/da(4)");
}

// ---------------------------------------------------------------------------
// Accessors and layer numbering
// ---------------------------------------------------------------------------

#[track_caller]
fn assert_no_such_layer<T: std::fmt::Debug>(result: nnlib::Result<T>, layer: usize, valid: &str) {
    match result {
        Err(Error::NoSuchLayer { layer: l, valid: v, .. }) => {
            assert_eq!(l, layer);
            assert_eq!(v, valid);
        }
        other => panic!("expected NoSuchLayer for layer {layer}, got {other:?}"),
    }
}

fn lecture_trace_and_grads() -> (Network, Trace, Gradients) {
    let net = lecture_network(Activation::Sigmoid, 11);
    let trace = net.forward(uniform(3, 4, -1.0, 1.0, 117).view()).unwrap();
    let grads = net.backward(&trace, uniform(3, 1, -1.0, 1.0, 118).view(), Cost::Mse).unwrap();
    (net, trace, grads)
}

#[test]
fn accessors_use_the_lectures_numbering() {
    // L = 4 layers: a(1..=4), z(2..=4), W(1..=3).
    let (net, trace, grads) = lecture_trace_and_grads();
    assert_eq!(trace.a(1).unwrap().ncols(), 4); // a(1) = x
    assert_eq!(trace.a(4).unwrap(), trace.output());
    assert_eq!(trace.z(2).unwrap().ncols(), 3); // first hidden layer
    assert_eq!(net.w(1).unwrap().dim(), (3, 4)); // W(1): layer 1 → layer 2
    assert_eq!(net.w(3).unwrap().dim(), (1, 2));
    assert_eq!(grads.dc_dw(1).unwrap().dim(), (3, 4));
    assert_eq!(grads.dc_db(3).unwrap().len(), 1);
    assert_eq!(grads.delta(4).unwrap().dim(), (3, 1));
}

#[test]
fn out_of_range_layer_numbers_give_no_such_layer() {
    let (net, trace, grads) = lecture_trace_and_grads();
    assert_no_such_layer(trace.a(0), 0, "1..=4");
    assert_no_such_layer(trace.a(5), 5, "1..=4");
    assert_no_such_layer(trace.z(1), 1, "2..=4");
    assert_no_such_layer(trace.z(5), 5, "2..=4");
    assert_no_such_layer(grads.dc_da(1), 1, "2..=4");
    assert_no_such_layer(grads.dc_da(5), 5, "2..=4");
    assert_no_such_layer(grads.delta(0), 0, "2..=4");
    assert_no_such_layer(grads.delta(5), 5, "2..=4");
    assert_no_such_layer(grads.dc_dw(0), 0, "1..=3");
    assert_no_such_layer(grads.dc_dw(4), 4, "1..=3");
    assert_no_such_layer(grads.dc_db(0), 0, "1..=3");
    assert_no_such_layer(grads.dc_db(4), 4, "1..=3");
    assert_no_such_layer(net.w(0), 0, "1..=3");
    assert_no_such_layer(net.b(4), 4, "1..=3");
    let mut net = net;
    assert_no_such_layer(net.set_w(4, Array2::zeros((1, 2))), 4, "1..=3");
    assert_no_such_layer(net.set_b(0, Array1::zeros(3)), 0, "1..=3");
}

// ---------------------------------------------------------------------------
// Forward passes worked by hand
// ---------------------------------------------------------------------------

#[test]
fn set_weights_then_forward_gives_hand_computed_values() {
    // 2 inputs → 2 leaky-ReLU (slope 0.1) neurons → 1 identity output.
    let mut net = Network::builder(2)
        .dense(2, Activation::leaky_relu())
        .dense(1, Activation::Identity)
        .build()
        .unwrap();
    net.set_w(1, array![[1.0, 2.0], [-1.0, 0.5]]).unwrap();
    net.set_b(1, array![0.5, -1.0]).unwrap();
    net.set_w(2, array![[2.0, 3.0]]).unwrap();
    net.set_b(2, array![-1.0]).unwrap();

    let trace = net.forward(array![[1.0, 2.0]].view()).unwrap();
    // z(2) = W(1) x + b(1) = [1·1 + 2·2 + 0.5, -1·1 + 0.5·2 - 1] = [5.5, -1]
    assert_eq!(trace.z(2).unwrap(), array![[5.5, -1.0]]);
    // a(2) = leaky_relu(z(2)) = [5.5, 0.1·(-1)] = [5.5, -0.1]
    assert_eq!(trace.a(2).unwrap(), array![[5.5, -0.1]]);
    // z(3) = W(2) a(2) + b(2) = 2·5.5 + 3·(-0.1) - 1 = 11 - 0.3 - 1 = 9.7
    assert_close(trace.z(3).unwrap()[[0, 0]], 9.7, 1e-15, 0.0, "z(3)");
    assert_eq!(trace.output(), trace.z(3).unwrap()); // identity output
    assert_eq!(net.predict(array![[1.0, 2.0]].view()).unwrap(), trace.output());
}

#[test]
fn set_weights_with_sigmoid_by_hand() {
    // 1 input → 1 sigmoid neuron: w = 2, b = -1, x = 0.5 gives z = 0, a = σ(0) = ½.
    let mut net = Network::builder(1).dense(1, Activation::Sigmoid).build().unwrap();
    net.set_w(1, array![[2.0]]).unwrap();
    net.set_b(1, array![-1.0]).unwrap();
    let trace = net.forward(array![[0.5], [1.0]].view()).unwrap();
    assert_eq!(trace.z(2).unwrap(), array![[0.0], [1.0]]);
    // Second sample: z = 2·1 - 1 = 1, a = 1 / (1 + e^-1).
    assert_close(trace.output()[[0, 0]], 0.5, 1e-15, 0.0, "σ(0)");
    assert_close(trace.output()[[1, 0]], 1.0 / (1.0 + (-1f64).exp()), 1e-15, 0.0, "σ(1)");
}

#[test]
fn maxout_forward_by_hand() {
    // 2 inputs → 2 maxout neurons with k = 2 pieces each. Rows 0,1 of W are
    // neuron 1's pieces, rows 2,3 neuron 2's.
    let mut net = Network::builder(2).maxout(2, 2).build().unwrap();
    assert_eq!(net.layers()[0].kind(), LayerKind::Maxout { pieces: 2 });
    net.set_w(1, array![[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, -1.0]]).unwrap();
    net.set_b(1, array![0.0, 0.5, 0.0, 0.0]).unwrap();
    let trace = net.forward(array![[2.0, -3.0], [-1.0, 0.25]].view()).unwrap();
    // Sample 1, x = (2, -3): pieces (2, -2.5) → 2;  (-1, 1) → 1.
    // Sample 2, x = (-1, 0.25): pieces (-1, 0.75) → 0.75;  (-0.75, 0.75) → 0.75.
    assert_eq!(trace.z(2).unwrap(), array![[2.0, -2.5, -1.0, 1.0], [-1.0, 0.75, -0.75, 0.75]]);
    assert_eq!(trace.output(), array![[2.0, 1.0], [0.75, 0.75]]);
}

#[test]
fn maxout_forward_is_the_max_of_its_affine_pieces() {
    // Random weights: recompute every piece w_p · x + b_p with loops.
    let (n_in, n_out, k) = (4, 3, 3);
    let mut net = Network::builder(n_in).maxout(n_out, k).seed(12).build().unwrap();
    net.set_b(1, Array1::linspace(-0.5, 0.5, n_out * k)).unwrap();
    let x = uniform(5, n_in, -2.0, 2.0, 119);
    let out = net.predict(x.view()).unwrap();
    let (w, b) = (net.w(1).unwrap(), net.b(1).unwrap());
    for i in 0..x.nrows() {
        for j in 0..n_out {
            let mut best = f64::NEG_INFINITY;
            for p in 0..k {
                let unit = j * k + p;
                let piece: f64 = (0..n_in).map(|c| w[[unit, c]] * x[[i, c]]).sum::<f64>() + b[unit];
                best = best.max(piece);
            }
            assert_close(out[[i, j]], best, 1e-14, 1e-15, &format!("sample {i}, neuron {j}"));
        }
    }
}

#[test]
fn maxout_backward_sends_delta_only_to_the_winning_piece() {
    // With pieces set so the winner is known, dC/dz of the losing pieces is 0.
    let mut net = Network::builder(1).maxout(1, 3).dense(1, Activation::Identity).build().unwrap();
    net.set_w(1, array![[1.0], [2.0], [-1.0]]).unwrap();
    net.set_w(2, array![[1.0]]).unwrap();
    // x = 1: pieces 1, 2, -1 → piece 2 (index 1) wins, a(2) = 2, output 2.
    let trace = net.forward(array![[1.0]].view()).unwrap();
    let grads = net.backward(&trace, array![[0.0]].view(), Cost::Mse).unwrap();
    // dC/da(3) = 2 (2 - 0) = 4; W(2) = 1, so dC/da(2) = 4; only the winner gets it.
    assert_eq!(grads.delta(2).unwrap(), array![[0.0, 4.0, 0.0]]);
    // dC/dW(1) = delta · x = [0, 4, 0]ᵀ
    assert_eq!(grads.dc_dw(1).unwrap(), array![[0.0], [4.0], [0.0]]);
}

#[test]
fn batch_forward_equals_row_by_row_forward() {
    // Rows are independent samples: the batch is just the rows stacked.
    let net = lecture_network(Activation::Tanh, 13);
    let x = uniform(6, 4, -1.0, 1.0, 120);
    let batch = net.predict(x.view()).unwrap();
    for i in 0..6 {
        let one = net.predict(x.slice(s![i..i + 1, ..])).unwrap();
        assert_all_close(&one, &batch.slice(s![i..i + 1, ..]).to_owned(), 1e-14, 1e-15, "row");
    }
}
