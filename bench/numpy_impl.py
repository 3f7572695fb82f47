"""numpy, from scratch: the lecture's forward pass, backpropagation and SGD,
step for step what nnlib does, for bench/run.py.

    python bench/numpy_impl.py WORKLOAD [--min-reps N] [--min-seconds S]

WORKLOAD is P1_linreg_gd, P2_mlp_bc, P3_mlp_wide, matmul_2048, noop or
scale_H_BATCH_STEPS (one point of bench/scaling.py's sweep). Prints one JSON line. Rows are samples, so for a batch A of m rows

    Z = A Wᵀ + b,   A_next = f(Z)                                (forward)
    delta(L) = (A(L) - Y) / m                 (sigmoid + BCE, softmax + CCE;
                                               2 (A - Y) / m for identity + MSE)
    dC/dW = deltaᵀ A_prev,  dC/db = Σ_rows delta
    delta(prev) = (delta W) ⊙ f'(Z_prev)                          (backward)
    W -= ε dC/dW,  b -= ε dC/db                                   (SGD)

The initial weights and each epoch's sample order are nnlib's (bench/harness.py).
"""

import sys

import numpy as np

import harness

PROB_FLOOR = 1e-12  # nnlib's clamp before a logarithm (cost::PROB_FLOOR)


def forward_act(name, z):
    if name == "identity":
        return z
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise ValueError(name)


def backward_act(name, z, a, dc_da):
    """delta = dC/da ⊙ f'(z) for the hidden activations."""
    if name == "tanh":
        return dc_da * (1.0 - a * a)
    if name == "relu":
        return dc_da * (z > 0.0)
    if name == "identity":
        return dc_da
    raise ValueError(name)


def cost_and_output_delta(cost, a, y):
    """(C, delta(L)) for one batch; C is the mean over the batch's rows."""
    m = a.shape[0]
    if cost == "mse":
        d = a - y
        return float((d * d).sum()) / m, (2.0 / m) * d
    if cost == "bce":  # sigmoid output: delta = (a - y) / m
        p = np.clip(a, PROB_FLOOR, 1.0 - PROB_FLOOR)
        c = -float((y * np.log(p) + (1.0 - y) * np.log(1.0 - p)).sum()) / m
        return c, (a - y) / m
    if cost == "cce":  # softmax output, y = class labels: delta = (a - onehot(y)) / m
        rows = np.arange(m)
        c = -float(np.log(np.maximum(a[rows, y], PROB_FLOOR)).sum()) / m
        delta = a.copy()
        delta[rows, y] -= 1.0
        delta /= m
        return c, delta
    raise ValueError(cost)


def sgd_step(params, acts, cost, xb, yb, lr):
    """Forward, cost, backward and update for one batch; returns the cost before the update."""
    a, zs = [xb], []
    for (w, b), f in zip(params, acts):
        z = a[-1] @ w.T + b
        zs.append(z)
        a.append(forward_act(f, z))
    c, delta = cost_and_output_delta(cost, a[-1], yb)
    for l in range(len(params) - 1, -1, -1):
        w, b = params[l]
        dc_dw = delta.T @ a[l]
        dc_db = delta.sum(axis=0)
        if l > 0:
            delta = backward_act(acts[l - 1], zs[l - 1], a[l], delta @ w)
        w -= lr * dc_dw
        b -= lr * dc_db
    return c


def train(params, acts, cost, x, y, lr, epochs, batch=None, orders=None):
    """nnlib's loop, then (as nnlib's History.final_loss) the cost on the whole
    training set after the last update, which is returned."""
    n = x.shape[0]
    history = []
    for e in range(epochs):
        if batch is None:
            history.append(sgd_step(params, acts, cost, x, y, lr))
            continue
        order = orders[e]
        total = 0.0
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            total += sgd_step(params, acts, cost, x[idx], y[idx], lr) * len(idx)
        history.append(total / n)  # an epoch's loss: the mean of its batch costs
    a = x
    for (w, b), f in zip(params, acts):
        a = forward_act(f, a @ w.T + b)
    return cost_and_output_delta(cost, a, y)[0]


SETUPS = {
    "P1_linreg_gd": ("p1", ["identity"], "mse"),
    "P2_mlp_bc": ("p2", ["tanh", "tanh", "sigmoid"], "bce"),
    "P3_mlp_wide": ("p3", ["relu", "softmax"], "cce"),
}


def scale(workload, opts, info):
    """One point of the scaling sweep, as nnlib-bench's `scale`: a 784-H-10 network
    (ReLU, softmax, CCE) makes STEPS full-batch SGD steps (ε = 0.01) on BATCH samples
    uniform in [-1, 1] with labels i mod 10, then evaluates the cost once more."""
    h, batch, steps = (int(v) for v in workload.split("_")[1:])
    rng = np.random.default_rng(0)
    x = rng.uniform(-1.0, 1.0, (batch, 784))
    labels = np.arange(batch) % 10
    sizes = [784, h, 10]
    init = [(rng.standard_normal((o, i)) * np.sqrt(2.0 / i), np.zeros(o)) for i, o in zip(sizes, sizes[1:])]

    def run():
        params = [(w.copy(), b.copy()) for w, b in init]
        return train(params, ["relu", "softmax"], "cce", x, labels, 0.01, steps)

    times, loss = harness.measure(run, **opts)
    harness.emit(workload, "numpy", times, loss, h=h, batch=batch, steps=steps, **info)


def main():
    workload, opts = harness.parse_args(sys.argv[1:])
    from threadpoolctl import threadpool_info

    blas = [
        {k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "threading_layer")}
        for i in threadpool_info()
    ]
    info = {"numpy": np.__version__, "blas": blas}
    if workload == "noop":
        harness.emit("noop", "numpy", [0.0], None, **info)
        return
    if workload.startswith("matmul_"):
        n = int(workload.split("_")[1])
        rng = np.random.default_rng(0)
        a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
        times, _ = harness.measure(lambda: a @ b, **opts)
        gflops = 2 * n**3 / (np.median(times) * 1e-3) / 1e9
        harness.emit(workload, "numpy", times, None, gflops=gflops, **info)
        return
    if workload.startswith("scale_"):
        scale(workload, opts, info)
        return
    name, acts, cost = SETUPS[workload]
    x, y, spec = harness.workload_data(workload)
    init = harness.init_params(name, spec["sizes"])
    batch = spec["batch"]
    orders = harness.epoch_orders(name, spec["n"], spec["epochs"]) if batch else None

    def run():
        params = [(w.copy(), b.copy()) for w, b in init]
        return train(params, acts, cost, x, y, spec["learning_rate"], spec["epochs"], batch, orders)

    times, loss = harness.measure(run, **opts)
    harness.emit(workload, "numpy", times, loss, **info)


if __name__ == "__main__":
    main()
