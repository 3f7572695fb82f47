"""Runs every benchmark side by side and writes target/bench/results.{csv,md,json}.

    python bench/run.py --rust-bin target/release/nnlib-bench [--rust-blas-bin BIN] [--quick] [--only P1_linreg_gd,...]

bench/run.sh builds nnlib-bench, makes the venv and calls this with the venv's
python. Each (workload, implementation) runs in a process of its own, which
prints one JSON line (see harness.py and bench/src/main.rs) with its times,
final loss and peak resident memory (VmHWM). With --rust-blas-bin (nnlib-bench
built with `--features blas`, which run.sh does when OpenBLAS is installed)
nnlib is measured a second time, column nnlib+blas.

Thread counts are made equal: MATMUL_NUM_THREADS (matrixmultiply, which
ndarray and so nnlib use), OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (numpy) and
torch.set_num_threads all get BENCH_THREADS (default 2). OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE, which some machines here set for older OpenBLAS builds, are
removed for these processes only: they would pin a current numpy to a slower
kernel. threadpoolctl records the kernel numpy actually runs.
"""

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "target", "bench")

P3_SEED = 2024
P3_N, P3_D, P3_CLASSES = 10_000, 784, 10

# The 2048² product runs just before P3, so that P3's rate is compared with a
# ceiling measured under the same conditions.
WORKLOADS = [
    ("P1_linreg_gd", ["nnlib", "nnlib+blas", "numpy", "pytorch"]),
    ("P2_mlp_bc", ["nnlib", "nnlib+blas", "numpy", "pytorch"]),
    ("matmul_2048", ["nnlib", "nnlib+blas", "numpy", "pytorch"]),
    ("P3_mlp_wide", ["nnlib", "nnlib+blas", "numpy", "pytorch"]),
    ("B1_ols_bmi", ["nnlib", "linfa"]),
    ("B1_ols_all10", ["nnlib", "linfa"]),
    ("B2_logreg_bc", ["nnlib", "linfa"]),
    ("noop", ["nnlib", "nnlib+blas", "numpy", "pytorch"]),
]

DESCRIPTION = {
    "P1_linreg_gd": "diabetes bmi → progression (442×1), linear neuron, MSE, full batch, ε=0.1, 1000 epochs",
    "P2_mlp_bc": "breast cancer (569×30), 30-16-8-1 tanh/tanh/sigmoid, BCE, batches of 32, ε=0.1, 100 epochs",
    "P3_mlp_wide": "synthetic 10000×784, 784-256-10 ReLU/softmax, CCE, batches of 256, ε=0.05, 3 epochs",
    "B1_ols_bmi": "OLS on P1's data: linfa-linear's normal equations vs nnlib's GD to within 1e-6 of the optimal MSE",
    "B1_ols_all10": "OLS on all 10 diabetes features (standardised): same as above",
    "B2_logreg_bc": "logistic regression on breast cancer: linfa-logistic (L-BFGS, α=0) vs nnlib sigmoid neuron (1000 full-batch epochs, ε=0.1)",
}


def make_p3():
    """The synthetic P3 data, made once: x ~ N(0, 1), labels = argmax(x T) for a random teacher T."""
    stamp = os.path.join(OUT, "p3.seed")
    if os.path.exists(stamp) and open(stamp).read().strip() == str(P3_SEED):
        return
    rng = np.random.default_rng(P3_SEED)
    x = rng.standard_normal((P3_N, P3_D))
    teacher = rng.standard_normal((P3_D, P3_CLASSES))
    labels = np.argmax(x @ teacher, axis=1).astype(np.uint8)
    np.save(os.path.join(OUT, "p3.npy"), x)
    np.save(os.path.join(OUT, "p3_labels.npy"), labels)
    x.astype("<f8").tofile(os.path.join(OUT, "p3_x.f64"))  # raw little-endian f64 for Rust
    labels.tofile(os.path.join(OUT, "p3_labels.u8"))
    with open(stamp, "w") as f:
        f.write(f"{P3_SEED}\n")


def child_env(threads):
    env = dict(os.environ)
    removed = {k: env.pop(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in env}
    for k in ("MATMUL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BENCH_THREADS"):
        env[k] = str(threads)
    env["BENCH_DIR"] = OUT
    env["PYTHONPATH"] = HERE
    return env, removed


def run_measured(cmd, env):
    """(record or None, exit code, stderr) of one process.

    Each process reports its own peak memory (VmHWM, see harness.py); the
    parent's os.wait4 ru_maxrss is not used because on Linux a child inherits
    the peak of the process that forked it.
    """
    p = subprocess.run(cmd, env=env, capture_output=True, cwd=ROOT)
    rec = None
    if p.returncode == 0:
        rec = json.loads(p.stdout.decode().strip().splitlines()[-1])
    return rec, p.returncode, p.stderr.decode()


def cpu_busy(interval=0.5):
    """Fraction of all CPUs busy over `interval` seconds, from /proc/stat."""

    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + v[4]  # idle + iowait
        return idle, sum(v)

    i0, t0 = sample()
    time.sleep(interval)
    i1, t1 = sample()
    return 1.0 - (i1 - i0) / max(t1 - t0, 1)


def wait_idle(max_wait):
    """Waits (at most max_wait s) until the CPUs are < 10% busy: other processes on a
    shared machine (a build, say) slow down OpenBLAS and PyTorch threads by up to 40×
    while they spin for a busy core. Returns the last busy fraction seen."""
    deadline = time.time() + max_wait
    busy = cpu_busy()
    while busy > 0.10 and time.time() < deadline:
        busy = cpu_busy()
    return busy


def fmt_ms(v):
    if v is None:
        return "—"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def fmt_loss(v):
    return "—" if v is None else f"{v:.10g}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rust-bin", required=True)
    ap.add_argument("--rust-blas-bin", default="", help="nnlib-bench built with --features blas")
    ap.add_argument("--quick", action="store_true", help="5 runs each, no minimum time")
    ap.add_argument("--only", default="", help="comma-separated workloads")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "2")))
    ap.add_argument("--wait-idle", type=float, default=20.0,
                    help="before each measurement, wait up to this many seconds for idle CPUs (0: never)")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    t_start = time.time()

    make_p3()
    subprocess.run([args.rust_bin, "prepare", OUT], check=True, cwd=ROOT)

    env, removed = child_env(args.threads)
    timing = ["--min-reps", "5", "--min-seconds", "0" if args.quick else "1.0"]
    only = set(filter(None, args.only.split(",")))
    py = sys.executable
    def rust(binary, w):
        return [binary] + (["matmul", "2048"] if w == "matmul_2048" else ["noop"] if w == "noop" else ["run", w, "nnlib", OUT])

    commands = {
        "nnlib": lambda w: rust(args.rust_bin, w),
        "nnlib+blas": lambda w: rust(args.rust_blas_bin, w),
        "linfa": lambda w: [args.rust_bin, "run", w, "linfa", OUT],
        "numpy": lambda w: [py, os.path.join(HERE, "numpy_impl.py"), w],
        "pytorch": lambda w: [py, os.path.join(HERE, "torch_impl.py"), w],
    }

    results, notes = [], []
    torch_missing = False
    load_before = open("/proc/loadavg").read().split()[:3]
    for workload, impls in WORKLOADS:
        wanted = workload in only or workload == "noop" or (workload == "matmul_2048" and "P3_mlp_wide" in only)
        if only and not wanted:
            continue
        for impl in impls:
            if (impl == "pytorch" and torch_missing) or (impl == "nnlib+blas" and not args.rust_blas_bin):
                continue
            cmd = commands[impl](workload)
            if workload not in ("noop",):
                cmd = cmd + timing
            busy = wait_idle(args.wait_idle) if args.wait_idle > 0 and workload != "noop" else None
            rec, code, err = run_measured(cmd, env)
            if impl == "pytorch" and code == 3:
                torch_missing = True
                notes.append("PyTorch skipped: " + err.strip())
                print(f"note: {err.strip()}: PyTorch skipped", flush=True)
                continue
            if code != 0:
                sys.stderr.write(err)
                raise SystemExit(f"{' '.join(cmd)} failed with exit code {code}")
            rec["implementation"] = impl  # the blas build prints "nnlib" too
            rec["cpu_busy_before"] = busy
            results.append(rec)
            rss = rec["peak_rss_mib"]
            if workload != "noop":
                print(
                    f"{workload:14s} {impl:8s} median {fmt_ms(rec['median_ms']):>8s} ms"
                    f"  (min {fmt_ms(rec['min_ms'])}, {rec['reps']} runs)"
                    f"  final loss {fmt_loss(rec['final_loss'])}  peak RSS {rss:.0f} MiB",
                    flush=True,
                )

    load_after = open("/proc/loadavg").read().split()[:3]
    busy_starts = [f"{r['workload']}/{r['implementation']}" for r in results
                   if r.get("cpu_busy_before") is not None and r["cpu_busy_before"] > 0.10]
    if busy_starts:
        notes.append(f"{len(busy_starts)} measurement(s) started while other processes kept the CPUs "
                     f"> 10% busy (after waiting up to {args.wait_idle:.0f} s): " + ", ".join(busy_starts))
    notes.append(
        f"load average (1, 5, 15 min) before: {' '.join(load_before)}, after: {' '.join(load_after)} "
        f"on {os.cpu_count()} CPUs; above ~0.5 other processes were competing for the cores "
        "and the times are less trustworthy (compare the fastest runs, results.json)"
    )
    write_outputs(results, notes, removed, args, time.time() - t_start, (load_before, load_after))


def write_outputs(results, notes, removed, args, elapsed, loads):
    load_before, load_after = loads
    by = {(r["workload"], r["implementation"]): r for r in results}
    workloads = [w for w, _ in WORKLOADS if w.startswith(("P", "B")) and any(k[0] == w for k in by)]

    with open(os.path.join(OUT, "results.csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["workload", "implementation", "median_ms", "final_loss"])
        for r in results:
            if r["workload"] in workloads:
                wr.writerow([r["workload"], r["implementation"], f"{r['median_ms']:.6g}", repr(r["final_loss"])])
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"results": results, "notes": notes}, f, indent=1)

    def ms(w, i):
        r = by.get((w, i))
        return r["median_ms"] if r else None

    def ratio(w, i):
        a, b = ms(w, i), ms(w, "nnlib")
        return None if a is None or b is None else a / b

    # The nnlib+blas column only when that build was measured.
    impls = [i for i in ("nnlib", "nnlib+blas", "numpy", "pytorch", "linfa")
             if i != "nnlib+blas" or any(k[1] == i for k in by)]
    label = {"nnlib": "nnlib", "nnlib+blas": "nnlib+blas", "numpy": "numpy", "pytorch": "PyTorch", "linfa": "linfa"}
    head = " | ".join(label[i] for i in impls)
    others = [i for i in impls if i != "nnlib"]

    md = []
    md.append("### Median wall time (ms) and nnlib's speed-up\n")
    md.append("Ratios are other / nnlib (the default build): above 1, nnlib is faster.\n")
    md.append(f"| workload | {head} | " + " | ".join(f"{label[i]} / nnlib" for i in others) + " |")
    md.append("|---|" + "--:|" * (len(impls) + len(others)))
    for w in workloads:
        cells = [fmt_ms(ms(w, i)) for i in impls]
        rs = [("—" if ratio(w, i) is None else f"{ratio(w, i):.2f}×") for i in others]
        md.append(f"| {w} | " + " | ".join(cells + rs) + " |")
    md.append("")
    md.append("Fastest run (ms), less sensitive to other processes on the machine:\n")
    md.append(f"| workload | {head} | " + " | ".join(f"{label[i]} / nnlib" for i in others) + " |")
    md.append("|---|" + "--:|" * (len(impls) + len(others)))
    for w in workloads:
        mins = [by[(w, i)]["min_ms"] if (w, i) in by else None for i in impls]
        rs = ["—" if (m is None or mins[0] is None) else f"{m / mins[0]:.2f}×" for m in mins[1:]]
        md.append(f"| {w} | " + " | ".join([fmt_ms(m) for m in mins] + rs) + " |")
    md.append("")
    md.append("### Final loss (the same work: same data, initial weights and batch order)\n")
    md.append("P1–P3: the cost on the whole training set after the last update (nnlib's `History::final_loss`). "
              "B1: training MSE of the fit. B2: training BCE of the fit.\n")
    md.append(f"| workload | {head} |")
    md.append("|---|" + "--:|" * len(impls))
    for w in workloads:
        cells = [fmt_loss(by[(w, i)]["final_loss"]) if (w, i) in by else "—" for i in impls]
        md.append(f"| {w} | " + " | ".join(cells) + " |")
    md.append("")

    # Matrix-product ceiling and P3's rate.
    md.append("### Matrix-product ceiling (2048 × 2048 f64) and P3's rate\n")
    md.append("| implementation | 2048² product (ms) | GFLOP/s | P3 GFLOP/s | P3 / own ceiling | P3 / ndarray ceiling |")
    md.append("|---|--:|--:|--:|--:|--:|")
    p3_flop = by.get(("P3_mlp_wide", "nnlib"), {}).get("matmul_gflop")
    nd_ceiling = by.get(("matmul_2048", "nnlib"), {}).get("gflops")
    names = {"nnlib": "nnlib (ndarray `dot`, matrixmultiply)", "nnlib+blas": "nnlib+blas (ndarray `dot`, system OpenBLAS)",
             "numpy": "numpy (OpenBLAS)", "pytorch": "PyTorch"}
    for i in ("nnlib", "nnlib+blas", "numpy", "pytorch"):
        m = by.get(("matmul_2048", i))
        p3 = ms("P3_mlp_wide", i)
        if m is None:
            continue
        rate = p3_flop / (p3 * 1e-3) if (p3 and p3_flop) else None
        md.append(
            f"| {names[i]} | {fmt_ms(m['median_ms'])} | {m['gflops']:.1f} | "
            + (f"{rate:.1f} | {rate / m['gflops']:.0%} | {rate / nd_ceiling:.0%}" if rate and nd_ceiling else "— | — | —")
            + " |"
        )
    md.append("")
    if p3_flop:
        md.append(f"P3 does {p3_flop:.2f} GFLOP of matrix products: per sample and epoch "
                  "2·(2·Σ n_in·n_out + Σ_(layers after the first) n_in·n_out) (forward, dC/dW, and dC/da "
                  "below the output; none for the input layer), then one forward pass over all samples "
                  "for the final loss. Every implementation does the same.\n")

    # Memory.
    md.append("### Peak memory (max RSS of the process, MiB)\n")
    md.append("Each cell is one process that loaded the data and ran the warm-up and all timed runs; "
              "`noop` is the runtime alone (interpreter, libraries).\n")
    md.append(f"| workload | {head} |")
    md.append("|---|" + "--:|" * len(impls))
    for w in workloads + ["matmul_2048", "noop"]:
        cells = [f"{by[(w, i)]['peak_rss_mib']:.0f}" if (w, i) in by else "—" for i in impls]
        md.append(f"| {w} | " + " | ".join(cells) + " |")
    md.append("")

    # Targets.
    md.append("### Targets\n")
    md.append("| target | measured | met |")
    md.append("|---|--:|:-:|")

    # On a busy machine (load average above the CPU count) a verdict is noise:
    # say so next to it rather than print a bare "yes".
    busy = max(float(load_before[0]), float(load_after[0])) > (os.cpu_count() or 1)

    def target(label, value, ok, fmt):
        if value is None:
            md.append(f"| {label} | — | not measured |")
        else:
            verdict = ("yes" if ok(value) else "no") + (" (busy machine: not a verdict)" if busy else "")
            md.append(f"| {label} | {fmt.format(value)} | {verdict} |")

    target("P1: nnlib ≥ 50× faster than PyTorch", ratio("P1_linreg_gd", "pytorch"), lambda v: v >= 50, "{:.1f}×")
    target("P1: nnlib ≥ 4× faster than numpy", ratio("P1_linreg_gd", "numpy"), lambda v: v >= 4, "{:.1f}×")
    target("P2: nnlib ≥ 20× faster than PyTorch", ratio("P2_mlp_bc", "pytorch"), lambda v: v >= 20, "{:.1f}×")
    target("P2: nnlib ≥ 4× faster than numpy", ratio("P2_mlp_bc", "numpy"), lambda v: v >= 4, "{:.1f}×")
    r = ratio("P3_mlp_wide", "numpy")
    target("P3: nnlib time ≤ 1.15 × numpy's", None if r is None else 1 / r, lambda v: v <= 1.15, "{:.2f}×")
    peers = [ms("P3_mlp_wide", i) for i in ("numpy", "pytorch") if ms("P3_mlp_wide", i)]
    b3 = ms("P3_mlp_wide", "nnlib+blas")
    target("P3: nnlib+blas time ≤ the fastest peer's (numpy, PyTorch)",
           b3 / min(peers) if (b3 and peers) else None, lambda v: v <= 1.0, "{:.2f}×")
    p3 = ms("P3_mlp_wide", "nnlib")
    frac = p3_flop / (p3 * 1e-3) / nd_ceiling if (p3 and p3_flop and nd_ceiling) else None
    target("P3: ≥ 70% of ndarray's 2048² product rate", frac, lambda v: v >= 0.7, "{:.0%}")
    md.append("")

    # Environment.
    npinfo = by.get(("noop", "numpy"), {})
    tinfo = by.get(("noop", "pytorch"), {})
    blas = npinfo.get("blas", [{}])
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    nn = by.get(("P3_mlp_wide", "nnlib")) or by.get(("P1_linreg_gd", "nnlib")) or {}
    md.append("### Machine and settings\n")
    md.append(f"- CPU: {cpu}, {os.cpu_count()} logical CPUs; threads for every implementation: {args.threads} "
              f"(MATMUL_NUM_THREADS, OPENBLAS_NUM_THREADS, torch.set_num_threads)")
    md.append(f"- nnlib: release build, {rustc}; matrix products by ndarray 0.16 / matrixmultiply (threading feature)")
    blas_info = by.get(("noop", "nnlib+blas"), {}).get("blas")
    if blas_info:
        md.append(f"- nnlib+blas: the same with `--features blas`: {blas_info}, "
                  f"{args.threads} threads (OPENBLAS_NUM_THREADS)")
    for b in blas:
        md.append(f"- numpy {npinfo.get('numpy', '?')}: {b.get('internal_api')} {b.get('version')}, "
                  f"kernel {b.get('architecture')}, {b.get('num_threads')} threads ({b.get('threading_layer')})")
    md.append("- OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE in the caller's environment: "
              + (", ".join(f"{k}={v}" for k, v in removed.items()) + " (removed for the benchmark processes)" if removed else "not set"))
    md.append(f"- PyTorch: {tinfo['torch']}, {tinfo['threads']} threads" if tinfo else "- PyTorch: not installed (bash bench/deps.sh); its column is empty")
    allocs = {w: by[(w, 'nnlib')].get("allocs_per_run") for w in ("P1_linreg_gd", "P2_mlp_bc", "P3_mlp_wide") if (w, "nnlib") in by}
    if allocs:
        md.append("- nnlib heap allocations per training run (counting allocator): "
                  + ", ".join(f"{w} {a}" for w, a in allocs.items()))
    md.append(f"- timing: median of ≥ 5 runs{' (--quick)' if args.quick else ' and ≥ 1 s of runs'} after one warm-up run, "
              "each in its own process; whole run took " + f"{elapsed:.0f} s")
    for n in notes:
        md.append(f"- {n}")
    md.append("")
    md.append("### Workloads\n")
    for w in workloads:
        md.append(f"- **{w}**: {DESCRIPTION[w]}")
    md.append("")
    text = "\n".join(md)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(text)
    print()
    print(text)
    print(f"wrote {os.path.relpath(os.path.join(OUT, 'results.csv'), ROOT)}, results.md, results.json")


if __name__ == "__main__":
    main()
