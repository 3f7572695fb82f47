"""Fill evcxr's dependency cache once, so the first notebook a learner opens is quick.

usage: .venv/bin/python tools/warmup.py [--force]

Executes tools/warmup.ipynb (its first cell is the `:dep` line every notebook
uses) headless with the `rust` kernel. Skipped when target/evcxr-warmup.stamp
matches the current inputs (Cargo.lock, Cargo.toml, nnlib/Cargo.toml, the
warm-up notebook, evcxr's config, rustc and evcxr_jupyter) and evcxr's cache
folder is still there.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

STAMP = REPO / "target" / "evcxr-warmup.stamp"
INPUTS = ["Cargo.lock", "Cargo.toml", "nnlib/Cargo.toml", "tools/warmup.ipynb", "evcxr/init.evcxr"]


def evcxr_cache_dir() -> Path:
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "evcxr"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "evcxr"


def kernel_binary() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager().get_kernel_spec("rust").argv[0]


def stamp_key() -> str:
    h = hashlib.sha256()
    for name in INPUTS:
        p = REPO / name
        h.update(name.encode() + b"\0" + (p.read_bytes() if p.exists() else b"<missing>") + b"\0")
    h.update(subprocess.run(["rustc", "-vV"], capture_output=True, text=True).stdout.encode())
    binary = Path(kernel_binary())
    st = binary.stat()
    h.update(f"{binary}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def main() -> int:
    force = "--force" in sys.argv[1:]
    key = stamp_key()
    cache = evcxr_cache_dir()
    cache_filled = cache.is_dir() and any(cache.iterdir())
    if not force and cache_filled and STAMP.exists() and json.loads(STAMP.read_text()).get("key") == key:
        print(f"evcxr cache is warm ({cache}); skipping the warm-up (--force to redo)")
        return 0

    import nbrun

    print(f"Warming up: compiling nnlib's dependencies into evcxr's cache ({cache}); the first time takes minutes...")
    sys.stdout.flush()
    result = nbrun.execute(
        nbrun.WARMUP_NOTEBOOK, require_plot=False, out_path=nbrun.OUT_DIR / "_warmup.ipynb", name="warmup"
    )
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
