"""The learner's loop: how long the Rust (evcxr) kernel makes a learner wait.

usage: .venv/bin/python bench/kernel.py [options]      (`make bench-kernel`)

Every time is measured as a learner feels it: from sending the execute request
to the kernel reporting `idle` for it (and kernel start: from launching the
process to its kernel_info reply), through jupyter_client against the `rust`
kernel registered in .venv. One *loop* is a fresh kernel in notebooks/ that runs

  start     the kernel starts (launcher, evcxr_jupyter, prelude.rs, init.evcxr)
  dep       `:dep nnlib = { path = "../nnlib" }`, the first cell of every notebook
  first     the first cell after it, a trivial one
  imports   the `use` lines a notebook starts with
  trivial   `let x: i64 = 1 + 1;`, --reps times (median and worst)
  data      load and standardise the diabetes data
  train     train a 10-8-1 network for 100 epochs
  plot      plot its loss curve (checked to arrive as a picture, not text)
  trivial-late  the trivial cell again, --reps times: every cell now also
            compiles the loading and storing of the variables defined so far

Then each notebook runs top to bottom in a fresh kernel (`nb:NAME`, including
its kernel start; `nb-slowest:NAME` is its slowest cell). `warm` runs in the
kernel's usual build slots (compiled by the first, unmeasured loop: `prime`);
`cold` runs in a fresh, empty state folder (NN_EVCXR_DIR, see
tools/evcxr_kernel.py), so its `dep` compiles every dependency, as on a fresh
clone without `make warmup`.

Variants compare kernel settings, interleaved (A B A B ...) for --rounds rounds:
  --variant 'opt1=:opt 1'                     lines appended to init.evcxr
  --variant 'lld=:linker lld;:opt 1'          several lines, separated by ';'
  --variant 'o1@/tmp/evcxr-o1/bin/evcxr_jupyter'  another evcxr_jupyter binary
  --variant 'ctx0=cargo profile.dev.package.ctx.opt-level = 0'
      `cargo LINE` (not an evcxr command): LINE goes into .cargo/config.toml in
      the variant's state folder, which Cargo reads for every slot below it
      (`ctx` is the crate evcxr compiles each cell into)
  --variant 'nobase=dep :dep nnlib = { path = "../nnlib", default-features = false }'
      `dep LINE`: the loop's :dep cell (the notebooks keep their own)
  --variant 'purge0=env MIMALLOC_PURGE_DELAY=0'   `env NAME=VALUE`: the kernel's environment
A variant that changes what cargo builds (init.evcxr lines, `cargo`, `dep`)
builds in its own state folder (a change of linker or opt-level would otherwise
rebuild every dependency), warmed by its own `prime` loop; one of only another
binary or environment shares the project's build slots.

Memory: at the end of each loop and notebook, after --idle-wait seconds idle,
the resident memory of the kernel's two evcxr_jupyter processes (`rss:...`,
MiB, from /proc/PID/smaps_rollup): `kernel` (with evcxr's rust-analyzer) and
`runtime` (the child that runs the cells), each also as `-anon` (private).

--trace runs every kernel under `strace -f --seccomp-bpf -e trace=execve` and
splits each loop cell into: `pre` (from the request to cargo's start: evcxr's
own work, mostly its embedded rust-analyzer inferring variable types), `cargo`
(cargo's start to rustc's start for the cell crate: fingerprint checks),
`rustc` (compiling and linking the cell crate; `link` is the linker alone),
`post` (cargo's exit to idle: loading and running the cell) and `builds` (how
many times evcxr ran cargo for the cell).

Writes target/bench/kernel.csv (every measurement), kernel.md (the summary:
median and range over rounds; the machine's load average) and prints it.
Standard library + jupyter_client (from .venv) only.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import evcxr_kernel  # noqa: E402  (state_dir(): where the kernel builds)

OUT = REPO / "target" / "bench"
NOTEBOOK_DIR = REPO / "notebooks"
DEP = ':dep nnlib = { path = "../nnlib" }'
TRIVIAL = "let x: i64 = 1 + 1;"
LOOP_CELLS = {  # after `dep` and `first`; `trivial` runs between imports and data
    "imports": "use nnlib::linfa::prelude::*;\n"
    "use nnlib::ndarray::{Array2, Axis};\n"
    "use nnlib::{data, plot, Activation, Cost, Network, TrainConfig};",
    "data": "let ds = data::diabetes()?;\n"
    "let x: Array2<f64> = data::Standardizer::fit(ds.records().view())?.transform(ds.records().view())?;\n"
    "let y: Array2<f64> = ds.targets().to_owned().insert_axis(Axis(1));",
    "train": "let mut net = Network::new(&[10, 8, 1], &[Activation::Tanh, Activation::Identity], 0)?;\n"
    "let history = net.train(x.view(), y.view(), Cost::Mse, &TrainConfig::new(100, 0.01))?;\n"
    'println!("final loss {:.1}", history.loss.last().unwrap());',
    "plot": 'plot::curves_log("Training loss", "epoch", "MSE (log scale)", &[("nnlib", &history.loss)])?',
}
PICTURE = ("image/svg+xml", "text/html", "image/png")


class BenchError(Exception):
    pass


# ---------------------------------------------------------------- one kernel


@dataclass
class Cell:
    seconds: float
    cpu: float = 0.0  # CPU seconds the kernel's processes used meanwhile (a load-independent check)
    text: str = ""  # stdout + stderr + error traceback
    mimes: set[str] = field(default_factory=set)
    error: str | None = None  # why the cell counts as failed


class Kernel:
    """One running kernel; every wait has a deadline and names what it waited for."""

    def __init__(self, spec: str, cwd: Path, env: dict[str, str], log_path: Path, start_timeout: float):
        from jupyter_client import KernelManager

        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = log_path
        self.log = open(log_path, "a", encoding="utf-8")
        self.km = KernelManager(kernel_name=spec)
        t0 = time.monotonic()
        self.km.start_kernel(cwd=str(cwd), env={**os.environ, **env}, stdout=self.log, stderr=self.log)
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=start_timeout)
        except RuntimeError as e:
            self.close()
            raise BenchError(f"the kernel '{spec}' did not answer kernel_info within {start_timeout:.0f} s: {e}"
                             f"{self.log_tail()}") from e
        self.start_seconds = time.monotonic() - t0
        self.start_cpu = self.cpu_seconds()

    def log_tail(self) -> str:
        self.log.flush()
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        return f"\n--- last lines of the kernel's log {self.log_path}:\n" + "\n".join(lines)

    def run(self, code: str, timeout: float, what: str) -> Cell:
        """Execute `code`; its time runs from sending the request to the kernel's `idle` for it."""
        cpu0 = self.cpu_seconds()
        t0 = time.monotonic()
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False)
        cell = Cell(0.0)
        texts = []
        while True:
            left = t0 + timeout - time.monotonic()
            try:
                msg = self.kc.get_iopub_msg(timeout=max(left, 0.01))
            except queue.Empty:
                raise BenchError(f"timed out after {timeout:.0f} s waiting for the kernel to finish {what}"
                                 f"{self.log_tail()}") from None
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                cell.seconds = time.monotonic() - t0
                cell.cpu = self.cpu_seconds() - cpu0
                break
            if kind == "stream":
                texts.append(content["text"])
            elif kind in ("display_data", "execute_result"):
                cell.mimes |= set(content["data"])
                texts.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                texts.append("\n".join(content.get("traceback") or [content.get("evalue", "")]))
                cell.error = f"{content.get('ename', 'error')}: {content.get('evalue', '')}"
        cell.text = "".join(texts)
        if cell.error is None and "panicked at" in cell.text:
            cell.error = "the cell panicked"
        return cell

    def cpu_seconds(self) -> float:
        """User + system CPU time of the kernel's evcxr_jupyter processes and the children they waited
        for (cargo, rustc, the linker): utime + stime + cutime + cstime from /proc/PID/stat."""
        process = getattr(self.km.provisioner, "process", None)
        ticks = 0
        for pid in descendants(process.pid) if process else ():
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() != "evcxr_jupyter":
                    continue
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # it just ended
                continue
            ticks += sum(int(f) for f in fields[11:15])
        return ticks / os.sysconf("SC_CLK_TCK")

    def memory(self) -> dict[str, float]:
        """Resident memory (MiB) of the kernel's two evcxr_jupyter processes, from /proc/PID/smaps_rollup:
        `kernel` (the Jupyter side, with evcxr's embedded rust-analyzer) and `runtime` (its child, which
        loads and runs the compiled cells); `-anon` is the private part, the rest is mapped files (the
        cells' libraries, shared with the page cache: a cgroup's total_rss counts only the anon part)."""
        process = getattr(self.km.provisioner, "process", None)
        procs = {}
        for pid in descendants(process.pid) if process else ():
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() == "evcxr_jupyter":
                    ppid = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
                    procs[pid] = (ppid, Path(f"/proc/{pid}/smaps_rollup").read_text())
            except OSError:
                continue
        out = {}
        for pid, (ppid, text) in procs.items():
            role = "runtime" if ppid in procs else "kernel"
            kib = {m[0]: int(m[1]) for m in re.findall(r"^(\w+):\s+(\d+) kB", text, re.M)}
            out[role] = out.get(role, 0.0) + kib.get("Rss", 0) / 1024
            out[f"{role}-anon"] = out.get(f"{role}-anon", 0.0) + kib.get("Anonymous", 0) / 1024
        return out

    def close(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=False)
        except Exception:  # already dead: kill whatever is left
            self.km.shutdown_kernel(now=True)
        self.log.close()


# ---------------------------------------------------------------- variants


@dataclass
class Variant:
    name: str
    init_lines: list[str]  # evcxr commands appended to init.evcxr
    binary: str | None  # another evcxr_jupyter
    cargo_lines: list[str] = field(default_factory=list)  # `cargo LINE`: for .cargo/config.toml
    dep: str = DEP  # `dep LINE`
    env_vars: dict[str, str] = field(default_factory=dict)  # `env NAME=VALUE`: the kernel's environment
    spec: str = "rust"
    state: Path | None = None  # NN_EVCXR_DIR; None: the project's own state folder

    @staticmethod
    def parse(text: str) -> Variant:
        head, _, cmds = text.partition("=")
        name, _, binary = head.partition("@")
        if not name.replace("-", "").replace("_", "").isalnum():
            raise SystemExit(f"bad variant name {name!r} in {text!r} (use letters, digits, - and _)")
        if binary and not Path(binary).is_file():
            raise SystemExit(f"variant {name}: {binary} does not exist")
        v = Variant(name, [], binary or None)
        for line in filter(None, (c.strip() for c in cmds.split(";"))):
            if line.startswith(":"):
                v.init_lines.append(line)
            elif line.startswith("dep :dep "):
                v.dep = line.removeprefix("dep ")
            elif line.startswith("cargo "):
                v.cargo_lines.append(line.removeprefix("cargo ").strip())
            elif line.startswith("env ") and "=" in line:
                key, _, value = line.removeprefix("env ").strip().partition("=")
                v.env_vars[key] = value
            else:
                raise SystemExit(f"variant {name}: {line!r} is not an evcxr command (:...), `cargo LINE`, "
                                 "`env NAME=VALUE` or `dep :dep ...`")
        return v

    def is_project_kernel(self) -> bool:
        return not (self.builds_differently() or self.env_vars or self.binary)

    def builds_differently(self) -> bool:
        """Settings that change what cargo builds, or how: such a variant needs its own build slots.
        A variant of only another evcxr_jupyter binary or environment shares the project's slots
        (the same cargo commands; kernels run one at a time here)."""
        return bool(self.init_lines or self.cargo_lines or self.dep != DEP)

    def describe(self) -> str:
        parts = [f"`{line}`" for line in self.init_lines]
        parts += [f"`{line}` in .cargo/config.toml" for line in self.cargo_lines]
        if self.dep != DEP:
            parts.append(f"the loop's dep cell `{self.dep}`")
        parts += [f"`{key}={value}` in the kernel's environment" for key, value in self.env_vars.items()]
        if self.binary:
            parts.append(f"evcxr_jupyter {self.binary}")
        return ", ".join(parts) or "the project's kernel as configured (evcxr/init.evcxr)"

    def install(self, kernels_root: Path, trace: Path | None) -> None:
        """A scratch kernelspec `rust-bench-NAME` unless this is the project's kernel, untraced."""
        if self.is_project_kernel() and trace is None:
            return
        from jupyter_client.kernelspec import KernelSpecManager

        base = KernelSpecManager().get_kernel_spec("rust")
        config = kernels_root / self.name / "config"
        config.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "evcxr" / "prelude.rs", config / "prelude.rs")
        init = (REPO / "evcxr" / "init.evcxr").read_text().rstrip("\n") + "\n"
        (config / "init.evcxr").write_text(init + "".join(f"{line}\n" for line in self.init_lines))
        argv = list(base.argv)
        if self.binary:
            argv[2] = str(Path(self.binary).resolve())  # [python, evcxr_kernel.py, BINARY, ...]
        if trace is not None:
            argv = ["strace", "-f", "--seccomp-bpf", "-ttt", "-q", "-s", "200", "-e", "trace=execve",
                    "-e", "signal=none", "-o", str(trace), *argv]
        self.spec = f"rust-bench-{self.name}"
        spec_dir = kernels_root / "kernels" / self.spec
        spec_dir.mkdir(parents=True, exist_ok=True)
        spec = {"argv": argv, "display_name": f"Rust (bench {self.name})", "language": "rust",
                "interrupt_mode": "message", "env": {"EVCXR_CONFIG_DIR": str(config)}}
        (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")
        if self.builds_differently():
            self.state = Path(f"{evcxr_kernel.state_dir()}-bench-{self.name}")
            self.prepare(self.state)
            project_cache = evcxr_kernel.state_dir() / "cache"
            if not (self.state / "cache").exists() and project_cache.is_dir():
                # evcxr's cache is keyed by rustc's arguments: what this variant compiles like the
                # project's kernel is copied, not compiled again, in its prime loop.
                shutil.copytree(project_cache, self.state / "cache", symlinks=True)

    def prepare(self, state: Path) -> None:
        """Write the state folder's .cargo/config.toml (Cargo reads it from every parent of a slot)."""
        if self.cargo_lines:
            (state / ".cargo").mkdir(parents=True, exist_ok=True)
            (state / ".cargo" / "config.toml").write_text("".join(f"{line}\n" for line in self.cargo_lines))

    def env(self) -> dict[str, str]:
        return {**self.env_vars, **({"NN_EVCXR_DIR": str(self.state)} if self.state else {})}


# ---------------------------------------------------------------- measurements


@dataclass
class Row:
    variant: str
    scenario: str  # prime, warm, cold
    round: int
    measure: str
    seconds: float
    note: str = ""
    cpu: float | None = None


class Bench:
    def __init__(self, args):
        self.args = args
        self.rows: list[Row] = []
        self.failures: list[str] = []

    def record(self, variant, scenario, rnd, measure, seconds, note="", quiet=False, cpu=None):
        self.rows.append(Row(variant.name, scenario, rnd, measure, seconds, note, cpu))
        if not quiet:
            unit = "MiB" if measure.startswith("rss:") else "s"
            print(f"  {variant.name:<12} {scenario:<5} r{rnd} {measure:<28} {seconds:8.2f} {unit} {note}", flush=True)

    def idle_memory(self, k: Kernel, variant, scenario, rnd, after: str) -> None:
        """The kernel's resident memory once it has been idle for --idle-wait seconds."""
        time.sleep(self.args.idle_wait)
        for role, mib in sorted(k.memory().items()):
            self.record(variant, scenario, rnd, f"rss:{after}:{role}", mib)

    def kernel(self, variant: Variant, env: dict, cwd: Path, tag: str) -> Kernel:
        log = OUT / "kernel-logs" / f"{variant.name}-{tag}.log"
        return Kernel(variant.spec, cwd, env, log, self.args.start_timeout)

    def cell(self, k: Kernel, code: str, timeout: float, what: str, picture: bool = False) -> Cell:
        c = k.run(code, timeout, what)
        if c.error is None and picture and not c.mimes & set(PICTURE):
            c.error = f"the plot arrived as {sorted(c.mimes) or 'nothing'}, not as a picture"
        if c.error:
            raise BenchError(f"{what} failed: {c.error}\n{c.text.strip()[-1500:]}")
        return c

    def loop(self, variant: Variant, scenario: str, rnd: int, env: dict) -> None:
        """One fresh kernel: start, :dep, first, imports, trivial x reps, data, train, plot, trivial-late x reps."""
        a = self.args
        marks = []  # (measure, wall-clock start, end) for --trace

        def run(measure: str, code: str, timeout: float, what: str, picture=False, quiet=False) -> float:
            t0 = time.time()
            c = self.cell(k, code, timeout, what, picture)
            marks.append((measure, t0, time.time()))
            self.record(variant, scenario, rnd, measure, c.seconds, quiet=quiet, cpu=c.cpu)
            return c.seconds

        def trivial(measure: str) -> None:
            times = [run(measure, TRIVIAL, a.cell_timeout, f"{measure} cell {i + 1}", quiet=True) for i in range(a.reps)]
            print(f"  {variant.name:<12} {scenario:<5} r{rnd} {measure + ' x' + str(a.reps):<28} "
                  f"{statistics.median(times):8.2f} s median, {max(times):.2f} s worst", flush=True)

        t_launch = time.time()
        k = self.kernel(variant, env, NOTEBOOK_DIR, f"{scenario}-loop")
        try:
            marks.append(("start", t_launch, time.time()))
            self.record(variant, scenario, rnd, "start", k.start_seconds, slot_of(k, env), cpu=k.start_cpu)
            dep = run("dep", variant.dep, a.dep_timeout, "the :dep cell")
            self.record(variant, scenario, rnd, "start+dep", k.start_seconds + dep)
            run("first", TRIVIAL, a.cell_timeout, "the first cell after :dep")
            run("imports", LOOP_CELLS["imports"], a.cell_timeout, "the imports cell")
            trivial("trivial")
            for name in ("data", "train", "plot"):
                run(name, LOOP_CELLS[name], a.cell_timeout, f"the {name} cell", picture=name == "plot")
            trivial("trivial-late")
            self.idle_memory(k, variant, scenario, rnd, "loop")
        finally:
            k.close()
        if a.trace:
            for measure, parts in trace_breakdown(self.trace_file(variant), marks):
                for part, seconds in parts.items():
                    self.record(variant, scenario, rnd, f"{measure}/{part}", seconds, quiet=True)

    def trace_file(self, variant: Variant) -> Path:
        return OUT / "kernel-traces" / f"{variant.name}.strace"

    def notebook(self, variant: Variant, scenario: str, rnd: int, env: dict, path: Path) -> None:
        """Every code cell of `path` in a fresh kernel, as committed; stops at the first failing cell."""
        cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        t0 = time.monotonic()
        k = self.kernel(variant, env, path.parent, f"{scenario}-{path.stem}")
        slowest, marks, cpu = (0.0, ""), [], 0.0
        try:
            for i, c in enumerate(cells):
                source = "".join(c["source"])
                timeout = self.args.dep_timeout if source.lstrip().startswith(":dep") else self.args.cell_timeout
                t_cell = time.time()
                cell = self.cell(k, source, timeout, f"{path.name} code cell {i + 1}")
                marks.append((f"cell {i + 1}", t_cell, time.time()))
                cpu += cell.cpu
                first = source.strip().splitlines()[0][:40] if source.strip() else ""
                slowest = max(slowest, (cell.seconds, f"cell {i + 1}: {first}"))
            self.idle_memory(k, variant, scenario, rnd, path.stem)
        finally:
            k.close()
        total = time.monotonic() - t0
        self.record(variant, scenario, rnd, f"nb:{path.stem}", total, f"{len(cells)} code cells", cpu=cpu)
        self.record(variant, scenario, rnd, f"nb-slowest:{path.stem}", slowest[0], slowest[1])
        if self.args.trace:  # cells that evcxr compiled more than once (retries after fixing its own code)
            parts = trace_breakdown(self.trace_file(variant), marks)
            extra = [f"{m} x{int(p['builds'])}" for m, p in parts if p["builds"] > 1]
            self.record(variant, scenario, rnd, f"nb:{path.stem}/extra-builds",
                        sum(p["builds"] - 1 for _, p in parts), ", ".join(extra), quiet=True)

    def guarded(self, what: str, fn, *args) -> None:
        try:
            fn(*args)
        except BenchError as e:
            self.failures.append(f"{what}: {e}")
            print(f"FAILED {what}: {e}", file=sys.stderr, flush=True)


def trace_breakdown(path: Path, marks: list[tuple[str, float, float]]) -> list[tuple[str, dict[str, float]]]:
    """Split each marked cell by the processes strace saw start (execve) and end in its time window."""
    starts, ends = [], {}  # starts: (time, pid, program, args)
    for line in path.read_text(errors="replace").splitlines():
        m = re.match(r'(\d+)\s+(\d+\.\d+) (?:execve\("([^"]+)", \[(.*?)\]|\+\+\+ exited)', line)
        if not m or " = -1 " in line:  # a failed execve: a PATH lookup
            continue
        pid, t = int(m.group(1)), float(m.group(2))
        if m.group(3):
            starts.append((t, pid, m.group(3).rsplit("/", 1)[-1], m.group(4)))
        else:
            ends[pid] = t
    out = []
    for measure, t0, t1 in marks:
        inside = [s for s in starts if t0 <= s[0] <= t1]
        builds = [s for s in inside if s[2] == "cargo" and s[3].split(", ")[1:2] == ['"build"']]
        if measure == "start" or not builds:
            continue
        ctx = [s for s in inside if s[2] == "rustc" and '"--crate-name", "ctx"' in s[3]]
        links = [s for s in inside if s[2] == "cc"]
        cargo_end = ends.get(builds[-1][1], t1)
        parts = {"pre": builds[0][0] - t0, "post": t1 - cargo_end, "builds": float(len(builds)),
                 "link": sum(ends.get(s[1], t1) - s[0] for s in links)}
        if ctx:
            parts["cargo"] = ctx[0][0] - builds[0][0]
            parts["rustc"] = sum(ends.get(s[1], t1) - s[0] for s in ctx)
        out.append((measure, parts))
    return out


def slot_of(k: Kernel, env: dict) -> str:
    """Which build slot the kernel took: the one whose lock file holds its pid (or, under strace, a child's)."""
    root = Path(env.get("NN_EVCXR_DIR") or evcxr_kernel.state_dir())
    process = getattr(k.km.provisioner, "process", None)
    pids = descendants(process.pid) if process else set()
    for lock in sorted(root.glob("slot-*/.lock")):
        if lock.read_text().strip() in pids:
            return lock.parent.name
    return "slot ?"


def descendants(pid: int) -> set[str]:
    found, todo = set(), [str(pid)]
    while todo:
        p = todo.pop()
        found.add(p)
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            todo += children.read_text().split()
    return found


def notebooks(names: list[str] | None) -> list[Path]:
    """notebooks/*.ipynb in teaching order (tools/notebook_order.txt), without _*.ipynb."""
    order = [line.strip() for line in (REPO / "tools" / "notebook_order.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    found = {p.stem: p for p in NOTEBOOK_DIR.glob("*.ipynb") if not p.stem.startswith("_")}
    ranked = [found.pop(n) for n in order if n in found] + sorted(found.values())
    if names:
        missing = set(names) - {p.stem for p in ranked}
        if missing:
            raise SystemExit(f"no such notebook(s) in notebooks/: {', '.join(sorted(missing))}")
        ranked = [p for p in ranked if p.stem in names]
    return ranked


# ---------------------------------------------------------------- report


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def table(rows: list[Row], names: list[str], value, keep) -> list[str]:
    """Markdown rows: one per (scenario, measure) kept, one column per variant: median (range, n)."""
    order: list[tuple[str, str]] = []
    for r in rows:
        if keep(r) and (r.scenario, r.measure) not in order:
            order.append((r.scenario, r.measure))
    lines = ["| scenario | measure | " + " | ".join(names) + " |", "|" + "---|" * (2 + len(names))]
    for scenario, measure in order:
        cells = []
        for n in names:
            xs = [value(r) for r in rows if (r.variant, r.scenario, r.measure) == (n, scenario, measure)]
            xs = [x for x in xs if x is not None]
            if not xs:
                cells.append("")
            elif measure.startswith("trivial") and "/" not in measure:
                cells.append(f"**{statistics.median(xs):.2f}** (worst {max(xs):.2f}, n={len(xs)})")
            elif len(xs) == 1:
                cells.append(f"{xs[0]:.2f}")
            else:
                cells.append(f"{statistics.median(xs):.2f} ({min(xs):.2f}–{max(xs):.2f}, n={len(xs)})")
        lines.append(f"| {scenario} | {measure} | " + " | ".join(cells) + " |")
    return lines


def summary(bench: Bench, variants: list[Variant], meta: dict) -> str:
    names = [v.name for v in variants]
    rows = bench.rows
    out = ["# The learner's loop (bench/kernel.py)", "",
           "Seconds from sending a cell to the kernel going idle (`start`: to its kernel_info reply); "
           "median (min–max, n) over rounds.", "",
           *table(rows, names, lambda r: r.seconds, lambda r: "/" not in r.measure and not r.measure.startswith("rss:"))]
    if any(r.measure.startswith("rss:") for r in rows):
        out += ["", f"Resident memory (MiB) after {bench.args.idle_wait:.0f} s idle at the end of the loop or notebook "
                "(`kernel`: evcxr_jupyter with its rust-analyzer; `runtime`: its child running the cells; `-anon`: "
                "private memory, the rest is mapped files):", "",
                *table(rows, names, lambda r: r.seconds, lambda r: r.measure.startswith("rss:"))]
    if any(r.cpu is not None for r in rows):
        out += ["", "CPU seconds the kernel's processes spent on each cell (user + system; less sensitive to load):", "",
                *table(rows, names, lambda r: r.cpu, lambda r: r.cpu is not None)]
    if any("/" in r.measure for r in rows):
        out += ["", "Where a cell's time goes (--trace): pre = evcxr before cargo (rust-analyzer), cargo = its "
                "fingerprint checks, rustc = the cell crate (link = the linker in it), post = loading and running "
                "it, builds = cargo runs:", "",
                *table(rows, names, lambda r: r.seconds, lambda r: "/" in r.measure and r.scenario == "warm")]
    out += ["", "Variants:", *[f"- `{v.name}`: {v.describe()}" for v in variants], "",
            *[f"- {k}: {v}" for k, v in meta.items()]]
    if bench.failures:
        out += ["", "FAILURES:", *[f"- {f.splitlines()[0]}" for f in bench.failures]]
    return "\n".join(out) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--variant", action="append", default=[], help="NAME[@EVCXR_JUPYTER][=CMD;CMD] (see above)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved warm rounds (default 3)")
    p.add_argument("--reps", type=int, default=20, help="trivial cells per loop (default 20)")
    p.add_argument("--notebook", action="append", help="only this notebook (repeatable); default: all")
    p.add_argument("--no-notebooks", action="store_true", help="only the loop")
    p.add_argument("--cold", choices=["none", "loop", "first", "all"], default="first",
                   help="cold runs per variant: none; the loop; the loop + the first notebook (default); "
                        "the loop + every notebook")
    p.add_argument("--no-prime", action="store_true", help="skip the unmeasured warm-up loop")
    p.add_argument("--trace", action="store_true", help="split loop cells into pre/cargo/rustc/link/post (strace)")
    p.add_argument("--idle-wait", type=float, default=5, help="seconds idle before measuring memory (default 5)")
    p.add_argument("--start-timeout", type=float, default=300)
    p.add_argument("--dep-timeout", type=float, default=1800, help="a :dep cell (cold: compiles everything)")
    p.add_argument("--cell-timeout", type=float, default=600)
    p.add_argument("--out", type=Path, default=OUT / "kernel", help="CSV/MD path without suffix")
    args = p.parse_args()

    os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"
    kernels_root = OUT / "kernel-specs"
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(kernels_root), os.environ.get("JUPYTER_PATH")]))
    variants = [Variant.parse(v) for v in args.variant] or [Variant("default", [], None)]
    if len({v.name for v in variants}) != len(variants):
        raise SystemExit("variant names must differ")
    if args.trace and not shutil.which("strace"):
        raise SystemExit("--trace needs strace (Debian: apt-get install strace)")
    (OUT / "kernel-traces").mkdir(parents=True, exist_ok=True)
    bench = Bench(args)
    for v in variants:
        v.install(kernels_root, bench.trace_file(v) if args.trace else None)
    nbs = [] if args.no_notebooks else notebooks(args.notebook)
    meta = {"started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "load average at start (1/5/15 min)": load(),
            "CPUs": os.cpu_count(), "machine": f"{platform.machine()} {platform.node()}",
            "rustc": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()}
    t_all = time.monotonic()

    for v in variants:  # cold first: a fresh state folder each, deleted afterwards
        if args.cold == "none":
            break
        cold_dir = Path(tempfile.mkdtemp(prefix=f"nn-bench-cold-{v.name}-"))
        try:
            env = {**v.env_vars, "NN_EVCXR_DIR": str(cold_dir)}
            v.prepare(cold_dir)
            bench.guarded(f"{v.name} cold loop", bench.loop, v, "cold", 1, env)
            for nb in nbs[: {"loop": 0, "first": 1, "all": len(nbs)}[args.cold]]:
                shutil.rmtree(cold_dir)
                cold_dir.mkdir()
                v.prepare(cold_dir)
                bench.guarded(f"{v.name} cold {nb.stem}", bench.notebook, v, "cold", 1, env, nb)
        finally:
            shutil.rmtree(cold_dir, ignore_errors=True)

    if not args.no_prime:
        for v in variants:
            bench.guarded(f"{v.name} prime", bench.loop, v, "prime", 0, v.env())
    for rnd in range(1, args.rounds + 1):  # A B A B ...: load changes hit every variant alike
        for v in variants:
            bench.guarded(f"{v.name} warm loop r{rnd}", bench.loop, v, "warm", rnd, v.env())
            for nb in nbs:
                bench.guarded(f"{v.name} warm {nb.stem} r{rnd}", bench.notebook, v, "warm", rnd, v.env(), nb)

    meta["load average at end"] = load()
    meta["wall time"] = f"{time.monotonic() - t_all:.0f} s"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out.with_suffix(".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["variant", "scenario", "round", "measure", "seconds", "cpu_seconds", "note"])
        for r in bench.rows:
            cpu = "" if r.cpu is None else f"{r.cpu:.2f}"
            w.writerow([r.variant, r.scenario, r.round, r.measure, f"{r.seconds:.3f}", cpu, r.note])
    text = summary(bench, variants, meta)
    args.out.with_suffix(".md").write_text(text)
    print("\n" + text)
    print(f"written: {args.out.with_suffix('.csv')}, {args.out.with_suffix('.md')}")
    for f in bench.failures:
        print(f"FAILED {f}", file=sys.stderr)
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
