"""The Makefile's targets do their job: every target is phony (several share a
name with a folder, and make would call them "up to date"), and each target
`make help` lists has a recipe or prerequisites in a fresh checkout."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAKEFILE = (REPO / "Makefile").read_text()


def documented_targets() -> list[str]:
    return re.findall(r"^([a-z0-9-]+):.*## ", MAKEFILE, re.M)


def phony() -> set[str]:
    """Every target of every .PHONY line (make takes the union of them)."""
    texts = re.findall(r"^\.PHONY:((?:.*\\\n)*.*)$", MAKEFILE, re.M)
    return set(" ".join(texts).replace("\\\n", " ").split())


def test_every_documented_target_is_phony():
    targets = documented_targets()
    assert len(targets) > 10, targets
    missing = [t for t in targets if t not in phony()]
    assert not missing, f"add {missing} to .PHONY in the Makefile"


def test_targets_named_like_a_folder_still_run():
    """`make -n bench` must print the recipe, not "'bench' is up to date"."""
    folders = {p.name for p in REPO.iterdir() if p.is_dir()}
    for target in sorted(set(documented_targets()) & folders):
        out = subprocess.run(["make", "-n", "-C", str(REPO), target], capture_output=True, text=True)
        assert "is up to date" not in out.stdout + out.stderr and "Nothing to be done" not in out.stdout, (
            f"make {target}: {out.stdout}{out.stderr}"
        )


def test_make_n_test_prints_instead_of_running():
    """A recipe line that calls $(MAKE) runs even under `make -n`: `make test`
    keeps each suite on its own line, so `make -n test` only prints them."""
    out = subprocess.run(["make", "-n", "-C", str(REPO), "test"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "cargo test --workspace" in out.stdout and "pytest tests" in out.stdout, out.stdout
    assert "Compiling" not in out.stdout + out.stderr and "Running" not in out.stdout + out.stderr
