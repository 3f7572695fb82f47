"""Redraw the README's pictures (docs/*.svg) from the notebooks that draw them.

usage: NNLIB_FIGURES_DIR=<repo>/docs .venv/bin/python tools/figures.py   (`make figures`)

A notebook cell marks a README picture with nnlib's `Figure::for_docs(name)`:
it shows the figure, and writes it to `$NNLIB_FIGURES_DIR/<name>` only when
that variable is set. Running a notebook (a learner, the tests) therefore
writes nothing; this script runs each notebook that calls `.for_docs(` with the
variable set (the kernel inherits it) and lists the pictures it wrote.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

MARK = ".for_docs("
VAR = "NNLIB_FIGURES_DIR"


def main() -> int:
    import nbcheck
    import nbformat
    import nbrun

    folder = os.environ.get(VAR)
    if not folder:
        print(f"error: set {VAR} to the folder for the pictures (`make figures` sets it to docs/)", file=sys.stderr)
        return 2
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    notebooks = [
        p
        for p in sorted((REPO / "notebooks").glob("*.ipynb"))
        if any(MARK in nbcheck.cell_source(c) for _, c in nbcheck.code_cells(nbformat.read(p, as_version=4)))
    ]
    if not notebooks:
        print(f"error: no notebook in notebooks/ calls {MARK}...), so there is nothing to draw", file=sys.stderr)
        return 1
    before = {p: p.stat().st_mtime_ns for p in folder.glob("*.svg")}
    start = time.time_ns()
    failed = []
    for path in notebooks:
        print(f"--- {path.stem}")
        result = nbrun.execute(path, out_path=nbrun.OUT_DIR / f"{path.stem}.figures.ipynb", check_tracked=False)
        if not result.ok:
            print(result.report(), file=sys.stderr)
            failed.append(path.stem)
    written = sorted(p for p in folder.glob("*.svg") if p.stat().st_mtime_ns >= start)
    for p in written:
        print(f"  {'redrew' if p in before else 'drew'} {p.relative_to(REPO) if p.is_relative_to(REPO) else p}")
    if failed:
        print(f"figures: FAILED for {', '.join(failed)}", file=sys.stderr)
        return 1
    if not written:
        print(f"error: the notebooks ran but wrote no picture to {folder}: does nnlib's Figure::for_docs read {VAR}?", file=sys.stderr)
        return 1
    print(f"figures: {len(written)} picture(s) in {folder}; `git diff --stat docs/` shows what changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
