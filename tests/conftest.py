"""Prints each executed notebook's wall time before pytest's closing summary line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


FIRST = ("test_rust_kernelspec_is_the_projects", "test_kernel_warmup")


def pytest_collection_modifyitems(session, config, items):
    """The kernel checks and the warm-up (which compiles nnlib's dependencies
    once) run first, so every kernel after them starts warm and its time is
    a warm one."""
    items.sort(key=lambda item: 0 if item.name in FIRST else 1)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep the short test summary to one line per failure: a notebook's full
    report (cell source, compiler message) is already in the FAILURES section,
    and pytest would repeat all of it when CI is set."""
    report = yield
    crash = getattr(report.longrepr, "reprcrash", None)
    if report.failed and crash is not None and "\n" in (crash.message or ""):
        crash.message = crash.message.splitlines()[0] + " (details above)"
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    try:
        from test_notebooks import TIMINGS
    except Exception:  # the module was not collected (e.g. `pytest tests/test_nbcheck.py`)
        return
    if not TIMINGS:
        return
    tr = terminalreporter
    tr.write_sep("-", "notebook wall times")
    width = max(len("notebook"), *(len(label) for label, _, _ in TIMINGS))
    tr.write_line(f"{'notebook':<{width}}  {'seconds':>8}  result")
    for label, seconds, outcome in TIMINGS:
        tr.write_line(f"{label:<{width}}  {seconds:8.1f}  {outcome}")
    tr.write_line(f"{'total':<{width}}  {sum(s for _, s, _ in TIMINGS):8.1f}")
