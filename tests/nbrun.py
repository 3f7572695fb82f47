"""Execute a notebook headless with the Rust (evcxr) kernel and check it.

Used by ``test_notebooks.py``, ``test_harness.py``, ``tools/warmup.py`` and
``tools/render_html.py``. The kernel starts in the notebook's own folder, as
JupyterLab does, so ``:dep nnlib = { path = "../nnlib" }`` resolves.

Three kernels (``execute(..., kernel=...)``):
  ``rust``   the project's kernel as `make kernel` registered it: our evcxr
             config (evcxr/init.evcxr, prelude.rs) and a persistent build slot
             (tools/evcxr_kernel.py).
  ``plain``  what a learner's own `evcxr_jupyter --install` gives: NO config
             (EVCXR_CONFIG_DIR is an empty folder, so neither our prelude nor
             `:cache` nor ~/.config/evcxr), started through the same launcher
             for its build slot. A slot only decides where cargo writes its
             output; it changes nothing a cell compiles to or shows, so what
             renders here renders on any plain evcxr 0.22 kernel, only faster.
  ``bare``   evcxr_jupyter itself, no launcher, no config: evcxr's own
             throw-away build folder, so the first cell compiles every
             dependency again (minutes). The check that the launcher is not
             what makes a notebook work.

Deadlines (environment knobs, seconds):
  NB_STARTUP_TIMEOUT   the kernel must answer kernel_info (default 60). A kernel
                       that does not, or dies while starting, is stopped and
                       started again ONCE (nothing of the notebook ran yet, so
                       that is honest); the result says so (``restarts``).
  NB_SILENCE_TIMEOUT   a running cell whose kernel shows no message, no log line
                       and no CPU time for this long is "silent": the kernel is
                       stopped and the notebook fails (default 60). A cold
                       compile is never silent (rustc uses CPU, cargo logs).
  NB_CELL_TIMEOUT      hard limit per cell (default 600)
  NB_DEP_CELL_TIMEOUT  hard limit for a cell with a ``:dep`` line, which may
                       compile every dependency cold (default 1800)
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_hook

import kernelwatch
import nbcheck

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))  # evcxr_kernel: where the launcher's slots live
OUT_DIR = REPO / "target" / "notebooks"
CONFIG_DIR = REPO / "evcxr"
WARMUP_NOTEBOOK = REPO / "tools" / "warmup.ipynb"
FIXTURES = REPO / "tests" / "fixtures" / "notebooks"
TEST_KERNELS = REPO / "target" / "test-kernels"
# Folders a notebook's relative paths reach (its cwd is notebooks/): running it
# must leave their tracked files alone (the README's pictures in docs/ are
# written by `make figures` from the outputs, after the run).
TRACKED_DIRS = ("docs", "data", "notebooks")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


KERNEL = os.environ.get("NB_KERNEL", "rust")
CELL_TIMEOUT = _env_int("NB_CELL_TIMEOUT", 600)
DEP_CELL_TIMEOUT = _env_int("NB_DEP_CELL_TIMEOUT", 1800)
STARTUP_TIMEOUT = _env_int("NB_STARTUP_TIMEOUT", 60)
SILENCE_TIMEOUT = _env_int("NB_SILENCE_TIMEOUT", 60)


@dataclass
class RunResult:
    name: str
    nb: dict
    problems: list[nbcheck.Problem] = field(default_factory=list)
    seconds: float = 0.0
    completed: bool = False
    out_path: Path | None = None
    restarts: list[str] = field(default_factory=list)  # why the kernel was started again

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        text = nbcheck.format_report(self.name, self.problems, self.nb)
        for note in self.restarts:
            text += f"\n\nnote: {note}"
        if self.out_path:
            text += f"\n\nexecuted notebook written to {self.out_path} (kernel log: .kernel.log beside it)"
        return text


def cell_timeout(cell) -> int:
    source = nbcheck.cell_source(cell)
    if any(line.lstrip().startswith(":dep") for line in source.splitlines()):
        return DEP_CELL_TIMEOUT
    return CELL_TIMEOUT


# ---------------------------------------------------------------- kernels


def _project_spec():
    return KernelSpecManager().get_kernel_spec(KERNEL)


def empty_config_dir() -> Path:
    """An empty EVCXR_CONFIG_DIR: evcxr then reads no init.evcxr, prelude.rs or evcxr.toml."""
    path = TEST_KERNELS / "empty-evcxr-config"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def bare_tmp_dir() -> Path:
    """TMPDIR for the bare kernel: evcxr makes its throw-away build folder in there.
    Beside the launcher's slots (see tools/evcxr_kernel.py why not in the repo);
    deleted after the run, also when the kernel was killed and could not clean up."""
    import evcxr_kernel

    return evcxr_kernel.ROOT / "bare-tmp"


def kernel_spec_manager(flavour) -> tuple[KernelSpecManager | None, str]:
    """(spec manager, kernel name) for ``rust``, ``plain`` or ``bare``; a
    (spec manager, name) pair is passed through (the harness's own tests)."""
    if isinstance(flavour, tuple):
        return flavour
    if flavour == "rust":
        return None, KERNEL
    if flavour not in ("plain", "bare"):
        raise ValueError(f"unknown kernel {flavour!r}: rust, plain or bare")
    spec = _project_spec()
    python, launcher, binary = spec.argv[:3]
    env = {"EVCXR_CONFIG_DIR": str(empty_config_dir())}
    if flavour == "plain":
        argv = [python, launcher, binary, "--control_file", "{connection_file}"]
    else:
        argv = [binary, "--control_file", "{connection_file}"]
        tmp = bare_tmp_dir()
        tmp.mkdir(parents=True, exist_ok=True)
        env["TMPDIR"] = str(tmp)
    name = f"rust-{flavour}"
    folder = TEST_KERNELS / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": f"Rust ({flavour} evcxr)", "language": "rust", "env": env}, indent=1)
    )
    return KernelSpecManager(kernel_dirs=[str(folder.parent)]), name


class KernelNotReady(RuntimeError):
    pass


class Client(NotebookClient):
    """nbclient with our kernel flavours, a deadline on start-up with one restart,
    and the time of the kernel's last message (for the watchdog)."""

    def __init__(self, nb, *, flavour, log_path: Path | None, silence: float, **kw):
        super().__init__(nb, **kw)
        self.silence = silence
        self.flavour = flavour
        self.ksm, self.kernel_name = kernel_spec_manager(flavour)
        self.log_path = log_path
        self.last_message = time.monotonic()
        self.restarts: list[str] = []
        self.watchdog: kernelwatch.Watchdog | None = None
        self._start_kwargs: dict = {}

    def create_kernel_manager(self):
        kw = {"kernel_spec_manager": self.ksm} if self.ksm else {}
        self.km = AsyncKernelManager(kernel_name=self.kernel_name, **kw)
        return self.km

    async def async_start_new_kernel(self, **kwargs):
        self._start_kwargs = kwargs
        await super().async_start_new_kernel(**kwargs)

    async def async_start_new_kernel_client(self):
        try:
            return await self._ready_client()
        except KernelNotReady as first:
            self.restarts.append(f"{first}\nThe kernel was stopped and started again (once).")
            self.create_kernel_manager()
            await self.async_start_new_kernel(**self._start_kwargs)
            return await self._ready_client()

    async def _ready_client(self):
        """Connect, and wait up to startup_timeout for kernel_info; on failure
        describe the kernel's processes, stop it and raise KernelNotReady."""
        self.kc = self.km.client()
        await ensure_async(self.kc.start_channels())
        pid = self.km.provisioner.process.pid
        try:
            await ensure_async(self.kc.wait_for_ready(timeout=self.startup_timeout))
        except RuntimeError as e:
            died = "died" in str(e)
            evidence = "" if died else "\n" + kernelwatch.describe(pid)
            await self._async_cleanup_kernel()
            what = "died while starting" if died else f"did not answer kernel_info within {self.startup_timeout} s (NB_STARTUP_TIMEOUT)"
            raise KernelNotReady(f"the {self.kernel_name} kernel (pid {pid}) {what}{evidence}") from None
        self.kc.allow_stdin = False
        self.last_message = time.monotonic()
        self.watchdog = kernelwatch.Watchdog(pid, self.silence, lambda: self.last_message, self.log_path)
        self.watchdog.start()
        await run_hook(self.on_notebook_start, notebook=self.nb)
        return self.kc

    def process_message(self, msg, cell, cell_index):
        self.last_message = time.monotonic()
        return super().process_message(msg, cell, cell_index)


# ---------------------------------------------------------------- tracked files


def tracked_snapshot() -> dict[str, tuple[int, int]] | None:
    """(mtime_ns, size) of every tracked file in TRACKED_DIRS; None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "ls-files", "-z", "--", *TRACKED_DIRS], capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    snap = {}
    for name in filter(None, out.decode().split("\0")):
        try:
            st = (REPO / name).stat()
            snap[name] = (st.st_mtime_ns, st.st_size)
        except OSError:
            snap[name] = (0, -1)
    return snap


def rewritten(before: dict | None, after: dict | None) -> list[str]:
    if before is None or after is None:
        return []
    return sorted(n for n in before if after.get(n) != before[n])


# ---------------------------------------------------------------- run


def execute(
    path: Path,
    *,
    kernel="rust",
    solutions: bool = False,
    require_plot: bool = True,
    out_path: Path | None = None,
    name: str | None = None,
    kernel_log: bool = True,
    allow_errors: bool = False,
    startup_timeout: int = STARTUP_TIMEOUT,
    silence: float = SILENCE_TIMEOUT,
    check_tracked: bool = True,
) -> RunResult:
    """Run ``path`` top to bottom (stopping at the first error output unless
    ``allow_errors``) on ``kernel`` (rust, plain or bare) and check it.

    ``kernel_log``: send the kernel's own stdout/stderr (cargo's "Compiling ..."
    lines, crash reports) to ``<out_path stem>.kernel.log`` instead of ours.
    ``check_tracked``: fail if the run changed a tracked file of TRACKED_DIRS.
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

    log_path = out_path.with_suffix(".kernel.log") if out_path is not None and kernel_log else None
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(log_path, "w", encoding="utf-8")
        redirect = {"stdout": log, "stderr": log}
    else:
        log, redirect = None, {}

    client = Client(
        nb,
        flavour=kernel,
        log_path=log_path,
        silence=silence,
        timeout_func=cell_timeout,
        startup_timeout=startup_timeout,
        allow_errors=allow_errors,
        record_timing=True,
        on_cell_execute=on_cell_execute,
        resources={"metadata": {"path": str(path.parent)}},
    )

    def cell_problem(kind: str, message: str) -> nbcheck.Problem:
        index = current["index"]
        source = nbcheck.cell_source(nb.cells[index]) if index is not None else ""
        return nbcheck.Problem(kind, message, index, source)

    def with_log_tail(message: str) -> str:
        if log is None:
            return message
        log.flush()
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        return message + f"\n--- last lines of the kernel's log {log_path}:\n" + "\n".join(tail)

    completed = False
    before = tracked_snapshot() if check_tracked else None
    start = time.monotonic()
    try:
        client.execute(**redirect)
        completed = True
    except CellTimeoutError as e:
        problems.append(cell_problem("timeout", with_log_tail(f"{e}\n(limits: NB_CELL_TIMEOUT, NB_DEP_CELL_TIMEOUT)")))
    except CellExecutionError:
        pass  # the error output is in the cell; find_problems reports it
    except DeadKernelError as e:
        dog = client.watchdog
        if dog is not None and dog.reason:
            problems.append(cell_problem("silent-kernel", with_log_tail(f"{dog.reason}\n{dog.evidence}")))
        else:
            problems.append(cell_problem("dead-kernel", with_log_tail(f"the kernel died: {e}")))
    except KernelNotReady as e:
        problems.append(cell_problem("kernel-start", with_log_tail(f"{e}\n(twice: the kernel was restarted once)")))
    except Exception as e:  # kernel missing, failed to start, ...
        hint = ""
        if "No such kernel" in str(e) or "NoSuchKernel" in type(e).__name__:
            hint = f"\nIs the '{KERNEL}' kernel registered? Run `make kernel` (or `make test`)."
        problems.append(cell_problem("execution", with_log_tail(f"{type(e).__name__}: {e}{hint}")))
    finally:
        if client.watchdog is not None:
            client.watchdog.stop()
        if log is not None:
            log.close()
        # nbclient registers a cleanup that fails noisily at exit when the kernel never started.
        atexit.unregister(client._cleanup_kernel)
        if kernel == "bare":
            shutil.rmtree(bare_tmp_dir(), ignore_errors=True)
    seconds = time.monotonic() - start

    problems += nbcheck.find_problems(
        nb, solutions=solutions, completed=completed, require_plot=require_plot, errors=not allow_errors
    )
    changed = rewritten(before, tracked_snapshot() if check_tracked else None)
    if changed:
        problems.append(
            nbcheck.Problem(
                "rewrote-tracked-files",
                "running the notebook rewrote tracked files (only `make figures` may redraw docs/): " + ", ".join(changed),
            )
        )
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_path)
    return RunResult(name, nb, problems, seconds, completed, out_path, client.restarts)
