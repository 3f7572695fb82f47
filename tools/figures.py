"""Redraw the README's pictures (docs/*.svg) from the notebooks that draw them.

usage: NNLIB_FIGURES_DIR=<repo>/docs .venv/bin/python tools/figures.py [NAME ...]   (`make figures`)

NAME: notebook stems to redraw only their pictures (default: every notebook
with a marked cell).

A notebook cell marks its figure as a README picture with cell metadata, not
with code a learner would read:

    "metadata": {"nnlib": {"figure": "backprop_dw22.svg"}}

(in JupyterLab: the cell's Property Inspector, "Cell Metadata"). This script
runs each notebook that has such a cell, exactly as a learner would (running a
notebook writes no file), and then writes the SVG that cell showed to
`$NNLIB_FIGURES_DIR/<name>`.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

VAR = "NNLIB_FIGURES_DIR"
KEY = ("nnlib", "figure")
SVG = re.compile(r"<svg\b.*</svg>", re.S)


def figure_name(cell: dict) -> str | None:
    """The README picture a cell's metadata names, checked to be a plain `*.svg` file name."""
    name = ((cell.get("metadata") or {}).get(KEY[0]) or {}).get(KEY[1])
    if name is None:
        return None
    if not (isinstance(name, str) and re.fullmatch(r"[\w][\w.-]*\.svg", name)):
        raise SystemExit(f"error: cell metadata {KEY[0]}.{KEY[1]} = {name!r} is not a plain file name ending in .svg")
    return name


def shown_svg(cell: dict) -> str | None:
    """The SVG a cell's outputs show (the evcxr kernel sends a Figure as text/html)."""
    import nbcheck

    for output in cell.get("outputs") or []:
        for mime in nbcheck.PLOT_MIMES:
            found = SVG.search(nbcheck.cell_source({"source": (output.get("data") or {}).get(mime)}))
            if found:
                return found.group(0)
    return None


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
    only = set(sys.argv[1:])
    unknown = only - {p.stem for p in (REPO / "notebooks").glob("*.ipynb")}
    if unknown:
        print(f"error: no such notebook in notebooks/: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    wanted = {}
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        if only and path.stem not in only:
            continue
        nb = nbformat.read(path, as_version=4)
        names = {i: name for i, cell in nbcheck.code_cells(nb) if (name := figure_name(cell))}
        if names:
            wanted[path] = names
    if not wanted:
        print(f"error: no cell in notebooks/ has the metadata {KEY[0]}.{KEY[1]}, so there is nothing to draw",
              file=sys.stderr)
        return 1
    start = time.time_ns()
    failed = []
    for path, names in wanted.items():
        print(f"--- {path.stem}")
        result = nbrun.execute(path, out_path=nbrun.OUT_DIR / f"{path.stem}.figures.ipynb")
        if not result.ok:
            print(result.report(), file=sys.stderr)
            failed.append(path.stem)
            continue
        for index, name in names.items():
            svg = shown_svg(result.nb["cells"][index])
            if svg is None:
                print(f"{path.stem}: cell {index} names {name} but shows no SVG", file=sys.stderr)
                failed.append(f"{path.stem} ({name})")
                continue
            target = folder / name
            existed = target.exists()
            target.write_text(svg + "\n", encoding="utf-8")
            shown = target.relative_to(REPO) if target.is_relative_to(REPO) else target
            print(f"  {'redrew' if existed else 'drew'} {shown}")
    if failed:
        print(f"figures: FAILED for {', '.join(failed)}", file=sys.stderr)
        return 1
    written = [p for p in folder.glob("*.svg") if p.stat().st_mtime_ns >= start]
    print(f"figures: {len(written)} picture(s) in {folder}; `git diff --stat docs/` shows what changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
