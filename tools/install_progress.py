"""Run `cargo install ...` and say how far it is and how long it will still take.

usage: python3 tools/install_progress.py LOG -- cargo install --locked ... evcxr_jupyter@0.22.0

cargo's own progress bar needs a terminal and gives no time; a learner's first
`make lab` spends most of its minutes here. So cargo's output goes to LOG, and
every TICK seconds one line says how many of the crates are compiled and how
long the rest should take, e.g.

  evcxr_jupyter: 3 min 10 s so far, 150 of 273 crates compiled, about 4 min left

The estimate is this machine's pace so far applied to the rest of a reference
build (tools/evcxr_install_timeline.txt: when each crate started compiling on a
quiet 2-core machine, same flags): the crates are far from equal (the last
fifty, rust-analyzer's, take half the time), so a count alone would promise too
little. warning/error lines are shown as they come; on failure the end of LOG
is printed. Exits with cargo's exit code. Standard library only.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

TIMELINE = Path(__file__).resolve().parent / "evcxr_install_timeline.txt"
TICK = float(os.environ.get("NN_INSTALL_TICK", "30"))  # seconds between progress lines
COMPILING = re.compile(r"^\s*Compiling (\S+) v(\S+)")


def read_timeline(path: Path) -> tuple[dict[str, float], float]:
    """crate@version -> seconds into the reference build when it started; and the reference total."""
    starts: dict[str, float] = {}
    total = 0.0
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        seconds, name = line.split()
        if name == "(installed)":
            total = float(seconds)
        else:
            starts[name] = float(seconds)
    return starts, total


def minutes(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m} min {s} s" if m else f"{s} s"


class Progress:
    def __init__(self, starts: dict[str, float], total: float):
        self.starts, self.total = starts, total
        self.t0 = time.monotonic()
        self.compiled = 0
        self.reference_now = 0.0  # where the reference build was at the latest crate seen
        self.seen_at = 0.0  # and when (seconds into this build) that crate was seen
        self.lock = threading.Lock()

    def saw(self, name: str) -> None:
        with self.lock:
            self.compiled += 1
            start = self.starts.get(name, 0.0)
            if start > self.reference_now:
                self.reference_now, self.seen_at = start, time.monotonic() - self.t0

    def line(self) -> str:
        with self.lock:
            elapsed = time.monotonic() - self.t0
            text = f"evcxr_jupyter: {minutes(elapsed)} so far, {self.compiled} of {len(self.starts)} crates compiled"
            if self.total and self.reference_now >= 0.1 * self.total:
                # This machine's pace relative to the reference build, applied to what is left of it,
                # from the moment the latest crate started (a long crate is no sign of a slow machine).
                pace = self.seen_at / self.reference_now
                finish = self.seen_at + (self.total - self.reference_now) * pace
                text += f", about {minutes(max(0.0, finish - elapsed))} left"
            return text


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    log_path, command = Path(argv[0]), argv[2:]
    starts, total = read_timeline(TIMELINE)
    progress = Progress(starts, total)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    done = threading.Event()

    def tick() -> None:
        while not done.wait(TICK):
            print(progress.line(), flush=True)

    with log_path.open("w") as log:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=tick, daemon=True).start()
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            log.flush()
            if m := COMPILING.match(line):
                progress.saw(f"{m.group(1)}@{m.group(2)}")
            elif line.startswith(("warning", "error")):
                print(line, end="", flush=True)
        code = proc.wait()
        done.set()
    if code != 0:
        tail = log_path.read_text().splitlines()[-30:]
        print("\n".join(tail), file=sys.stderr)
        print(f"error: `{' '.join(command)}` failed (exit {code}); its whole output is in {log_path}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
