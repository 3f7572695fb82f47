"""scikit-learn's side of bench/mlp_defaults/run.sh, and the summary table.

    sklearn_side.py export DIR          scikit-learn's bundled iris and wine and a synthetic
                                        set into DIR/extra/ (mlp-defaults prepare reads them)
    sklearn_side.py fit DIR [--seeds N] MLPClassifier(random_state=SEED) on every split that
                                        mlp-defaults prepare wrote: CSV rows on stdout
    sklearn_side.py summarise DIR --out FILE.md   mean per side, data set and scaling

Both sides read the same files (the data, its standardised copies and the
splits' indices, all written by nnlib's side) and score the same way:
accuracy of the argmax, log loss -mean ln max(p_true, 1e-15), wall time of
`fit` alone.
"""

import argparse
import csv
import pathlib
import platform
import statistics
import sys
import time
import warnings

import numpy as np

HEADER = "side,dataset,scaling,seed,accuracy,log_loss,fit_seconds,epochs"


def write_csv(path, x, y):
    with open(path, "w") as f:
        f.write(",".join(f"x{j}" for j in range(x.shape[1])) + ",target\n")
        for row, label in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + f",{int(label)}\n")


def export(dir):
    from sklearn import datasets

    extra = dir / "extra"
    extra.mkdir(parents=True, exist_ok=True)
    for name, load in [("iris", datasets.load_iris), ("wine", datasets.load_wine)]:
        bunch = load()
        write_csv(extra / f"{name}.csv", bunch.data, bunch.target)
    # Tabular data with features on scales from 1 to 100 (scale=None, shift=None),
    # three classes, some noise: a learner's own CSV more than a textbook set.
    x, y = datasets.make_classification(
        n_samples=1000, n_features=20, n_informative=8, n_redundant=4, n_classes=3,
        class_sep=1.0, flip_y=0.02, shift=None, scale=None, random_state=0,
    )
    write_csv(extra / "synthetic.csv", x, y)


def load(path):
    a = np.loadtxt(path, delimiter=",", skiprows=1)
    return a[:, :-1], a[:, -1].astype(int)


def read_split(path):
    lines = path.read_text().splitlines()
    return [np.array([int(i) for i in line.split()]) for line in lines[:2]]


def scores(p, y):
    """Accuracy and log loss, the formula of mlp_defaults.rs."""
    acc = float(np.mean(p.argmax(axis=1) == y))
    loss = float(np.mean(-np.log(np.maximum(p[np.arange(len(y)), y], 1e-15))))
    return acc, loss


def fit(dir, seeds):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    print(HEADER)
    for name in (dir / "datasets.txt").read_text().split():
        for scaling in ["raw", "std"]:
            for seed in range(seeds):
                file = f"{name}.csv" if scaling == "raw" else f"{name}_std_{seed}.csv"
                x, y = load(dir / file)
                train, test = read_split(dir / f"{name}_split_{seed}.txt")
                model = MLPClassifier(random_state=seed)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    t0 = time.perf_counter()
                    model.fit(x[train], y[train])
                    seconds = time.perf_counter() - t0
                # predict_proba's columns are model.classes_, which are 0..k-1 here.
                assert list(model.classes_) == list(range(len(model.classes_)))
                acc, loss = scores(model.predict_proba(x[test]), y[test])
                print(f"sklearn,{name},{scaling},{seed},{acc},{loss},{seconds},{model.n_iter_}")
                sys.stdout.flush()


def summarise(dir, out):
    rows = []
    for path in sorted(dir.glob("results-*.csv")):
        with open(path) as f:
            rows += list(csv.DictReader(f))
    sides = list(dict.fromkeys(r["side"] for r in rows))
    cells = {}
    for r in rows:
        cells.setdefault((r["dataset"], r["scaling"], r["side"]), []).append(r)
    keys = list(dict.fromkeys((r["dataset"], r["scaling"]) for r in rows))
    mean = lambda rs, k: statistics.fmean(float(r[k]) for r in rs)
    seeds = max(len(v) for v in cells.values())
    lines = [
        f"Held-out accuracy / log loss / seconds per fit (epochs run), each the mean over {seeds} "
        f"stratified 75/25 splits (seeds 0..{seeds - 1}); every side gets the same splits and inputs "
        "(raw: as loaded; std: standardised with the training part's mean and std). 1 thread each.",
        "",
        "| data set | inputs | " + " | ".join(sides) + " |",
        "|---|---|" + "--:|" * len(sides),
    ]
    for ds, scaling in keys:
        got = [cells.get((ds, scaling, s), []) for s in sides]
        cell = lambda rs: (
            f"{mean(rs, 'accuracy'):.3f} / {mean(rs, 'log_loss'):.3f} / "
            f"{mean(rs, 'fit_seconds'):.2f} s ({mean(rs, 'epochs'):.0f})"
        ) if rs else ""
        lines.append(f"| {ds} | {scaling} | " + " | ".join(cell(rs) for rs in got) + " |")
    avg = []
    for s in sides:
        per = [mean(cells[(k[0], k[1], s)], "accuracy") for k in keys if (k[0], k[1], s) in cells]
        avg.append(f"{statistics.fmean(per):.3f}" if per else "")
    lines.append("| **mean accuracy** | | " + " | ".join(avg) + " |")
    import sklearn

    lines += ["", f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, Python {platform.python_version()}."]
    text = "\n".join(lines) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["export", "fit", "summarise"])
    ap.add_argument("dir", type=pathlib.Path)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path("target/bench/mlp_defaults.md"))
    a = ap.parse_args()
    if a.command == "export":
        export(a.dir)
    elif a.command == "fit":
        fit(a.dir, a.seeds)
    else:
        summarise(a.dir, a.out)


if __name__ == "__main__":
    main()
