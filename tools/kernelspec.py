"""Register the Rust (evcxr) kernel inside the virtualenv, not in the user's kernels.

usage: .venv/bin/python tools/kernelspec.py EVCXR_JUPYTER_BINARY

Writes <sys.prefix>/share/jupyter/kernels/rust/ : the logos and client files that
`evcxr_jupyter --install` ships, and our own kernel.json. Its argv starts
evcxr_jupyter through tools/evcxr_kernel.py (a persistent build folder per
running kernel; see there why) and its `env` points EVCXR_CONFIG_DIR at the
project's evcxr/ folder (init.evcxr sets `:cache`).
Then checks that `rust` resolves to it from this Python.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NAME = "rust"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = Path(sys.argv[1]).resolve()
    if not binary.is_file():
        print(f"error: {binary} does not exist; run `make evcxr`", file=sys.stderr)
        return 1
    kernel_dir = Path(sys.prefix) / "share" / "jupyter" / "kernels" / NAME
    spec = {
        "argv": [
            sys.executable,
            str(REPO / "tools" / "evcxr_kernel.py"),
            str(binary),
            "--control_file",
            "{connection_file}",
        ],
        "display_name": "Rust",
        "language": "rust",
        "interrupt_mode": "message",
        "env": {"EVCXR_CONFIG_DIR": str(REPO / "evcxr")},
        "metadata": {"generated_by": "nn-workshop tools/kernelspec.py", "evcxr_jupyter": str(binary)},
    }
    text = json.dumps(spec, indent=1) + "\n"
    kernel_json = kernel_dir / "kernel.json"
    if kernel_json.exists() and kernel_json.read_text() == text and (kernel_dir / "logo-64x64.png").exists():
        changed = False
    else:
        # Let evcxr_jupyter write its resource files into a scratch JUPYTER_PATH,
        # then copy them over and put our kernel.json beside them.
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, JUPYTER_PATH=tmp)
            subprocess.run([str(binary), "--install"], env=env, check=True, stdout=subprocess.DEVNULL)
            kernel_dir.mkdir(parents=True, exist_ok=True)
            for f in (Path(tmp) / "kernels" / NAME).iterdir():
                if f.name != "kernel.json":
                    shutil.copy2(f, kernel_dir / f.name)
        kernel_json.write_text(text)
        changed = True

    # Check what Jupyter in this environment will actually start.
    from jupyter_client.kernelspec import KernelSpecManager

    resolved = KernelSpecManager().get_kernel_spec(NAME)
    if Path(resolved.resource_dir).resolve() != kernel_dir.resolve():
        print(
            f"error: the '{NAME}' kernel resolves to {resolved.resource_dir}, which shadows {kernel_dir}.\n"
            f"Set JUPYTER_PREFER_ENV_PATH=1 (the Makefile does) or remove the other kernel.",
            file=sys.stderr,
        )
        return 1
    print(f"Rust kernel {'registered' if changed else 'is registered'}: {kernel_json} -> {binary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
