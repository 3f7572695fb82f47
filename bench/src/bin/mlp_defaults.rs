//! `mlp-defaults`: nnlib's `MlpClassifier::params()` against scikit-learn's
//! `MLPClassifier()` on the same held-out splits (`bash bench/mlp_defaults/run.sh`).
//!
//! ```text
//! mlp-defaults prepare DIR [--seeds N]       the shared inputs, below
//! mlp-defaults fit DIR VARIANT [--seeds N]   one CSV row per data set, scaling and seed, on stdout
//! ```
//!
//! `prepare` writes, for each data set NAME (digits, breast_cancer, two_moons,
//! then every `DIR/extra/*.csv` that scikit-learn's side exported):
//! `NAME.csv` (the data as loaded), and for each seed `NAME_split_SEED.txt`
//! (line 1: the training rows' indices, line 2: the test rows', from
//! `stratified_train_test_split(…, 0.25, SEED)`) and `NAME_std_SEED.csv` (every
//! row standardised by a `Standardizer` fitted on that seed's training rows).
//! Both sides read these files and nothing else, so they see the same numbers.
//!
//! VARIANT is `default` (`MlpClassifier::params().seed(SEED)`, whatever the
//! defaults are), `old` (the defaults before issue 19), `sklearn`
//! (scikit-learn's settings in nnlib's terms), or a spec
//! `h=100,act=relu,opt=adam,lr=0.001,bs=200,ep=200,wd=0,init=auto`
//! (`bs=full`: the whole training set; `alpha=A` instead of `wd`: scikit-learn's
//! per-batch `alpha`, turned into nnlib's `λ = A n / min(bs, n)`).

use nnlib::data::{self, Standardizer};
use nnlib::linfa::prelude::*;
use nnlib::linfa::DatasetBase;
use nnlib::ndarray::{Array1, Array2, Axis};
use nnlib::{Activation, Init, MlpClassifier, Optimizer};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

type Labelled = DatasetBase<Array2<f64>, Array1<usize>>;

/// The test part's share, as in the workshop's notebooks.
const TEST_FRACTION: f64 = 0.25;
/// The defaults before issue 19.
const OLD: &str = "h=16,act=tanh,opt=sgd,lr=0.1,bs=full,ep=1000,wd=0,init=auto";
/// scikit-learn's `MLPClassifier()` defaults (its `tol`/`n_iter_no_change`
/// stop has no nnlib counterpart: nnlib runs every epoch).
const SKLEARN: &str = "h=100,act=relu,opt=adam,lr=0.001,bs=200,ep=200,alpha=0.0001,init=auto";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds = args
        .iter()
        .position(|a| a == "--seeds")
        .and_then(|i| args.get(i + 1))
        .map_or(10, |v| v.parse().unwrap_or_else(|_| panic!("--seeds takes a whole number, got {v}")));
    let positional: Vec<&str> =
        args.iter().map(String::as_str).take_while(|a| !a.starts_with("--")).collect();
    let result = match positional.as_slice() {
        ["prepare", dir] => prepare(Path::new(dir), seeds),
        ["fit", dir, variant] => fit_all(Path::new(dir), variant, seeds),
        _ => {
            eprintln!("usage: see the top of bench/src/bin/mlp_defaults.rs");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("mlp-defaults: {e}");
        std::process::exit(1);
    }
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The data sets, in the order of the table.
fn datasets(dir: &Path) -> Res<Vec<(String, Labelled)>> {
    let mut sets = vec![
        ("digits".to_string(), data::digits()?),
        ("breast_cancer".to_string(), data::breast_cancer()?),
        ("two_moons".to_string(), data::synthetic::two_moons(400, 0.2, 3)?),
    ];
    let mut extra: Vec<PathBuf> = match std::fs::read_dir(dir.join("extra")) {
        Ok(entries) => entries.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?,
        Err(_) => vec![],
    };
    extra.retain(|p| p.extension().is_some_and(|e| e == "csv"));
    extra.sort();
    for path in extra {
        let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        sets.push((name, data::load_classification(&path, "target")?));
    }
    Ok(sets)
}

/// The training and test rows of `stratified_train_test_split(ds, 0.25, seed)`.
///
/// The split depends on the labels and the seed only, so splitting a copy
/// whose one feature is the row's index gives the indices; checked against
/// the real split.
fn split_indices(ds: &Labelled, seed: u64) -> Res<(Vec<usize>, Vec<usize>)> {
    let n = ds.records.nrows();
    let index = DatasetBase::new(Array2::from_shape_fn((n, 1), |(i, _)| i as f64), ds.targets.clone());
    let (train, test) = data::stratified_train_test_split(&index, TEST_FRACTION, seed)?;
    let rows = |d: &Labelled| d.records.column(0).iter().map(|&v| v as usize).collect::<Vec<_>>();
    let (train, test) = (rows(&train), rows(&test));
    let (real_train, real_test) = data::stratified_train_test_split(ds, TEST_FRACTION, seed)?;
    assert_eq!(real_train.records, ds.records.select(Axis(0), &train), "training rows differ");
    assert_eq!(real_test.records, ds.records.select(Axis(0), &test), "test rows differ");
    Ok((train, test))
}

/// Writes `x` and the labels as a CSV with header `x0,…,target`; f64's
/// `Display` is the shortest text that parses back to the same bits.
fn write_csv(path: &Path, x: &Array2<f64>, y: &Array1<usize>) -> Res<()> {
    let mut s: String = (0..x.ncols()).map(|j| format!("x{j},")).collect();
    s.push_str("target\n");
    for (row, label) in x.rows().into_iter().zip(y) {
        for v in row {
            write!(s, "{v},")?;
        }
        writeln!(s, "{label}")?;
    }
    Ok(std::fs::write(path, s)?)
}

fn indices_line(rows: &[usize]) -> String {
    rows.iter().map(usize::to_string).collect::<Vec<_>>().join(" ")
}

fn prepare(dir: &Path, seeds: u64) -> Res<()> {
    std::fs::create_dir_all(dir)?;
    let mut names = String::new();
    for (name, ds) in datasets(dir)? {
        write_csv(&dir.join(format!("{name}.csv")), &ds.records, &ds.targets)?;
        for seed in 0..seeds {
            let (train, test) = split_indices(&ds, seed)?;
            let split = format!("{}\n{}\n", indices_line(&train), indices_line(&test));
            std::fs::write(dir.join(format!("{name}_split_{seed}.txt")), split)?;
            let scaler = Standardizer::fit(ds.records.select(Axis(0), &train).view())?;
            let x = scaler.transform(ds.records.view())?;
            write_csv(&dir.join(format!("{name}_std_{seed}.csv")), &x, &ds.targets)?;
        }
        eprintln!(
            "mlp-defaults: {name}: {} rows, {} features, {seeds} splits",
            ds.nsamples(),
            ds.nfeatures()
        );
        names.push_str(&name);
        names.push('\n');
    }
    Ok(std::fs::write(dir.join("datasets.txt"), names)?)
}

/// A variant's hyper-parameters, every one set (so a change of the defaults
/// does not change `old` or `sklearn`).
#[derive(Debug, Clone)]
struct Spec {
    hidden: Vec<usize>,
    activation: Activation,
    optimizer: Optimizer,
    learning_rate: f64,
    batch: Option<usize>,
    epochs: usize,
    /// nnlib's `λ`, or scikit-learn's `alpha` to convert per data set.
    decay: Decay,
    init: Init,
}

#[derive(Debug, Clone, Copy)]
enum Decay {
    Lambda(f64),
    Alpha(f64),
}

fn parse_spec(spec: &str) -> Res<Spec> {
    let mut s = Spec {
        hidden: vec![100],
        activation: Activation::Relu,
        optimizer: Optimizer::adam(),
        learning_rate: 1e-3,
        batch: Some(200),
        epochs: 200,
        decay: Decay::Lambda(0.0),
        init: Init::Auto,
    };
    for kv in spec.split(',') {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("{kv:?} is not key=value"))?;
        match k {
            "h" => {
                s.hidden = v.split('-').filter(|w| !w.is_empty()).map(str::parse).collect::<Result<_, _>>()?
            }
            "act" => {
                s.activation = match v {
                    "relu" => Activation::Relu,
                    "tanh" => Activation::Tanh,
                    "sigmoid" => Activation::Sigmoid,
                    _ => return Err(format!("act={v}: relu, tanh or sigmoid").into()),
                }
            }
            "opt" => {
                s.optimizer = match v {
                    "sgd" => Optimizer::Sgd,
                    "momentum" => Optimizer::momentum(),
                    "adam" => Optimizer::adam(),
                    _ => return Err(format!("opt={v}: sgd, momentum or adam").into()),
                }
            }
            "lr" => s.learning_rate = v.parse()?,
            "bs" => s.batch = if v == "full" { None } else { Some(v.parse()?) },
            "ep" => s.epochs = v.parse()?,
            "wd" => s.decay = Decay::Lambda(v.parse()?),
            "alpha" => s.decay = Decay::Alpha(v.parse()?),
            "init" => {
                s.init = match v {
                    "auto" => Init::Auto,
                    "xavier" => Init::Xavier,
                    "he" => Init::He,
                    _ => return Err(format!("init={v}: auto, xavier or he").into()),
                }
            }
            _ => return Err(format!("unknown key {k:?} in {spec:?}").into()),
        }
    }
    Ok(s)
}

/// `λ` for `n` training rows.
fn lambda(spec: &Spec, n: usize) -> f64 {
    match spec.decay {
        Decay::Lambda(l) => l,
        // scikit-learn: dC/dw += alpha w / batch; nnlib: λ w / n.
        Decay::Alpha(a) => a * n as f64 / spec.batch.unwrap_or(n).min(n) as f64,
    }
}

/// One fit and its held-out scores: (accuracy, log loss, seconds, epochs).
fn fit_one(
    variant: &str,
    spec: Option<&Spec>,
    train: &Labelled,
    test: &Labelled,
    seed: u64,
) -> Res<[f64; 4]> {
    let params = match spec {
        None => MlpClassifier::params().seed(seed),
        Some(s) => MlpClassifier::params()
            .hidden(&s.hidden)
            .activation(s.activation)
            .optimizer(s.optimizer)
            .learning_rate(s.learning_rate)
            .batch_size(s.batch.unwrap_or(usize::MAX))
            .epochs(s.epochs)
            .weight_decay(lambda(s, train.nsamples()))
            .dropout(0.0)
            .init(s.init)
            .seed(seed),
    };
    let t0 = Instant::now();
    let model = params.fit(train).map_err(|e| format!("{variant}: {e}"))?;
    let seconds = t0.elapsed().as_secs_f64();
    let p = model.predict_proba(test.records.view())?;
    let (acc, log_loss) = scores(&p, &test.targets);
    Ok([acc, log_loss, seconds, model.history.loss.len() as f64])
}

/// Accuracy (argmax) and log loss `-mean ln max(p_true, 1e-15)`, the same
/// formula as the Python side.
fn scores(p: &Array2<f64>, y: &Array1<usize>) -> (f64, f64) {
    let n = y.len() as f64;
    let correct = p.rows().into_iter().zip(y).filter(|(row, &label)| data::argmax(*row) == label).count();
    let loss: f64 = p.rows().into_iter().zip(y).map(|(row, &label)| -row[label].max(1e-15).ln()).sum();
    (correct as f64 / n, loss / n)
}

fn read_split(path: &Path) -> Res<(Vec<usize>, Vec<usize>)> {
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines().map(|l| l.split(' ').map(str::parse).collect::<Result<Vec<usize>, _>>());
    let mut next = || lines.next().ok_or_else(|| format!("{}: two lines expected", path.display()));
    Ok((next()??, next()??))
}

fn select(ds: &Labelled, rows: &[usize]) -> Labelled {
    DatasetBase::new(ds.records.select(Axis(0), rows), ds.targets.select(Axis(0), rows))
}

fn fit_all(dir: &Path, variant: &str, seeds: u64) -> Res<()> {
    let spec = match variant {
        "default" => None,
        "old" => Some(parse_spec(OLD)?),
        "sklearn" => Some(parse_spec(SKLEARN)?),
        other => Some(parse_spec(other)?),
    };
    let side = if variant.contains('=') { format!("nnlib[{variant}]") } else { format!("nnlib-{variant}") };
    let names = std::fs::read_to_string(dir.join("datasets.txt"))?;
    println!("side,dataset,scaling,seed,accuracy,log_loss,fit_seconds,epochs");
    for name in names.lines() {
        for scaling in ["raw", "std"] {
            for seed in 0..seeds {
                let file = match scaling {
                    "raw" => format!("{name}.csv"),
                    _ => format!("{name}_std_{seed}.csv"),
                };
                let ds = data::load_classification(dir.join(file), "target")?;
                let (train, test) = read_split(&dir.join(format!("{name}_split_{seed}.txt")))?;
                let [acc, log_loss, seconds, epochs] =
                    fit_one(variant, spec.as_ref(), &select(&ds, &train), &select(&ds, &test), seed)?;
                println!("\"{side}\",{name},{scaling},{seed},{acc},{log_loss},{seconds},{epochs}");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_indices_are_the_stratified_split() {
        let ds = data::synthetic::two_moons(40, 0.1, 1).unwrap();
        let (train, test) = split_indices(&ds, 7).unwrap();
        assert_eq!(train.len() + test.len(), 40);
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort();
        assert_eq!(all, (0..40).collect::<Vec<_>>());
    }

    #[test]
    fn alpha_becomes_lambda_per_batch() {
        let s = parse_spec("alpha=0.0001,bs=200").unwrap();
        assert!((lambda(&s, 1000) - 0.0005).abs() < 1e-15);
        // Fewer rows than a batch: the full batch, λ = alpha.
        assert_eq!(lambda(&s, 100), 0.0001);
    }

    #[test]
    fn scores_count_argmax_and_log_loss() {
        let p = nnlib::ndarray::array![[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]];
        let (acc, loss) = scores(&p, &nnlib::ndarray::array![0, 1, 1]);
        assert_eq!(acc, 2.0 / 3.0);
        let expected = -(0.9f64.ln() + 0.8f64.ln() + 0.4f64.ln()) / 3.0;
        assert!((loss - expected).abs() < 1e-15);
    }
}
