"""Prepare the room: everything learners run, in one root-owned, read-only folder.

usage (as root, from the room's venv python):
    $ROOM/venv/bin/python hub/room.py prepare      # `make hub` and `make test-hub` run this

$ROOM (NN_ROOM, default /opt/nn-workshop-room) gets:
  toolchain/  a copy of the Rust toolchain (bin/, lib/) and evcxr_jupyter: root's
              ~/.rustup is mode 700, learners cannot run it there
  workshop/   the repository's nnlib/, data/, notebooks/, evcxr/ and the kernel
              launcher; learners' homes link nnlib and data here, so their
              `:dep nnlib = { path = "../nnlib" }` resolves (evcxr canonicalizes
              it) to ONE path for everybody: one package id, one build
  vendor/     `cargo vendor` of Cargo.lock, and cargo-room.toml pointing crates.io
              at it: no learner's cargo ever needs the network
  template/   a build slot (see tools/evcxr_kernel.py) in which the warm-up
              notebook compiled nnlib and every dependency ONCE for the room;
              each learner's kernel starts from a private copy of it
  venv/       the Python of the hub and of every learner's server (Makefile)
Each step is skipped when its inputs did not change (a stamp file per step).
Everything stays readable by all and writable by root only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOM = Path(os.environ.get("NN_ROOM", "/opt/nn-workshop-room"))
TOOLCHAIN = ROOM / "toolchain"
WORKSHOP = ROOM / "workshop"
VENDOR = ROOM / "vendor"
CARGO_ROOM_CONFIG = ROOM / "cargo-room.toml"
TEMPLATE = ROOM / "template"
VENV = ROOM / "venv"
# What learners need from the repository (tracked files only, mtimes kept).
WORKSHOP_PATHS = ["nnlib", "data", "notebooks", "evcxr", "tools/evcxr_kernel.py", "tools/warmup.ipynb"]
# nnlib's manifest inherits from the workspace's; the room's workspace holds nnlib only.
WORKSPACE_TOML = """[workspace]
members = ["nnlib"]
resolver = "2"
"""


def say(msg: str) -> None:
    print(f"room: {msg}", flush=True)


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:16]


def stamped(path: Path, key: str) -> bool:
    return path.exists() and path.read_text().strip() == key


def run(cmd: list[str], **kw) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout.strip()


# ---------------------------------------------------------------- toolchain


def evcxr_binary() -> Path:
    found = shutil.which("evcxr_jupyter")
    if not found:
        sys.exit("error: evcxr_jupyter is not on PATH; run `make evcxr` first (make hub does)")
    return Path(found).resolve()


def prepare_toolchain() -> None:
    sysroot = Path(run(["rustc", "--print", "sysroot"]))
    evcxr = evcxr_binary()
    has_src = (sysroot / "lib" / "rustlib" / "src" / "rust" / "library" / "Cargo.toml").is_file()  # rust-src added later
    key = digest(run(["rustc", "-vV"]), run(["cargo", "-V"]), str(sysroot), f"{evcxr.stat().st_size}:{evcxr.stat().st_mtime_ns}",
                 f"rust-src: {has_src}")
    if stamped(TOOLCHAIN / ".stamp", key):
        return
    say(f"copying the Rust toolchain {sysroot} -> {TOOLCHAIN} (bin/ and lib/, ~650 MB)")
    new = TOOLCHAIN.with_name("toolchain.new")
    shutil.rmtree(new, ignore_errors=True)
    (new / "bin").mkdir(parents=True)
    for tool in ("rustc", "cargo", "rustdoc"):
        if (sysroot / "bin" / tool).exists():
            shutil.copy2(sysroot / "bin" / tool, new / "bin" / tool)
    shutil.copy2(evcxr, new / "bin" / "evcxr_jupyter")
    subprocess.run(["cp", "-a", str(sysroot / "lib"), str(new / "lib")], check=True)
    (new / ".stamp").write_text(key + "\n")
    replace(new, TOOLCHAIN)


def replace(new: Path, old: Path) -> None:
    """Swap a finished folder in; readable by everyone, writable by root."""
    subprocess.run(["chmod", "-R", "u+rwX,go+rX,go-w", str(new)], check=True)
    if old.exists():
        trash = old.with_name(old.name + ".old")
        shutil.rmtree(trash, ignore_errors=True)
        old.rename(trash)
        new.rename(old)
        shutil.rmtree(trash)
    else:
        new.rename(old)


# ---------------------------------------------------------------- workshop files


def tracked(paths: list[str]) -> list[str]:
    out = run(["git", "-C", str(REPO), "ls-files", "-z", "--", *paths])
    return sorted(n for n in out.split("\0") if n and (REPO / n).is_file())


def sync_workshop() -> None:
    """Copy changed files only and keep their mtimes, so an unchanged nnlib keeps
    the template's fingerprints valid across hub restarts."""
    names = tracked(WORKSHOP_PATHS)
    WORKSHOP.mkdir(parents=True, exist_ok=True)
    for name in names:
        src, dst = REPO / name, WORKSHOP / name
        if dst.is_file() and dst.read_bytes() == src.read_bytes():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    if not (WORKSHOP / "Cargo.toml").exists() or (WORKSHOP / "Cargo.toml").read_text() != room_workspace_toml():
        (WORKSHOP / "Cargo.toml").write_text(room_workspace_toml())
    keep = set(names) | {"Cargo.toml"}
    for path in sorted(WORKSHOP.rglob("*"), reverse=True):
        rel = path.relative_to(WORKSHOP).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    subprocess.run(["chmod", "-R", "u+rwX,go+rX,go-w", str(WORKSHOP)], check=True)


def room_workspace_toml() -> str:
    """The repository's Cargo.toml with the member list cut to nnlib (bench/ is not copied)."""
    text = (REPO / "Cargo.toml").read_text()
    head, sep, rest = text.partition("[workspace.package]")
    if not sep:
        sys.exit("error: Cargo.toml has no [workspace.package] table; hub/room.py expects one")
    return WORKSPACE_TOML + "\n" + sep + rest


# ---------------------------------------------------------------- crates


def prepare_vendor() -> None:
    """Also the crates of the standard library's sources: evcxr's rust-analyzer runs
    `cargo metadata` on them to infer variables' types; without them every
    `let v = vec![1u8];` fails with "Couldn't automatically determine type"."""
    library = TOOLCHAIN / "lib" / "rustlib" / "src" / "rust" / "library" / "Cargo.toml"
    if not library.exists():
        sys.exit(f"error: {library} is missing: the toolchain needs the rust-src component (rustup component add rust-src)")
    key = digest((REPO / "Cargo.lock").read_bytes(), library.with_name("Cargo.lock").read_bytes())
    if stamped(VENDOR / ".stamp", key) and CARGO_ROOM_CONFIG.exists():
        return
    say(f"cargo vendor -> {VENDOR} (the crates of Cargo.lock and of the standard library: learners never need crates.io)")
    new = VENDOR.with_name("vendor.new")
    shutil.rmtree(new, ignore_errors=True)
    subprocess.run(["cargo", "vendor", "--locked", "--versioned-dirs", "-q", "--sync", str(library), str(new)],
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, RUSTC_BOOTSTRAP="1"))
    (new / ".stamp").write_text(key + "\n")
    replace(new, VENDOR)
    CARGO_ROOM_CONFIG.write_text(
        "# The room's crates (hub/room.py): each kernel's CARGO_HOME/config.toml.\n"
        '[source.crates-io]\nreplace-with = "nn-room"\n\n'
        f'[source.nn-room]\ndirectory = "{VENDOR}"\n'
    )
    CARGO_ROOM_CONFIG.chmod(0o644)


# ---------------------------------------------------------------- kernel


def kernel_env() -> dict[str, str]:
    """What every room kernel runs with (kernel.json's env; learners cannot change it
    for the hub, only for their own kernels)."""
    return {
        "EVCXR_CONFIG_DIR": str(WORKSHOP / "evcxr"),
        "NN_ROOM_CARGO_CONFIG": str(CARGO_ROOM_CONFIG),
        "CARGO_NET_OFFLINE": "true",
        "PATH": f"{TOOLCHAIN / 'bin'}:{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "RUSTC": str(TOOLCHAIN / "bin" / "rustc"),
    }


def write_kernelspec() -> None:
    kernel_dir = VENV / "share" / "jupyter" / "kernels" / "rust"
    binary = TOOLCHAIN / "bin" / "evcxr_jupyter"
    spec = {
        "argv": [str(VENV / "bin" / "python"), str(WORKSHOP / "tools" / "evcxr_kernel.py"), str(binary),
                 "--control_file", "{connection_file}"],
        "display_name": "Rust",
        "language": "rust",
        "interrupt_mode": "message",
        "env": kernel_env(),
        "metadata": {"generated_by": "nn-workshop hub/room.py"},
    }
    text = json.dumps(spec, indent=1) + "\n"
    if (kernel_dir / "kernel.json").exists() and (kernel_dir / "kernel.json").read_text() == text:
        return
    with tempfile.TemporaryDirectory() as tmp:  # evcxr's logos and client files
        subprocess.run([str(binary), "--install"], env=dict(os.environ, JUPYTER_PATH=tmp), check=True,
                       stdout=subprocess.DEVNULL)
        kernel_dir.mkdir(parents=True, exist_ok=True)
        for f in (Path(tmp) / "kernels" / "rust").iterdir():
            if f.name != "kernel.json":
                shutil.copy2(f, kernel_dir / f.name)
    (kernel_dir / "kernel.json").write_text(text)
    subprocess.run(["chmod", "-R", "go+rX", str(kernel_dir)], check=True)


# JupyterLab defaults for every learner (they can still change their own settings):
# no news or update prompts over the notebook, and nothing fetched from the internet.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def write_lab_overrides() -> None:
    path = VENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(LAB_OVERRIDES, indent=1) + "\n")
    subprocess.run(["chmod", "-R", "go+rX", str(path.parent)], check=True)


def template_key() -> str:
    files = [WORKSHOP / n for n in tracked(WORKSHOP_PATHS) if not n.startswith(("data/", "notebooks/"))]
    parts = [f.read_bytes() for f in files] + [(WORKSHOP / "Cargo.toml").read_bytes()]
    parts += [(TOOLCHAIN / ".stamp").read_text(), (VENDOR / ".stamp").read_text()]
    parts += [(VENV / "share/jupyter/kernels/rust/kernel.json").read_text()]
    return digest(*parts)


def build_template() -> None:
    """Compile nnlib and its dependencies once, in the room's own build folder,
    by running the warm-up notebook on the room's kernel (as the learners' kernels will)."""
    key = template_key()
    if stamped(TEMPLATE / ".room-template", key):
        say(f"the room's build is warm ({TEMPLATE})")
        return
    build = ROOM / "build"
    shutil.rmtree(build, ignore_errors=True)
    say(f"compiling nnlib and its dependencies once for the room in {build} (1-2 min on 2 cores)...")
    sys.path.insert(0, str(REPO / "tests"))
    os.environ.update(NN_EVCXR_DIR=str(build), JUPYTER_PREFER_ENV_PATH="1", NB_KERNEL="rust")
    os.environ.pop("NN_ROOM_TEMPLATE", None)
    import nbrun

    log_dir = ROOM / "logs"
    result = nbrun.execute(WORKSHOP / "tools" / "warmup.ipynb", require_plot=False, check_tracked=False,
                           out_path=log_dir / "template-warmup.ipynb", name="room warm-up")
    if not result.ok:
        sys.exit(result.report() + "\nerror: the room's warm-up failed; no learner could run a notebook")
    new = ROOM / "template.new"
    shutil.rmtree(new, ignore_errors=True)
    (build / "slot-0").rename(new)
    (new / ".lock").unlink(missing_ok=True)
    (new / ".room-template").write_text(key + "\n")
    replace(new, TEMPLATE)
    shutil.rmtree(build)
    say(f"room build done in {result.seconds:.0f} s -> {TEMPLATE} (log: {log_dir}/template-warmup.kernel.log)")


def prepare() -> None:
    if os.geteuid() != 0:
        sys.exit("error: hub/room.py prepare must run as root (it makes a root-owned folder for the room)")
    ROOM.mkdir(parents=True, exist_ok=True)
    ROOM.chmod(0o755)
    start = time.monotonic()
    prepare_toolchain()
    sync_workshop()
    prepare_vendor()
    write_kernelspec()
    write_lab_overrides()
    build_template()
    say(f"ready in {time.monotonic() - start:.0f} s: {ROOM}")


if __name__ == "__main__":
    if sys.argv[1:] != ["prepare"]:
        sys.exit(__doc__)
    prepare()
