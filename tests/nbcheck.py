"""Checks on an *executed* notebook, as plain functions over notebook dicts.

No kernel is needed here, so every rule below is unit-tested on synthetic
notebooks in ``test_nbcheck.py``. ``nbrun.py`` executes notebooks and calls
``find_problems``.

The rules
---------
* An ``error`` output fails the notebook (evcxr reports compile errors this
  way; ``evalue`` is the compiler's message).
* A stream output containing ``panicked at`` fails it: a panic inside an evcxr
  cell does not fail the cell (``:preserve_vars_on_panic`` is on by default), it
  only prints ``thread '...' panicked at ...`` on stderr. stdout is checked too.
* An output containing ``nnlib warning:`` (the start of every
  ``nnlib::train::Warning`` message, ``warnings::MARKER``) fails it: nnlib
  warns when training quietly failed, and the workshop's own trainings must
  not. A cell meant to show a warning carries the tag ``shows-warning``, and
  must then print one.
* A notebook must show at least one plot: an output whose ``text/html`` or
  ``image/svg+xml`` contains ``<svg``.
* Exercises. An exercise cell is a code cell with the tag ``exercise`` and its
  solution in the cell metadata::

      {"tags": ["exercise"], "nnlib": {"solution": "<the solution source>"}}

  A check cell is a code cell with the tag ``check``. In normal mode a check
  cell may print ``❌ not yet`` (with a hint) without failing. In solutions mode
  every exercise cell's source is replaced by its solution before execution,
  and then every check cell must print ``✅`` and must not print ``❌``.
  Note: in normal mode a *panic* still fails, so an unsolved exercise must not
  panic (no bare ``todo!()`` reached from a check; catch it and print ``❌``).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Iterable

PANIC_MARKER = "panicked at"
WARNING_MARKER = "nnlib warning:"  # nnlib/src/train/warnings.rs, MARKER
SHOWS_WARNING_TAG = "shows-warning"
PASS_MARK = "✅"
FAIL_MARK = "❌"
EXERCISE_TAG = "exercise"
CHECK_TAG = "check"
SOLUTION_KEY = ("nnlib", "solution")
PLOT_MIMES = ("text/html", "image/svg+xml")

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")

Notebook = dict[str, Any]
Cell = dict[str, Any]


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _text(value: Any) -> str:
    """nbformat stores multi-line strings either as a str or a list of str."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "".join(str(v) for v in value)
    return str(value)


def cell_source(cell: Cell) -> str:
    return _text(cell.get("source"))


def cell_tags(cell: Cell) -> list[str]:
    return list((cell.get("metadata") or {}).get("tags") or [])


def code_cells(nb: Notebook) -> Iterable[tuple[int, Cell]]:
    for index, cell in enumerate(nb.get("cells") or []):
        if cell.get("cell_type") == "code":
            yield index, cell


@dataclass
class Problem:
    """One reason a notebook fails. ``cell_index`` is 0-based; None = whole notebook."""

    kind: str
    message: str
    cell_index: int | None = None
    source: str = ""

    def render(self, n_cells: int | None = None) -> str:
        if self.cell_index is None:
            head = f"[{self.kind}] notebook"
        else:
            of = f" of {n_cells}" if n_cells else ""
            head = f"[{self.kind}] cell {self.cell_index + 1}{of} (index {self.cell_index})"
        lines = [head]
        if self.source:
            lines.append("  source:")
            lines += ["    | " + line for line in self.source.rstrip("\n").splitlines() or [""]]
        lines.append("  message:")
        lines += ["    " + line for line in strip_ansi(self.message).rstrip("\n").splitlines() or [""]]
        return "\n".join(lines)


# ---------------------------------------------------------------- outputs


def stream_text(cell: Cell, name: str) -> str:
    """All of a cell's text on one stream (stdout or stderr), joined."""
    return "".join(
        _text(o.get("text"))
        for o in cell.get("outputs") or []
        if o.get("output_type") == "stream" and o.get("name") == name
    )


def rich_text(cell: Cell) -> str:
    """The text/plain and text/html of a cell's display_data/execute_result outputs."""
    parts = []
    for o in cell.get("outputs") or []:
        if o.get("output_type") in ("display_data", "execute_result"):
            data = o.get("data") or {}
            for mime in ("text/plain", "text/html"):
                if mime in data:
                    parts.append(_text(data[mime]))
    return "\n".join(parts)


def all_text(cell: Cell) -> str:
    return "\n".join(t for t in (stream_text(cell, "stdout"), stream_text(cell, "stderr"), rich_text(cell)) if t)


def output_has_svg(output: dict[str, Any]) -> bool:
    data = output.get("data") or {}
    return any("<svg" in _text(data.get(mime)) for mime in PLOT_MIMES)


def has_plot(nb: Notebook) -> bool:
    return any(output_has_svg(o) for _, cell in code_cells(nb) for o in cell.get("outputs") or [])


def find_errors(nb: Notebook) -> list[Problem]:
    """One problem per cell with error outputs (evcxr sends one per compiler error)."""
    problems = []
    for index, cell in code_cells(nb):
        messages = []
        for o in cell.get("outputs") or []:
            if o.get("output_type") != "error":
                continue
            ename, evalue = _text(o.get("ename")), _text(o.get("evalue"))
            traceback = "\n".join(strip_ansi(_text(t)) for t in o.get("traceback") or [])
            message = f"{ename}: {evalue}" if ename else evalue
            if traceback.strip() and traceback.strip() not in strip_ansi(message):
                message += "\n" + traceback
            messages.append(message)
        if messages:
            problems.append(Problem("error", "\n\n".join(messages), index, cell_source(cell)))
    return problems


def find_panics(nb: Notebook) -> list[Problem]:
    problems = []
    for index, cell in code_cells(nb):
        for name in ("stderr", "stdout"):
            text = stream_text(cell, name)
            if PANIC_MARKER in text:
                problems.append(Problem("panic", f"(on {name})\n{text}", index, cell_source(cell)))
    return problems


def find_check_failures(nb: Notebook) -> list[Problem]:
    """Solutions mode: every executed check cell must print ✅ and no ❌."""
    problems = []
    for index, cell in code_cells(nb):
        if CHECK_TAG not in cell_tags(cell):
            continue
        text = all_text(cell)
        if FAIL_MARK in text:
            why = f"check cell printed {FAIL_MARK} with the solutions in place"
        elif PASS_MARK not in text:
            why = f"check cell did not print {PASS_MARK}"
        else:
            continue
        problems.append(Problem("check", f"{why}; it printed:\n{text or '(nothing)'}", index, cell_source(cell)))
    return problems


def find_warnings(nb: Notebook, completed: bool = True) -> list[Problem]:
    """nnlib's training warnings: none, except in a cell tagged ``shows-warning``, which must
    show one (when execution ``completed``: a cell that never ran printed nothing)."""
    problems = []
    for index, cell in code_cells(nb):
        text = all_text(cell)
        meant = SHOWS_WARNING_TAG in cell_tags(cell)
        if WARNING_MARKER in text and not meant:
            why = "nnlib warned that training quietly failed (a false alarm, or a real failure)"
            problems.append(Problem("warning", f"{why}:\n{text}", index, cell_source(cell)))
        elif meant and completed and WARNING_MARKER not in text:
            why = f"the cell is tagged {SHOWS_WARNING_TAG} but printed no {WARNING_MARKER!r}"
            problems.append(Problem("warning", f"{why}; it printed:\n{text or '(nothing)'}", index, cell_source(cell)))
    return problems


FIGURE_DEBUG_PREFIX = "Figure {"


def find_unrendered_figures(nb: Notebook) -> list[Problem]:
    """A plot that came out as its Debug text (``Figure { 640 × 420 px, ... }``).

    evcxr shows a cell's value with ``evcxr_display()`` when that compiles and
    falls back to ``Debug`` silently otherwise (seen when the cell also calls a
    user ``fn`` returning ``impl Fn``): the learner then sees no plot.
    """
    problems = []
    for index, cell in code_cells(nb):
        for o in cell.get("outputs") or []:
            data = o.get("data") or {}
            if _text(data.get("text/plain")).lstrip().startswith(FIGURE_DEBUG_PREFIX) and not output_has_svg(o):
                problems.append(
                    Problem(
                        "unrendered-plot",
                        "the cell's value is a Figure but it was shown as text, not as SVG "
                        "(evcxr could not call evcxr_display on it)",
                        index,
                        cell_source(cell),
                    )
                )
    return problems


def find_problems(
    nb: Notebook,
    *,
    solutions: bool = False,
    completed: bool = True,
    require_plot: bool = True,
    errors: bool = True,
) -> list[Problem]:
    """Everything wrong with an executed notebook.

    ``completed=False`` means execution stopped early (an error, a timeout): the
    plot and check-cell rules are then skipped, since later cells never ran and
    the cause is reported on its own. ``errors=False`` leaves error outputs to
    the caller (a notebook that is meant to show errors).
    """
    problems = (find_errors(nb) if errors else []) + find_panics(nb) + find_unrendered_figures(nb)
    problems += find_warnings(nb, completed)
    problems.sort(key=lambda p: (p.cell_index if p.cell_index is not None else -1))
    if completed and solutions:
        problems += find_check_failures(nb)
    if completed and require_plot and not has_plot(nb):
        problems.append(
            Problem(
                "no-plot",
                "no output contains an <svg> plot (text/html or image/svg+xml); "
                "every notebook must show at least one plot",
            )
        )
    return problems


# ---------------------------------------------------------------- exercises


def exercise_cells(nb: Notebook) -> list[tuple[int, Cell]]:
    return [(i, c) for i, c in code_cells(nb) if EXERCISE_TAG in cell_tags(c)]


def has_exercises(nb: Notebook) -> bool:
    return bool(exercise_cells(nb))


def solution_of(cell: Cell) -> str | None:
    node: Any = cell.get("metadata") or {}
    for key in SOLUTION_KEY:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return _text(node)


def apply_solutions(nb: Notebook) -> tuple[Notebook, list[Problem]]:
    """A copy of ``nb`` whose exercise cells hold their solutions.

    Returns the copy and a problem for each exercise cell without a solution.
    """
    out = copy.deepcopy(nb)
    problems = []
    for index, cell in exercise_cells(out):
        solution = solution_of(cell)
        if solution is None or not solution.strip():
            problems.append(
                Problem(
                    "solution-missing",
                    'exercise cell has no metadata {"nnlib": {"solution": "..."}}',
                    index,
                    cell_source(cell),
                )
            )
            continue
        cell["source"] = solution
    return out, problems


# ---------------------------------------------------------------- reporting


def first_code_cell_source(nb: Notebook) -> str:
    for _, cell in code_cells(nb):
        return cell_source(cell)
    return ""


def format_report(name: str, problems: list[Problem], nb: Notebook | None = None) -> str:
    n_cells = len(nb.get("cells") or []) if nb else None
    where = ", ".join(
        p.kind if p.cell_index is None else f"{p.kind} in cell {p.cell_index + 1}" for p in problems
    )
    head = f"{name}: {len(problems)} problem(s): {where}"
    return "\n\n".join([head] + [p.render(n_cells) for p in problems])
