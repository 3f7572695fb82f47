//! The model file: `Network::save` / `load` and `Standardizer::save` / `load`
//! give back bit-identical numbers for every activation and layer kind; a file
//! that is not one nnlib saved (another format or version, cut off, damaged,
//! shapes that do not fit) is an `Error::ModelFile` naming the problem, never a
//! panic; and `predict_one` is `predict` of a one-row matrix.

use std::path::PathBuf;

use nnlib::data::Standardizer;
use nnlib::linfa::prelude::*;
use nnlib::ndarray::{array, Array2};
use nnlib::{Activation, Error, MlpClassifier, MlpRegressor, Network};
use proptest::prelude::*;

/// A fresh path in the system's temporary folder, unique to this process and `name`.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nnlib-model-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temporary folder is writable");
    dir.join(name)
}

/// [`temp`] with a number that no other call in this process gets (for property cases).
fn unique(prefix: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    temp(&format!("{prefix}-{}.json", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)))
}

fn to_bits<'a>(values: impl IntoIterator<Item = &'a f64>) -> Vec<u64> {
    values.into_iter().map(|v| v.to_bits()).collect()
}

/// Every layer's kind (Debug prints -0.0 and each f64 exactly) and the bits of
/// every weight and bias: equal exactly when two networks are bit-identical.
fn bits(net: &Network) -> Vec<(String, Vec<u64>, Vec<u64>)> {
    net.layers().iter().map(|l| (format!("{:?}", l.kind()), to_bits(l.w()), to_bits(l.b()))).collect()
}

/// The bits of `net`'s predictions for `x`, or the error's message.
fn prediction_bits(net: &Network, x: &Array2<f64>) -> Result<Vec<u64>, String> {
    net.predict(x.view()).map(|a| to_bits(&a)).map_err(|e| e.to_string())
}

fn save_and_load(net: &Network, prefix: &str) -> Network {
    let path = unique(prefix);
    net.save(&path).expect("a finite network saves");
    let loaded = Network::load(&path).expect("a saved network loads");
    std::fs::remove_file(&path).unwrap();
    loaded
}

/// The reason of a `ModelFile` error (and that it is one, for this path).
fn model_file_reason(result: nnlib::Result<impl std::fmt::Debug>, path: &std::path::Path) -> String {
    match result {
        Err(Error::ModelFile { path: p, reason }) => {
            assert!(p.ends_with(path.file_name().unwrap()), "{p:?} names {path:?}");
            reason
        }
        other => panic!("expected Error::ModelFile, got {other:?}"),
    }
}

fn all_activations() -> Vec<Activation> {
    vec![
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::leaky_relu(),
        Activation::LeakyRelu { slope: -0.0 },
        Activation::elu(),
        Activation::Elu { alpha: 1e-310 },
        Activation::Exp,
    ]
}

/// Dense hidden layer of `hidden`, a maxout layer, and an output of `output`,
/// with random weights and the edge values 1e-310, -0.0 and 1e300 set by hand
/// (1e300 multiplies input column 2, which is 0 in [`inputs`], so the
/// predictions stay finite and are compared too).
fn edge_network(hidden: Activation, output: Activation, seed: u64) -> Network {
    let mut net =
        Network::builder(3).dense(4, hidden).maxout(3, 2).dense(2, output).seed(seed).build().unwrap();
    let mut w1 = net.w(1).unwrap().clone();
    w1[[0, 0]] = 1e-310;
    w1[[0, 1]] = -0.0;
    w1[[1, 2]] = 1e300;
    w1[[2, 2]] = -1e300;
    w1[[3, 0]] = 5e-324;
    net.set_w(1, w1).unwrap();
    net.set_b(1, array![-0.0, 1e-310, 0.1, -2.5]).unwrap();
    net
}

fn inputs() -> Array2<f64> {
    array![[0.5, -1.0, 0.0], [-0.25, 2.0, 0.0], [1e-3, 0.0, 0.0]]
}

#[test]
fn every_activation_and_layer_kind_round_trips_bit_identically() {
    let mut pairs: Vec<(Activation, Activation)> = all_activations().into_iter().map(|f| (f, f)).collect();
    pairs.push((Activation::Tanh, Activation::Softmax));
    for (i, &(hidden, output)) in pairs.iter().enumerate() {
        let net = edge_network(hidden, output, i as u64);
        let loaded = save_and_load(&net, "edge");
        assert_eq!(bits(&loaded), bits(&net), "{hidden:?} / {output:?}");
        let before = prediction_bits(&net, &inputs());
        assert!(before.is_ok(), "{hidden:?} / {output:?}: {before:?}");
        assert_eq!(prediction_bits(&loaded, &inputs()), before, "{hidden:?} / {output:?}");
    }
}

#[test]
fn a_trained_classifiers_network_and_its_standardizer_predict_the_same_after_loading() {
    let x = array![[150.0, 2.0], [160.0, 1.0], [200.0, 8.0], [210.0, 9.0], [155.0, 1.5], [205.0, 7.0]];
    let scaler = Standardizer::fit(x.view()).unwrap();
    let z = scaler.transform(x.view()).unwrap();
    let data = Dataset::new(z, array![0, 0, 1, 1, 0, 1]);
    let model = MlpClassifier::params().epochs(200).fit(&data).unwrap();
    let (net_path, scaler_path) = (temp("classifier.json"), temp("classifier-scaler.json"));
    model.network.save(&net_path).unwrap();
    scaler.save(&scaler_path).unwrap();
    let (net, scaler2) = (Network::load(&net_path).unwrap(), Standardizer::load(&scaler_path).unwrap());
    let z2 = scaler2.transform(x.view()).unwrap();
    assert_eq!(to_bits(&z2), to_bits(data.records()));
    assert_eq!(prediction_bits(&net, &z2), prediction_bits(&model.network, data.records()));
}

#[test]
fn a_standardizer_round_trips_bit_identically() {
    let x = array![[1e-310, 1e300, -0.0, 7.0], [3e-310, -1e300, 0.0, 7.0], [0.0, 0.1, 0.3, 7.0]];
    let scaler = Standardizer::fit(x.view()).unwrap();
    let path = temp("standardizer.json");
    scaler.save(&path).unwrap();
    let loaded = Standardizer::load(&path).unwrap();
    assert_eq!(to_bits(loaded.mean()), to_bits(scaler.mean()));
    assert_eq!(to_bits(loaded.std()), to_bits(scaler.std()));
}

// ----------------------------------------------------------------- files that are not right

/// A saved network's file as text, for tests that change it.
fn saved_text(name: &str) -> (PathBuf, String) {
    let path = temp(name);
    edge_network(Activation::Tanh, Activation::Softmax, 3).save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

#[test]
fn a_file_of_a_future_version_says_which_versions() {
    let (path, text) = saved_text("version.json");
    std::fs::write(&path, text.replacen("\"version\":1", "\"version\":2", 1)).unwrap();
    let reason = model_file_reason(Network::load(&path), &path);
    assert!(reason.contains("version 2") && reason.contains("reads version 1"), "{reason}");
    assert!(reason.contains("newer nnlib"), "{reason}");
}

#[test]
fn a_file_of_another_format_names_it() {
    let (path, text) = saved_text("format.json");
    std::fs::write(&path, text.replacen("nnlib-network", "something", 1)).unwrap();
    let reason = model_file_reason(Network::load(&path), &path);
    assert!(reason.contains("\"something\"") && reason.contains("\"nnlib-network\""), "{reason}");
}

#[test]
fn a_standardizer_file_given_to_network_load_says_which_load_to_call() {
    let path = temp("scaler-as-network.json");
    Standardizer::fit(array![[1.0], [2.0]].view()).unwrap().save(&path).unwrap();
    let reason = model_file_reason(Network::load(&path), &path);
    assert!(reason.contains("Standardizer::load"), "{reason}");
    let (net_path, _) = saved_text("network-as-scaler.json");
    let reason = model_file_reason(Standardizer::load(&net_path), &net_path);
    assert!(reason.contains("Network::load"), "{reason}");
}

#[test]
fn not_json_empty_and_cut_off_files_say_so() {
    let (path, text) = saved_text("cut.json");
    let cases = [
        ("hello, world".to_string(), "not JSON"),
        (String::new(), "ends too early"),
        (text[..text.len() / 2].to_string(), "ends too early"),
        // Cut in the middle of W(1)'s first weight, 1e-310: `1e` is a syntax error, at the end.
        (text[..text.find("[[1e-310").unwrap() + 4].to_string(), "ends too early"),
        (text[..text.find("[[1e-310").unwrap() + 5].to_string(), "ends too early"),
        ("[1, 2, 3]".to_string(), "not what nnlib saves"),
        ("{\"format\": \"nnlib-network\"}".to_string(), "missing field `version`"),
    ];
    for (content, expected) in cases {
        std::fs::write(&path, &content).unwrap();
        let reason = model_file_reason(Network::load(&path), &path);
        assert!(reason.contains(expected), "{content:.40}: {reason}");
    }
}

#[test]
fn a_missing_file_is_an_io_error() {
    let path = temp("does-not-exist.json");
    assert!(matches!(Network::load(&path), Err(Error::Io { .. })));
    assert!(matches!(Standardizer::load(&path), Err(Error::Io { .. })));
}

#[test]
fn a_changed_weight_fails_the_checksum() {
    let (path, text) = saved_text("checksum.json");
    // The first weight of W(1) is 1e-310 (edge_network): make it 2e-310.
    assert!(text.contains("\"w\":[[1e-310,"), "{text:.200}");
    std::fs::write(&path, text.replacen("\"w\":[[1e-310,", "\"w\":[[2e-310,", 1)).unwrap();
    let reason = model_file_reason(Network::load(&path), &path);
    assert!(reason.contains("checksum") && reason.contains("changed"), "{reason}");
}

/// A network file written by hand (no checksum), with these layers.
fn by_hand(name: &str, layers: &str) -> PathBuf {
    let path = temp(name);
    let text = format!(
        r#"{{"format":"nnlib-network","version":1,"nnlib":"0.1.0","contents":{{"layers":[{layers}]}}}}"#
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_file_written_by_hand_loads_through_the_same_checks() {
    let path = by_hand(
        "hand.json",
        r#"{"kind":"dense","activation":{"leaky_relu":{"slope":0.1}},"w":[[1,2],[3,4]],"b":[0,-0.5]},
           {"kind":"maxout","pieces":2,"w":[[1,0],[0,1]],"b":[0,0]}"#,
    );
    let net = Network::load(&path).unwrap();
    assert_eq!(net.sizes(), vec![2, 2, 1]);
    // a(2) = leaky ReLU(3, 6.5); the maxout neuron's pieces are 3 and 6.5.
    assert_eq!(net.predict_one(&[1.0, 1.0]).unwrap().to_vec(), vec![6.5]);
}

#[test]
fn inconsistent_or_invalid_layers_are_model_file_errors_naming_the_problem() {
    let dense = |f: &str, w: &str, b: &str| format!(r#"{{"kind":"dense","activation":{f},"w":{w},"b":{b}}}"#);
    let cases = [
        // W(2) takes 3 inputs, but layer 2 has 2 neurons.
        (
            dense("\"tanh\"", "[[1,2],[3,4]]", "[0,0]") + "," + &dense("\"identity\"", "[[1,2,3]]", "[0]"),
            "W(2)",
        ),
        (dense("\"tanh\"", "[[1,2],[3]]", "[0,0]"), "row 1"),
        (dense("\"tanh\"", "[[1,2],[3,4]]", "[0]"), "b(1)"),
        (dense("\"swish\"", "[[1]]", "[0]"), "unknown variant `swish`"),
        (
            dense("\"softmax\"", "[[1],[2]]", "[0,0]") + "," + &dense("\"identity\"", "[[1,2]]", "[0]"),
            "softmax",
        ),
        (dense("{\"elu\":{\"alpha\":null}}", "[[1]]", "[0]"), "null"),
        (dense("\"tanh\"", "[[null]]", "[0]"), "null"),
        (dense("\"tanh\"", "[[1e999]]", "[0]"), "out of range"),
        (dense("\"tanh\"", "[[1]]", "[0]") + "," + &dense("\"tanh\"", "[]", "[]"), "width 0"),
        (dense("\"tanh\"", "[[]]", "[0]"), "at least one input"),
        (r#"{"kind":"maxout","pieces":2,"w":[[1],[2],[3]],"b":[0,0,0]}"#.to_string(), "multiple of 2"),
        (r#"{"kind":"maxout","pieces":0,"w":[[1]],"b":[0]}"#.to_string(), "piece"),
        (r#"{"kind":"conv","w":[[1]],"b":[0]}"#.to_string(), "unknown variant `conv`"),
        (dense("\"tanh\"", "[[1]]", "[0]").replace("\"b\"", "\"bias\""), "bias"),
        (String::new(), "no layers"),
    ];
    for (i, (layers, expected)) in cases.iter().enumerate() {
        let path = by_hand(&format!("bad-{i}.json"), layers);
        let reason = model_file_reason(Network::load(&path), &path);
        assert!(reason.contains(expected), "{layers}: {reason}");
    }
}

#[test]
fn a_standardizer_file_must_hold_what_fit_gives() {
    let cases = [
        (r#""mean":[0,1],"std":[1]"#, "one per column"),
        (r#""mean":[0],"std":[0]"#, "must be positive"),
        (r#""mean":[0],"std":[-1]"#, "must be positive"),
        (r#""mean":[],"std":[]"#, "at least one column"),
        (r#""mean":[null],"std":[1]"#, "null"),
    ];
    for (i, (contents, expected)) in cases.iter().enumerate() {
        let path = temp(&format!("bad-scaler-{i}.json"));
        let text = format!(
            r#"{{"format":"nnlib-standardizer","version":1,"nnlib":"0.1.0","contents":{{{contents}}}}}"#
        );
        std::fs::write(&path, text).unwrap();
        let reason = model_file_reason(Standardizer::load(&path), &path);
        assert!(reason.contains(expected), "{contents}: {reason}");
    }
}

// ----------------------------------------------------------------- predict_one

#[test]
fn predict_one_is_predict_of_a_one_row_matrix() {
    let net = edge_network(Activation::Elu { alpha: 0.5 }, Activation::Softmax, 9);
    for row in inputs().rows() {
        let one = net.predict_one(row.as_slice().unwrap()).unwrap();
        let batch = net.predict(row.insert_axis(nnlib::ndarray::Axis(0))).unwrap();
        assert_eq!(to_bits(&one), to_bits(&batch));
    }
}

#[test]
fn predict_one_of_the_models_is_their_try_predict() {
    let x = array![[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1], [0.5, 0.5], [0.1, 0.3]];
    let reg = MlpRegressor::params()
        .epochs(50)
        .fit(&Dataset::new(x.clone(), array![1., 2., 1., 2., 1.5, 1.]))
        .unwrap();
    let two =
        MlpClassifier::params().epochs(50).fit(&Dataset::new(x.clone(), array![0, 1, 0, 1, 1, 0])).unwrap();
    let three =
        MlpClassifier::params().epochs(50).fit(&Dataset::new(x.clone(), array![0, 1, 0, 1, 2, 2])).unwrap();
    let (r, c2, c3) = (
        reg.try_predict(x.view()).unwrap(),
        two.try_predict(x.view()).unwrap(),
        three.try_predict(x.view()).unwrap(),
    );
    for (i, row) in x.rows().into_iter().enumerate() {
        let s = row.as_slice().unwrap();
        assert_eq!(reg.predict_one(s).unwrap().to_bits(), r[i].to_bits());
        assert_eq!(two.predict_one(s).unwrap(), c2[i]);
        assert_eq!(three.predict_one(s).unwrap(), c3[i]);
    }
}

#[test]
fn predict_one_of_the_wrong_length_names_both_lengths() {
    let x = array![[0.0, 1.0, 2.0], [1.0, 0.0, 2.0]];
    let reg = MlpRegressor::params().epochs(5).fit(&Dataset::new(x.clone(), array![1., 2.])).unwrap();
    let cls = MlpClassifier::params().epochs(5).fit(&Dataset::new(x.clone(), array![0, 1])).unwrap();
    let messages = [
        reg.predict_one(&[1.0, 2.0]).unwrap_err(),
        cls.predict_one(&[1.0, 2.0]).unwrap_err(),
        reg.network.predict_one(&[1.0, 2.0]).unwrap_err(),
        cls.network.predict_one(&[]).unwrap_err(),
    ];
    for (e, got) in messages.iter().zip([2, 2, 2, 0]) {
        let m = e.to_string();
        assert!(matches!(e, Error::Shape { .. }), "{m}");
        assert!(m.contains("takes 3 inputs") && m.contains(&format!("got {got} values")), "{m}");
    }
    let e = cls.predict_one(&[1.0, f64::NAN, 2.0]).unwrap_err();
    assert!(matches!(e, Error::NonFinite { column: 1, .. }), "{e}");
}

// ----------------------------------------------------------------- properties

fn finite() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NORMAL, SUBNORMAL, ZERO};
    prop_oneof![3 => -3.0..3.0f64, 1 => NORMAL | SUBNORMAL | ZERO]
}

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Identity),
        Just(Activation::Sigmoid),
        Just(Activation::Tanh),
        Just(Activation::Relu),
        finite().prop_map(|slope| Activation::LeakyRelu { slope }),
        finite().prop_map(|alpha| Activation::Elu { alpha }),
        Just(Activation::Exp),
    ]
}

/// A layer: dense of a width and an activation, or maxout of a width and pieces.
#[derive(Debug, Clone)]
enum Spec {
    Dense(usize, Activation),
    Maxout(usize, usize),
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        3 => (1..5usize, activation()).prop_map(|(n, f)| Spec::Dense(n, f)),
        1 => (1..4usize, 1..4usize).prop_map(|(n, k)| Spec::Maxout(n, k)),
    ]
}

/// A random network (softmax now and then on the output) with random finite
/// weights and biases, edge values included.
fn network() -> impl Strategy<Value = Network> {
    (1..5usize, prop::collection::vec(spec(), 1..4), any::<bool>(), any::<u64>()).prop_flat_map(
        |(n_in, specs, softmax, seed)| {
            let mut b = Network::builder(n_in).seed(seed);
            for s in &specs {
                b = match *s {
                    Spec::Dense(n, f) => b.dense(n, f),
                    Spec::Maxout(n, k) => b.maxout(n, k),
                };
            }
            if softmax {
                b = b.dense(3, Activation::Softmax);
            }
            let net = b.build().expect("valid sizes");
            let n_params = net.n_params();
            prop::collection::vec(finite(), n_params).prop_map(move |values| {
                let mut net = net.clone();
                let mut values = values.into_iter();
                for l in 1..=net.layers().len() {
                    let (w, b) = (net.w(l).unwrap().clone(), net.b(l).unwrap().clone());
                    let w = w.mapv(|_| values.next().unwrap());
                    let b = b.mapv(|_| values.next().unwrap());
                    net.set_w(l, w).unwrap();
                    net.set_b(l, b).unwrap();
                }
                net
            })
        },
    )
}

fn valid_network() -> Network {
    edge_network(Activation::leaky_relu(), Activation::Softmax, 5)
}

/// A valid file's bytes (a small network with edge values), saved once for
/// all cases (and test threads).
fn valid_file() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let path = temp("valid.json");
        valid_network().save(&path).unwrap();
        std::fs::read(&path).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_networks_round_trip_bit_identically(net in network()) {
        let loaded = save_and_load(&net, "random");
        prop_assert_eq!(bits(&loaded), bits(&net));
        let x = Array2::from_elem((2, net.n_inputs()), 0.5);
        prop_assert_eq!(prediction_bits(&loaded, &x), prediction_bits(&net, &x));
    }

    /// One changed byte: an error, or (when the change does not change the
    /// numbers, such as `e` to `E` in `1e-310`) the very same network. Half
    /// the new bytes are characters of numbers, so that many changes still
    /// give valid JSON with another weight, which only the checksum catches.
    #[test]
    fn a_damaged_file_is_an_error_or_the_same_network(
        at in any::<prop::sample::Index>(),
        byte in prop_oneof![any::<u8>(), prop::sample::select(b"0123456789eE-.".to_vec())],
    ) {
        let mut bytes = valid_file().to_vec();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let path = unique("damaged");
        std::fs::write(&path, &bytes).unwrap();
        let loaded = Network::load(&path);
        std::fs::remove_file(&path).unwrap();
        match loaded {
            Ok(net) => prop_assert_eq!(bits(&net), bits(&valid_network())),
            Err(e) => prop_assert!(matches!(e, Error::ModelFile { .. }), "{}", e),
        }
    }

    #[test]
    fn a_cut_off_file_is_an_error(at in any::<prop::sample::Index>()) {
        let bytes = valid_file();
        // Without its last byte (the newline) the file is still whole.
        let len = at.index(bytes.len() - 1);
        let path = unique("cut");
        std::fs::write(&path, &bytes[..len]).unwrap();
        let e = Network::load(&path).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        prop_assert!(matches!(e, Error::ModelFile { .. }), "{}", e);
    }

    #[test]
    fn random_bytes_are_an_error(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let path = unique("noise");
        std::fs::write(&path, &bytes).unwrap();
        let (net, scaler) = (Network::load(&path), Standardizer::load(&path));
        std::fs::remove_file(&path).unwrap();
        prop_assert!(matches!(net, Err(Error::ModelFile { .. })), "{:?}", net);
        prop_assert!(matches!(scaler, Err(Error::ModelFile { .. })), "{:?}", scaler);
    }
}
