"""How cost grows with size: one SGD step of a 784-H-10 MLP (ReLU, softmax,
CCE, f64) swept over the hidden width H (batch 256) and the batch size
(H = 256), for nnlib, nnlib with the `blas` feature (when built), numpy and
PyTorch (when installed). Writes target/bench/scaling.{csv,md} and draws
docs/scaling.svg and docs/scaling-batch.svg with nnlib::plot.

    python bench/scaling.py --rust-bin target/release/nnlib-bench [--rust-blas-bin BIN] [--quick]

bench/run.sh --scaling (make bench-scaling) builds the binaries and calls this.
Each point is one process per implementation, run in turn (interleaved), with
the threads and OpenBLAS settings of run.py.
"""

import argparse
import csv
import math
import os
import subprocess
import sys
import time

from run import HERE, OUT, ROOT, child_env, fmt_ms, run_measured, wait_idle

WIDTHS = [16, 32, 64, 128, 256, 512, 1024, 2048]
BATCHES = [1, 4, 16, 64, 256, 1024]
N_IN, N_OUT = 784, 10


def step_flop(h, batch):
    """Floating-point operations in one step's matrix products: forward
    2·B·(784·H + H·10), dC/dW the same again, dC/da of the hidden layer 2·B·H·10."""
    forward = 2 * batch * (N_IN * h + h * N_OUT)
    return 2 * forward + 2 * batch * h * N_OUT


def steps_for(h, batch):
    """Steps per timed run: about 2 GFLOP of products, at least 5 and at most 2000."""
    return max(5, min(2000, math.ceil(2e9 / step_flop(h, batch))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rust-bin", required=True)
    ap.add_argument("--rust-blas-bin", default="")
    ap.add_argument("--quick", action="store_true", help="3 runs per point, no minimum time")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "2")))
    ap.add_argument("--wait-idle", type=float, default=5.0)
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    env, _ = child_env(args.threads)
    timing = ["--min-reps", "3", "--min-seconds", "0" if args.quick else "0.3"]
    py = sys.executable
    impls = {"nnlib": lambda h, b, s: [args.rust_bin, "scale", str(h), str(b), str(s)]}
    if args.rust_blas_bin:
        impls["nnlib+blas"] = lambda h, b, s: [args.rust_blas_bin, "scale", str(h), str(b), str(s)]
    impls["numpy"] = lambda h, b, s: [py, os.path.join(HERE, "numpy_impl.py"), f"scale_{h}_{b}_{s}"]
    impls["pytorch"] = lambda h, b, s: [py, os.path.join(HERE, "torch_impl.py"), f"scale_{h}_{b}_{s}"]
    points = [("width", h, 256) for h in WIDTHS] + [("batch", 256, b) for b in BATCHES]
    load_before = open("/proc/loadavg").read().split()[:3]
    rows, skipped = [], set()
    for sweep, h, batch in points:
        steps = steps_for(h, batch)
        for name, cmd in impls.items():
            if name in skipped:
                continue
            wait_idle(args.wait_idle)
            rec, code, err = run_measured(cmd(h, batch, steps) + timing, env)
            if code == 3:  # torch missing
                skipped.add(name)
                print(f"note: {err.strip()}: {name} skipped", flush=True)
                continue
            if code != 0:
                sys.stderr.write(err)
                raise SystemExit(f"{name} at H={h}, batch={batch} failed with exit code {code}")
            per_step = rec["median_ms"] / steps
            spread = (min(rec["times_ms"]) / steps, max(rec["times_ms"]) / steps)
            gflops = step_flop(h, batch) / (per_step * 1e-3) / 1e9
            rows.append([sweep, h, batch, name, steps, per_step, per_step * 1e3 / batch, gflops, *spread])
            print(f"{sweep:5s} H={h:5d} batch={batch:5d} {name:10s} {fmt_ms(per_step):>8s} ms/step "
                  f"{per_step * 1e3 / batch:9.2f} µs/sample {gflops:7.1f} GFLOP/s", flush=True)
    load_after = open("/proc/loadavg").read().split()[:3]
    write(rows, load_before, load_after, args)
    subprocess.run([args.rust_bin, "plot-scaling", os.path.join(OUT, "scaling.csv"), os.path.join(ROOT, "docs"),
                    str(args.threads)],
                   check=True, cwd=ROOT)


def write(rows, load_before, load_after, args):
    header = ["sweep", "h", "batch", "implementation", "steps", "ms_per_step", "us_per_sample", "gflops",
              "min_ms_per_step", "max_ms_per_step"]
    with open(os.path.join(OUT, "scaling.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows([r[:5] + [f"{v:.6g}" for v in r[5:]] for r in rows])
    names = list(dict.fromkeys(r[3] for r in rows))
    md = ["### Scaling: one SGD step of a 784-H-10 MLP, f64, "
          f"{args.threads} threads (µs per sample, GFLOP/s in brackets)\n",
          "| sweep | H | batch | " + " | ".join(names) + " |",
          "|---|--:|--:|" + "--:|" * len(names)]
    by = {(r[0], r[1], r[2], r[3]): r for r in rows}
    for sweep, h, batch in dict.fromkeys((r[0], r[1], r[2]) for r in rows):
        cells = []
        for n in names:
            r = by.get((sweep, h, batch, n))
            cells.append("—" if r is None else f"{r[6]:.2f} ({r[7]:.1f})")
        md.append(f"| {sweep} | {h} | {batch} | " + " | ".join(cells) + " |")
    md.append("")
    md.append(f"Each cell: median of ≥ 3 timed runs (each run = `steps` steps, ~2 GFLOP) in its own process, "
              f"divided by the steps. Load average before: {' '.join(load_before)}, after: "
              f"{' '.join(load_after)} on {os.cpu_count()} CPUs ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).")
    text = "\n".join(md) + "\n"
    with open(os.path.join(OUT, "scaling.md"), "w") as f:
        f.write(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
