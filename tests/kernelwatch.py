"""Is a running kernel working or silent? Evidence and a watchdog for nbrun.py.

A kernel that hangs looks alive: its process exists and its heartbeat
answers, so nbclient would wait for the cell's full timeout (10 min). While a
cell runs, a working evcxr kernel always shows one of these within a minute:
a message on iopub (output, status), a new line in its log (cargo's
"Compiling ..." lines go there), or CPU time used by its processes (rustc,
cargo, the cell's own code in evcxr's child process). `Watchdog` stops a
kernel that shows none of them for `silence` seconds, so a long cold compile
of the `:dep` cell (busy CPU, log lines) is never taken for a silent kernel.

Linux only (/proc); elsewhere `tree_cpu_seconds` returns None and the
watchdog only watches messages and the log, with a longer grace.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Callable

PROC = Path("/proc")
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (which may contain spaces)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()


def descendants(root: int) -> list[int]:
    """root and every process below it (Linux)."""
    children: dict[int, list[int]] = {}
    try:
        pids = [int(p) for p in os.listdir(PROC) if p.isdigit()]
    except OSError:
        return [root]
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            children.setdefault(int(fields[1]), []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def tree_cpu_seconds(root: int) -> float | None:
    """CPU seconds used by root and its descendants, reaped children included; None without /proc."""
    if not PROC.is_dir():
        return None
    total = 0
    for pid in descendants(root):
        fields = _stat_fields(pid)
        if fields:  # utime stime cutime cstime
            total += sum(int(v) for v in fields[11:15])
    return total / _TICKS


def _read(path: Path, limit: int = 300) -> str:
    try:
        return path.read_bytes()[:limit].decode(errors="replace").replace("\0", " ").strip()
    except OSError:
        return "?"


def describe(root: int) -> str:
    """The kernel's processes (state, where each waits in the kernel, CPU, command),
    its build slot and who holds the slot's lock: what to look at when it is silent."""
    lines = [f"processes of the kernel (pid {root}): pid ppid state wchan cpu-seconds command"]
    for pid in descendants(root):
        fields = _stat_fields(pid)
        if not fields:
            continue
        cpu = sum(int(v) for v in fields[11:13]) / _TICKS
        wchan = _read(PROC / str(pid) / "wchan") or "-"
        lines.append(f"  {pid} {fields[1]} {fields[0]} {wchan} {cpu:.1f} {_read(PROC / str(pid) / 'cmdline', 200)}")
        tasks = PROC / str(pid) / "task"
        if pid == root and tasks.is_dir():
            waits: dict[str, int] = {}
            for t in tasks.iterdir():
                w = _read(t / "wchan") or "running"
                waits[w] = waits.get(w, 0) + 1
            lines.append(f"    its threads wait in: {', '.join(f'{w} x{n}' for w, n in sorted(waits.items()))}")
    env = _read(PROC / str(root) / "environ", 100_000)
    slot = next((kv.split("=", 1)[1] for kv in env.split() if kv.startswith("EVCXR_TMPDIR=")), None)
    if slot:
        lines.append(f"its build slot: {slot}")
        lock = Path(slot) / ".lock"
        try:
            inode = lock.stat().st_ino
            holders = [ln.split()[4] for ln in (PROC / "locks").read_text().splitlines() if ln.split()[5].endswith(f":{inode}")]
            lines.append(f"  {lock} is locked by pid(s) {', '.join(holders) or 'none'}")
        except (OSError, IndexError):
            pass
    return "\n".join(lines)


class Watchdog(threading.Thread):
    """Kills a kernel that shows no sign of work for `silence` seconds.

    `last_message` returns the monotonic time of the kernel's last iopub
    message; `log` is the file its stdout/stderr go to (or None). When it
    fires, `reason` says what was silent and `evidence` what the processes
    were doing, and the kernel's process group gets SIGKILL: nbclient then
    stops with DeadKernelError instead of waiting out the cell's timeout.
    """

    POLL = 2.0

    def __init__(self, pid: int, silence: float, last_message: Callable[[], float], log: Path | None):
        super().__init__(name=f"kernel-watchdog-{pid}", daemon=True)
        self.pid, self.silence, self.last_message, self.log = pid, silence, last_message, log
        self.reason: str | None = None
        self.evidence = ""
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()

    def _log_size(self) -> int:
        try:
            return self.log.stat().st_size if self.log else 0
        except OSError:
            return 0

    def run(self) -> None:
        cpu, size = tree_cpu_seconds(self.pid), self._log_size()
        silence = self.silence if cpu is not None else 3 * self.silence  # no CPU signal: be patient
        quiet_since = time.monotonic()
        while not self._halt.wait(self.POLL):
            now_cpu, now_size = tree_cpu_seconds(self.pid), self._log_size()
            # 0.05 s: an idle evcxr (tokio threads, heartbeat) uses less than that in minutes.
            busy = (now_cpu is not None and cpu is not None and now_cpu - cpu > 0.05) or now_size != size
            if busy:
                cpu, size, quiet_since = now_cpu, now_size, time.monotonic()
            quiet_since = max(quiet_since, self.last_message())
            quiet = time.monotonic() - quiet_since
            if quiet >= silence:
                self.reason = (
                    f"the kernel went silent: no message, no log line and no CPU time for {quiet:.0f} s "
                    f"(NB_SILENCE_TIMEOUT={self.silence:.0f}); it was stopped"
                )
                self.evidence = describe(self.pid)
                try:
                    os.killpg(self.pid, signal.SIGKILL)  # jupyter_client starts each kernel in its own group
                except OSError:
                    pass
                return
