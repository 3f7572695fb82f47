"""PyTorch on the CPU, written the way PyTorch is usually written (nn.Sequential,
a loss module, autograd, torch.optim.SGD), in float64, for bench/run.py.

    python bench/torch_impl.py WORKLOAD [--min-reps N] [--min-seconds S]

WORKLOAD: P1_linreg_gd, P2_mlp_bc, P3_mlp_wide, matmul_N, noop, or
scale_H_BATCH_STEPS (one point of bench/scaling.py's sweep).

Same workloads, initial weights and sample orders as nnlib and numpy. The
losses are PyTorch's fused forms (BCEWithLogitsLoss, CrossEntropyLoss on the
logits): the same cost and the same gradient (a - y)/m as nnlib's fused
sigmoid+BCE and softmax+CCE. Threads: BENCH_THREADS (default 2), set with
torch.set_num_threads. Exits with code 3 and a note when torch is missing.
"""

import os
import sys

import numpy as np

import harness

try:
    import torch
except ImportError:
    print("torch is not installed (bash bench/deps.sh installs it)", file=sys.stderr)
    sys.exit(3)

torch.set_default_dtype(torch.float64)
torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))


def build(init, acts):
    """nn.Sequential of Linear layers with the given (W, b) and hidden activations."""
    layers = []
    for (w, b), f in zip(init, acts):
        lin = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if f == "tanh":
            layers.append(torch.nn.Tanh())
        elif f == "relu":
            layers.append(torch.nn.ReLU())
        # identity, and sigmoid / softmax, which live inside the loss
    return torch.nn.Sequential(*layers)


SETUPS = {
    "P1_linreg_gd": ("p1", ["identity"], torch.nn.MSELoss),
    "P2_mlp_bc": ("p2", ["tanh", "tanh", "sigmoid"], torch.nn.BCEWithLogitsLoss),
    "P3_mlp_wide": ("p3", ["relu", "softmax"], torch.nn.CrossEntropyLoss),
}


def scale(workload, opts, info):
    """One point of the scaling sweep, as numpy_impl.scale (same data, labels and
    initial weights, drawn by numpy): a 784-H-10 network (ReLU, softmax, CCE)
    makes STEPS full-batch SGD steps (lr 0.01), then evaluates the cost once more."""
    h, batch, steps = (int(v) for v in workload.split("_")[1:])
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.uniform(-1.0, 1.0, (batch, 784)))
    labels = torch.from_numpy(np.arange(batch) % 10)
    sizes = [784, h, 10]
    init = [(rng.standard_normal((o, i)) * np.sqrt(2.0 / i), np.zeros(o)) for i, o in zip(sizes, sizes[1:])]

    def run():
        model = build(init, ["relu", "softmax"])
        loss_fn = torch.nn.CrossEntropyLoss()
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        for _ in range(steps):
            opt.zero_grad()
            loss_fn(model(x), labels).backward()
            opt.step()
        with torch.no_grad():
            return loss_fn(model(x), labels).item()

    times, loss = harness.measure(run, **opts)
    harness.emit(workload, "pytorch", times, loss, h=h, batch=batch, steps=steps, **info)


def main():
    workload, opts = harness.parse_args(sys.argv[1:])
    info = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    if workload == "noop":
        harness.emit("noop", "pytorch", [0.0], None, **info)
        return
    if workload.startswith("matmul_"):
        n = int(workload.split("_")[1])
        a, b = torch.randn(n, n), torch.randn(n, n)
        times, _ = harness.measure(lambda: a @ b, **opts)
        gflops = 2 * n**3 / (np.median(times) * 1e-3) / 1e9
        harness.emit(workload, "pytorch", times, None, gflops=gflops, **info)
        return
    if workload.startswith("scale_"):
        scale(workload, opts, info)
        return
    name, acts, loss_cls = SETUPS[workload]
    x, y, spec = harness.workload_data(workload)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    batch, n, lr, epochs = spec["batch"], spec["n"], spec["learning_rate"], spec["epochs"]
    orders = torch.from_numpy(harness.epoch_orders(name, n, epochs)) if batch else None

    def run():
        model = build(harness.init_params(name, spec["sizes"]), acts)
        loss_fn = loss_cls()
        opt = torch.optim.SGD(model.parameters(), lr=lr)

        def step(xb, yb):
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            return loss.item()

        history = []
        for e in range(epochs):
            if batch is None:
                history.append(step(x, y))
                continue
            total = 0.0
            for idx in torch.split(orders[e], batch):
                total += step(x[idx], y[idx]) * len(idx)
            history.append(total / n)  # an epoch's loss: the mean of its batch costs
        # As nnlib's History.final_loss: the cost on the whole training set after the last update.
        with torch.no_grad():
            return loss_fn(model(x), y).item()

    times, loss = harness.measure(run, **opts)
    harness.emit(workload, "pytorch", times, loss, **info)


if __name__ == "__main__":
    main()
