#!/usr/bin/env python3
"""Rebuild randhie.csv from the statsmodels wheel that ships it.

Usage:  python3 make_randhie.py STATSMODELS_WHEEL [OUT_DIR]

Get the wheel (no install needed) with
    pip download --no-deps statsmodels==0.15.0 -d DIR
and pass DIR/statsmodels-0.15.0-*.whl. The script reads
statsmodels/datasets/randhie/randhie.csv from inside the wheel (a zip file) and
writes OUT_DIR/randhie.csv (OUT_DIR defaults to the folder this script is in).

Only the standard library is used. Every cell is copied as the exact text of
the source; the script checks the header, the row count, that every cell is a
finite number and that every target (mdvis) is a whole number >= 0.
"""

import math
import sys
import zipfile
from pathlib import Path

MEMBER = "statsmodels/datasets/randhie/randhie.csv"
COLUMNS = ["mdvis", "lncoins", "idp", "lpi", "fmde", "physlm", "disea", "hlthg", "hlthf", "hlthp"]
ROWS = 20190


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
    for i, line in enumerate(lines[1:], start=2):
        cells = [c.strip() for c in line.split(",")]
        assert len(cells) == len(COLUMNS), f"line {i}: {len(cells)} fields"
        for c in cells:
            assert math.isfinite(float(c)), f"line {i}: {c!r}"
        mdvis = float(cells[0])
        assert mdvis >= 0 and mdvis.is_integer(), f"line {i}: mdvis {cells[0]!r}"
        rows.append(cells)
    assert len(rows) == ROWS, len(rows)
    path = out / "randhie.csv"
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write(",".join(COLUMNS) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")
    print(f"wrote {path}: {len(rows)} rows x {len(COLUMNS)} columns")


if __name__ == "__main__":
    main()
