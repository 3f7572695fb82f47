"""Execute a notebook headless with the Rust (evcxr) kernel and check it.

Used by ``test_notebooks.py`` and by ``tools/warmup.py``. The kernel starts in
the notebook's own folder, as JupyterLab does, so ``:dep nnlib = { path =
"../nnlib" }`` resolves.

Environment knobs:
  NB_KERNEL            kernel name (default ``rust``)
  NB_CELL_TIMEOUT      seconds per cell (default 600)
  NB_DEP_CELL_TIMEOUT  seconds for a cell with a ``:dep`` line, which may
                       compile every dependency cold (default 1800)
  NB_STARTUP_TIMEOUT   seconds for the kernel to start (default 300)
"""

from __future__ import annotations

import atexit
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

import nbcheck

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "target" / "notebooks"
CONFIG_DIR = REPO / "evcxr"
WARMUP_NOTEBOOK = REPO / "tools" / "warmup.ipynb"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


KERNEL = os.environ.get("NB_KERNEL", "rust")
CELL_TIMEOUT = _env_int("NB_CELL_TIMEOUT", 600)
DEP_CELL_TIMEOUT = _env_int("NB_DEP_CELL_TIMEOUT", 1800)
STARTUP_TIMEOUT = _env_int("NB_STARTUP_TIMEOUT", 300)


@dataclass
class RunResult:
    name: str
    nb: dict
    problems: list[nbcheck.Problem] = field(default_factory=list)
    seconds: float = 0.0
    completed: bool = False
    out_path: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        text = nbcheck.format_report(self.name, self.problems, self.nb)
        if self.out_path:
            text += f"\n\nexecuted notebook written to {self.out_path} (kernel log: .kernel.log beside it)"
        return text


def cell_timeout(cell) -> int:
    source = nbcheck.cell_source(cell)
    if any(line.lstrip().startswith(":dep") for line in source.splitlines()):
        return DEP_CELL_TIMEOUT
    return CELL_TIMEOUT


def execute(
    path: Path,
    *,
    solutions: bool = False,
    require_plot: bool = True,
    out_path: Path | None = None,
    name: str | None = None,
    kernel_log: bool = True,
) -> RunResult:
    """Run ``path`` top to bottom (stopping at the first error output) and check it.

    ``kernel_log``: send the kernel's own stdout/stderr (cargo's "Compiling ..."
    lines, crash reports) to ``<out_path stem>.kernel.log`` instead of ours.
    """
    path = Path(path).resolve()
    name = name or path.stem
    nb = nbformat.read(path, as_version=4)
    problems: list[nbcheck.Problem] = []
    if solutions:
        nb, problems = nbcheck.apply_solutions(nb)
        nb = nbformat.from_dict(nb)

    current: dict = {"index": None}

    def on_cell_execute(cell, cell_index, **_):
        current["index"] = cell_index

    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout_func=cell_timeout,
        startup_timeout=STARTUP_TIMEOUT,
        allow_errors=False,
        record_timing=True,
        on_cell_execute=on_cell_execute,
        resources={"metadata": {"path": str(path.parent)}},
    )

    def cell_problem(kind: str, message: str) -> nbcheck.Problem:
        index = current["index"]
        source = nbcheck.cell_source(nb.cells[index]) if index is not None else ""
        return nbcheck.Problem(kind, message, index, source)

    log_path = out_path.with_suffix(".kernel.log") if out_path is not None and kernel_log else None
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(log_path, "w", encoding="utf-8")
        redirect = {"stdout": log, "stderr": log}
    else:
        log, redirect = None, {}

    def with_log_tail(message: str) -> str:
        if log is None:
            return message
        log.flush()
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        return message + f"\n--- last lines of the kernel's log {log_path}:\n" + "\n".join(tail)

    completed = False
    start = time.monotonic()
    try:
        client.execute(**redirect)
        completed = True
    except CellTimeoutError as e:
        problems.append(cell_problem("timeout", with_log_tail(f"{e}\n(limits: NB_CELL_TIMEOUT, NB_DEP_CELL_TIMEOUT)")))
    except CellExecutionError:
        pass  # the error output is in the cell; find_problems reports it
    except DeadKernelError as e:
        problems.append(cell_problem("dead-kernel", with_log_tail(f"the kernel died: {e}")))
    except Exception as e:  # kernel missing, failed to start, ...
        hint = ""
        if "No such kernel" in str(e) or "NoSuchKernel" in type(e).__name__:
            hint = f"\nIs the '{KERNEL}' kernel registered? Run `make kernel` (or `make test`)."
        problems.append(cell_problem("execution", with_log_tail(f"{type(e).__name__}: {e}{hint}")))
    finally:
        if log is not None:
            log.close()
        # nbclient registers a cleanup that fails noisily at exit when the kernel never started.
        atexit.unregister(client._cleanup_kernel)
    seconds = time.monotonic() - start

    problems += nbcheck.find_problems(nb, solutions=solutions, completed=completed, require_plot=require_plot)
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_path)
    return RunResult(name, nb, problems, seconds, completed, out_path)
