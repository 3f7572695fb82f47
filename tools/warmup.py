"""Compile nnlib and its dependencies for the Rust kernel once, so the first notebook a learner opens is quick.

usage: .venv/bin/python tools/warmup.py [--force]

Executes tools/warmup.ipynb (its first cell is the `:dep` line every notebook
uses) headless with the `rust` kernel. Skipped when target/evcxr-warmup.stamp
matches the current inputs (Cargo.lock, Cargo.toml, nnlib/Cargo.toml, the
warm-up notebook, evcxr's config, the kernelspec, rustc and evcxr_jupyter) and
the kernel's build folder slot-0 (see tools/evcxr_kernel.py) is
still there; nnlib's own sources need no stamp, Cargo rebuilds what changed.
A kernel that does not answer within a minute is restarted once (tests/nbrun.py).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import evcxr_kernel

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

STAMP = REPO / "target" / "evcxr-warmup.stamp"
INPUTS = ["Cargo.lock", "Cargo.toml", "nnlib/Cargo.toml", "tools/warmup.ipynb", "evcxr/init.evcxr"]


# Where tools/evcxr_kernel.py makes kernels build: slot-0 is the one a lone kernel takes.
BUILD_DIR = evcxr_kernel.ROOT / "slot-0" / "target"


def kernel_spec():
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager().get_kernel_spec("rust")


def stamp_key() -> str:
    h = hashlib.sha256()
    for name in INPUTS:
        p = REPO / name
        h.update(name.encode() + b"\0" + (p.read_bytes() if p.exists() else b"<missing>") + b"\0")
    h.update(subprocess.run(["rustc", "-vV"], capture_output=True, text=True).stdout.encode())
    spec = kernel_spec()
    h.update(json.dumps(spec.to_dict(), sort_keys=True).encode())
    binary = Path(spec.metadata.get("evcxr_jupyter") or spec.argv[0])
    st = binary.stat()
    h.update(f"{binary}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def main() -> int:
    force = "--force" in sys.argv[1:]
    key = stamp_key()
    built = BUILD_DIR.is_dir() and any(BUILD_DIR.iterdir())
    if not force and built and STAMP.exists() and json.loads(STAMP.read_text()).get("key") == key:
        print(f"the Rust kernel's build folder is warm ({BUILD_DIR.parent}); skipping the warm-up (--force to redo)")
        return 0

    import nbrun

    print(f"Warming up the Rust kernel: compiling nnlib and its dependencies in the first free build slot "
          f"under {evcxr_kernel.ROOT} (slot-0 unless another kernel holds it); the first time takes minutes...")
    sys.stdout.flush()
    result = nbrun.execute(
        nbrun.WARMUP_NOTEBOOK, require_plot=False, out_path=nbrun.OUT_DIR / "_warmup.ipynb", name="warmup",
        kernel_log=False,  # show cargo's "Compiling ..." lines as progress
    )
    for note in result.restarts:  # a kernel that did not answer at start-up (see evcxr/README.md)
        print(f"note: {note}", file=sys.stderr)
    if not result.ok:
        print(result.report(), file=sys.stderr)
        print("error: the warm-up failed (see above); JupyterLab would hit the same problem.", file=sys.stderr)
        return 1
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(json.dumps({"key": key, "seconds": round(result.seconds, 1), "at": time.strftime("%Y-%m-%dT%H:%M:%S")}) + "\n")
    print(f"Warm-up done in {result.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
