"""tools/install_progress.py: the progress lines a learner sees while evcxr_jupyter compiles.

A fake `cargo` replays the reference build's "Compiling" lines ten times faster; the
estimate must then say so (about a tenth of the reference time left), and cargo's exit
code and the end of its log must come through.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tools" / "install_progress.py"
sys.path.insert(0, str(REPO / "tools"))
import install_progress  # noqa: E402

FAKE_CARGO = """
import sys, time
rows = [l.split() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
t0 = time.monotonic()
for seconds, name in rows:
    time.sleep(max(0.0, float(seconds) / float(sys.argv[2]) - (time.monotonic() - t0)))
    if name != "(installed)":
        crate, version = name.split("@")
        print(f"   Compiling {crate} v{version}", flush=True)
print("warning: be sure to add `/x/bin` to your PATH", flush=True)
sys.exit(int(sys.argv[3]))
"""


def seconds(text: str) -> int:
    """ "3 min 10 s" or "8 s" -> seconds."""
    m = re.fullmatch(r"(?:(\d+) min )?(\d+) s", text.split(": ")[-1])
    return int(m.group(1) or 0) * 60 + int(m.group(2))


def run(tmp_path: Path, speedup: float, code: int) -> subprocess.CompletedProcess:
    fake = tmp_path / "fake_cargo.py"
    fake.write_text(FAKE_CARGO)
    cmd = [sys.executable, str(TOOL), str(tmp_path / "install.log"), "--",
           sys.executable, str(fake), str(install_progress.TIMELINE), str(speedup), str(code)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NN_INSTALL_TICK": "2"})


def test_timeline_is_the_reference_build():
    starts, total = install_progress.read_timeline(install_progress.TIMELINE)
    assert len(starts) > 200 and total > max(starts.values())
    assert "evcxr_jupyter@0.22.0" in starts


def test_progress_lines_count_crates_and_estimate_the_rest(tmp_path):
    starts, total = install_progress.read_timeline(install_progress.TIMELINE)
    speedup = total / 20  # the whole reference build in 20 s
    result = run(tmp_path, speedup, 0)
    assert result.returncode == 0, result.stderr
    lines = [l for l in result.stdout.splitlines() if l.startswith("evcxr_jupyter:")]
    assert len(lines) >= 5, result.stdout
    counts = [int(re.search(r"(\d+) of (\d+) crates", l).group(1)) for l in lines]
    assert counts == sorted(counts) and counts[-1] > counts[0]
    assert all(f"of {len(starts)} crates" in l for l in lines)
    # The estimate of what is left follows this run's pace (20 s in all), not the reference's 7 minutes.
    estimates = [(seconds(re.search(r"(.+) so far", l).group(1)), seconds(m.group(1)))
                 for l in lines if (m := re.search(r"about (.+) left", l))]
    assert len(estimates) >= 3, result.stdout
    for elapsed, left in estimates:
        assert abs(elapsed + left - 20) <= 4, (elapsed, left, result.stdout)
    assert "warning: be sure to add" in result.stdout  # warning lines are shown
    assert "Compiling" not in result.stdout  # the rest is only in the log
    assert (tmp_path / "install.log").read_text().count("Compiling") == len(starts)


def test_failure_shows_the_end_of_the_log_and_keeps_the_exit_code(tmp_path):
    starts, total = install_progress.read_timeline(install_progress.TIMELINE)
    result = run(tmp_path, total / 2, 101)
    assert result.returncode == 101
    assert "Compiling evcxr_jupyter v0.22.0" in result.stderr
    assert "failed (exit 101)" in result.stderr and str(tmp_path / "install.log") in result.stderr
