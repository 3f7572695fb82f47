#!/usr/bin/env python3
"""Rebuild penguins.csv from the palmerpenguins wheel that ships it.

Usage:  python3 make_penguins.py PALMERPENGUINS_WHEEL [OUT_DIR]

Get the wheel (no install needed) with
    pip download --no-deps palmerpenguins==0.1.6 -d DIR
and pass DIR/palmerpenguins-0.1.6-*.whl. The script reads
palmerpenguins/data/penguins.csv from inside the wheel (a zip file) and writes
OUT_DIR/penguins.csv (OUT_DIR defaults to the folder this script is in).

Only the standard library is used. Every cell is copied as the exact text of
the source, NA cells included: the file is the raw table on purpose (text
columns, missing cells, features on different scales), for the Your_Own_Data
notebook to clean. The script checks the header, the row count, the texts of
the text columns, that every other cell is NA or a finite number, and the
count of NA cells per column.
"""

import math
import sys
import zipfile
from pathlib import Path

MEMBER = "palmerpenguins/data/penguins.csv"
COLUMNS = ["species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"]
TEXTS = {
    "species": {"Adelie", "Chinstrap", "Gentoo"},
    "island": {"Biscoe", "Dream", "Torgersen"},
    "sex": {"female", "male"},
}
ROWS = 344
MISSING = {"bill_length_mm": 2, "bill_depth_mm": 2, "flipper_length_mm": 2, "body_mass_g": 2, "sex": 11}


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    wheel = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) == 3 else Path(__file__).resolve().parent
    with zipfile.ZipFile(wheel) as z:
        lines = z.read(MEMBER).decode("ascii").splitlines()
    lines = [line for line in lines if line.strip()]
    header = [c.strip() for c in lines[0].split(",")]
    assert header == COLUMNS, header
    rows = []
    missing = dict.fromkeys(COLUMNS, 0)
    for i, line in enumerate(lines[1:], start=2):
        cells = [c.strip() for c in line.split(",")]
        assert len(cells) == len(COLUMNS), f"line {i}: {len(cells)} fields"
        for name, c in zip(COLUMNS, cells):
            if c == "NA":
                missing[name] += 1
            elif name in TEXTS:
                assert c in TEXTS[name], f"line {i}, {name}: {c!r}"
            else:
                assert math.isfinite(float(c)), f"line {i}, {name}: {c!r}"
        rows.append(cells)
    assert len(rows) == ROWS, len(rows)
    assert {k: v for k, v in missing.items() if v} == MISSING, missing
    path = out / "penguins.csv"
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(",".join(COLUMNS) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")
    print(f"wrote {path}: {len(rows)} rows x {len(COLUMNS)} columns, {sum(missing.values())} NA cells")


if __name__ == "__main__":
    main()
