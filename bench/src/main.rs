//! The Rust side of `bash bench/run.sh`: nnlib (and linfa) on the benchmark
//! workloads. `bench/run.py` starts one process per workload and
//! implementation, so that each one's peak memory can be measured on its own,
//! and reads the single JSON line it prints.
//!
//! ```text
//! nnlib-bench prepare DIR                  write the shared inputs into DIR (see below)
//! nnlib-bench run WORKLOAD IMPL DIR [--min-reps N] [--min-seconds S]
//!                                          IMPL: nnlib or linfa
//! nnlib-bench matmul N [--min-reps N]      ndarray's `dot` on two N x N f64 matrices
//! nnlib-bench noop                         the process's own footprint, for the memory table
//! nnlib-bench scale H BATCH STEPS [...]    one point of the scaling sweep (see `run_scale`)
//! nnlib-bench plot-scaling CSV OUT_DIR THREADS
//!                                          draw scaling.csv into OUT_DIR/scaling.svg, scaling-batch.svg
//! ```
//!
//! Built with `--features blas` (bash bench/run.sh does both builds when
//! OpenBLAS is installed), nnlib's products go through the system OpenBLAS.
//!
//! Every implementation reads the same bytes: `prepare` writes the
//! standardised data, nnlib's initial weights and the order in which nnlib's
//! trainer visits the samples (its seeded shuffles), as raw little-endian
//! files that numpy reads with `np.fromfile`. The synthetic P3 data is made by
//! numpy (`p3_x.f64`, `p3_labels.u8`) before `prepare` runs. So numpy and
//! PyTorch repeat nnlib's computation step for step, and their final losses
//! agree with nnlib's to rounding.

use nnlib::data::{self, Standardizer};
use nnlib::linfa::prelude::*;
use nnlib::linfa_linear::LinearRegression;
use nnlib::linfa_logistic::LogisticRegression;
use nnlib::ndarray::{s, Array1, Array2, Axis};
use nnlib::{Activation, Cost, MlpClassifier, Network, Optimizer, TrainConfig};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use rand::SeedableRng;
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Seeds both nnlib's initial weights and its mini-batch shuffles.
const SEED: u64 = 42;

// ---------------------------------------------------------------------------
// A counting allocator: how many allocations one training run makes.
// ---------------------------------------------------------------------------

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

// ---------------------------------------------------------------------------
// The workloads.
// ---------------------------------------------------------------------------

/// A network trained by nnlib's `Network::train` (P1, P2, P3).
struct NetSpec {
    sizes: &'static [usize],
    activations: &'static [Activation],
    cost: Cost,
    epochs: usize,
    learning_rate: f64,
    batch: Option<usize>,
    /// File stem of the inputs in DIR: `{stem}_x.f64` and the targets.
    data: &'static str,
}

const P1: NetSpec = NetSpec {
    sizes: &[1, 1],
    activations: &[Activation::Identity],
    cost: Cost::Mse,
    epochs: 1000,
    learning_rate: 0.1,
    batch: None,
    data: "p1",
};

const P2: NetSpec = NetSpec {
    sizes: &[30, 16, 8, 1],
    activations: &[Activation::Tanh, Activation::Tanh, Activation::Sigmoid],
    cost: Cost::BinaryCrossEntropy,
    epochs: 100,
    learning_rate: 0.1,
    batch: Some(32),
    data: "p2",
};

const P3: NetSpec = NetSpec {
    sizes: &[784, 256, 10],
    activations: &[Activation::Relu, Activation::Softmax],
    cost: Cost::CategoricalCrossEntropy,
    epochs: 3,
    learning_rate: 0.05,
    batch: Some(256),
    data: "p3",
};

impl NetSpec {
    fn network(&self) -> Network {
        Network::new(self.sizes, self.activations, SEED).expect("valid sizes")
    }

    fn config(&self) -> TrainConfig {
        let c = TrainConfig::new(self.epochs, self.learning_rate).seed(SEED);
        match self.batch {
            Some(b) => c.batch_size(b),
            None => c,
        }
    }

    /// The inputs and the targets as nnlib wants them (one-hot for P3).
    fn load(&self, dir: &Path) -> (Array2<f64>, Array2<f64>) {
        let n_in = self.sizes[0];
        let x = read_f64(&dir.join(format!("{}_x.f64", self.data)));
        let n = x.len() / n_in;
        let x = Array2::from_shape_vec((n, n_in), x).expect("x file has whole rows");
        let y = if self.data == "p3" {
            let labels: Vec<usize> = std::fs::read(dir.join("p3_labels.u8"))
                .expect("p3_labels.u8 (made by bench/run.py)")
                .into_iter()
                .map(usize::from)
                .collect();
            nnlib::data::one_hot(&labels, 10).expect("labels < 10")
        } else {
            let y = read_f64(&dir.join(format!("{}_y.f64", self.data)));
            Array2::from_shape_vec((n, 1), y).expect("one target per row")
        };
        (x, y)
    }

    /// Floating-point operations in the matrix products of one training run:
    /// per sample and epoch, forward `2 Σ n_in n_out`, backward `2 n_in n_out`
    /// for every `dC/dW` plus `2 n_in n_out` for every `dC/da` below the last
    /// layer (none is needed for the input layer); then one forward pass over
    /// all samples for the final loss.
    fn matmul_flops(&self, n: usize) -> f64 {
        let pairs: Vec<f64> = self.sizes.windows(2).map(|w| (w[0] * w[1]) as f64).collect();
        let forward = 2.0 * pairs.iter().sum::<f64>();
        let per_sample = 2.0 * forward + 2.0 * pairs[1..].iter().sum::<f64>();
        (per_sample * self.epochs as f64 + forward) * n as f64
    }
}

fn spec(workload: &str) -> Option<&'static NetSpec> {
    match workload {
        "P1_linreg_gd" => Some(&P1),
        "P2_mlp_bc" => Some(&P2),
        "P3_mlp_wide" => Some(&P3),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Timing and output.
// ---------------------------------------------------------------------------

struct Timing {
    min_reps: usize,
    min_seconds: f64,
}

/// Runs `f` once to warm up, then at least `min_reps` times and for at least
/// `min_seconds` in all (at most 200 times); returns the times in ms and the
/// last result.
fn measure<T>(t: &Timing, mut f: impl FnMut() -> T) -> (Vec<f64>, T) {
    let start = Instant::now();
    let mut out = f();
    let warm = start.elapsed().as_secs_f64();
    let reps = ((t.min_seconds / warm.max(1e-9)).ceil() as usize).clamp(t.min_reps, 200.max(t.min_reps));
    let mut times = Vec::with_capacity(reps);
    for _ in 0..reps {
        let start = Instant::now();
        out = f();
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    (times, out)
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        0.5 * (s[m - 1] + s[m])
    }
}

/// One JSON object on one line; `extra` values are already JSON.
fn emit(workload: &str, implementation: &str, times: &[f64], loss: Option<f64>, extra: &[(&str, String)]) {
    let mut j = String::new();
    let med = median(times);
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    write!(j, "{{\"workload\": \"{workload}\", \"implementation\": \"{implementation}\"").unwrap();
    write!(j, ", \"median_ms\": {med}, \"min_ms\": {min}, \"reps\": {}", times.len()).unwrap();
    match loss {
        Some(l) => write!(j, ", \"final_loss\": {l}").unwrap(),
        None => write!(j, ", \"final_loss\": null").unwrap(),
    }
    let list: Vec<String> = times.iter().map(|t| format!("{t:.4}")).collect();
    write!(j, ", \"times_ms\": [{}]", list.join(", ")).unwrap();
    write!(j, ", \"peak_rss_mib\": {}", peak_rss_mib()).unwrap();
    for (k, v) in extra {
        write!(j, ", \"{k}\": {v}").unwrap();
    }
    j.push('}');
    println!("{j}");
}

/// This process's peak resident memory in MiB: VmHWM, the high-water mark of
/// its own address space (getrusage's ru_maxrss would include the peak of the
/// process that started it, inherited across fork and exec).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kib.map_or(f64::NAN, |k| k / 1024.0)
}

// ---------------------------------------------------------------------------
// Files.
// ---------------------------------------------------------------------------

/// A file of little-endian f64, read without a second copy in memory (the
/// memory table compares peak memory, and P3's inputs are 63 MB).
fn read_f64(path: &Path) -> Vec<f64> {
    use std::io::Read;
    let fail = |e: std::io::Error| -> ! { panic!("{}: {e} (run bench/run.sh)", path.display()) };
    let file = std::fs::File::open(path).unwrap_or_else(|e| fail(e));
    let len = file.metadata().unwrap_or_else(|e| fail(e)).len() as usize / 8;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut values = Vec::with_capacity(len);
    let mut bytes = [0u8; 8];
    for _ in 0..len {
        reader.read_exact(&mut bytes).unwrap_or_else(|e| fail(e));
        values.push(f64::from_le_bytes(bytes));
    }
    values
}

fn write_f64<'a>(path: &Path, values: impl IntoIterator<Item = &'a f64>) {
    let bytes: Vec<u8> = values.into_iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The diabetes features (all 10 or only `bmi`) and `progression`, both standardised.
fn diabetes(only_bmi: bool) -> (Array2<f64>, Array1<f64>) {
    let ds = data::diabetes().expect("data/diabetes.csv");
    let mut x = ds.records().to_owned();
    if only_bmi {
        let bmi = ds.feature_names().iter().position(|n| n == "bmi").expect("a bmi column");
        x = x.slice(s![.., bmi..bmi + 1]).to_owned();
    }
    let x = Standardizer::fit(x.view()).unwrap().transform(x.view()).unwrap();
    let t = ds.targets().view();
    let y = Standardizer::fit_targets(t).unwrap().transform_targets(t).unwrap();
    (x, y)
}

/// The breast-cancer features, standardised, and the labels 0 / 1.
fn breast_cancer() -> (Array2<f64>, Array1<usize>) {
    let ds = data::breast_cancer().expect("data/breast_cancer.csv");
    let x = Standardizer::fit(ds.records().view()).unwrap().transform(ds.records().view()).unwrap();
    (x, ds.targets().to_owned())
}

/// The sample order of every epoch, exactly as `Network::train` shuffles it.
fn epoch_orders(n: usize, epochs: usize) -> Vec<u32> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut order: Vec<usize> = (0..n).collect();
    let mut all = Vec::with_capacity(n * epochs);
    for _ in 0..epochs {
        order.shuffle(&mut rng);
        all.extend(order.iter().map(|&i| i as u32));
    }
    all
}

fn prepare(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let (x1, y1) = diabetes(true);
    write_f64(&dir.join("p1_x.f64"), x1.iter());
    write_f64(&dir.join("p1_y.f64"), y1.iter());
    let (x10, _) = diabetes(false);
    write_f64(&dir.join("b1all_x.f64"), x10.iter());
    let (x2, labels) = breast_cancer();
    write_f64(&dir.join("p2_x.f64"), x2.iter());
    let y2: Vec<f64> = labels.iter().map(|&l| l as f64).collect();
    write_f64(&dir.join("p2_y.f64"), y2.iter());
    let mut meta = String::from("{");
    for (name, spec, n) in [("p1", &P1, x1.nrows()), ("p2", &P2, x2.nrows()), ("p3", &P3, 10_000)] {
        // Initial weights: W(1), b(1), W(2), b(2), ... with W row-major (n_out x n_in).
        let net = spec.network();
        let params: Vec<f64> = net
            .layers()
            .iter()
            .flat_map(|l| l.w().iter().chain(l.b().iter()).copied().collect::<Vec<_>>())
            .collect();
        write_f64(&dir.join(format!("{name}_init.f64")), params.iter());
        if spec.batch.is_some() {
            let order: Vec<u8> = epoch_orders(n, spec.epochs).iter().flat_map(|i| i.to_le_bytes()).collect();
            std::fs::write(dir.join(format!("{name}_order.u32")), order).unwrap();
        }
        write!(
            meta,
            "{}\"{name}\": {{\"n\": {n}, \"sizes\": {:?}, \"epochs\": {}, \"learning_rate\": {}, \"batch\": {}}}",
            if name == "p1" { "" } else { ", " },
            spec.sizes,
            spec.epochs,
            spec.learning_rate,
            spec.batch.map_or("null".to_string(), |b| b.to_string()),
        )
        .unwrap();
    }
    meta.push_str(&format!(", \"seed\": {SEED}}}\n"));
    std::fs::write(dir.join("meta.json"), meta).unwrap();
}

// ---------------------------------------------------------------------------
// Runs.
// ---------------------------------------------------------------------------

fn run_net(workload: &str, spec: &NetSpec, dir: &Path, t: &Timing) {
    let (x, y) = spec.load(dir);
    let net0 = spec.network();
    let config = spec.config();
    let mut allocs = 0;
    let (times, loss) = measure(t, || {
        let mut net = net0.clone();
        let before = ALLOCS.load(Ordering::Relaxed);
        let h = net.train(x.view(), y.view(), spec.cost, &config).expect("training works");
        allocs = ALLOCS.load(Ordering::Relaxed) - before;
        // The cost on the whole training set after the last update (numpy and PyTorch
        // compute the same at the end of their runs).
        h.final_loss
    });
    let flops = spec.matmul_flops(x.nrows());
    let extra = [
        ("allocs_per_run", allocs.to_string()),
        ("matmul_gflop", (flops / 1e9).to_string()),
        ("gflops", (flops / (median(&times) * 1e-3) / 1e9).to_string()),
    ];
    emit(workload, "nnlib", &times, Some(loss), &extra);
}

/// Mean squared error of predictions `p` against `y`.
fn mse(p: &Array1<f64>, y: &Array1<f64>) -> f64 {
    (p - y).mapv(|d| d * d).mean().unwrap()
}

/// Mean binary cross-entropy of probabilities `p` for labels `y`.
fn bce(p: &Array1<f64>, y: &Array1<usize>) -> f64 {
    let n = p.len() as f64;
    p.iter().zip(y).map(|(&p, &y)| nnlib::Cost::BinaryCrossEntropy.loss(p, y as f64)).sum::<f64>() / n
}

/// B1: least squares. linfa solves the normal equations; nnlib's linear neuron
/// runs gradient descent (ε = 0.1) until its MSE is within `REL_TOL` of
/// linfa's optimum.
fn run_ols(workload: &str, only_bmi: bool, implementation: &str, t: &Timing) {
    const REL_TOL: f64 = 1e-6;
    let (x, y) = diabetes(only_bmi);
    let ds = Dataset::new(x.clone(), y.clone());
    let ols = LinearRegression::new().fit(&ds).expect("OLS fits");
    let best = mse(&ols.predict(&x), &y);
    match implementation {
        "linfa" => {
            let (times, loss) = measure(t, || {
                let fit = LinearRegression::new().fit(&ds).expect("OLS fits");
                mse(&fit.predict(&x), &y)
            });
            emit(workload, "linfa", &times, Some(loss), &[]);
        }
        _ => {
            let yc = y.clone().insert_axis(Axis(1));
            let config = TrainConfig::new(1_000_000, 0.1).tolerance(best * (1.0 + REL_TOL));
            let net0 = Network::new(&[x.ncols(), 1], &[Activation::Identity], SEED).unwrap();
            let (times, (loss, epochs)) = measure(t, || {
                let mut net = net0.clone();
                let h = net.train(x.view(), yc.view(), Cost::Mse, &config).expect("training works");
                (mse(&net.predict(x.view()).unwrap().column(0).to_owned(), &y), h.loss.len())
            });
            let extra = [("epochs", epochs.to_string()), ("ols_mse", best.to_string())];
            emit(workload, "nnlib", &times, Some(loss), &extra);
        }
    }
}

/// B2: logistic regression on the breast-cancer data. linfa: L-BFGS (at most
/// 100 iterations, no L2 penalty); nnlib: one sigmoid neuron, BCE, full-batch
/// gradient descent (`MlpClassifier` with no hidden layer, 1000 epochs, ε = 0.1).
fn run_logreg(workload: &str, implementation: &str, t: &Timing) {
    let (x, labels) = breast_cancer();
    let ds = Dataset::new(x.clone(), labels.clone());
    match implementation {
        "linfa" => {
            let (times, loss) = measure(t, || {
                let fit = LogisticRegression::default().alpha(0.0).fit(&ds).expect("logistic fits");
                let p = fit.predict_probabilities(&x);
                // predict_probabilities is P(labels().pos); make it P(label 1).
                let p = if fit.labels().pos.class == 1 { p } else { p.mapv(|p| 1.0 - p) };
                bce(&p, &labels)
            });
            emit(workload, "linfa", &times, Some(loss), &[]);
        }
        _ => {
            // B2's settings, spelled out: MlpClassifier's defaults are Adam on mini-batches.
            let params = MlpClassifier::params()
                .hidden(&[])
                .optimizer(Optimizer::Sgd)
                .learning_rate(0.1)
                .epochs(1000)
                .batch_size(x.nrows())
                .weight_decay(0.0)
                .seed(SEED);
            let (times, loss) = measure(t, || {
                let fit = params.fit(&ds).expect("nnlib fits");
                bce(&fit.predict_proba(x.view()).unwrap().column(1).to_owned(), &labels)
            });
            emit(workload, "nnlib", &times, Some(loss), &[("epochs", "1000".into())]);
        }
    }
}

/// ndarray's `dot` for two n x n matrices: the ceiling for nnlib's matrix products.
fn run_matmul(n: usize, t: &Timing) {
    let a = Array2::from_shape_fn((n, n), |(i, j)| ((i * 7 + j * 3) % 17) as f64 / 17.0 - 0.5);
    let b = Array2::from_shape_fn((n, n), |(i, j)| ((i * 5 + j * 11) % 13) as f64 / 13.0 - 0.5);
    let (times, sum) = measure(t, || a.dot(&b).sum());
    let gflops = 2.0 * (n as f64).powi(3) / (median(&times) * 1e-3) / 1e9;
    let threads = std::env::var("MATMUL_NUM_THREADS").unwrap_or_else(|_| "unset".into());
    let extra = [
        ("gflops", gflops.to_string()),
        ("checksum", sum.to_string()),
        ("threads", format!("\"{threads}\"")),
    ];
    emit(&format!("matmul_{n}"), "nnlib", &times, None, &extra);
}

/// One point of the scaling sweep: a `784-H-10` network (ReLU, softmax, CCE)
/// makes `steps` full-batch SGD steps (ε = 0.01) on one batch of `batch`
/// samples, uniform in [-1, 1], labels `i mod 10`; `Network::train` then
/// evaluates the cost once more, as `numpy_impl.py`'s `scale` does.
fn run_scale(h: usize, batch: usize, steps: usize, t: &Timing) {
    let mut rng = StdRng::seed_from_u64(SEED);
    let x = Array2::from_shape_simple_fn((batch, 784), || rng.gen_range(-1.0..1.0));
    let labels: Vec<usize> = (0..batch).map(|i| i % 10).collect();
    let y = nnlib::data::one_hot(&labels, 10).expect("labels < 10");
    let net0 = Network::new(&[784, h, 10], &[Activation::Relu, Activation::Softmax], SEED).expect("sizes");
    let config = TrainConfig::new(steps, 0.01);
    let (times, loss) = measure(t, || {
        let mut net = net0.clone();
        net.train(x.view(), y.view(), Cost::CategoricalCrossEntropy, &config)
            .expect("training works")
            .final_loss
    });
    let extra = [("h", h.to_string()), ("batch", batch.to_string()), ("steps", steps.to_string())];
    emit(&format!("scale_{h}_{batch}"), "nnlib", &times, Some(loss), &extra);
}

/// Draws `scaling.csv` (written by `bench/scaling.py`): GFLOP/s against the
/// hidden width (`scaling.svg`) and against the batch size (`scaling-batch.svg`),
/// one line per implementation, both axes doubling or quadrupling per step.
fn plot_scaling(csv: &Path, out: &Path, threads: &str) {
    let text = std::fs::read_to_string(csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    let mut rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
    rows.retain(|r| r.len() >= 8);
    let threads = if threads == "1" { "1 thread".to_string() } else { format!("{threads} threads") };
    for (sweep, file, x_label) in [
        ("width", "scaling.svg", "hidden width H = 16, 32, 64, ..., 2048 (doubles at each step); batch 256"),
        ("batch", "scaling-batch.svg", "batch size = 1, 4, 16, 64, 256, 1024 (× 4 at each step); H = 256"),
    ] {
        let mut names: Vec<&str> = Vec::new();
        for r in rows.iter().filter(|r| r[0] == sweep) {
            if !names.contains(&r[3]) {
                names.push(r[3]);
            }
        }
        let series: Vec<(&str, Vec<f64>)> = names
            .iter()
            .map(|&n| {
                let gflops = rows.iter().filter(|r| r[0] == sweep && r[3] == n);
                (n, gflops.map(|r| r[7].parse::<f64>().expect("GFLOP/s column")).collect())
            })
            .collect();
        if series.is_empty() {
            continue;
        }
        let refs: Vec<(&str, &[f64])> = series.iter().map(|(n, v)| (*n, v.as_slice())).collect();
        let title = format!("One SGD step of a 784-H-10 MLP (ReLU, softmax, f64, {threads})");
        let fig = nnlib::plot::curves_log(&title, x_label, "GFLOP/s (log scale)", &refs).expect("plot");
        fig.save(out.join(file)).expect("write the SVG");
        println!("wrote {}", out.join(file).display());
    }
}

/// The core OpenBLAS picked for this CPU (with `--features blas`).
#[cfg(feature = "blas")]
fn blas_core() -> String {
    extern "C" {
        fn openblas_get_corename() -> *const std::ffi::c_char;
        fn openblas_get_config() -> *const std::ffi::c_char;
    }
    // SAFETY: both return pointers to static NUL-terminated strings inside OpenBLAS.
    let (core, config) = unsafe {
        (std::ffi::CStr::from_ptr(openblas_get_corename()), std::ffi::CStr::from_ptr(openblas_get_config()))
    };
    format!("\"{}, kernel {}\"", config.to_string_lossy().trim(), core.to_string_lossy())
}

#[cfg(not(feature = "blas"))]
fn blas_core() -> String {
    "null".into()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: f64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{name} takes a number, got {v}")))
    };
    let t = Timing { min_reps: flag("--min-reps", 5.0) as usize, min_seconds: flag("--min-seconds", 0.5) };
    let positional: Vec<&str> = args
        .iter()
        .enumerate()
        // Keep words that are neither a flag nor a flag's value.
        .filter(|(i, a)| {
            let is_flag = a.starts_with("--");
            let is_flag_value = *i > 0 && args[i - 1].starts_with("--");
            !is_flag && !is_flag_value
        })
        .map(|(_, a)| a.as_str())
        .collect();
    match positional.as_slice() {
        ["prepare", dir] => prepare(Path::new(dir)),
        ["run", workload, implementation, dir] => {
            let dir = PathBuf::from(dir);
            match (*workload, *implementation) {
                (w, "nnlib") if spec(w).is_some() => run_net(w, spec(w).unwrap(), &dir, &t),
                ("B1_ols_bmi", i) => run_ols("B1_ols_bmi", true, i, &t),
                ("B1_ols_all10", i) => run_ols("B1_ols_all10", false, i, &t),
                ("B2_logreg_bc", i) => run_logreg("B2_logreg_bc", i, &t),
                (w, i) => {
                    eprintln!("nnlib-bench: no workload {w} for implementation {i}");
                    std::process::exit(2);
                }
            }
        }
        ["matmul", n] => run_matmul(n.parse().expect("matmul N"), &t),
        ["noop"] => emit("noop", "nnlib", &[0.0], None, &[("blas", blas_core())]),
        ["scale", h, batch, steps] => {
            let num =
                |v: &str| v.parse::<usize>().unwrap_or_else(|_| panic!("scale takes whole numbers, got {v}"));
            run_scale(num(h), num(batch), num(steps), &t)
        }
        ["plot-scaling", csv, out, threads] => plot_scaling(Path::new(csv), Path::new(out), threads),
        _ => {
            eprintln!("usage: see the top of bench/src/main.rs");
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The orders written for numpy and PyTorch are the ones nnlib's trainer
    /// uses: training with them by hand gives bit-identical weights.
    #[test]
    fn epoch_orders_match_the_trainer() {
        let x = Array2::from_shape_fn((10, 2), |(i, j)| (i as f64 - 4.5) * 0.1 + j as f64 * 0.05);
        let y = x.map_axis(Axis(1), |r| r[0] - r[1]).insert_axis(Axis(1));
        let (epochs, batch) = (3, 4);
        let mut trained = Network::new(&[2, 1], &[Activation::Identity], SEED).unwrap();
        let mut by_hand = trained.clone();
        let config = TrainConfig::new(epochs, 0.1).batch_size(batch).seed(SEED);
        trained.train(x.view(), y.view(), Cost::Mse, &config).unwrap();
        for epoch in epoch_orders(10, epochs).chunks(10) {
            for idx in epoch.chunks(batch) {
                let rows: Vec<usize> = idx.iter().map(|&i| i as usize).collect();
                let (xb, yb) = (x.select(Axis(0), &rows), y.select(Axis(0), &rows));
                let one_step = TrainConfig::new(1, 0.1);
                by_hand.train(xb.view(), yb.view(), Cost::Mse, &one_step).unwrap();
            }
        }
        assert_eq!(trained, by_hand);
    }

    #[test]
    fn matmul_flops_of_p3() {
        // 2 (2 (784·256 + 256·10) + 256·10) per sample and epoch, + 2 (784·256 + 256·10).
        let forward = 2.0 * (784.0 * 256.0 + 2560.0);
        assert_eq!(P3.matmul_flops(1), (2.0 * forward + 2.0 * 2560.0) * 3.0 + forward);
    }

    #[test]
    fn files_round_trip() {
        let dir = std::env::temp_dir().join(format!("nnlib-bench-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let v = [1.5, -0.25, f64::MIN_POSITIVE];
        write_f64(&dir.join("v.f64"), v.iter());
        assert_eq!(read_f64(&dir.join("v.f64")), v);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
