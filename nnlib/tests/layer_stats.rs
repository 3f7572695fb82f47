//! Tests of the per-layer measurements behind the vanishing gradient:
//! `Trace::a_stats`, `Gradients::delta_stats`, `Trace::dead_neurons` and
//! `NetworkDiagram::one_scale`, against values computed by hand.

use nnlib::ndarray::{array, Array2};
use nnlib::plot::NetworkDiagram;
use nnlib::{Activation, Cost, Gradients, LayerStats, Network, Trace};
use proptest::prelude::*;

fn pass(net: &Network, x: &Array2<f64>, y: &Array2<f64>) -> (Trace, Gradients) {
    let trace = net.forward(x.view()).unwrap();
    let grads = net.backward(&trace, y.view(), Cost::Mse).unwrap();
    (trace, grads)
}

/// A 2-3-1 network with hidden activation `f` whose neuron a2(2) has a bias of
/// -100: its z is negative for every input used here.
fn net_with_an_off_neuron(f: Activation) -> Network {
    let mut net = Network::builder(2).dense(3, f).dense(1, Activation::Identity).build().unwrap();
    net.set_w(1, array![[1.0, -1.0], [0.5, 0.5], [-2.0, 1.0]]).unwrap();
    net.set_b(1, array![0.1, -100.0, 0.0]).unwrap();
    net.set_w(2, array![[1.0, 2.0, -1.0]]).unwrap();
    net
}

fn samples() -> (Array2<f64>, Array2<f64>) {
    (array![[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]], array![[1.0], [0.0], [0.5]])
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn a_stats_are_the_mean_spread_size_and_share_of_zeros_of_each_layer() {
    let net = net_with_an_off_neuron(Activation::Relu);
    let (x, y) = samples();
    let (trace, _) = pass(&net, &x, &y);
    // a(2) by hand: relu(W(1) x + b(1)) for the three samples.
    let a2 = [[0.0, 0.0, 0.0], [0.0, 0.0, 2.5], [1.1, 0.0, 0.0]];
    let values: Vec<f64> = a2.iter().flatten().copied().collect();
    let mean = values.iter().sum::<f64>() / 9.0;
    let std = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 9.0).sqrt();
    let stats = trace.a_stats();
    assert_eq!(stats.iter().map(|s| s.l).collect::<Vec<_>>(), vec![1, 2, 3], "one entry per layer");
    assert!(close(stats[0].mean, (1.0 + 2.0 - 1.0 + 0.5 + 0.3 - 0.7) / 6.0), "a(1) = x");
    let s2: LayerStats = stats[1];
    assert!(close(s2.mean, mean), "{s2:?}");
    assert!(close(s2.std, std), "{s2:?}");
    assert!(close(s2.mean_abs, mean), "all of a(2) is >= 0, so mean |a| = mean a");
    assert!(close(s2.zeros, 7.0 / 9.0), "7 of the 9 values of a(2) are 0: {s2:?}");
    // a(3) = W(2) a(2) + b(2): 0, -2.5, 1.1.
    let s3 = stats[2];
    assert!(close(s3.mean, (0.0 - 2.5 + 1.1) / 3.0));
    assert!(close(s3.mean_abs, (2.5 + 1.1) / 3.0));
    assert!(close(s3.zeros, 1.0 / 3.0));
}

#[test]
fn delta_stats_are_the_size_of_delta_in_each_layer() {
    let net = Network::new(&[3, 5, 4, 2], &[Activation::Tanh, Activation::Sigmoid, Activation::Identity], 7)
        .unwrap();
    let x = array![[0.1, -0.4, 1.2], [2.0, 0.3, -0.5]];
    let y = array![[1.0, 0.0], [0.0, 1.0]];
    let (_, grads) = pass(&net, &x, &y);
    let stats = grads.delta_stats();
    assert_eq!(stats.iter().map(|s| s.l).collect::<Vec<_>>(), vec![2, 3, 4]);
    for s in &stats {
        let delta = grads.delta(s.l).unwrap();
        let n = delta.len() as f64;
        assert!(close(s.mean_abs, delta.iter().map(|d| d.abs()).sum::<f64>() / n), "layer {}", s.l);
        assert!(close(s.mean, delta.sum() / n), "layer {}", s.l);
    }
}

#[test]
fn each_sigmoid_layer_shrinks_delta_by_at_least_four_when_the_weights_are_one() {
    // A chain of one-neuron sigmoid layers, every weight 1: delta(l) = w σ'(z(l)) delta(l+1),
    // and σ'(z) <= 1/4, so |delta(2)| <= (1/4)^(L-2) |delta(L)|.
    let n_layers = 8; // a(1) .. a(8)
    let mut builder = Network::builder(1);
    for _ in 0..n_layers - 2 {
        builder = builder.dense(1, Activation::Sigmoid);
    }
    let mut net = builder.dense(1, Activation::Identity).build().unwrap();
    for l in 1..n_layers {
        net.set_w(l, array![[1.0]]).unwrap();
    }
    let (_, grads) = pass(&net, &array![[0.3]], &array![[2.0]]);
    let size: Vec<f64> = grads.delta_stats().iter().map(|s| s.mean_abs).collect();
    for pair in size.windows(2) {
        assert!(pair[0] <= 0.25 * pair[1] * (1.0 + 1e-12), "{size:?}");
    }
    assert!(size[0] / size[size.len() - 1] <= 0.25f64.powi(n_layers as i32 - 2));
}

#[test]
fn a_relu_neuron_off_for_every_sample_is_dead_and_its_weights_get_no_gradient() {
    let (x, y) = samples();
    let net = net_with_an_off_neuron(Activation::Relu);
    let (trace, grads) = pass(&net, &x, &y);
    let dead = trace.dead_neurons();
    assert_eq!(dead.len(), 1, "one hidden layer");
    assert_eq!((dead[0].l, dead[0].n), (2, 3));
    assert_eq!(dead[0].dead, vec![2], "a2(2) outputs 0 for every sample");
    assert_eq!(dead[0].off, vec![2]);
    // Why it stays dead: f'(z) = 0, so delta2(2) = 0 and dC/dw_2k(1) = delta2(2) a_k(1) = 0.
    let dc_dw = grads.dc_dw(1).unwrap();
    assert!(dc_dw.row(1).iter().all(|&g| g == 0.0), "{dc_dw}");
    assert!(dc_dw.row(0).iter().any(|&g| g != 0.0), "a live neuron's weights do get a gradient");
    assert_eq!(grads.dc_db(1).unwrap()[1], 0.0);
}

#[test]
fn a_leaky_relu_or_elu_neuron_off_for_every_sample_is_not_dead_and_still_learns() {
    let (x, y) = samples();
    for f in [Activation::leaky_relu(), Activation::elu()] {
        let net = net_with_an_off_neuron(f);
        let (trace, grads) = pass(&net, &x, &y);
        let dead = &trace.dead_neurons()[0];
        assert!(dead.dead.is_empty(), "{f:?}: {dead:?}");
        assert_eq!(dead.off, vec![2], "{f:?}: z2(2) <= 0 for every sample");
        let row = grads.dc_dw(1).unwrap().row(1).to_owned();
        if f == Activation::leaky_relu() {
            // f'(z) = 0.1 on the off side: the weights still move.
            assert!(row.iter().any(|&g| g != 0.0), "{f:?}: {row}");
        } else {
            // ELU's f'(z) = e^z: at z near -100 it is about e^-100, as good as nothing.
            assert!(row.iter().all(|&g| g.abs() < 1e-40), "{f:?}: {row}");
        }
    }
}

#[test]
fn a_network_without_hidden_layers_has_no_dead_neurons_and_one_stat_per_layer() {
    let net = Network::new(&[2, 1], &[Activation::Sigmoid], 0).unwrap();
    let (x, _) = samples();
    let trace = net.forward(x.view()).unwrap();
    assert!(trace.dead_neurons().is_empty());
    assert_eq!(trace.a_stats().len(), 2, "a(1) and a(2)");
    let grads = net.backward(&trace, array![[1.0], [0.0], [1.0]].view(), Cost::BinaryCrossEntropy).unwrap();
    assert_eq!(grads.delta_stats().len(), 1);
    assert_eq!(grads.delta_stats()[0].l, 2);
}

#[test]
fn maxout_delta_stats_cover_every_piece_and_the_losing_pieces_are_zero() {
    let net = Network::builder(2).maxout(4, 3).dense(1, Activation::Identity).seed(3).build().unwrap();
    let (x, y) = samples();
    let (_, grads) = pass(&net, &x, &y);
    let s2 = grads.delta_stats()[0];
    assert_eq!(grads.delta(2).unwrap().ncols(), 12, "4 neurons × 3 pieces");
    assert!(s2.zeros >= 2.0 / 3.0 - 1e-12, "two of each neuron's three pieces lose the max: {s2:?}");
}

/// Every edge of a diagram: (l of W(l), stroke width), from its tooltip `wjk(l) = ...`.
fn edge_widths(svg: &str) -> Vec<(usize, f64)> {
    svg.split("<line class=\"edge\"")
        .skip(1)
        .map(|rest| {
            let width = &rest[rest.find("stroke-width=\"").unwrap() + 14..];
            let width: f64 = width[..width.find('"').unwrap()].parse().unwrap();
            let title = &rest[rest.find("<title>").unwrap() + 7..];
            let l = &title[title.find('(').unwrap() + 1..title.find(')').unwrap()];
            (l.parse().unwrap(), width)
        })
        .collect()
}

#[test]
fn one_scale_lets_a_vanishing_gradient_fade_toward_the_input() {
    let sizes = [2, 4, 4, 4, 4, 4, 1];
    let f = [Activation::Sigmoid; 5];
    let net = Network::new(&sizes, &[&f[..], &[Activation::Sigmoid]].concat(), 1).unwrap();
    let (trace, grads) = pass(&net, &array![[0.5, -1.0]], &array![[1.0]]);
    let widest = |svg: &str, l: usize| {
        edge_widths(svg).into_iter().filter(|e| e.0 == l).map(|e| e.1).fold(0.0, f64::max)
    };
    let own = NetworkDiagram::new(&net).values(&trace, 0).gradients(&grads, 0).draw().unwrap();
    let one = NetworkDiagram::new(&net).values(&trace, 0).gradients(&grads, 0).one_scale().draw().unwrap();
    let (own, one) = (own.svg(), one.svg());
    // Each layer scaled to its own largest dC/dw: every layer's widest edge is equally wide.
    assert!((widest(own, 1) - widest(own, 6)).abs() < 0.01, "{} {}", widest(own, 1), widest(own, 6));
    // One scale: dC/dW(1) is far smaller than dC/dW(5), and so are its edges.
    let g1 = grads.dc_dw(1).unwrap().iter().fold(0.0f64, |m, g| m.max(g.abs()));
    let g5 = grads.dc_dw(5).unwrap().iter().fold(0.0f64, |m, g| m.max(g.abs()));
    assert!(g1 < 0.05 * g5, "the gradient vanishes toward the input: {g1} against {g5}");
    assert!(widest(one, 1) < widest(one, 5), "{} against {}", widest(one, 1), widest(one, 5));
    assert!(one.contains("One logarithmic scale for the whole network"), "the legend says so");
    // Neurons take delta's colour: layer 2's circles are paler (closer to white) than layer 6's.
    let fills: Vec<&str> = one
        .split("<circle class=\"neuron\"")
        .skip(1)
        .map(|rest| {
            let fill = &rest[rest.find("fill=\"#").unwrap() + 7..];
            &fill[..6]
        })
        .collect();
    let lightness =
        |hex: &str| (0..3).map(|i| u32::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).sum::<u32>();
    // Circles are drawn layer by layer: 2 inputs, then 4 per hidden layer, then the output.
    let layer2 = fills[2..6].iter().map(|h| lightness(h)).min().unwrap();
    let layer6 = fills[18..22].iter().map(|h| lightness(h)).min().unwrap();
    assert!(layer2 > layer6, "layer 2 ({layer2}) should be paler than layer 6 ({layer6})");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Over random shapes, weights and inputs, every statistic is finite and
    /// consistent: std >= 0, mean |v| >= |mean|, the share of zeros in 0..=1,
    /// std² = mean of squares − mean².
    #[test]
    fn stats_are_finite_and_consistent(
        widths in prop::collection::vec(1usize..6, 1..5),
        n in 1usize..6,
        seed in 0u64..1000,
        scale in prop::sample::select(vec![1e-3, 1.0, 30.0]),
    ) {
        let mut builder = Network::builder(3).seed(seed);
        for &w in &widths {
            builder = builder.dense(w, Activation::Relu);
        }
        let net = builder.dense(2, Activation::Identity).build().unwrap();
        let x = Array2::from_shape_fn((n, 3), |(i, j)| scale * ((i * 3 + j) as f64 * 0.7).sin());
        let y = Array2::from_shape_fn((n, 2), |(i, j)| (i + j) as f64 * 0.1);
        let (trace, grads) = pass(&net, &x, &y);
        let check = |s: &LayerStats, values: &Array2<f64>| {
            let squares = values.iter().map(|v| v * v).sum::<f64>() / values.len() as f64;
            prop_assert!(s.mean.is_finite() && s.std.is_finite() && s.mean_abs.is_finite());
            prop_assert!(s.std >= 0.0 && s.mean_abs + 1e-12 * s.mean_abs >= s.mean.abs());
            prop_assert!((0.0..=1.0).contains(&s.zeros));
            prop_assert!((s.std * s.std - (squares - s.mean * s.mean)).abs() <= 1e-9 * (1.0 + squares));
            Ok(())
        };
        for s in trace.a_stats() {
            check(&s, trace.a(s.l).unwrap())?;
        }
        for s in grads.delta_stats() {
            check(&s, grads.delta(s.l).unwrap())?;
        }
        let dead = trace.dead_neurons();
        prop_assert_eq!(dead.len(), widths.len());
        for d in &dead {
            prop_assert!(d.dead.iter().all(|j| d.off.contains(j)), "dead neurons are off");
            prop_assert!(d.off.iter().all(|&j| (1..=d.n).contains(&j)));
            let a = trace.a(d.l).unwrap();
            for j in 1..=d.n {
                prop_assert_eq!(d.dead.contains(&j), a.column(j - 1).iter().all(|&v| v == 0.0));
            }
        }
    }
}
