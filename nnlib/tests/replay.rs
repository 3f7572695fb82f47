//! Tests of `nnlib::plot::{Recorder, Replay}`: the replay is a well-formed,
//! animated SVG whose frames hold the recorded values (read back from the
//! drawing through each panel's `data-map`), whose static picture is its first
//! frame, which stays within its frame budget, and bad input is a typed error.

use nnlib::ndarray::{array, Array1, Array2};
use nnlib::plot::{Recorder, Replay, CURVE_SAMPLES, SURFACE_GRID};
use nnlib::{Activation, Cost, Error, History, Network, TrainConfig};

// ----------------------------------------------------------------- helpers

/// `Err` unless `cond`, with the message; the well-formedness check's `assert!`.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// Checks that `svg` is well-formed XML: one root element, every tag closed in
/// order, attributes quoted, and `&` only in the five XML escapes or `&#..;`.
fn well_formed(svg: &str) -> Result<(), String> {
    let mut stack: Vec<&str> = vec![];
    let mut rest = svg.trim();
    let mut roots = 0;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt])?;
        ensure!(
            !stack.is_empty() || rest[..lt].trim().is_empty(),
            "text outside the root: {:?}",
            &rest[..lt]
        );
        rest = &rest[lt..];
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").ok_or("unclosed comment")?;
            rest = &body[end + 3..];
            continue;
        }
        let gt = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            ensure!(open == name.trim(), "<{open}> closed by </{name}>");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name = tag.split_whitespace().next().ok_or("a tag without a name")?;
        ensure!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'), "bad name {name:?}");
        check_attributes(&tag[name.len()..])?;
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name);
        }
    }
    check_text(rest)?;
    ensure!(stack.is_empty(), "unclosed elements: {stack:?}");
    ensure!(roots == 1, "an XML document has one root element, this has {roots}");
    Ok(())
}

fn assert_well_formed(svg: &str) {
    if let Err(e) = well_formed(svg) {
        panic!("not well-formed XML: {e}");
    }
}

/// `name="value"` pairs only, each name once.
fn check_attributes(mut attrs: &str) -> Result<(), String> {
    let mut seen = vec![];
    loop {
        attrs = attrs.trim_start();
        if attrs.is_empty() {
            return Ok(());
        }
        let eq = attrs.find('=').ok_or(format!("attribute without a value: {attrs:?}"))?;
        let name = attrs[..eq].trim();
        ensure!(!seen.contains(&name), "attribute {name} twice");
        seen.push(name);
        let value = attrs[eq + 1..].trim_start();
        let quote = value.chars().next().ok_or("attribute without a value")?;
        ensure!(quote == '"' || quote == '\'', "unquoted attribute {name}");
        let end = value[1..].find(quote).ok_or("unclosed attribute value")?;
        let text = &value[1..1 + end];
        ensure!(!text.contains('<'), "< inside attribute {name}");
        check_text(text)?;
        attrs = &value[end + 2..];
    }
}

/// `&` only as an entity.
fn check_text(text: &str) -> Result<(), String> {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        let known = ["&lt;", "&gt;", "&amp;", "&quot;", "&apos;"].contains(&entity)
            || (entity.starts_with("&#") && entity.ends_with(';'));
        ensure!(known, "bare & in {text:?}");
    }
    Ok(())
}

#[test]
fn the_well_formedness_check_catches_broken_documents() {
    for bad in [
        "<svg><g></svg>",
        "<svg a=1/>",
        "<svg/><svg/>",
        "<svg>a & b</svg>",
        "<svg><g></g>",
        "<svg a=\"1\" a=\"2\"/>",
    ] {
        assert!(well_formed(bad).is_err(), "{bad} passed");
    }
    assert_eq!(well_formed("<svg a=\"1\"><g b='2'>x &amp; y<br/></g><!-- c --></svg>"), Ok(()));
}

/// The opening tag (up to `>`) of the first element with `class="{class}"`,
/// and what follows it up to its closing tag.
fn element<'a>(svg: &'a str, tag: &str, class: &str) -> (&'a str, &'a str) {
    let needle = format!("<{tag} class=\"{class}\"");
    let start = svg.find(&needle).unwrap_or_else(|| panic!("no {needle}"));
    let rest = &svg[start..];
    let gt = rest.find('>').unwrap();
    let end = rest.find(&format!("</{tag}>")).unwrap_or(gt);
    (&rest[..gt], &rest[gt..end])
}

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let key = format!(" {name}=\"");
    let at = tag.find(&key).unwrap_or_else(|| panic!("no {name} in {tag}")) + key.len();
    &tag[at..at + tag[at..].find('"').unwrap()]
}

/// The `values` of the `<animate attributeName="{name}">` in `inner`, one per frame.
fn animated<'a>(inner: &'a str, name: &str) -> Vec<&'a str> {
    let key = format!("<animate attributeName=\"{name}\"");
    let at = inner.find(&key).unwrap_or_else(|| panic!("no animation of {name}"));
    attr(&inner[at..], "values").split(';').collect()
}

/// A panel's map from pixels back to data: (x of pixel, y of pixel).
struct Map([f64; 8]);

impl Map {
    fn of(svg: &str, panel: &str) -> Map {
        let (tag, _) = element(svg, "g", &format!("panel {panel}"));
        let v: Vec<f64> = attr(tag, "data-map").split(' ').map(|s| s.parse().unwrap()).collect();
        Map(v.try_into().unwrap())
    }
    fn x(&self, px: f64) -> f64 {
        let [x0, x1, p0, p1, ..] = self.0;
        x0 + (px - p0) / (p1 - p0) * (x1 - x0)
    }
    fn y(&self, py: f64) -> f64 {
        let [.., y0, y1, q0, q1] = self.0;
        y0 + (py - q0) / (q1 - q0) * (y1 - y0)
    }
    /// Half a pixel's worth of y: the drawing keeps two decimals of a pixel.
    fn y_tolerance(&self) -> f64 {
        let [.., y0, y1, q0, q1] = self.0;
        0.01 * (y1 - y0).abs() / (q1 - q0).abs()
    }
}

fn points(polyline: &str) -> Vec<(f64, f64)> {
    polyline
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// `n` points near the line y = 2x + 1, x in [-1.5, 1.5].
fn data(n: usize) -> (Array2<f64>, Array2<f64>) {
    let x = Array2::from_shape_fn((n, 1), |(i, _)| -1.5 + 3.0 * i as f64 / (n - 1) as f64);
    let y = x.mapv(|v| 2.0 * v + 1.0) + Array2::from_shape_fn((n, 1), |(i, _)| 0.3 * (7.0 * i as f64).sin());
    (x, y)
}

/// What [`recorded`] gives: the recorder, the histories' losses, each frame's
/// (w, b), and the data.
type Recorded = (Recorder, Vec<f64>, Vec<(f64, f64)>, Array2<f64>, Array2<f64>);

/// A single neuron from w = b = 0, trained `rounds` times `k` epochs with a
/// record after each; also the histories' losses and each frame's (w, b).
fn recorded(n: usize, rounds: usize, k: usize) -> Recorded {
    let (x, y) = data(n);
    let mut net = Network::zeroed(&[1, 1], &[Activation::Identity]).unwrap();
    let mut recorder = Recorder::new(&net).unwrap();
    let (mut losses, mut wb) = (vec![], vec![(0.0, 0.0)]);
    for _ in 0..rounds {
        let history = net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(k, 0.05)).unwrap();
        recorder.record(&net, &history).unwrap();
        losses.extend(&history.loss);
        wb.push((net.w(1).unwrap()[[0, 0]], net.b(1).unwrap()[0]));
    }
    (recorder, losses, wb, x, y)
}

fn history(loss: Vec<f64>) -> History {
    let mut h = History::new();
    h.loss = loss;
    h.final_loss = 0.0;
    h
}

// ----------------------------------------------------------------- the figure

#[test]
fn a_replay_is_a_well_formed_animated_svg_that_loops() {
    let (recorder, ..) = recorded(50, 10, 4);
    let fig = Replay::new("Line & loss <during> training")
        .fit(&recorder, data(50).0.view(), data(50).1.view())
        .unwrap();
    let svg = fig.svg();
    assert_well_formed(svg);
    assert!(svg.starts_with("<svg"));
    assert!(!svg.contains("<script"), "no JavaScript");
    assert!(svg.contains("Line &amp; loss &lt;during&gt; training"));
    let animations: Vec<&str> = svg.split("<animate ").skip(1).collect();
    assert!(animations.len() >= 4 + 11, "{} animations", animations.len());
    for a in animations {
        assert!(a.contains("repeatCount=\"indefinite\""), "does not loop: {a}");
        let (values, times) = (attr(a, "values").split(';').count(), attr(a, "keyTimes").split(';').count());
        assert_eq!(values, times, "values and keyTimes differ in length: {a}");
        let times: Vec<f64> = attr(a, "keyTimes").split(';').map(|t| t.parse().unwrap()).collect();
        assert_eq!(times[0], 0.0);
        assert!(times.windows(2).all(|w| w[0] < w[1]) && times[times.len() - 1] < 1.0, "{times:?}");
    }
}

#[test]
fn the_loss_curve_frames_hold_the_histories_losses() {
    let (recorder, losses, ..) = recorded(50, 10, 4);
    assert_eq!(recorder.loss(), &losses[..]);
    assert_eq!(recorder.epochs(), (0..=10).map(|r| 4 * r).collect::<Vec<_>>());
    let (x, y) = data(50);
    let svg = Replay::new("t").fit(&recorder, x.view(), y.view()).unwrap().svg().to_string();
    let map = Map::of(&svg, "loss");
    let (_, dot) = element(&svg, "circle", "loss-now");
    let (cx, cy) = (animated(dot, "cx"), animated(dot, "cy"));
    assert_eq!(cx.len(), 11);
    for (i, epoch) in recorder.epochs().into_iter().enumerate() {
        let shown = epoch.max(1); // epoch 0 shows the untrained network's cost, epoch 1's loss
        assert!((map.x(cx[i].parse().unwrap()) - shown as f64).abs() < 1e-3, "frame {i}: x {}", cx[i]);
        let drawn = map.y(cy[i].parse().unwrap());
        let want = losses[shown - 1];
        assert!((drawn - want).abs() <= map.y_tolerance(), "frame {i}: loss {drawn} drawn, {want} recorded");
    }
    // The whole run's curve holds every epoch's loss.
    let (all, _) = element(&svg, "polyline", "loss-all");
    let all = points(attr(all, "points"));
    assert_eq!(all.len(), losses.len());
    for (&(_, py), &want) in all.iter().zip(&losses) {
        assert!((map.y(py) - want).abs() <= map.y_tolerance());
    }
    // The counter names each frame's epoch, out of the total.
    let counters: Vec<&str> = svg.split("data-epoch=\"").skip(1).collect();
    assert_eq!(counters.len(), 11);
    for (c, epoch) in counters.iter().zip(recorder.epochs()) {
        assert!(c.starts_with(&format!("{epoch}\">epoch {epoch} of 40<")), "{c}");
    }
}

#[test]
fn the_line_frames_end_at_w_x_plus_b() {
    let (recorder, _, wb, x, y) = recorded(50, 10, 4);
    let svg = Replay::new("t").fit(&recorder, x.view(), y.view()).unwrap().svg().to_string();
    let map = Map::of(&svg, "fit");
    let (_, line) = element(&svg, "polyline", "prediction");
    let frames = animated(line, "points");
    assert_eq!(frames.len(), wb.len());
    for (frame, &(w, b)) in frames.iter().zip(&wb) {
        let ends = points(frame);
        assert_eq!(ends.len(), 2, "a single neuron's line is drawn by its two ends");
        for (px, py) in ends {
            let xv = map.x(px);
            assert!((map.y(py) - (w * xv + b)).abs() <= 2.0 * map.y_tolerance(), "w {w} b {b} at x {xv}");
        }
    }
    // The line moved: the first and last frames differ.
    assert_ne!(frames[0], frames[frames.len() - 1]);
}

#[test]
fn the_static_picture_is_the_first_frame() {
    let (recorder, _, _, x, y) = recorded(50, 10, 4);
    let svg = Replay::new("t").fit(&recorder, x.view(), y.view()).unwrap().svg().to_string();
    let (tag, inner) = element(&svg, "polyline", "prediction");
    assert_eq!(attr(tag, "points"), animated(inner, "points")[0]);
    let (tag, inner) = element(&svg, "circle", "loss-now");
    assert_eq!(attr(tag, "cx"), animated(inner, "cx")[0]);
    assert_eq!(attr(tag, "cy"), animated(inner, "cy")[0]);
    let clip = &svg[svg.find("<clipPath id=\"loss-so-far\">").unwrap()..];
    assert_eq!(attr(clip, "width"), animated(clip, "width")[0]);
    // Only frame 0's counter shows without animation; the trained line and the
    // whole loss curve are drawn statically, so the still tells the story.
    let visible: Vec<&str> = svg.split("visibility=\"visible\" data-epoch=\"").skip(1).collect();
    assert_eq!(visible.len(), 1);
    assert!(visible[0].starts_with("0\">epoch 0 of 40"));
    assert!(svg.contains("class=\"final\"") && svg.contains("class=\"loss-all\""));
    assert!(svg.contains(">after 40 epochs</text>"));
}

#[test]
fn the_frame_budget_subsamples_evenly_and_bounds_the_size() {
    let (recorder, ..) = recorded(300, 200, 1);
    let (x, y) = data(300);
    let svg_of = |n: usize| {
        Replay::new("t").max_frames(n).fit(&recorder, x.view(), y.view()).unwrap().svg().to_string()
    };
    let (svg20, svg40) = (svg_of(20), svg_of(40));
    let epochs: Vec<usize> =
        svg40.split("data-epoch=\"").skip(1).map(|c| c[..c.find('"').unwrap()].parse().unwrap()).collect();
    assert_eq!(epochs.len(), 40);
    assert_eq!((epochs[0], epochs[39]), (0, 200), "first and last frames kept");
    let steps: Vec<usize> = epochs.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(steps.iter().all(|&s| s == 5 || s == 6), "evenly spread: {steps:?}");
    let per_frame = (svg40.len() - svg20.len()) as f64 / 20.0;
    assert!(per_frame < 600.0, "{per_frame} bytes per frame");
    assert!(svg40.len() < 60_000, "{} bytes", svg40.len());
    // More recorded frames than the budget do not make a larger figure.
    assert!(svg_of(1000).len() > svg40.len());
    assert_eq!(svg_of(1000).matches("data-epoch=").count(), 201);
}

/// Prints the sizes the docs state: `cargo test -p nnlib --test replay typical -- --nocapture`.
#[test]
fn typical_replay_size() {
    let (recorder, ..) = recorded(300, 200, 1);
    let (x, y) = data(300);
    let size =
        |n: usize| Replay::new("t").max_frames(n).fit(&recorder, x.view(), y.view()).unwrap().svg().len();
    let (s20, s40) = (size(20), size(40));
    println!(
        "single neuron, 300 points, 200 epochs: 40 frames {s40} bytes, {} bytes a frame",
        (s40 - s20) / 20
    );
    let (mut net, mut hidden) =
        (Network::new(&[1, 8, 1], &[Activation::Tanh, Activation::Identity], 1).unwrap(), None);
    for _ in 0..40 {
        let h = net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(5, 0.05)).unwrap();
        let r = hidden.get_or_insert_with(|| Recorder::new(&net).unwrap());
        r.record(&net, &h).unwrap();
    }
    let r = hidden.unwrap();
    let size = |n: usize| Replay::new("t").max_frames(n).fit(&r, x.view(), y.view()).unwrap().svg().len();
    let (h20, h40) = (size(20), size(40));
    println!("1-8-1 tanh, 300 points: 40 frames {h40} bytes, {} bytes a frame", (h40 - h20) / 20);
    assert!(s40 < 60_000 && h40 < 120_000);
}

#[test]
fn a_network_with_hidden_layers_draws_its_curve() {
    let (x, y) = data(40);
    let mut net = Network::new(&[1, 6, 1], &[Activation::Tanh, Activation::Identity], 3).unwrap();
    let mut recorder = Recorder::new(&net).unwrap();
    let mut nets = vec![net.clone()];
    for _ in 0..5 {
        let h = net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(10, 0.05)).unwrap();
        recorder.record(&net, &h).unwrap();
        nets.push(net.clone());
    }
    let svg = Replay::new("t").fit(&recorder, x.view(), y.view()).unwrap().svg().to_string();
    assert_well_formed(&svg);
    let map = Map::of(&svg, "fit");
    let (_, line) = element(&svg, "polyline", "prediction");
    let frames = animated(line, "points");
    for (frame, net) in frames.iter().zip(&nets) {
        let pts = points(frame);
        assert_eq!(pts.len(), CURVE_SAMPLES);
        let xs = Array2::from_shape_vec((pts.len(), 1), pts.iter().map(|p| map.x(p.0)).collect()).unwrap();
        let want = net.predict(xs.view()).unwrap();
        for (&(_, py), &a) in pts.iter().zip(want.iter()) {
            assert!((map.y(py) - a).abs() <= 2.0 * map.y_tolerance() + 1e-9 * a.abs());
        }
    }
}

// ----------------------------------------------------------------- errors

#[test]
fn a_network_of_another_shape_is_a_shape_error() {
    let net = Network::zeroed(&[1, 1], &[Activation::Identity]).unwrap();
    let mut recorder = Recorder::new(&net).unwrap();
    let other = Network::zeroed(&[1, 3, 1], &[Activation::Tanh, Activation::Identity]).unwrap();
    let err = recorder.record(&other, &history(vec![1.0])).unwrap_err();
    assert!(matches!(err, Error::Shape { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("[1, 1]") && msg.contains("[1, 3, 1]"), "{msg}");
    assert_eq!(recorder.n_frames(), 1, "nothing recorded");
}

#[test]
fn a_replay_of_0_frames_is_an_error() {
    let net = Network::zeroed(&[1, 1], &[Activation::Identity]).unwrap();
    let recorder = Recorder::new(&net).unwrap();
    let (x, y) = data(10);
    let err = Replay::new("t").fit(&recorder, x.view(), y.view()).unwrap_err();
    assert!(matches!(err, Error::Empty(ref m) if m.contains("0 frames")), "{err:?}");
    let (recorder, ..) = recorded(10, 3, 1);
    for n in [0, 1] {
        let err = Replay::new("t").max_frames(n).fit(&recorder, x.view(), y.view()).unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { name: "max_frames", .. }), "{err:?}");
    }
    for s in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = Replay::new("t").seconds(s).fit(&recorder, x.view(), y.view()).unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { name: "seconds", .. }), "{err:?}");
    }
}

#[test]
fn non_finite_values_are_errors() {
    let mut net = Network::zeroed(&[1, 1], &[Activation::Identity]).unwrap();
    let mut recorder = Recorder::new(&net).unwrap();
    recorder.record(&net, &history(vec![2.0])).unwrap();
    let err = recorder.record(&net, &history(vec![1.0, f64::NAN])).unwrap_err();
    assert!(matches!(err, Error::NonFinite { row: 1, ref what, .. } if what.contains("epoch 3")), "{err:?}");
    assert_eq!((recorder.n_frames(), recorder.loss().len()), (2, 1), "nothing recorded");

    // nnlib's own API never gives a network a NaN weight (set_w, set_b and
    // training refuse or roll back), so the recorder's weight check is a guard only.
    assert!(net.set_b(1, Array1::from_elem(1, f64::INFINITY)).is_err());

    let (recorder, ..) = recorded(10, 3, 1);
    let (x, mut y) = data(10);
    y[[4, 0]] = f64::NAN;
    let err = Replay::new("t").fit(&recorder, x.view(), y.view()).unwrap_err();
    assert!(matches!(err, Error::NonFinite { row: 4, .. }), "{err:?}");
}

#[test]
fn fit_needs_one_input_one_output_and_matching_columns() {
    let net = Network::zeroed(&[2, 1], &[Activation::Identity]).unwrap();
    let mut recorder = Recorder::new(&net).unwrap();
    recorder.record(&net, &history(vec![1.0])).unwrap();
    let (x, y) = (array![[0.0, 1.0]], array![[1.0]]);
    assert!(matches!(Replay::new("t").fit(&recorder, x.view(), y.view()), Err(Error::Shape { .. })));

    let (recorder, ..) = recorded(10, 3, 1);
    let (x, y) = data(10);
    let short = y.slice(nnlib::ndarray::s![..5, ..]);
    assert!(matches!(Replay::new("t").fit(&recorder, x.view(), short), Err(Error::Shape { .. })));
    let empty = Array2::<f64>::zeros((0, 1));
    assert!(matches!(Replay::new("t").fit(&recorder, empty.view(), empty.view()), Err(Error::Empty(_))));
}

/// Writes a replay to /tmp/replay-preview.svg for a human to watch:
/// `cargo test -p nnlib --test replay -- --ignored preview`.
#[test]
#[ignore]
fn preview() {
    let (recorder, _, _, x, y) = recorded(120, 40, 2);
    let fig = Replay::new("A single neuron learning the line").x_label("x").y_label("y");
    fig.fit(&recorder, x.view(), y.view()).unwrap().save("/tmp/replay-preview.svg").unwrap();
    let (recorder, _) = recorded_classifier();
    let fig = Replay::new("The weights of a 2-3-1 network learning XOR");
    fig.network(&recorder).unwrap().save("/tmp/replay-network-preview.svg").unwrap();
    let (recorder, _, x, y) = recorded_moons();
    let fig = Replay::new("A 2-8-1 network bending its boundary");
    fig.boundary(&recorder, x.view(), y.view()).unwrap().save("/tmp/replay-boundary-preview.svg").unwrap();
}

// ----------------------------------------------------------------- the diagram

/// A 2-3-1 sigmoid network trained on XOR-like points in 8 rounds of 25 epochs.
fn recorded_classifier() -> (Recorder, Vec<Network>) {
    let x = array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    let y = array![[0.0], [1.0], [1.0], [0.0]];
    let mut net = Network::new(&[2, 3, 1], &[Activation::Tanh, Activation::Sigmoid], 5).unwrap();
    let mut recorder = Recorder::new(&net).unwrap();
    let mut nets = vec![net.clone()];
    for _ in 0..8 {
        let h = net.train(x.view(), y.view(), Cost::BinaryCrossEntropy, &TrainConfig::new(25, 1.0)).unwrap();
        recorder.record(&net, &h).unwrap();
        nets.push(net.clone());
    }
    (recorder, nets)
}

#[test]
fn the_diagram_frames_hold_every_weight() {
    let (recorder, nets) = recorded_classifier();
    let svg = Replay::new("weights").network(&recorder).unwrap().svg().to_string();
    assert_well_formed(&svg);
    let largest = nets
        .iter()
        .flat_map(|n| [n.w(1).unwrap(), n.w(2).unwrap()])
        .flatten()
        .fold(0.0, |m: f64, w| m.max(w.abs()));
    let edges: Vec<&str> = svg.split("<line class=\"w\"").skip(1).collect();
    assert_eq!(edges.len(), 2 * 3 + 3, "one line per weight");
    let mut widest = 0.0_f64;
    for edge in edges {
        let tag = &edge[..edge.find('>').unwrap()];
        let (l, j, k): (usize, usize, usize) = (
            attr(tag, "data-l").parse().unwrap(),
            attr(tag, "data-j").parse().unwrap(),
            attr(tag, "data-k").parse().unwrap(),
        );
        let (widths, colours) = (animated(edge, "stroke-width"), animated(edge, "stroke"));
        assert_eq!(widths.len(), nets.len());
        assert_eq!(
            (attr(tag, "stroke-width"), attr(tag, "stroke")),
            (widths[0], colours[0]),
            "static = frame 0"
        );
        for ((width, colour), net) in widths.iter().zip(&colours).zip(&nets) {
            let w = net.w(l).unwrap()[[j - 1, k - 1]];
            let t: f64 = (width.parse::<f64>().unwrap() - 0.5) / 4.5;
            widest = widest.max(t);
            assert!((t - w.abs() / largest).abs() < 0.003, "w{j}{k}({l}) = {w}: width {width}");
            let (red, blue) = (
                u8::from_str_radix(&colour[1..3], 16).unwrap(),
                u8::from_str_radix(&colour[5..7], 16).unwrap(),
            );
            assert_eq!(blue > red, w > 0.0, "w{j}{k}({l}) = {w} drawn {colour}");
        }
    }
    assert!((widest - 1.0).abs() < 1e-3, "the largest weight is drawn widest");
    let counters: Vec<&str> = svg.split("data-epoch=\"").skip(1).collect();
    assert_eq!(counters.len(), 9);
    assert!(counters[8].starts_with("200\">epoch 200 of 200<"));
}

#[test]
fn the_diagram_refuses_what_it_cannot_draw() {
    let net = Network::zeroed(&[1, 1], &[Activation::Identity]).unwrap();
    assert!(matches!(Replay::new("t").network(&Recorder::new(&net).unwrap()), Err(Error::Empty(_))));
    let big = Network::new(&[30, 10, 1], &[Activation::Relu, Activation::Identity], 0).unwrap();
    let mut recorder = Recorder::new(&big).unwrap();
    recorder.record(&big, &history(vec![1.0])).unwrap();
    let err = Replay::new("t").network(&recorder).unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { name: "network", ref reason } if reason.contains("310 weights")),
        "{err:?}"
    );
    let maxout = Network::builder(2).maxout(3, 2).dense(1, Activation::Identity).build().unwrap();
    let mut recorder = Recorder::new(&maxout).unwrap();
    recorder.record(&maxout, &history(vec![1.0])).unwrap();
    let err = Replay::new("t").network(&recorder).unwrap_err();
    assert!(
        matches!(err, Error::InvalidParameter { ref reason, .. } if reason.contains("maxout")),
        "{err:?}"
    );
}

/// Prints the diagram replay's size: `cargo test -p nnlib --test replay diagram_size -- --nocapture`.
#[test]
fn diagram_size() {
    let (recorder, _) = recorded_classifier();
    let size = |n: usize| Replay::new("t").max_frames(n).network(&recorder).unwrap().svg().len();
    let (s5, s9) = (size(5), size(9));
    println!("2-3-1 diagram, 9 frames: {s9} bytes, {} bytes a frame", (s9 - s5) / 4);
    assert!(s9 < 20_000);
}

// ----------------------------------------------------------------- the boundary

/// Two moons (200 points, noise 0.1, seed 4) and a 2-8-1 tanh/sigmoid network
/// (seed 1) trained in 10 rounds of 30 epochs; the networks of every frame.
fn recorded_moons() -> (Recorder, Vec<Network>, Array2<f64>, Array2<f64>) {
    let moons = nnlib::data::synthetic::two_moons(200, 0.1, 4).unwrap();
    let x = moons.records().to_owned();
    let y = moons.targets().mapv(|c| c as f64).insert_axis(nnlib::ndarray::Axis(1));
    let mut net = Network::new(&[2, 8, 1], &[Activation::Tanh, Activation::Sigmoid], 1).unwrap();
    let mut recorder = Recorder::new(&net).unwrap();
    let mut nets = vec![net.clone()];
    for _ in 0..10 {
        let h = net.train(x.view(), y.view(), Cost::BinaryCrossEntropy, &TrainConfig::new(30, 0.5)).unwrap();
        recorder.record(&net, &h).unwrap();
        nets.push(net.clone());
    }
    (recorder, nets, x, y)
}

#[test]
fn the_boundary_frames_lie_where_the_network_says_one_half() {
    let (recorder, nets, x, y) = recorded_moons();
    let svg = Replay::new("moons").boundary(&recorder, x.view(), y.view()).unwrap().svg().to_string();
    assert_well_formed(&svg);
    let map = Map::of(&svg, "fit");
    let (tag, inner) = element(&svg, "path", "boundary");
    let frames = animated(inner, "d");
    assert_eq!(frames.len(), nets.len());
    assert_eq!(attr(tag, "d"), frames[0], "the static picture is frame 0");
    let mut moved = false;
    for (frame, net) in frames.iter().zip(&nets) {
        let numbers: Vec<f64> =
            frame.split(['M', 'L', ' ']).filter(|t| !t.is_empty()).map(|t| t.parse().unwrap()).collect();
        let ends: Vec<[f64; 2]> = numbers.chunks_exact(2).map(|p| [map.x(p[0]), map.y(p[1])]).collect();
        assert!(ends.len() >= 20, "a boundary across the plane: {} points", ends.len());
        let xs = Array2::from_shape_vec((ends.len(), 2), ends.concat()).unwrap();
        let p = net.predict(xs.view()).unwrap();
        let worst = p.iter().map(|p| (p - 0.5).abs()).fold(0.0, f64::max);
        assert!(worst < 0.05, "a boundary point where the network says {worst} away from 0.5");
        moved |= *frame != frames[0];
    }
    assert!(moved, "the boundary moves during training");
    // Points of both classes are drawn, each in its class's group.
    let class1 = y.iter().filter(|&&v| v >= 0.5).count();
    let (_, group1) = element(&svg, "g", "class-1");
    assert_eq!(group1.matches("<circle").count(), class1);
    let (_, group0) = element(&svg, "g", "class-0");
    assert_eq!(group0.matches("<circle").count(), 200 - class1);
    // The loss panel is the same as the fit replay's.
    assert_eq!(svg.matches("data-epoch=").count(), 11);
    let six = Replay::new("moons").max_frames(6).boundary(&recorder, x.view(), y.view()).unwrap().svg().len();
    println!(
        "two moons boundary replay, 11 frames: {} bytes, {} bytes a frame",
        svg.len(),
        (svg.len() - six) / 5
    );
    assert!(svg.len() < 60_000);
}

#[test]
fn the_boundary_needs_two_inputs_one_output() {
    let (recorder, ..) = recorded(10, 3, 1);
    let (x, y) = data(10);
    assert!(matches!(Replay::new("t").boundary(&recorder, x.view(), y.view()), Err(Error::Shape { .. })));
    let (recorder, _, x, y) = recorded_moons();
    let wrong = x.slice(nnlib::ndarray::s![.., ..1]);
    assert!(matches!(Replay::new("t").boundary(&recorder, wrong, y.view()), Err(Error::Shape { .. })));
    let mut bad = x.clone();
    bad[[3, 1]] = f64::NAN;
    let err = Replay::new("t").boundary(&recorder, bad.view(), y.view()).unwrap_err();
    assert!(matches!(err, Error::NonFinite { row: 3, column: 1, .. }), "{err:?}");
}

// ----------------------------------------------------------------- properties

mod properties {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    /// A value a learner's data or history could hold, edge cases included.
    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            6 => -10.0..10.0f64,
            1 => Just(0.0),
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
            1 => Just(1e300),
            1 => Just(-1e300),
            1 => Just(f64::MAX),
            1 => Just(5e-324),
        ]
    }

    /// Runs `f`: it must not panic; an `Ok` figure must be a whole, well-formed SVG.
    fn no_panic(
        what: &str,
        f: impl FnOnce() -> nnlib::Result<nnlib::plot::Figure>,
    ) -> Result<bool, TestCaseError> {
        match catch_unwind(AssertUnwindSafe(f)) {
            Err(_) => Err(TestCaseError::fail(format!("{what} panicked"))),
            Ok(Ok(fig)) => {
                well_formed(fig.svg()).map_err(|e| TestCaseError::fail(format!("{what}: {e}")))?;
                Ok(true)
            }
            Ok(Err(_)) => Ok(false),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Random data, histories, frame budgets and durations: every replay is
        /// a figure or a typed error, never a panic; NaN or inf anywhere is an error.
        #[test]
        fn replays_never_panic(
            n in 0usize..12,
            xs in vec(value(), 24),
            ys in vec(value(), 12),
            losses in vec(vec(value(), 0..4), 0..4),
            max_frames in 0usize..6,
            seconds in prop_oneof![Just(6.0), Just(0.0), Just(f64::NAN), 0.01..100.0f64],
        ) {
            let line = Network::zeroed(&[1, 1], &[Activation::Identity]).unwrap();
            let plane = Network::new(&[2, 3, 1], &[Activation::Tanh, Activation::Sigmoid], 2).unwrap();
            let (mut r1, mut r2) = (Recorder::new(&line).unwrap(), Recorder::new(&plane).unwrap());
            let mut recorded = 0;
            for loss in &losses {
                let ok = loss.iter().all(|v| v.is_finite());
                recorded += usize::from(ok);
                prop_assert_eq!(r1.record(&line, &history(loss.clone())).is_ok(), ok);
                prop_assert_eq!(r2.record(&plane, &history(loss.clone())).is_ok(), ok);
            }
            let x1 = Array2::from_shape_vec((n, 1), xs[..n].to_vec()).unwrap();
            let x2 = Array2::from_shape_vec((n, 2), xs[..2 * n].to_vec()).unwrap();
            let y = Array2::from_shape_vec((n, 1), ys[..n].to_vec()).unwrap();
            let replay = Replay::new("t").max_frames(max_frames).seconds(seconds);
            let fit = no_panic("fit", || replay.fit(&r1, x1.view(), y.view()))?;
            let boundary = no_panic("boundary", || replay.boundary(&r2, x2.view(), y.view()))?;
            let network = no_panic("network", || replay.network(&r2))?;
            let surface = no_panic("surface", || replay.surface(&r1, x1.view(), y.view(), Cost::Mse))?;
            let finite = |m: &Array2<f64>| m.iter().all(|v| v.is_finite());
            if !finite(&x1) || !finite(&y) {
                prop_assert!(!fit, "NaN or inf data drawn");
                prop_assert!(!surface, "NaN or inf data drawn");
            }
            if !finite(&x2) || !finite(&y) {
                prop_assert!(!boundary, "NaN or inf data drawn");
            }
            // The diagram needs no data: it is drawn exactly when there is something to play.
            let playable = recorded > 0 && max_frames >= 2 && seconds.is_finite() && seconds > 0.0;
            prop_assert_eq!(network, playable);
        }
    }
}

// ----------------------------------------------------------- the cost surface

#[test]
fn the_surface_replay_walks_the_recorded_weights() {
    let (recorder, _, wb, x, y) = recorded(50, 10, 4);
    let fig =
        Replay::new("t").x_label("w").y_label("b").surface(&recorder, x.view(), y.view(), Cost::Mse).unwrap();
    let svg = fig.svg().to_string();
    assert_well_formed(&svg);
    let map = Map::of(&svg, "fit");
    let (_, dot) = element(&svg, "circle", "now");
    let (cx, cy) = (animated(dot, "cx"), animated(dot, "cy"));
    assert_eq!(cx.len(), wb.len());
    for ((px, py), &(w, b)) in cx.iter().zip(&cy).zip(&wb) {
        let (px, py): (f64, f64) = (px.parse().unwrap(), py.parse().unwrap());
        assert!(
            (map.x(px) - w).abs() < 0.01 && (map.y(py) - b).abs() < 0.01,
            "({w}, {b}) drawn at ({px}, {py})"
        );
    }
    // The path so far grows by one point a frame; the static picture is frame 0's one point.
    let (tag, path) = element(&svg, "polyline", "path");
    let frames = animated(path, "points");
    assert!(frames.iter().enumerate().all(|(i, f)| points(f).len() == i + 1));
    assert_eq!(attr(tag, "points"), frames[0]);
    let surface = &svg[svg.find("<g class=\"surface\"").unwrap()..];
    let surface = &surface[..surface.find("</g>").unwrap()];
    assert_eq!(surface.matches("<rect ").count(), SURFACE_GRID * SURFACE_GRID);
}

#[test]
fn the_surface_needs_a_single_neuron() {
    let (x, y) = data(10);
    let hidden = Network::new(&[1, 3, 1], &[Activation::Tanh, Activation::Identity], 1).unwrap();
    let mut recorder = Recorder::new(&hidden).unwrap();
    recorder.record(&hidden, &history(vec![1.0])).unwrap();
    let result = Replay::new("t").surface(&recorder, x.view(), y.view(), Cost::Mse);
    assert!(matches!(result, Err(Error::Shape { .. })), "{result:?}");
    let (recorder, _, _, x, _) = recorded(10, 2, 1);
    let wide = Array2::<f64>::zeros((10, 2));
    let result = Replay::new("t").surface(&recorder, x.view(), wide.view(), Cost::Mse);
    assert!(matches!(result, Err(Error::Shape { .. })), "{result:?}");
}
