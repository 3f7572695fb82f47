"""Kernel launcher: runs evcxr_jupyter in a persistent, locked build folder.

kernel.json runs: <.venv python> tools/evcxr_kernel.py <evcxr_jupyter> --control_file {connection_file}

Why not start evcxr_jupyter directly? By default every evcxr kernel builds in a
fresh temporary folder. evcxr's `:cache` then hands later kernels compiled
crates whose dependency info still names the first kernel's (deleted) folder;
for a crate that includes a build-script file (thiserror 2 does:
OUT_DIR/private.rs) Cargo then finds that file missing and rebuilds the crate
and everything above it, nnlib included, at every cell (10-20 s a cell).

So each kernel takes the first free slot STATE/slot-N (free = its lock is not
held; the lock lives as long as the kernel) and builds there (EVCXR_TMPDIR).
A slot keeps its compiled dependencies and nnlib between kernel restarts, so
only changed code is recompiled. evcxr's cache goes to STATE/cache
(XDG_CACHE_HOME; Linux), so its entries only ever point into these slots.

STATE is $TMPDIR/nn-workshop-evcxr-<uid>/<repo name>-<hash of repo path>
($NN_EVCXR_DIR overrides it), like evcxr's own default of a folder in /tmp:
- not inside the repo: a crate below the workspace's Cargo.toml does not build;
- not under $HOME: evcxr loads a copy of the compiled cell one folder above
  where rustc linked it, so the relative RUNPATH to libstd-*.so is one `..`
  short; that only works when the path climbs to / anyway (build folder and
  toolchain on different top-level folders). If they do share one (TMPDIR
  under $HOME), LD_LIBRARY_PATH is set to the toolchain's lib folder instead.
A reboot empties it; the next kernel (or `make warmup`) rebuilds it.

Room mode (hub/, `make hub`: many learners, each a separate uid). The hub sets
NN_EVCXR_DIR to a folder in the learner's home and NN_ROOM_TEMPLATE to a slot
the hub compiled once for the room (read-only to learners). A slot that was
not made from the current template (its .room-template file differs) is
replaced by a copy of it before evcxr starts, mtimes kept, so Cargo's
fingerprints match and no dependency is compiled again: the copy is private
to this kernel (many kernels never share a writable build folder).
NN_ROOM_CARGO_CONFIG names a file copied to STATE/cargo-home/config.toml, the
kernel's CARGO_HOME (the room's vendored crates, also those of the standard
library's sources, which evcxr's rust-analyzer reads to infer a variable's
type: learners never need crates.io nor root's ~/.cargo), and the kernel's
output (cargo's "Compiling ..." lines) is appended to STATE/kernel-N.log,
the evidence that a learner's kernel compiled no dependency.
Standard library only; Linux and macOS.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def state_dir() -> Path:
    if os.environ.get("NN_EVCXR_DIR"):
        return Path(os.environ["NN_EVCXR_DIR"])
    tag = hashlib.sha256(str(REPO).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"nn-workshop-evcxr-{os.getuid()}" / f"{REPO.name}-{tag}"


def top(path: Path) -> str:
    parts = path.resolve().parts
    return parts[1] if len(parts) > 1 else ""


def toolchain_libdir_if_needed(slot: Path) -> str | None:
    """The toolchain's lib folder when the slot shares a top-level folder with it."""
    rustup_home = Path(os.environ.get("RUSTUP_HOME") or Path.home() / ".rustup")
    if top(slot) != top(rustup_home) and top(slot) != top(Path(shutil.which("rustc") or "/")):
        return None
    try:
        out = subprocess.run(["rustc", "--print", "target-libdir"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


ROOT = state_dir()

# Cargo reads .cargo/config.toml from every folder above a slot. evcxr compiles each
# cell into a crate named `ctx` at one opt-level for it and its dependencies (2);
# this keeps the dependencies (nnlib, ndarray, ...) at 2 and compiles the cells at 0:
# 20-35 % less CPU for a cell with code in it (make bench-kernel, bench/README.md).
CARGO_CONFIG = "[profile.dev.package.ctx]\nopt-level = 0\n"


def write_cargo_config() -> None:
    path = ROOT / ".cargo" / "config.toml"
    write_atomically(path, CARGO_CONFIG)


def write_atomically(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}")
        tmp.write_text(text)
        os.replace(tmp, path)  # a kernel starting now reads the old or the new file, never half of one


def take_slot() -> tuple[Path, int]:
    ROOT.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    n = 0
    while True:
        slot = ROOT / f"slot-{n}"
        slot.mkdir(parents=True, exist_ok=True)
        fd = os.open(slot / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            n += 1
            continue
        os.set_inheritable(fd, True)  # keep the lock across exec, for the kernel's lifetime
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return slot, fd


TEMPLATE_ID = ".room-template"


def fill_from_template(slot: Path, template: Path) -> None:
    """Room mode: make `slot` (locked by us) a private copy of the room's warm template."""
    want = (template / TEMPLATE_ID).read_text()
    mark = slot / TEMPLATE_ID
    if mark.exists() and mark.read_text() == want:
        return
    for child in slot.iterdir():
        if child.name == ".lock":
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for child in template.iterdir():
        if child.name not in (".lock", TEMPLATE_ID):
            # copy2 keeps mtimes: Cargo compares them with its fingerprints.
            if child.is_dir():
                shutil.copytree(child, slot / child.name, symlinks=True)
            else:
                shutil.copy2(child, slot / child.name)
    mark.write_text(want)  # last: a copy cut short is redone by the next kernel


def log_to_file(slot: Path) -> None:
    """Room mode: the kernel's stdout/stderr (cargo's output) go to STATE/kernel-N.log."""
    log = ROOT / f"kernel-{slot.name.removeprefix('slot-')}.log"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.write(fd, f"--- kernel started {time.strftime('%Y-%m-%dT%H:%M:%S')} in {slot}\n".encode())
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def clean() -> None:
    """`make clean-kernel`: remove this repo's STATE folder (slots and cache)."""
    if not ROOT.is_dir():
        print(f"nothing to delete: {ROOT} does not exist")
        return
    if not any(part.startswith("nn-workshop-evcxr") for part in ROOT.parts) and "NN_EVCXR_DIR" not in os.environ:
        sys.exit(f"refusing to delete unexpected folder {ROOT}")
    shutil.rmtree(ROOT)
    print(f"deleted {ROOT}")


def main() -> None:
    if sys.argv[1:] == ["--clean"]:
        return clean()
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} EVCXR_JUPYTER [ARGS...] | --clean")
    binary, args = sys.argv[1], sys.argv[2:]
    slot, _fd = take_slot()
    if os.environ.get("NN_ROOM_TEMPLATE"):
        fill_from_template(slot, Path(os.environ["NN_ROOM_TEMPLATE"]))
        log_to_file(slot)
    if os.environ.get("NN_ROOM_CARGO_CONFIG"):
        os.environ["CARGO_HOME"] = str(ROOT / "cargo-home")
        write_atomically(ROOT / "cargo-home" / "config.toml", Path(os.environ["NN_ROOM_CARGO_CONFIG"]).read_text())
    write_cargo_config()
    os.environ["EVCXR_TMPDIR"] = str(slot)
    os.environ.setdefault("EVCXR_CONFIG_DIR", str(REPO / "evcxr"))
    os.environ["XDG_CACHE_HOME"] = str(ROOT / "cache")
    libdir = toolchain_libdir_if_needed(slot)
    if libdir:
        os.environ["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [libdir, os.environ.get("LD_LIBRARY_PATH")]))
    os.execv(binary, [binary, *args])


if __name__ == "__main__":
    main()
