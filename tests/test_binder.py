"""binder/: the image for BinderHub (repo2docker) and Zero to JupyterHub.

Docker is not available here, so the image itself is never built. What is run:
binder/postBuild, then binder/start, as plain scripts, the way repo2docker runs
them, in a fresh copy of the repository that is also $HOME (repo2docker copies
the repository to $HOME), with a fresh Python prefix standing in for the image's
conda environment. They reuse this machine's Rust toolchain and its
evcxr_jupyter 0.22.0 (CARGO_HOME and RUSTUP_HOME point at them): the install
step runs as "already installed, right version"; a real `cargo install` takes
about 5 minutes of 2 cores. Everything else is done for real: the kernel is
registered in the fresh prefix and nnlib's dependencies are compiled into a new,
empty build folder. Then, in the environment binder/start sets, a notebook runs
top to bottom on that kernel, and must not compile any dependency again.

binder/z2jh.Dockerfile and binder/z2jh-config.yaml are checked statically
(what they copy exists, they run the same scripts, the versions agree).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

import pytest
import yaml

import kernelwatch

REPO = Path(__file__).resolve().parent.parent
BINDER = REPO / "binder"
DOCKERFILE = BINDER / "z2jh.Dockerfile"
NOTEBOOK = "Linear_Regression"
POSTBUILD_TIMEOUT = 1200  # a cold compile of nnlib's dependencies: 30-90 s quiet, minutes on a busy machine
NOTEBOOK_TIMEOUT = 900
# Crates whose compiled artifacts must exist after postBuild: the warm build.
WARM_CRATES = ("nnlib", "ndarray", "linfa", "linfa_linear", "plotters", "thiserror")


def makevar(name: str) -> str:
    found = re.search(rf"^{name}\s*:=\s*(\S+)", (REPO / "Makefile").read_text(), re.M)
    assert found, f"Makefile: {name} := ... not found"
    return found.group(1)


def log_tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []
    return f"--- last lines of {path}:\n" + "\n".join(text[-lines:])


# ---------------------------------------------------------------- the fresh home


def copy_worktree(dest: Path) -> None:
    """The repository's files as they are now (tracked and new, not ignored: no target/, no .venv)."""
    names = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "-co", "--exclude-standard"], capture_output=True, check=True
    ).stdout.decode().split("\0")
    for name in filter(None, names):
        src = REPO / name
        if src.is_file():  # a tracked file deleted in the working tree is left out
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def make_prefix(prefix: Path) -> None:
    """A new Python prefix (venv) that imports this interpreter's packages (jupyter_client,
    nbclient, ...) through a .pth file, so no pip install is needed; its sys.prefix, where
    tools/kernelspec.py registers the kernel, is new and empty, as in a fresh image."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(prefix)], check=True)
    out = subprocess.run(
        [str(prefix / "bin" / "python3"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(out) / "_nn_workshop_parent.pth").write_text("\n".join(paths) + "\n")


def script_env(home: Path, prefix: Path) -> dict[str, str]:
    """This machine's environment with a fresh HOME, the fresh prefix first on PATH and
    this machine's Rust (rustup's proxies find their toolchains through RUSTUP_HOME)."""
    real_home = Path.home()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "XDG_", "EVCXR_", "NN_EVCXR"))}
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX"):
        env.pop(name, None)
    env.update(
        HOME=str(home),
        CARGO_HOME=os.environ.get("CARGO_HOME") or str(real_home / ".cargo"),
        RUSTUP_HOME=os.environ.get("RUSTUP_HOME") or str(real_home / ".rustup"),
        PATH=f"{prefix / 'bin'}{os.pathsep}{os.environ['PATH']}",
    )
    return env


class Image:
    """What binder/postBuild built in the fresh home."""

    def __init__(self, root: Path):
        self.root = root
        self.home = root / "home"  # the repository, as in repo2docker
        self.prefix = root / "env"  # stands in for /srv/conda/envs/notebook
        self.env: dict[str, str] = {}
        self.postbuild_log = root / "postBuild.log"
        self.postbuild_seconds = 0.0
        self.postbuild_rc: int | None = None

    @property
    def postbuild_output(self) -> str:
        return self.postbuild_log.read_text(encoding="utf-8", errors="replace")

    def state_dir(self) -> Path:
        found = re.search(r"NN_EVCXR_DIR=(\S+)", self.postbuild_output)
        assert found, f"binder/postBuild did not print NN_EVCXR_DIR=...\n{log_tail(self.postbuild_log)}"
        return Path(found.group(1))

    def start(self, *command: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.home / "binder" / "start"), *command], cwd=self.home, env=self.env, **kw
        )


@pytest.fixture(scope="module")
def image():
    cargo_home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")
    evcxr = cargo_home / "bin" / "evcxr_jupyter"
    if not evcxr.is_file():
        pytest.fail(f"{evcxr} is missing; run `make kernel` first (this test reuses it instead of a 5-minute install)")
    root = Path(tempfile.mkdtemp(prefix="nn-workshop-binder-"))
    img = Image(root)
    img.home.mkdir()
    copy_worktree(img.home)
    make_prefix(img.prefix)
    img.env = script_env(img.home, img.prefix)
    started = time.monotonic()
    with open(img.postbuild_log, "w") as log:
        try:
            proc = subprocess.run(
                [str(img.home / "binder" / "postBuild")], cwd=img.home, env=img.env,
                stdout=log, stderr=subprocess.STDOUT, timeout=POSTBUILD_TIMEOUT,
            )
            img.postbuild_rc = proc.returncode
        except subprocess.TimeoutExpired:
            img.postbuild_rc = None  # the test below reports it with the log
    img.postbuild_seconds = time.monotonic() - started
    yield img
    shutil.rmtree(root, ignore_errors=True)


def timing(label: str, seconds: float, outcome: str) -> None:
    """Shown in the notebook wall-time table that tests/conftest.py prints."""
    from test_notebooks import TIMINGS

    TIMINGS.append((label, seconds, outcome))


# ---------------------------------------------------------------- postBuild and start, run


def test_postbuild_registers_the_kernel_and_warms_the_build(image: Image):
    ok = image.postbuild_rc == 0
    timing("(binder/postBuild, evcxr already installed)", image.postbuild_seconds, "ok" if ok else "FAILED")
    what = f"exit {image.postbuild_rc}" if image.postbuild_rc is not None else f"no end within {POSTBUILD_TIMEOUT} s"
    assert ok, f"binder/postBuild failed ({what}) in {image.home}\n{log_tail(image.postbuild_log)}"
    out = image.postbuild_output
    # The install step ran as "already installed, at the Makefile's version".
    assert f"evcxr_jupyter {makevar('EVCXR_VERSION')} is installed" in out, out

    spec = json.loads((image.prefix / "share" / "jupyter" / "kernels" / "rust" / "kernel.json").read_text())
    assert spec["argv"][1] == str(image.home / "tools" / "evcxr_kernel.py"), spec
    assert Path(spec["argv"][0]).parent == image.prefix / "bin", f"the kernel runs another Python: {spec['argv']}"
    assert spec["env"]["EVCXR_CONFIG_DIR"] == str(image.home / "evcxr"), spec

    state = image.state_dir()
    assert state == image.prefix / "share" / "nn-workshop-evcxr", state
    for slot in (0, 1):  # a second kernel running at the same time builds in slot-1
        built = dependency_artifacts(state, slot)
        missing = [c for c in WARM_CRATES if not any(Path(p).name.startswith(f"lib{c}-") for p in built)]
        assert not missing, f"postBuild's warm build in {state}/slot-{slot} has no compiled {missing}"


def test_start_sets_the_environment_postbuild_used(image: Image):
    if image.postbuild_rc != 0:
        pytest.skip("binder/postBuild failed (reported above)")
    env = dict(
        line.split("=", 1)
        for line in image.start("env", "-0", capture_output=True, check=True).stdout.decode().split("\0")
        if "=" in line
    )
    state = Path(env["NN_EVCXR_DIR"])
    assert state == image.state_dir(), f"start: {state}, postBuild: {image.state_dir()}"
    # In repo2docker the repository is $HOME; a build folder below its Cargo.toml would not build.
    assert image.home not in state.parents, state
    assert env["JUPYTER_PREFER_ENV_PATH"] == "1"
    assert str(Path(image.env["CARGO_HOME"]) / "bin") in env["PATH"].split(os.pathsep), env["PATH"]
    # start ends in `exec "$@"`: the command's exit status and arguments come through.
    assert image.start("sh", "-c", 'exit "$0"', "7").returncode == 7
    # An image without the warm build (postBuild did not run there) still starts, and says why it will be slow.
    empty = image.root / "no-warm-build"
    cold = subprocess.run(
        [str(image.home / "binder" / "start"), "true"], env=dict(image.env, NN_EVCXR_DIR=str(empty)),
        capture_output=True, text=True,
    )
    assert cold.returncode == 0 and f"no warm build in {empty}" in cold.stderr, cold.stderr


def dependency_artifacts(state: Path, slot: int = 0) -> dict[str, int]:
    """mtime (ns) of each compiled dependency in the kernel's slot-N (not the cells' own
    `ctx` crate and `code_N` libraries, which are compiled at every cell)."""
    found = {}
    for path in (state / f"slot-{slot}" / "target").glob("**/deps/lib*"):
        if path.suffix in (".rlib", ".rmeta", ".so") and not path.name.startswith(("libctx", "libcode_")):
            found[str(path)] = path.stat().st_mtime_ns
    return found


RUNNER = """
import json, sys
from pathlib import Path
home, notebook, label, out = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
sys.path.insert(0, str(home / "tests"))
import nbrun
result = nbrun.execute(notebook, kernel="rust", name=label, require_plot=notebook.parent.name == "notebooks",
                       out_path=nbrun.OUT_DIR / f"{notebook.stem}.binder.ipynb")
out.write_text(json.dumps({"ok": result.ok, "report": result.report(), "seconds": result.seconds,
                           "restarts": result.restarts, "log": str(result.out_path.with_suffix(".kernel.log"))}))
"""


def run_in_start(image: Image, notebook: Path, label: str) -> tuple[dict, int]:
    """Run `notebook` with tests/nbrun.py as the command binder/start execs (as the image
    starts its server): (nbrun's result, the kernel tree's peak resident memory in bytes)."""
    runner = image.root / "run_notebook.py"
    runner.write_text(RUNNER)
    result_file = image.root / "result.json"
    result_file.unlink(missing_ok=True)
    cmd = [str(image.home / "binder" / "start"), "python3", str(runner), str(image.home), str(notebook), label, str(result_file)]
    # A session of its own, so a time-out can stop the kernel and cargo below it too.
    proc = subprocess.Popen(cmd, cwd=image.home, env=image.env, start_new_session=True)
    peak = peak_rss_while(proc)
    try:
        rc = proc.wait(timeout=NOTEBOOK_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"{label} did not finish within {NOTEBOOK_TIMEOUT} s in the binder environment")
    assert rc == 0 and result_file.exists(), f"the notebook runner failed (exit {rc}) on {notebook}"
    result = json.loads(result_file.read_text())
    for note in result["restarts"]:
        print(f"note: {note}")
    return result, peak[0]


def compiled_crates(result: dict) -> list[str]:
    """Crates the kernel compiled: evcxr copies cargo's `Compiling NAME VERSION` lines to
    its stderr (the kernel's log) for every crate except the cell's own."""
    return re.findall(r"^\s*Compiling (\S+ \S+)", Path(result["log"]).read_text(errors="replace"), re.M)


def peak_rss_while(proc: subprocess.Popen) -> list[int]:
    """Sample the resident memory of proc's descendants (the kernel, evcxr's child, cargo,
    rustc; not proc itself) every 0.2 s while it runs; the peak ends up in the list."""
    peak = [0]

    def sample():
        while proc.poll() is None:
            total = 0
            for pid in kernelwatch.descendants(proc.pid)[1:]:
                try:
                    total += int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
                except (OSError, ValueError, IndexError):
                    pass
            peak[0] = max(peak[0], total)
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    return peak


def test_notebook_runs_on_the_warm_build_in_starts_environment(image: Image):
    """Linear_Regression, top to bottom, on the kernel postBuild registered, started the
    way the image starts a server (binder/start ... then the command): clean (no error,
    no panic, its plots rendered, tests/nbcheck.py), and nothing of nnlib or its
    dependencies compiled again: no `Compiling` line in the kernel's log (evcxr prints
    one for every crate but the cell's own) and no dependency artifact rewritten."""
    if image.postbuild_rc != 0:
        pytest.skip("binder/postBuild failed (reported above)")
    state = image.state_dir()
    before = dependency_artifacts(state)
    assert before, f"no warm build in {state}/slot-0"
    result, peak = run_in_start(image, image.home / "notebooks" / f"{NOTEBOOK}.ipynb", f"{NOTEBOOK} (binder)")
    outcome = ("ok" if result["ok"] else "FAILED") + f", kernel tree peak RSS {peak / 2**20:.0f} MiB"
    timing(f"{NOTEBOOK} (binder environment)", result["seconds"], outcome)
    print(f"{NOTEBOOK}: {result['seconds']:.1f} s; kernel, evcxr, cargo and rustc together peaked at {peak / 2**20:.0f} MiB")
    assert result["ok"], result["report"]

    compiled = compiled_crates(result)
    assert not compiled, (
        f"the kernel compiled {compiled} at notebook time: the warm build in {state} was not used\n"
        + log_tail(Path(result["log"]))
    )
    after = dependency_artifacts(state)
    rewritten = sorted(Path(p).name for p in before if after.get(p) != before[p])
    assert not rewritten, f"the notebook's kernel rebuilt dependencies of the warm build: {rewritten}"


def test_second_slot_is_warm_and_the_check_sees_a_rebuild(image: Image):
    """A second kernel running beside the first builds in slot-1, which postBuild warmed
    too: with slot-0 held, the notebooks' `:dep` line (tools/warmup.ipynb) after a change
    to nnlib's source must compile nnlib and nothing else. Also the control for the test
    above: its two checks (the log's `Compiling` lines, the artifacts' times) see a rebuild."""
    if image.postbuild_rc != 0:
        pytest.skip("binder/postBuild failed (reported above)")
    state = image.state_dir()
    before = dependency_artifacts(state, 1)
    lib = image.home / "nnlib" / "src" / "lib.rs"
    lib.write_text(lib.read_text() + "\n// changed by tests/test_binder.py\n")
    fd = os.open(state / "slot-0" / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # slot-0 busy, as with a first notebook open
        result, _ = run_in_start(image, image.home / "tools" / "warmup.ipynb", "warm-up in slot-1 after a change to nnlib (binder)")
    finally:
        os.close(fd)
    assert result["ok"], result["report"]
    compiled = compiled_crates(result)
    assert [c.split()[0] for c in compiled] == ["nnlib"], f"slot-1 compiled {compiled}; only nnlib changed"
    after = dependency_artifacts(state, 1)
    assert any(Path(p).name.startswith("libnnlib-") and after.get(p) != before[p] for p in before), (
        "nnlib was recompiled but its artifact's mtime did not change: the mtime check would miss a rebuild"
    )


# ---------------------------------------------------------------- the z2jh image, statically
# Docker is not available here (no hadolint either): these read the files.


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").strip() + " " if line.endswith("\\") else line.strip()
        if not line.endswith("\\"):
            keyword, _, args = current.partition(" ")
            instructions.append((keyword.upper(), args.strip()))
            current = ""
    return instructions


def docker_args() -> dict[str, str]:
    return dict(a.split("=", 1) for k, a in dockerfile() if k == "ARG" and "=" in a)


def docker_env() -> dict[str, str]:
    env = {}
    for keyword, args in dockerfile():
        if keyword == "ENV":
            env.update(re.findall(r"(\w+)=(\S+)", args))
    return env


def conda_pins() -> dict[str, str]:
    spec = yaml.safe_load((BINDER / "environment.yml").read_text())
    return dict(d.split("=", 1) for d in spec["dependencies"] if isinstance(d, str) and "=" in d)


def test_binder_has_no_dockerfile_named_dockerfile():
    """repo2docker builds binder/Dockerfile, if there is one, and ignores environment.yml,
    postBuild and start."""
    assert not (BINDER / "Dockerfile").exists()
    for script in ("postBuild", "start"):
        assert os.access(BINDER / script, os.X_OK), f"binder/{script} must be executable"


def test_dockerfile_copies_only_what_exists_and_is_not_ignored():
    ignored = [p for p in (BINDER / "z2jh.Dockerfile.dockerignore").read_text().splitlines() if p and p[0] != "#"]
    copies = [a.split() for k, a in dockerfile() if k in ("COPY", "ADD")]
    assert copies, "no COPY in binder/z2jh.Dockerfile"
    for args in copies:
        sources = [a for a in args[:-1] if not a.startswith("--")]
        assert sources, args
        for src in sources:
            assert (REPO / src).exists(), f"COPY {src}: no such file in the repository (the build context)"
            top = Path(src).parts[0] if src != "." else "."
            assert top not in ignored, f"COPY {src}, but z2jh.Dockerfile.dockerignore leaves it out"
    for must in ("target", ".venv", ".git"):
        assert must in ignored, f"z2jh.Dockerfile.dockerignore should leave out {must}/"


def test_dockerfile_runs_the_scripts_the_test_ran():
    """The image is built by binder/postBuild and started by binder/start, in the
    repository copied to /home/jovyan: the two scripts the tests above run."""
    steps = dockerfile()
    copy_repo = [a.split()[-1] for k, a in steps if k == "COPY" and a.split()[-2] == "."]
    assert copy_repo == ["/home/jovyan/"], copy_repo
    workdir = [a for k, a in steps if k == "WORKDIR"][-1]
    assert workdir == "/home/jovyan", workdir
    runs = " ".join(a for k, a in steps if k == "RUN")
    repo_scripts = set(re.findall(r"(?<![\w/])(binder/\w+|tools/[\w.]+)", runs))
    assert repo_scripts == {"binder/postBuild"}, f"RUN steps call {repo_scripts}; the image must be built by binder/postBuild"
    entrypoint = json.loads([a for k, a in steps if k == "ENTRYPOINT"][-1])
    assert entrypoint[-1] == "/home/jovyan/binder/start", entrypoint
    assert json.loads([a for k, a in steps if k == "CMD"][-1]) == ["jupyterhub-singleuser"]
    # postBuild runs after the repository is copied, and as jovyan
    index = {k + ":" + a: i for i, (k, a) in enumerate(steps)}
    postbuild = next(i for key, i in index.items() if key.startswith("RUN:") and "binder/postBuild" in key)
    copy_at = next(i for key, i in index.items() if key.startswith("COPY:") and " . /home/jovyan/" in key)
    assert copy_at < postbuild
    users = [(i, a) for i, (k, a) in enumerate(steps) if k == "USER"]
    assert users and users[-1][1] in ("jovyan", "1000") and users[-1][0] < postbuild, users


def test_dockerfile_base_user_and_versions():
    steps = dockerfile()
    args = docker_args()
    base = [a for k, a in steps if k == "FROM"][0].replace("${BASE_IMAGE}", args.get("BASE_IMAGE", ""))
    assert "bookworm" in base and (base.startswith("python:3.11") or base.startswith("debian:")), base
    runs = " ".join(a for k, a in steps if k == "RUN")
    assert re.search(r"useradd\b[^&]*--uid 1000\b[^&]* jovyan\b", runs), "jovyan must be uid 1000 (z2jh's singleuser.uid)"
    # Rust from the official installer, at the Makefile's RUST_MIN, with rust-src (evcxr's rust-analyzer)
    assert args["RUST_VERSION"].startswith(makevar("RUST_MIN") + "."), args["RUST_VERSION"]
    assert re.search(r"sh\.rustup\.rs .*--default-toolchain \"\$RUST_VERSION\".*--component rust-src", runs), runs
    # evcxr_jupyter at the Makefile's version, from its lock file
    assert args["EVCXR_VERSION"] == makevar("EVCXR_VERSION"), args
    assert re.search(r"cargo install --locked evcxr_jupyter --version \"\$EVCXR_VERSION\"", runs), runs
    # jupyterhub: the current 5.x line, the same as binder/environment.yml's singleuser
    assert args["JUPYTERHUB_VERSION"].startswith("5."), args
    assert conda_pins()["jupyterhub-singleuser"] == args["JUPYTERHUB_VERSION"], conda_pins()
    assert '"jupyterhub==$JUPYTERHUB_VERSION"' in runs and "-r /tmp/requirements.txt" in runs


def test_dockerfile_keeps_the_warm_build_where_start_looks_for_it():
    """binder/env.sh puts the warm build at <the Python prefix>/share/nn-workshop-evcxr;
    the image's ENV must say the same (so it also holds without binder/start), and be
    kept in the image: not /tmp, not under the repository (/home/jovyan)."""
    env = docker_env()
    runs = " ".join(a for k, a in dockerfile() if k == "RUN")
    venv = re.search(r"python3 -m venv (\S+)", runs).group(1)
    assert env["NN_EVCXR_DIR"] == f"{venv}/share/nn-workshop-evcxr", env
    assert env["PATH"].startswith(f"{venv}/bin:"), env["PATH"]
    assert not env["NN_EVCXR_DIR"].startswith(("/tmp", "/home/jovyan")), env["NN_EVCXR_DIR"]
    assert env["JUPYTER_PREFER_ENV_PATH"] == "1"


def test_binder_environment_pins_match_requirements_and_makefile():
    pins = conda_pins()
    for line in (REPO / "requirements.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if version and name in pins:
            assert pins[name] == version.strip(), f"binder/environment.yml {name}={pins[name]}, requirements.txt {version}"
    for name in ("jupyterlab", "nbclient", "python", "rust", "rust-src"):
        assert name in pins, f"binder/environment.yml should pin {name}"
    assert pins["rust"] == makevar("RUST_MIN") and pins["rust-src"] == pins["rust"], pins


def _bytes(quantity: str) -> float:
    units = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
    number, unit = re.fullmatch(r"([\d.]+)([KMGT]?)", str(quantity)).groups()
    return float(number) * units.get(unit, 1)


def test_z2jh_config():
    config = yaml.safe_load((BINDER / "z2jh-config.yaml").read_text())
    single = config["singleuser"]
    assert single["image"]["name"] and single["image"]["tag"], single["image"]
    assert single["uid"] == 1000
    assert _bytes(single["memory"]["guarantee"]) >= 1e9, "one kernel peaks at about 1 GB (measured)"
    assert _bytes(single["memory"]["limit"]) >= 2 * _bytes(single["memory"]["guarantee"]), single["memory"]
    assert single["cmd"][0] == json.loads([a for k, a in dockerfile() if k == "CMD"][-1])[0]
    # The persistent volume must not hide the repository the image put in the home folder.
    mount = Path(single["storage"]["homeMountPath"])
    assert mount.parent == Path("/home/jovyan") and not (REPO / mount.name).exists(), mount
    notebook = single["defaultUrl"].removeprefix("/lab/tree/")
    assert (REPO / notebook).is_file(), single["defaultUrl"]
    cull = config["cull"]
    assert cull["enabled"] is True and cull["timeout"] > 0 and cull["every"] > 0, cull
    # Idle kernels are stopped also with their notebook open in a tab (jupyter_server's
    # default keeps a connected kernel forever; make test-hub runs the same setting for real).
    kernel_cull = dict(a.removeprefix("--MappingKernelManager.").split("=") for a in single["cmd"]
                       if a.startswith("--MappingKernelManager."))
    assert int(kernel_cull.get("cull_idle_timeout", 0)) > 0 and kernel_cull.get("cull_connected") == "True", kernel_cull
