#!/usr/bin/env python3
"""Rebuild diabetes.csv, breast_cancer.csv and digits.csv from the raw scikit-learn files.

Usage:  python3 make_data.py SOURCE_DIR [OUT_DIR]

SOURCE_DIR holds diabetes_data_raw.csv.gz, diabetes_target.csv.gz,
breast_cancer.csv, breast_cancer.rst and digits.csv.gz, copied unchanged from
sklearn/datasets/data/ and sklearn/datasets/descr/ of a scikit-learn 1.x wheel.
OUT_DIR defaults to the folder this script is in.

Only the standard library is used. Feature cells are copied as the exact text
of the source (no float round trip), so no digit is lost or added. The only
reformatting is the diabetes target, written in scientific notation in the
source (1.510000000000000000e+02); every value there is a whole number, so it
is written as a plain integer (151), which is the same number.
"""

import gzip
import re
import sys
from pathlib import Path

DIABETES_COLUMNS = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"]


def read_lines(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="ascii") as f:
        return [line for line in f.read().splitlines() if line.strip()]


def check_number(cell, where):
    value = float(cell)  # raises ValueError on a non-number
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{where}: non-finite value {cell!r}")
    return cell


def target_text(cell):
    value = float(cell)
    return str(int(value)) if value.is_integer() else repr(value)


def make_diabetes(src):
    features = [line.split() for line in read_lines(src / "diabetes_data_raw.csv.gz")]
    targets = read_lines(src / "diabetes_target.csv.gz")
    assert len(features) == len(targets) == 442, (len(features), len(targets))
    rows = []
    for i, (cells, target) in enumerate(zip(features, targets), start=1):
        assert len(cells) == 10, f"diabetes row {i}: {len(cells)} fields"
        cells = [check_number(c, f"diabetes row {i}") for c in cells]
        rows.append(cells + [target_text(check_number(target.strip(), f"target row {i}"))])
    return DIABETES_COLUMNS, rows


def breast_cancer_columns(rst_text):
    # The summary-statistics table lists the 30 features in file order, as
    # "radius (mean):", "radius (standard error):", "radius (worst):".
    names = re.findall(r"^([a-z ]+) \((mean|standard error|worst)\):", rst_text, flags=re.M)
    assert len(names) == 30, names
    columns = []
    for feature, kind in names:
        feature = feature.strip().replace(" ", "_")
        if kind == "mean":
            columns.append(f"mean_{feature}")
        elif kind == "worst":
            columns.append(f"worst_{feature}")
        else:  # the .rst calls it "Radius SE"
            columns.append(f"{feature}_se")
    return columns + ["target"]


def make_breast_cancer(src):
    columns = breast_cancer_columns((src / "breast_cancer.rst").read_text(encoding="utf-8"))
    lines = read_lines(src / "breast_cancer.csv")
    # The first line is not a header but "569,30,malignant,benign":
    # sample count, feature count, class names. Drop it.
    assert lines[0] == "569,30,malignant,benign", lines[0]
    rows = []
    for i, line in enumerate(lines[1:], start=1):
        cells = [c.strip() for c in line.split(",")]
        assert len(cells) == 31, f"breast cancer row {i}: {len(cells)} fields"
        cells = [check_number(c, f"breast cancer row {i}") for c in cells]
        assert cells[-1] in ("0", "1"), f"breast cancer row {i}: label {cells[-1]!r}"
        rows.append(cells)
    assert len(rows) == 569, len(rows)
    return columns, rows


def make_digits(src):
    # 1797 rows of 64 pixel intensities (0..16, row by row from the top left)
    # and the label 0..9; the source has no header line.
    columns = [f"p{i}" for i in range(64)] + ["digit"]
    rows = []
    for i, line in enumerate(read_lines(src / "digits.csv.gz"), start=1):
        cells = [c.strip() for c in line.split(",")]
        assert len(cells) == 65, f"digits row {i}: {len(cells)} fields"
        for c in cells[:64]:
            assert c.isdigit() and 0 <= int(c) <= 16, f"digits row {i}: pixel {c!r}"
        assert cells[64] in [str(d) for d in range(10)], f"digits row {i}: label {cells[64]!r}"
        rows.append(cells)
    assert len(rows) == 1797, len(rows)
    return columns, rows


def write_csv(path, columns, rows):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(",".join(columns) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")
    print(f"wrote {path}: {len(rows)} rows x {len(columns)} columns")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    src = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) == 3 else Path(__file__).resolve().parent
    write_csv(out / "diabetes.csv", *make_diabetes(src))
    write_csv(out / "breast_cancer.csv", *make_breast_cancer(src))
    write_csv(out / "digits.csv", *make_digits(src))


if __name__ == "__main__":
    main()
