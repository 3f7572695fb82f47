"""Execute every workshop notebook headless with the Rust kernel.

Which notebooks: every ``*.ipynb`` in ``notebooks/`` (or ``$NB_DIR``) whose
name does not start with ``_``, in any order: a new notebook is picked up by
being there. One test per notebook, named after its stem. (The harness's own
fixtures live in ``tests/fixtures/notebooks/``; ``test_harness.py`` runs them.)

Modes:
- ``test_notebook[name]``: as committed, on a PLAIN evcxr kernel (no prelude,
  no init.evcxr: what a learner's own `evcxr_jupyter --install` gives; see
  nbrun.py). Every plot must render there too. Running it must not rewrite
  tracked files (docs/, data/, notebooks/).
- ``test_notebook_solutions[name]`` (only for notebooks with ``exercise``
  cells): with the solutions substituted, on the project's kernel; every check
  cell must print ✅.
- ``test_notebook_bare[name]``: as committed on evcxr_jupyter started directly
  (its own throw-away build folder, so it compiles every dependency again:
  minutes). One notebook by default (``NB_BARE``, see below).
``NB_SOLUTIONS=0`` runs only the first, ``NB_SOLUTIONS=1`` only the second;
unset runs both. ``NB_BARE``: comma-separated notebook stems for the bare run
(default ``Linear_Regression``, the first a learner opens; ``all``; ``0`` none).

Executed notebooks are written to ``target/notebooks/<name>.ipynb``
(``<name>.solutions.ipynb``, ``<name>.bare.ipynb``), the kernel's own output
(cargo's "Compiling ..." lines, crash reports) beside them as ``.kernel.log``.
The rules a notebook must pass are in ``nbcheck.py``; deadlines in ``nbrun.py``.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

import pytest

import nbcheck
import nbrun

NB_DIR = Path(os.environ.get("NB_DIR") or nbrun.REPO / "notebooks").resolve()
_SOLUTIONS = os.environ.get("NB_SOLUTIONS", "").strip()
RUN_NORMAL = _SOLUTIONS in ("", "0")
RUN_SOLUTIONS = _SOLUTIONS != "0"

TIMINGS: list[tuple[str, float, str]] = []  # (label, seconds, outcome); printed by conftest


def discover() -> list[Path]:
    if not NB_DIR.is_dir():
        return []
    return sorted(p for p in NB_DIR.glob("*.ipynb") if not p.name.startswith("_"))


def _load(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


NOTEBOOKS = discover()
WITH_EXERCISES = [p for p in NOTEBOOKS if nbcheck.has_exercises(_load(p))]
_BARE = os.environ.get("NB_BARE", "Linear_Regression").strip()
BARE = [] if _BARE in ("", "0") else [p for p in NOTEBOOKS if _BARE == "all" or p.stem in _BARE.split(",")]


def params(paths: list[Path], what: str):
    """One parameter per notebook, id = its stem; a single clear skip when there are none."""
    if paths:
        return [pytest.param(p, id=p.stem) for p in paths]
    reason = f"no {what} in {NB_DIR} (names starting with _ are left out)"
    return [pytest.param(None, id="none", marks=pytest.mark.skip(reason=reason))]


def warmup_dep_line() -> str:
    return nbcheck.first_code_cell_source(_load(nbrun.WARMUP_NOTEBOOK)).strip()


def _run_and_check(
    path: Path, *, kernel: str, solutions: bool, label: str, require_plot: bool = True, out_name: str | None = None
):
    out = nbrun.OUT_DIR / f"{out_name or label}.ipynb"
    result = nbrun.execute(path, kernel=kernel, solutions=solutions, require_plot=require_plot, out_path=out, name=label)
    outcome = "ok" if result.ok else "FAILED"
    if result.restarts:
        outcome += ", kernel restarted once"
        warnings.warn(f"{label}: " + "\n".join(result.restarts))
    TIMINGS.append((label, result.seconds, outcome))
    if not result.ok:
        pytest.fail(result.report(), pytrace=False)
    return result


# ------------------------------------------------------------ the kernel itself


def test_rust_kernelspec_is_the_projects():
    """`rust` must resolve to the kernel `make kernel` wrote into .venv, with our evcxr config."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(nbrun.KERNEL)
    except NoSuchKernel:
        pytest.fail(f"no '{nbrun.KERNEL}' kernel is registered; run `make kernel`", pytrace=False)
    where = spec.resource_dir
    for arg in spec.argv[:3]:
        assert Path(arg).is_file(), f"{where}/kernel.json: {arg} does not exist; run `make kernel`"
    assert spec.argv[1] == str(nbrun.REPO / "tools" / "evcxr_kernel.py"), f"{where}/kernel.json: {spec.argv}"
    assert spec.env.get("EVCXR_CONFIG_DIR") == str(nbrun.CONFIG_DIR), (
        f"the '{nbrun.KERNEL}' kernel in {where} does not point EVCXR_CONFIG_DIR at {nbrun.CONFIG_DIR} "
        f"(env={spec.env}); another 'rust' kernel shadows ours? run `make kernel`"
    )


def test_kernel_warmup():
    """tools/warmup.ipynb: kernel starts, nnlib compiles, evcxr's dependency cache is filled.

    It runs before the notebooks so their timings are warm ones.
    """
    result = _run_and_check(
        nbrun.WARMUP_NOTEBOOK, kernel="rust", solutions=False, label="(warm-up)", require_plot=False, out_name="_warmup"
    )
    outputs = {nbcheck.cell_source(c).strip(): nbcheck.all_text(c) for _, c in nbcheck.code_cells(result.nb)}
    assert outputs.get("nnlib::ndarray::arr1(&[1.0]).sum()", "").strip() == "1.0", outputs
    # `:cache` reports the limit init.evcxr set: proof that EVCXR_CONFIG_DIR reached evcxr.
    limit = re.search(r"^:cache\s+(\d+)", (nbrun.CONFIG_DIR / "init.evcxr").read_text(), re.M)
    assert limit, "evcxr/init.evcxr should contain `:cache N`"
    assert f"Size limit: {limit.group(1)} MiB" in outputs.get(":cache", ""), (
        f"evcxr did not apply evcxr/init.evcxr; `:cache` printed {outputs.get(':cache')!r}"
    )


# ------------------------------------------------------------ the notebooks


@pytest.mark.parametrize("path", params(NOTEBOOKS, "notebooks"))
def test_notebook_dep_line(path: Path):
    """The first code cell carries the warm-up's :dep line, so `make lab`'s warm-up covers it."""
    expected = warmup_dep_line()
    first = nbcheck.first_code_cell_source(_load(path))
    assert expected in first, (
        f"{path.name}: the first code cell should contain {expected!r} "
        f"(the line in tools/warmup.ipynb), found:\n{first}"
    )


def _locked_versions() -> dict[str, list[str]]:
    """Cargo.lock's packages: name -> versions."""
    text = (nbrun.REPO / "Cargo.lock").read_text()
    found: dict[str, list[str]] = {}
    for name, version in re.findall(r'^name = "([^"]+)"\nversion = "([^"]+)"', text, re.M):
        found.setdefault(name, []).append(version)
    return found


def _caret_matches(wanted: str, version: str) -> bool:
    """Cargo's default requirement `"0.8.1"` (= `^0.8.1`): the same first non-zero part, not older."""
    w, v = [[int(p) for p in s.split(".")] for s in (wanted, version)]
    w, v = w + [0] * (3 - len(w)), v + [0] * (3 - len(v))
    first = next((i for i, p in enumerate(w) if p != 0), 2)
    return v[: first + 1] == w[: first + 1] and v >= w


@pytest.mark.parametrize("path", params(NOTEBOOKS, "notebooks"))
def test_notebook_crates_are_in_the_lock(path: Path):
    """A crate a notebook adds with its own `:dep name = "version"` line is in Cargo.lock
    (as a dev-dependency of nnlib if nothing else needs it): the room on JupyterHub has no
    crates.io and vendors exactly Cargo.lock's crates (hub/room.py), so a crate missing
    there fails in every learner's kernel."""
    locked = _locked_versions()
    missing = []
    for _, cell in nbcheck.code_cells(_load(path)):
        for name, version in re.findall(r'^:dep\s+([\w-]+)\s*=\s*"([^"]+)"', "".join(cell["source"]), re.M):
            if not any(_caret_matches(version, v) for v in locked.get(name, [])):
                missing.append(f'{name} = "{version}" (Cargo.lock has {locked.get(name, "none")})')
    assert not missing, f"{path.name}: :dep crates not in Cargo.lock: {missing}; add them to nnlib's [dev-dependencies]"


def test_caret_matches():
    assert _caret_matches("0.8.1", "0.8.1") and _caret_matches("0.8.1", "0.8.3")
    assert not _caret_matches("0.8.1", "0.9.0") and not _caret_matches("0.8.1", "0.8.0")
    assert _caret_matches("1.2", "1.9.0") and not _caret_matches("1.2", "2.0.0")


NOTEBOOK_WIDTH = 100  # a code line a learner reads without scrolling, in JupyterLab's default layout


@pytest.mark.parametrize("path", params(NOTEBOOKS, "notebooks"))
def test_notebook_code_fits_the_width(path: Path):
    """Every line of code, in the cells and in the exercises' solutions, is at most 100 characters."""
    wide = []
    for i, cell in nbcheck.code_cells(_load(path)):
        solution = cell.get("metadata", {}).get("nnlib", {}).get("solution", "")
        for source in ("".join(cell["source"]), solution if isinstance(solution, str) else "".join(solution)):
            wide += [f"cell {i}: {len(line)} characters: {line.strip()[:60]}"
                     for line in source.split("\n") if len(line) > NOTEBOOK_WIDTH]
    assert not wide, f"{path.name}: lines wider than {NOTEBOOK_WIDTH} characters (0-based cells):\n" + "\n".join(wide)


@pytest.mark.skipif(not RUN_NORMAL, reason="NB_SOLUTIONS=1: solutions mode only")
@pytest.mark.parametrize("path", params(NOTEBOOKS, "notebooks"))
def test_notebook(path: Path):
    """As committed, on a plain evcxr kernel: what a learner with their own evcxr sees."""
    _run_and_check(path, kernel="plain", solutions=False, label=f"{path.stem} (plain kernel)", out_name=path.stem)


@pytest.mark.skipif(not RUN_SOLUTIONS, reason="NB_SOLUTIONS=0: normal mode only")
@pytest.mark.parametrize("path", params(WITH_EXERCISES, "notebooks with exercise cells"))
def test_notebook_solutions(path: Path):
    """With the exercise solutions filled in, on the project's kernel."""
    _run_and_check(path, kernel="rust", solutions=True, label=f"{path.stem} (solutions)", out_name=f"{path.stem}.solutions")


@pytest.mark.skipif(not RUN_NORMAL, reason="NB_SOLUTIONS=1: solutions mode only")
@pytest.mark.parametrize("path", params(BARE, "notebooks for the bare-kernel run (NB_BARE)"))
def test_notebook_bare(path: Path):
    """As committed, on evcxr_jupyter started directly: no launcher, no slot, no config.
    Its first cell compiles every dependency in a new folder (minutes)."""
    _run_and_check(path, kernel="bare", solutions=False, label=f"{path.stem} (bare kernel)", out_name=f"{path.stem}.bare")


@pytest.mark.parametrize("path", params(NOTEBOOKS, "notebooks"))
def test_notebook_committed_without_outputs(path: Path):
    """Notebooks are committed without outputs (`make strip`). Enforced in CI only,
    since a learner's working copy legitimately holds outputs."""
    if not os.environ.get("CI"):
        pytest.skip("only enforced when CI is set")
    dirty = [i for i, c in nbcheck.code_cells(_load(path)) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"{path.name} has outputs in cells {dirty} (0-based); run `make strip` and commit"
