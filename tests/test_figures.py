"""tools/figures.py (`make figures`) finds the README's pictures by cell metadata
and writes the SVG those cells showed. No kernel needed: these tests read the
committed notebooks and a made-up output."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import figures  # noqa: E402


def marked_cells() -> list[tuple[str, str]]:
    """(notebook, picture) for every cell whose metadata names a README picture."""
    found = []
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and (name := figures.figure_name(cell)):
                found.append((path.stem, name))
    return found


def test_every_marked_picture_is_in_docs_and_in_the_readme():
    marked = marked_cells()
    assert marked, "no cell has the metadata nnlib.figure: make figures would draw nothing"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for notebook, name in marked:
        assert (REPO / "docs" / name).is_file(), f"{notebook} marks docs/{name}, which does not exist"
        assert f"docs/{name}" in readme, f"{notebook} marks docs/{name}, which README.md does not show"
    names = [name for _, name in marked]
    assert len(names) == len(set(names)), f"two cells draw the same picture: {names}"


def test_no_cell_calls_the_old_for_docs():
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        assert ".for_docs(" not in path.read_text(encoding="utf-8"), f"{path.name}: use cell metadata instead"


def test_the_svg_a_cell_showed_is_what_is_written():
    svg = '<svg width="2" height="1" viewBox="0 0 2 1"><text>a</text></svg>'
    cell = {"outputs": [{"output_type": "display_data", "data": {"text/html": [svg[:20], svg[20:]]}}]}
    assert figures.shown_svg(cell) == svg
    assert figures.shown_svg({"outputs": [{"output_type": "stream", "text": "Figure { ... }"}]}) is None


@pytest.mark.parametrize("name", ["", "../x.svg", "a/b.svg", "x.png", ".svg", 3])
def test_a_figure_name_must_be_a_plain_svg_file_name(name):
    with pytest.raises(SystemExit):
        figures.figure_name({"metadata": {"nnlib": {"figure": name}}})
