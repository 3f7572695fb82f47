//! Tests of `nnlib::plot::NetworkDiagram`: the lecture's 4-3-2-1 network drawn
//! with one circle per neuron, one edge per weight, the lecture's names, and
//! the values of `Trace` and `Gradients`; bad input is an error from `draw()`.
//!
//! `cargo test -p nnlib --test plot_network -- --ignored render_previews`
//! writes the diagrams to /tmp/plot-preview/ for a human to look at.

use nnlib::ndarray::{array, Array1, Array2};
use nnlib::plot::{self, NetworkDiagram};
use nnlib::{Activation, Cost, Error, Gradients, Network, Trace};

#[path = "common/svg.rs"]
mod svg;
use svg::{texts, unescape};

// ----------------------------------------------------------------- helpers

/// The lecture's network with the weights of notebooks/Forward_Propagation.ipynb.
fn lecture_net() -> Network {
    let mut net = Network::builder(4)
        .dense(3, Activation::Sigmoid)
        .dense(2, Activation::Sigmoid)
        .dense(1, Activation::Identity)
        .build()
        .unwrap();
    net.set_w(1, array![[0.1, -0.2, 0.3, 0.4], [0.5, 0.1, -0.3, 0.2], [-0.4, 0.3, 0.2, -0.1]]).unwrap();
    net.set_b(1, array![0.1, -0.1, 0.05]).unwrap();
    net.set_w(2, array![[0.3, -0.5, 0.2], [0.6, 0.4, -0.7]]).unwrap();
    net.set_b(2, array![0.0, 0.1]).unwrap();
    net.set_w(3, array![[1.5, -2.0]]).unwrap();
    net.set_b(3, Array1::zeros(1)).unwrap();
    net
}

fn lecture_pass(net: &Network) -> (Trace, Gradients) {
    let trace = net.forward(array![[1.0, 0.5, -1.0, 2.0]].view()).unwrap();
    let grads = net.backward(&trace, array![[1.0]].view(), Cost::Mse).unwrap();
    (trace, grads)
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

/// The tooltips (`<title>`) of the shapes whose class is `class`.
fn tooltips(svg: &str, class: &str) -> Vec<String> {
    svg.split(&format!("class=\"{class}\""))
        .skip(1)
        .filter_map(|rest| {
            let end_of_shape = rest.find("/>").unwrap_or(usize::MAX);
            let start = rest.find("<title>").filter(|&s| s < end_of_shape)? + 7;
            Some(unescape(&rest[start..start + rest[start..].find("</title>")?]))
        })
        .collect()
}

/// The number after `"{name} = "` in a tooltip or label, e.g. `value_of(t, "z2(3)")`.
fn value_of(text: &str, name: &str) -> Option<f64> {
    let rest = &text[text.find(&format!("{name} = "))? + name.len() + 3..];
    let end = rest.find(['\n', ',', ' ']).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn close(a: f64, b: f64, rtol: f64) -> bool {
    (a - b).abs() <= rtol * a.abs().max(b.abs()) + 1e-12
}

// ----------------------------------------------------------------- structure

#[test]
fn weights_only_has_a_circle_per_neuron_an_edge_per_weight_and_the_lecture_names() {
    let net = lecture_net();
    let fig = plot::network(&net).unwrap();
    let svg = fig.svg();
    assert_eq!(count(svg, "class=\"neuron\""), 4 + 3 + 2 + 1);
    assert_eq!(count(svg, "class=\"edge\""), 4 * 3 + 3 * 2 + 2);
    let all = texts(svg);
    for name in ["x1", "x4", "a1(1)", "a4(1)", "a1(2)", "a3(2)", "a2(3)", "a1(4)", "W(1)", "W(3)"] {
        assert!(all.iter().any(|t| t == name), "no label {name:?} in {all:?}");
    }
    assert!(all.iter().any(|t| t == "The 4-3-2-1 network: its weights"), "{all:?}");
    // Each weight is printed on its edge and named in its tooltip.
    let edges = tooltips(svg, "edge");
    let w1 = net.w(1).unwrap();
    for j in 1..=3 {
        for k in 1..=4 {
            let name = format!("w{j}{k}(1)");
            let tip = edges.iter().find(|t| t.starts_with(&name)).unwrap_or_else(|| panic!("no {name}"));
            assert_eq!(value_of(tip, &name), Some(w1[[j - 1, k - 1]]), "{tip}");
        }
    }
    assert!(all.iter().any(|t| t == "-0.7"), "w23(2) = -0.7 printed on its edge: {all:?}");
    assert!(all.iter().any(|t| t == "b = 0.05"), "biases printed under their neurons: {all:?}");
}

#[test]
fn positive_and_negative_weights_have_different_colours_and_larger_ones_are_wider() {
    let fig = plot::network(&lecture_net()).unwrap();
    let svg = fig.svg();
    let edge_attr = |name: &str, attr: &str| -> String {
        let at = svg.find(&format!("<title>{name} = ")).unwrap();
        let tag = &svg[svg[..at].rfind("<line").unwrap()..at];
        let v = &tag[tag.find(&format!(" {attr}=\"")).unwrap() + attr.len() + 3..];
        v[..v.find('"').unwrap()].to_string()
    };
    // w11(3) = 1.5 and w12(3) = -2.0.
    assert_ne!(edge_attr("w11(3)", "stroke"), edge_attr("w12(3)", "stroke"));
    let width = |name: &str| edge_attr(name, "stroke-width").parse::<f64>().unwrap();
    assert!(width("w12(3)") > width("w11(3)"));
    assert!(width("w14(1)") > width("w11(1)"), "|0.4| > |0.1|");
}

#[test]
fn values_shown_are_the_traces_z_and_a() {
    let net = lecture_net();
    let (trace, _) = lecture_pass(&net);
    let fig = NetworkDiagram::new(&net).values(&trace, 0).draw().unwrap();
    let neurons = tooltips(fig.svg(), "neuron");
    assert_eq!(neurons.len(), 10);
    for (l, n) in [(2, 3), (3, 2), (4, 1)] {
        for j in 1..=n {
            let tip = neurons.iter().find(|t| t.starts_with(&format!("a{j}({l})"))).unwrap();
            let (z, a) = (trace.z(l).unwrap()[[0, j - 1]], trace.a(l).unwrap()[[0, j - 1]]);
            assert!(close(value_of(tip, &format!("z{j}({l})")).unwrap(), z, 1e-5), "{tip} vs z = {z}");
            assert!(close(value_of(tip, &format!("a{j}({l})")).unwrap(), a, 1e-5), "{tip} vs a = {a}");
        }
    }
    // Printed under the neurons too, short: a(4) = s of the lecture.
    let s = trace.output()[[0, 0]];
    let printed: Vec<f64> =
        texts(fig.svg()).iter().filter_map(|t| t.strip_prefix("a = ")?.parse().ok()).collect();
    assert_eq!(printed.len(), 3 + 2 + 1);
    assert!(printed.iter().any(|&p| close(p, s, 5e-3)), "s = {s} not among {printed:?}");
    assert!(texts(fig.svg()).iter().any(|t| t == "x2 = 0.5"), "input x2 = 0.5 shown");
}

#[test]
fn gradients_show_delta_on_neurons_and_dc_dw_on_edges() {
    let net = lecture_net();
    let (trace, grads) = lecture_pass(&net);
    let fig = NetworkDiagram::new(&net).values(&trace, 0).gradients(&grads, 0).draw().unwrap();
    let svg = fig.svg();
    let neurons = tooltips(svg, "neuron");
    for (l, n) in [(2, 3), (3, 2), (4, 1)] {
        for j in 1..=n {
            let tip = neurons.iter().find(|t| t.starts_with(&format!("a{j}({l})"))).unwrap();
            let delta = grads.delta(l).unwrap()[[0, j - 1]];
            assert!(close(value_of(tip, &format!("dC/dz{j}({l})")).unwrap(), delta, 1e-5), "{tip}");
        }
    }
    let edges = tooltips(svg, "edge");
    assert_eq!(edges.len(), 20);
    for l in 1..=3 {
        let dc_dw = grads.dc_dw(l).unwrap();
        for ((j, k), &g) in dc_dw.indexed_iter() {
            let name = format!("dC/dw{}{}({l})", j + 1, k + 1);
            let tip = edges.iter().find(|t| t.contains(&name)).unwrap_or_else(|| panic!("no {name}"));
            assert!(close(value_of(tip, &name).unwrap(), g, 1e-5), "{tip} vs {g}");
        }
    }
    let printed = texts(svg).into_iter().filter_map(|t| t.strip_prefix("δ = ")?.parse::<f64>().ok());
    assert_eq!(printed.count(), 6, "delta printed under each neuron after the input");
}

#[test]
fn a_highlighted_weight_is_labelled_with_its_value_gradient_and_chain_rule() {
    let net = lecture_net();
    let (trace, grads) = lecture_pass(&net);
    let fig = NetworkDiagram::new(&net)
        .values(&trace, 0)
        .gradients(&grads, 0)
        .highlight_weight(2, 2, 2)
        .draw()
        .unwrap();
    let svg = fig.svg();
    assert_eq!(count(svg, "class=\"edge-highlighted\""), 1);
    assert_eq!(tooltips(svg, "edge-highlighted")[0].lines().next(), Some("w22(2) = 0.4"));
    let all = texts(svg);
    assert!(all.iter().any(|t| t == "w22(2) = 0.4"), "{all:?}");
    let gradient_line = all.iter().find(|t| t.starts_with("dC/dw22(2) = ")).expect("gradient in the box");
    let shown = value_of(gradient_line, "dC/dw22(2)").unwrap();
    assert!(close(shown, grads.dc_dw(2).unwrap()[[1, 1]], 5e-3), "{gradient_line}");
    assert!(
        all.iter().any(|t| t == "= dC/da2(3) · f'(z2(3)) · a2(2)"),
        "the lecture's three factors: {all:?}"
    );
    // The three printed factors multiply to the gradient.
    let numbers = all.iter().find(|t| t.starts_with("= (")).unwrap();
    let product: f64 = numbers
        .trim_start_matches("= ")
        .split(" · ")
        .map(|f| f.trim_matches(|c| c == '(' || c == ')').parse::<f64>().unwrap())
        .product();
    assert!(close(product, shown, 2e-2), "{numbers} = {product}, gradient {shown}");
}

#[test]
fn a_highlighted_neuron_is_ringed_and_labelled() {
    let net = lecture_net();
    let (trace, _) = lecture_pass(&net);
    let fig = NetworkDiagram::new(&net).values(&trace, 0).highlight_neuron(3, 2).draw().unwrap();
    let svg = fig.svg();
    assert_eq!(count(svg, "class=\"highlight\""), 1);
    let all = texts(svg);
    let a = trace.a(3).unwrap()[[0, 1]];
    let line = all.iter().find(|t| t.starts_with("a2(3) = ")).expect("a2(3) in the box");
    assert!(close(value_of(line, "a2(3)").unwrap(), a, 1e-5));
}

#[test]
fn maxout_neurons_are_marked_and_list_their_pieces() {
    let mut net = Network::builder(2).maxout(2, 3).dense(1, Activation::Identity).build().unwrap();
    net.set_w(1, Array2::from_shape_fn((6, 2), |(u, k)| (u as f64 - 2.5) * 0.3 + k as f64 * 0.1)).unwrap();
    let trace = net.forward(array![[1.0, -1.0]].view()).unwrap();
    let fig = NetworkDiagram::new(&net).values(&trace, 0).draw().unwrap();
    let svg = fig.svg();
    assert_eq!(count(svg, "class=\"neuron\""), 2 + 2 + 1);
    assert_eq!(count(svg, "class=\"edge\""), 2 * 2 + 2, "one edge per neuron pair, pieces in the tooltip");
    assert_eq!(texts(svg).iter().filter(|t| *t == "max of 3 pieces").count(), 2);
    assert!(texts(svg).iter().any(|t| t == "2 × maxout (k = 3)"));
    let tip = tooltips(svg, "edge").into_iter().find(|t| t.starts_with("w11(1)")).unwrap();
    assert!(tip.contains("piece 1") && tip.contains("piece 3"), "{tip}");
}

#[test]
fn thirty_neurons_are_drawn_compactly_and_784_inputs_are_summarised() {
    let net = Network::new(&[30, 30, 10], &[Activation::Relu, Activation::Softmax], 1).unwrap();
    let fig = plot::network(&net).unwrap();
    assert_eq!(count(fig.svg(), "class=\"neuron\""), 70);
    assert_eq!(count(fig.svg(), "class=\"edge\""), 30 * 30 + 30 * 10);

    let big = Network::new(&[784, 32, 10], &[Activation::Relu, Activation::Softmax], 1).unwrap();
    let fig = NetworkDiagram::new(&big).highlight_weight(1, 5, 400).draw().unwrap();
    let svg = fig.svg();
    // 10 first + 3 last + the highlighted input 400; 32 hidden are 10 + 3 too.
    assert_eq!(count(svg, "class=\"neuron\""), 14 + 13 + 10);
    assert_eq!(count(svg, "class=\"edge\""), 14 * 13 + 13 * 10);
    let all = texts(svg);
    assert!(all.iter().any(|t| t == "784 inputs, 14 drawn"), "{all:?}");
    assert!(all.iter().any(|t| t == "x400"), "the highlighted input is drawn: {all:?}");
    assert!(all.iter().filter(|t| *t == "⋮").count() >= 3);
    assert!(fig.size().1 < 1000, "a summary, not a wall of neurons: {:?}", fig.size());
}

// ----------------------------------------------------------------- names

#[test]
fn input_and_output_names_are_written_beside_the_neurons_and_head_their_tooltips() {
    let net = lecture_net();
    let (trace, _) = lecture_pass(&net);
    let inputs = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];
    for fig in [
        NetworkDiagram::new(&net).input_names(&inputs).output_names(&["progression"]).draw().unwrap(),
        NetworkDiagram::new(&net)
            .values(&trace, 0)
            .input_names(&inputs)
            .output_names(&["progression"])
            .draw()
            .unwrap(),
    ] {
        let all = texts(fig.svg());
        for name in inputs.iter().chain(&["progression"]) {
            assert_eq!(all.iter().filter(|t| t == name).count(), 1, "{name} once in {all:?}");
        }
        // The lecture's names stay inside the circles of the detailed look.
        assert!(all.iter().any(|t| t == "x1") && all.iter().any(|t| t == "a1(4)"), "{all:?}");
        let tips = tooltips(fig.svg(), "neuron");
        assert!(tips.iter().any(|t| t.starts_with("bill_depth_mm: x2 = a2(1)")), "{tips:?}");
        assert!(tips.iter().any(|t| t.starts_with("progression: a1(4)")), "{tips:?}");
        // Room for the longest name, which ends at x: it starts inside the picture.
        let svg = fig.svg();
        let element = &svg[..svg.find(">flipper_length_mm</text>").unwrap()];
        let element = &element[element.rfind("<text x=\"").unwrap() + 9..];
        let x: f64 = element[..element.find('"').unwrap()].parse().unwrap();
        assert!(element.contains("text-anchor=\"end\"") && x > 17.0 * 12.0 * 0.6, "x = {x}");
    }
}

#[test]
fn names_replace_x_and_a_in_the_compact_look() {
    let net = Network::new(&[13, 8, 3], &[Activation::Relu, Activation::Softmax], 1).unwrap();
    let features: Vec<String> = (1..=13).map(|i| format!("feature_{i}")).collect();
    let classes = ["class_0", "class_1", "class_2"].map(String::from);
    let fig = NetworkDiagram::new(&net).input_names(&features).output_names(&classes).draw().unwrap();
    let all = texts(fig.svg());
    assert!(all.iter().any(|t| t == "feature_13") && all.iter().any(|t| t == "class_2"), "{all:?}");
    assert!(!all.iter().any(|t| t == "x13" || t == "a3(3)"), "{all:?}");
    let plain = texts(plot::network(&net).unwrap().svg());
    assert!(plain.iter().any(|t| t == "x13") && plain.iter().any(|t| t == "a3(3)"), "{plain:?}");
}

#[test]
fn names_of_the_wrong_count_are_shape_errors() {
    let net = lecture_net();
    match NetworkDiagram::new(&net).input_names(&["a", "b", "c"]).draw() {
        Err(Error::Shape { context, expected, got }) => {
            assert_eq!(context, "NetworkDiagram::input_names");
            assert!(expected.starts_with("4 names") && expected.contains("4-3-2-1"), "{expected}");
            assert_eq!(got, "3 names");
        }
        other => panic!("expected Error::Shape, got {:?}", other.map(|_| ())),
    }
    let two = NetworkDiagram::new(&net).output_names(&["yes", "no"]).draw();
    assert!(matches!(two, Err(Error::Shape { .. })));
}

// ----------------------------------------------------------------- errors

#[test]
fn a_trace_or_gradients_of_another_network_is_an_error() {
    let net = lecture_net();
    let other = Network::new(&[4, 5, 1], &[Activation::Tanh, Activation::Identity], 0).unwrap();
    let (trace, grads) = lecture_pass(&other);
    let e = NetworkDiagram::new(&net).values(&trace, 0).draw().unwrap_err();
    assert!(matches!(e, Error::Shape { .. }) && e.to_string().contains("4-3-2-1"), "{e}");
    let e = NetworkDiagram::new(&net).gradients(&grads, 0).draw().unwrap_err();
    assert!(matches!(e, Error::Shape { .. }), "{e}");
    // Same widths but one layer more.
    let deeper = Network::new(&[4, 3, 2, 1, 1], &[Activation::Tanh; 4], 0).unwrap();
    let trace = deeper.forward(array![[1.0, 0.5, -1.0, 2.0]].view()).unwrap();
    assert!(matches!(NetworkDiagram::new(&net).values(&trace, 0).draw(), Err(Error::Shape { .. })));
}

#[test]
fn a_sample_outside_the_batch_and_mixed_batches_are_errors() {
    let net = lecture_net();
    let (trace, grads) = lecture_pass(&net);
    let e = NetworkDiagram::new(&net).values(&trace, 1).draw().unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "sample", .. }) && e.to_string().contains("1 samples"),
        "{e}"
    );
    assert!(NetworkDiagram::new(&net).gradients(&grads, 5).draw().is_err());
    let two = net.forward(array![[1.0, 0.5, -1.0, 2.0], [0.0, 0.0, 0.0, 0.0]].view()).unwrap();
    let e = NetworkDiagram::new(&net).values(&two, 0).gradients(&grads, 0).draw().unwrap_err();
    assert!(matches!(e, Error::Shape { .. }), "{e}");
}

#[test]
fn highlights_outside_the_network_are_errors_naming_the_lecture_name() {
    let net = lecture_net();
    for (l, j, k) in [(0, 1, 1), (4, 1, 1), (1, 4, 1), (1, 1, 5), (3, 1, 3)] {
        let e = NetworkDiagram::new(&net).highlight_weight(l, j, k).draw().unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { name: "highlight_weight", .. }), "{e}");
        assert!(e.to_string().contains(&format!("w{j}{k}({l})")), "{e}");
    }
    for (l, j) in [(0, 1), (5, 1), (2, 4), (4, 0)] {
        let e = NetworkDiagram::new(&net).highlight_neuron(l, j).draw().unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { name: "highlight_neuron", .. }), "{e}");
    }
}

// ----------------------------------------------------------------- previews

#[test]
#[ignore = "writes preview SVGs to /tmp/plot-preview for a human to look at"]
fn render_previews() {
    let dir = std::path::Path::new("/tmp/plot-preview");
    std::fs::create_dir_all(dir).unwrap();
    let net = lecture_net();
    let (trace, grads) = lecture_pass(&net);
    plot::network(&net).unwrap().save(dir.join("net_weights.svg")).unwrap();
    let fig = NetworkDiagram::new(&net).values(&trace, 0).title("Forward pass of x = (1, 0.5, -1, 2)").draw();
    fig.unwrap().save(dir.join("net_values.svg")).unwrap();
    let fig = NetworkDiagram::new(&net)
        .values(&trace, 0)
        .gradients(&grads, 0)
        .highlight_weight(2, 2, 2)
        .title("Backpropagation: dC/dw22(2)")
        .draw();
    fig.unwrap().save(dir.join("net_backprop.svg")).unwrap();
    let fig = NetworkDiagram::new(&net).values(&trace, 0).highlight_neuron(3, 2).draw();
    fig.unwrap().save(dir.join("net_neuron.svg")).unwrap();
    let mid = Network::new(&[30, 30, 10], &[Activation::Relu, Activation::Softmax], 1).unwrap();
    let x = Array2::from_shape_fn((1, 30), |(_, k)| (k as f64 * 0.7).sin());
    let t = mid.forward(x.view()).unwrap();
    let fig = NetworkDiagram::new(&mid).values(&t, 0).highlight_neuron(2, 7).draw();
    fig.unwrap().save(dir.join("net_30.svg")).unwrap();
    let big = Network::new(&[784, 32, 10], &[Activation::Relu, Activation::Softmax], 1).unwrap();
    plot::network(&big).unwrap().save(dir.join("net_784.svg")).unwrap();
    let mut maxout = Network::builder(2).maxout(2, 3).dense(1, Activation::Identity).build().unwrap();
    maxout
        .set_w(1, Array2::from_shape_fn((6, 2), |(u, k)| ((u * 5 + k * 3) % 7) as f64 * 0.3 - 0.9))
        .unwrap();
    let t = maxout.forward(array![[1.0, -1.0]].view()).unwrap();
    let g = maxout.backward(&t, array![[0.5]].view(), Cost::Mse).unwrap();
    let fig = NetworkDiagram::new(&maxout).values(&t, 0).gradients(&g, 0).draw();
    fig.unwrap().save(dir.join("net_maxout.svg")).unwrap();
    let names = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];
    let fig = NetworkDiagram::new(&net).values(&trace, 0).input_names(&names).output_names(&["mass"]).draw();
    fig.unwrap().save(dir.join("net_named.svg")).unwrap();
    let penguins = Network::new(&[4, 12, 3], &[Activation::Tanh, Activation::Softmax], 1).unwrap();
    let fig =
        NetworkDiagram::new(&penguins).input_names(&names).output_names(&["Adelie", "Chinstrap", "Gentoo"]);
    fig.draw().unwrap().save(dir.join("net_named_compact.svg")).unwrap();
}
