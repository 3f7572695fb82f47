"""What numpy_impl.py and torch_impl.py share: reading the files that
`nnlib-bench prepare` wrote, the timing loop, and the one JSON line each
process prints for bench/run.py (the same fields as the Rust side).

Times are wall-clock (time.perf_counter) around the training call only: the
data is loaded, and for PyTorch turned into tensors, before the clock starts.
"""

import json
import math
import os
import sys
import time

import numpy as np

DIR = os.environ.get("BENCH_DIR", "target/bench")


def read_f64(name, shape=None):
    a = np.fromfile(os.path.join(DIR, name), dtype="<f8")
    return a if shape is None else a.reshape(shape)


def meta():
    with open(os.path.join(DIR, "meta.json")) as f:
        return json.load(f)


def init_params(name, sizes):
    """nnlib's initial [(W, b), ...], W of shape (n_out, n_in), as prepare wrote them."""
    flat = read_f64(f"{name}_init.f64")
    params, at = [], 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        w = flat[at : at + n_out * n_in].reshape(n_out, n_in).copy()
        at += n_out * n_in
        b = flat[at : at + n_out].copy()
        at += n_out
        params.append((w, b))
    assert at == flat.size, f"{name}_init.f64 does not fit sizes {sizes}"
    return params


def epoch_orders(name, n, epochs):
    """The sample order of each epoch, the one nnlib's trainer uses (epochs x n)."""
    return np.fromfile(os.path.join(DIR, f"{name}_order.u32"), dtype="<u4").astype(np.intp).reshape(epochs, n)


def workload_data(workload):
    """(x, y, spec) for P1, P2, P3; y is (n, 1) for P1/P2 and the labels for P3."""
    m = meta()
    if workload == "P1_linreg_gd":
        spec = m["p1"]
        return read_f64("p1_x.f64", (-1, 1)), read_f64("p1_y.f64", (-1, 1)), spec
    if workload == "P2_mlp_bc":
        spec = m["p2"]
        return read_f64("p2_x.f64", (-1, 30)), read_f64("p2_y.f64", (-1, 1)), spec
    if workload == "P3_mlp_wide":
        spec = m["p3"]
        x = read_f64("p3_x.f64", (-1, 784))
        labels = np.fromfile(os.path.join(DIR, "p3_labels.u8"), dtype=np.uint8).astype(np.intp)
        return x, labels, spec
    raise SystemExit(f"unknown workload {workload}")


def measure(f, min_reps=5, min_seconds=0.5, max_reps=200):
    """Warm-up, then at least min_reps runs and min_seconds in all; (times_ms, last result)."""
    t0 = time.perf_counter()
    out = f()
    warm = time.perf_counter() - t0
    reps = min(max(min_reps, math.ceil(min_seconds / max(warm, 1e-9))), max(max_reps, min_reps))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        times.append((time.perf_counter() - t0) * 1e3)
    return times, out


def peak_rss_mib():
    """This process's peak resident memory: VmHWM, the high-water mark of its own
    address space (unlike getrusage's ru_maxrss, it does not inherit the peak of
    the process that started it)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(workload, implementation, times, loss, **extra):
    rec = {
        "workload": workload,
        "implementation": implementation,
        "median_ms": float(np.median(times)),
        "min_ms": float(min(times)),
        "reps": len(times),
        "final_loss": None if loss is None else float(loss),
        "times_ms": [round(t, 4) for t in times],
        "peak_rss_mib": peak_rss_mib(),
    }
    rec.update(extra)
    print(json.dumps(rec))
    sys.stdout.flush()


def parse_args(argv):
    """WORKLOAD [--min-reps N] [--min-seconds S]"""
    opts = {"min_reps": 5, "min_seconds": 0.5}
    pos, i = [], 0
    while i < len(argv):
        if argv[i] == "--min-reps":
            opts["min_reps"] = int(argv[i + 1])
            i += 2
        elif argv[i] == "--min-seconds":
            opts["min_seconds"] = float(argv[i + 1])
            i += 2
        else:
            pos.append(argv[i])
            i += 1
    if len(pos) != 1:
        raise SystemExit("usage: WORKLOAD [--min-reps N] [--min-seconds S]")
    return pos[0], opts
