"""bench/kernel.py's variants run what they name.

A variant of only another evcxr_jupyter binary (`NAME@BINARY`) once ran the project's own kernel:
its kernelspec was skipped like the project kernel's, so two builds of evcxr compared equal.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tools"))

import kernel as bench_kernel  # noqa: E402  (bench/kernel.py)


@pytest.fixture
def fake_binary(tmp_path):
    binary = tmp_path / "evcxr_jupyter-other"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    return binary


def test_a_binary_variant_runs_that_binary(tmp_path, fake_binary):
    variant = bench_kernel.Variant.parse(f"other@{fake_binary}")
    assert not variant.is_project_kernel(), "a variant of another binary must get its own kernelspec"
    variant.install(tmp_path, trace=None)
    spec = json.loads((tmp_path / "kernels" / variant.spec / "kernel.json").read_text())
    assert str(fake_binary.resolve()) in spec["argv"], spec["argv"]
    assert variant.state is None, "another binary compiles the same cells: it shares the project's slots"


def test_the_default_variant_is_the_project_kernel(tmp_path):
    variant = bench_kernel.Variant.parse("default")
    assert variant.is_project_kernel()
    variant.install(tmp_path, trace=None)
    assert variant.spec == "rust" and not (tmp_path / "kernels").exists()
