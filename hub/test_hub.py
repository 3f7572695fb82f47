"""make test-hub: the room's JupyterHub for real, on the loopback interface.

usage (as root): $ROOM/venv/bin/python hub/test_hub.py   (the Makefile sets NN_ROOM)

1. hub/room.py prepare (the room's warm build, timed), then the hub on free
   127.0.0.1 ports with a throw-away state folder and an admin service token.
2. 4 learners created through the hub's REST API, their servers started; each
   gets a token of their own (what their browser's login would give them).
3. Linear_Regression top to bottom: learner 1 alone (the single-learner time),
   then all 4 at once, through the hub's proxy (hub/nbremote.py), each judged by
   tests/nbcheck.py (no error, no panic, plots rendered). Per learner: time to
   the first plot, time to the end, peak memory and CPU-seconds of their cgroup,
   and the "Compiling" lines of their kernels' logs (must be none: the room's
   build is reused, no dependency is compiled).
4. Isolation: learner 1's kernel cannot read learner 2's notebook, the hub's
   database or the hub's environment; learner 1's token cannot open learner 2's
   notebook nor use the admin API; the proxy's API refuses without its token.
5. Limits: a learner's disk and private /tmp are full at their size; a learner's
   kernel that allocates more than the memory limit is killed inside that
   learner's cgroup while the hub and the others carry on; a fifth server is
   refused with "The room is full".
6. Attacks, as a curious learner's own processes make them (in her namespaces,
   cgroups and uid, see learner_popen): another learner's kernel ports (IOPub
   read, a bad frame on control and shell), a CPU hog in many sessions against
   another learner's trivial cell, every world-writable path of the host against
   her disk quota, a rename/symlink race on ~/notebooks while she restarts her
   server, and a `setsid` process left behind at a server stop.
   An idle kernel whose notebook is still open (its websocket connected) is
   stopped after NN_ROOM_KERNEL_IDLE seconds, and the learner's memory comes back.
7. Headless Chromium (hub/browser.js): learner 2 from the login page (first-use
   password) to a rendered plot in JupyterLab.
Results: a table on stdout and target/hub/results.{md,json}; logs in target/hub/.
Test users are named <prefix><name> (prefix from the repository's path) and removed
at the end, and at the start when a previous run left them.
"""

from __future__ import annotations

import asyncio
import ctypes
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests")]

import nbcheck  # noqa: E402
import nbremote  # noqa: E402
import room  # noqa: E402
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest  # noqa: E402

OUT = REPO / "target" / "hub"
TAG = hashlib.sha256(str(REPO).encode()).hexdigest()[:4]
PREFIX = f"nt{TAG}-"  # system users: nt1a2b-ann, ...
LEARNERS = ["ann", "ben", "cat", "dan"]
NOTEBOOK = "notebooks/Linear_Regression.ipynb"
STATE = room.ROOM / f"state-test-{TAG}"
MEM = os.environ.get("HUB_TEST_MEM", "2G")
DISK_MB = 1024
CGROUP = f"nn-room-{PREFIX.rstrip('-')}"
RACE_TARGET = room.ROOM / f"race-target-{TAG}"  # root's folder a learner tries to get root to write into
CPU_HOGS = 16
KERNEL_IDLE = 45  # NN_ROOM_KERNEL_IDLE of the hub under test (the room's default is 1800)
HUB_START_TIMEOUT = 120
SERVER_START_TIMEOUT = 180

failures: list[str] = []


def check(ok: bool, what: str, detail: str = "") -> bool:
    print(f"  {'ok  ' if ok else 'FAIL'} {what}" + (f": {detail}" if detail and not ok else ""), flush=True)
    if not ok:
        failures.append(what + (f": {detail}" if detail else ""))
    return ok


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- cleanup


def uids_of_test_users() -> dict[str, int]:
    return {p.pw_name: p.pw_uid for p in pwd.getpwall() if p.pw_name.startswith(PREFIX)}


def cleanup() -> None:
    """Remove what a run (this one or an earlier, interrupted one) left: processes of
    the test users, their mounts, homes and users, their cgroups, the state folder."""
    users = uids_of_test_users()
    uids = set(users.values())
    for _ in range(20):
        pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _uid(p) in uids]
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
    for name in users:
        home = Path("/home") / name
        if os.path.ismount(home):
            subprocess.run(["umount", "-l", str(home)], check=False)
        subprocess.run(["userdel", name], check=False, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)
    for name in users:
        subprocess.run(["ip", "netns", "delete", f"nn-{name}"], check=False, capture_output=True)
    for controller in ("memory", "pids", "cpuacct", "cpu", "freezer"):
        base = Path("/sys/fs/cgroup") / controller / CGROUP
        if base.is_dir():
            try:  # a process still in a cgroup keeps it; cleanup goes on (results are written after it)
                for child in base.iterdir():
                    if child.is_dir():
                        child.rmdir()
                base.rmdir()
            except OSError as e:
                print(f"note: could not remove cgroup {base}: {e}", file=sys.stderr)
    shutil.rmtree(STATE, ignore_errors=True)
    shutil.rmtree(RACE_TARGET, ignore_errors=True)


def _uid(proc: Path) -> int | None:
    try:
        return proc.stat().st_uid
    except OSError:
        return None


# ---------------------------------------------------------------- the hub


class Hub:
    def __init__(self):
        self.port, self.api_port, self.proxy_port = free_port(), free_port(), free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = AsyncHTTPClient()
        self.proc = None

    def start(self) -> None:
        STATE.mkdir(mode=0o700, parents=True)
        env = dict(os.environ, NN_ROOM_STATE=str(STATE), NN_HUB_PORT=str(self.port), NN_HUB_API_PORT=str(self.api_port),
                   NN_PROXY_API_PORT=str(self.proxy_port), NN_ROOM_ADMIN_TOKEN=self.token, NN_ROOM_USER_PREFIX=PREFIX,
                   NN_ROOM_MEM=MEM, NN_ROOM_DISK_MB=str(DISK_MB), NN_ROOM_MAX=str(len(LEARNERS)), NN_ROOM_CULL_IDLE="3600",
                   NN_ROOM_KERNEL_IDLE=str(KERNEL_IDLE))
        self.log = open(OUT / "hub.log", "w")
        self.proc = subprocess.Popen([sys.executable, str(HERE / "serve.py")], env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    async def wait_up(self) -> None:
        deadline = time.monotonic() + HUB_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited ({self.proc.returncode}); see {OUT / 'hub.log'}")
            status, _ = await self.api("GET", "")
            if status == 200:
                return
            await asyncio.sleep(0.5)
        raise RuntimeError(f"the hub did not answer on {self.url}/hub/api/ within {HUB_START_TIMEOUT} s; see {OUT / 'hub.log'}")

    async def api(self, method: str, path: str, body=None, token: str | None = None, url: str | None = None):
        req = HTTPRequest(url or f"{self.url}/hub/api/{path}", method=method,
                          headers={"Authorization": f"token {token or self.token}"},
                          body=None if body is None else json.dumps(body), request_timeout=60,
                          allow_nonstandard_methods=True, follow_redirects=False)
        try:
            resp = await self.http.fetch(req, raise_error=False)
        except (OSError, HTTPClientError):  # not listening yet, or no answer within request_timeout
            return 0, None
        try:
            data = json.loads(resp.body) if resp.body else None
        except ValueError:
            data = resp.body.decode(errors="replace")
        return resp.code, data

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops the learners' servers (cleanup_servers)
            try:
                self.proc.wait(timeout=90)  # services, then each server: ~30 s
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the proxy, if it outlived the hub
            except ProcessLookupError:
                pass


async def culler_answered(timeout: float = 30) -> bool:
    """jupyterhub-idle-culler lists the users right after it starts: a 200 in the hub's log
    shows it runs with the scopes it needs (its culling itself takes an idle hour)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = (OUT / "hub.log").read_text(errors="replace").splitlines()
        if any("200 GET /hub/api/users" in l and "(idle-culler@" in l for l in lines):
            return True
        await asyncio.sleep(0.5)
    return False


async def start_servers(hub: Hub, names: list[str]) -> dict[str, float]:
    seconds = {}
    t0 = time.monotonic()
    for name in names:
        status, data = await hub.api("POST", f"users/{name}/server")
        if status not in (201, 202):
            raise RuntimeError(f"starting {name}'s server: HTTP {status} {data}")
    deadline = t0 + SERVER_START_TIMEOUT
    while len(seconds) < len(names):
        if time.monotonic() > deadline:
            raise RuntimeError(f"servers not ready within {SERVER_START_TIMEOUT} s: {sorted(set(names) - set(seconds))}")
        for name in names:
            if name in seconds:
                continue
            _, user = await hub.api("GET", f"users/{name}")
            if ((user or {}).get("servers") or {}).get("", {}).get("ready"):
                seconds[name] = time.monotonic() - t0
        await asyncio.sleep(0.5)
    return seconds


# ---------------------------------------------------------------- measurements


def cg(controller: str, name: str, file: str) -> Path:
    return Path("/sys/fs/cgroup") / controller / CGROUP / (PREFIX + name) / file


def reset_peak(name: str) -> None:
    cg("memory", name, "memory.max_usage_in_bytes").write_text("0")


def cpu_seconds(name: str) -> float:
    f = cg("cpuacct", name, "cpuacct.usage")
    return int(f.read_text()) / 1e9 if f.exists() else float("nan")


def rss(name: str) -> int:
    """Resident memory of the learner's processes now (cgroup total_rss: no page cache)."""
    found = re.search(r"^total_rss (\d+)$", cg("memory", name, "memory.stat").read_text(), re.M)
    return int(found.group(1)) if found else 0


async def sample_rss(names: list[str], peaks: dict[str, int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for n in names:
            peaks[n] = max(peaks.get(n, 0), rss(n))
        try:
            await asyncio.wait_for(stop.wait(), 0.25)
        except asyncio.TimeoutError:
            pass


def _du(path: Path) -> int:
    return sum(f.lstat().st_blocks * 512 for f in path.rglob("*") if not f.is_symlink())


def compiling_lines(name: str) -> list[str]:
    lines = []
    for log in sorted((Path("/home") / (PREFIX + name) / ".nn-evcxr").glob("kernel-*.log")):
        lines += [f"{log.name}: {l.strip()}" for l in log.read_text(errors="replace").splitlines() if "Compiling" in l]
    return lines


def kernel_log_sizes(name: str) -> dict[str, int]:
    return {str(p): p.stat().st_size for p in (Path("/home") / (PREFIX + name) / ".nn-evcxr").glob("kernel-*.log")}


async def run_learner(hub: Hub, name: str, token: str, *, keep_kernel=False):
    server = nbremote.Server(f"{hub.url}/user/{name}/", token)
    run, ws, session = await nbremote.run_notebook(server, name, NOTEBOOK, keep_kernel=keep_kernel)
    problems = nbcheck.find_problems(run.nb, completed=run.completed)
    return run, problems, ws, session, server


def row(name, run, problems, peak, peak_rss, cpu, compiled) -> dict:
    return {"learner": name, "ok": not problems, "first_plot_s": round(run.first_plot or -1, 1),
            "end_s": round(run.seconds, 1), "peak_mem_mib": round(peak / 2**20), "peak_rss_mib": round(peak_rss / 2**20),
            "cpu_s": round(cpu, 1),
            "compiling_lines": len(compiled), "notes": run.notes}


# ---------------------------------------------------------------- the checks


async def isolation(hub: Hub, tokens: dict[str, str], ws) -> None:
    a, b = LEARNERS[0], LEARNERS[1]
    b_home = Path("/home") / (PREFIX + b)
    print(f"isolation ({a} against {b}, the hub and the proxy):")
    for what, path in [(f"{b}'s notebook", b_home / NOTEBOOK), ("the hub's database", STATE / "jupyterhub.sqlite"),
                       ("the hub's environment (its tokens)", Path(f"/proc/{hub.proc.pid}/environ"))]:
        out = nbremote.outputs_text(await nbremote.run_cell(ws, f'std::fs::read({json.dumps(str(path))}).map(|b| b.len())'))
        check("PermissionDenied" in out, f"{a}'s kernel cannot read {what}", out.strip()[:300])
    url = f"{hub.url}/user/{b}/api/contents/{NOTEBOOK}"
    status, _ = await hub.api("GET", "", token=tokens[a], url=url)
    check(status in (403, 404), f"{a}'s token cannot open {b}'s notebook through the proxy", f"HTTP {status}")
    status, _ = await hub.api("GET", "users", token=tokens[a])
    check(status == 403, f"{a}'s token cannot list the hub's users (admin API)", f"HTTP {status}")
    status, _ = await hub.api("POST", "users", {"usernames": ["intruder"]}, token=tokens[a])
    check(status == 403, f"{a}'s token cannot create users (admin API)", f"HTTP {status}")
    status, _ = await hub.api("GET", "", token="", url=f"http://127.0.0.1:{hub.proxy_port}/api/routes")
    check(status in (401, 403), "the proxy's API refuses a request without its token", f"HTTP {status}")


def learner_pid(name: str) -> int:
    uid = pwd.getpwnam(PREFIX + name).pw_uid
    for p in Path("/proc").iterdir():
        if p.name.isdigit() and _uid(p) == uid:
            try:
                if b"jupyterhub-singleuser" in (p / "cmdline").read_bytes():
                    return int(p.name)
            except OSError:
                pass
    raise RuntimeError(f"no server process of {name}")


def disk_limits() -> None:
    name = LEARNERS[2]
    user = PREFIX + name
    print(f"disk ({DISK_MB} MiB per learner):")
    r = subprocess.run(["runuser", "-u", user, "--", "fallocate", "-l", f"{2 * DISK_MB}M", f"/home/{user}/fill"],
                       capture_output=True, text=True)
    check(r.returncode != 0 and "No space left" in r.stderr, f"{name} cannot write more than their disk",
          r.stderr.strip() or "fallocate succeeded")
    pid = learner_pid(name)
    r = subprocess.run(["nsenter", "-t", str(pid), "-m", "--", "runuser", "-u", user, "--", "fallocate", "-l",
                        f"{2 * DISK_MB}M", "/tmp/fill"], capture_output=True, text=True)
    check(r.returncode != 0 and "No space left" in r.stderr, f"{name}'s /tmp is their own disk too (private /tmp)",
          r.stderr.strip() or "fallocate succeeded")
    check(not Path("/tmp/fill").exists(), f"{name}'s /tmp is not the host's /tmp")
    for path in (Path(f"/home/{user}/fill"), Path(f"/home/{user}/.tmp/fill")):
        path.unlink(missing_ok=True)  # what fallocate allocated before it ran out


async def symlink_attack(hub: Hub) -> None:
    """A learner who leaves ~/.tmp as a link to a root-owned folder, then restarts their
    server, must not get root to chown it (the hub prepares ~/.tmp as root)."""
    name = LEARNERS[2]
    user = PREFIX + name
    print(f"a link left in {name}'s home:")
    probe = STATE / "root-only-probe"
    probe.mkdir(mode=0o700)  # root's; the learner cannot even reach it (STATE is 700), only name it
    status, _ = await hub.api("DELETE", f"users/{name}/server")
    for _ in range(120):
        _, model = await hub.api("GET", f"users/{name}")
        if not (model or {}).get("servers"):
            break
        await asyncio.sleep(0.5)
    r = subprocess.run(["runuser", "-u", user, "--", "sh", "-c", f"rm -rf ~/.tmp && ln -s {probe} ~/.tmp"],
                       capture_output=True, text=True)
    check(r.returncode == 0, f"{name} replaced ~/.tmp with a link", r.stderr)
    await start_servers(hub, [name])
    st = probe.stat()
    check(st.st_uid == 0 and (st.st_mode & 0o777) == 0o700, f"root did not chown or chmod the link's target",
          f"owner uid {st.st_uid}, mode {oct(st.st_mode & 0o777)}")
    tmp = Path(f"/home/{user}/.tmp")
    check(tmp.is_dir() and not tmp.is_symlink() and tmp.stat().st_uid == pwd.getpwnam(user).pw_uid,
          f"{name}'s ~/.tmp is a folder of theirs again and their server started")


# ---------------------------------------------------------------- attacks, as a learner's own processes

_libc = ctypes.CDLL(None, use_errno=True)


def learner_popen(name: str, argv: list[str], **kw) -> subprocess.Popen:
    """argv as one of `name`'s own processes: in her cgroups, her server's network, IPC and
    mount namespaces, as her uid, in a session of its own (it outlives what started it)."""
    user = PREFIX + name
    pw = pwd.getpwnam(user)
    server = learner_pid(name)
    procs = [p for c in ("memory", "pids", "cpuacct", "cpu", "freezer") if (p := cg(c, name, "cgroup.procs")).exists()]
    namespaces = [os.open(f"/proc/{server}/ns/{ns}", os.O_RDONLY) for ns in ("net", "ipc", "mnt")]

    def enter():
        for f in procs:
            with open(f, "w") as fh:
                fh.write(str(os.getpid()))
        for fd in namespaces:
            if _libc.setns(fd, 0) != 0:
                raise OSError(ctypes.get_errno(), "setns")
        os.setgroups([])
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)

    env = {"HOME": pw.pw_dir, "USER": user, "PATH": f"{room.ROOM / 'venv' / 'bin'}:/usr/bin:/bin"}
    try:
        return subprocess.Popen(argv, preexec_fn=enter, cwd="/", env=env, start_new_session=True,
                                pass_fds=namespaces, **kw)
    finally:
        for fd in namespaces:
            os.close(fd)


def learner_run(name: str, argv: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    p = learner_popen(name, argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        err += f"\n(killed after {timeout} s)"
    return subprocess.CompletedProcess(argv, p.returncode, out, err)


def processes_of(name: str) -> list[str]:
    """Every process of the learner: by uid anywhere, and in any of her cgroups."""
    uid = pwd.getpwnam(PREFIX + name).pw_uid
    pids = {p.name for p in Path("/proc").iterdir() if p.name.isdigit() and _uid(p) == uid}
    for c in ("memory", "pids", "cpuacct", "cpu", "freezer"):
        f = cg(c, name, "cgroup.procs")
        if f.exists():
            pids |= set(f.read_text().split())
    described = []
    for pid in sorted(pids, key=int):
        try:
            if (Path("/proc") / pid / "stat").read_text().rpartition(")")[2].split()[0] == "Z":
                continue  # exited; a zombie only until its parent (this test, for learner_popen) reaps it
            cmd = (Path("/proc") / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
        described.append(f"{pid} {cmd[:80]}")
    return described


async def wait_stopped(hub: Hub, name: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, model = await hub.api("GET", f"users/{name}")
        if not (model or {}).get("servers"):
            return
        await asyncio.sleep(0.5)
    raise RuntimeError(f"{name}'s server did not stop within {timeout} s")


def connection_file(name: str, kernel_id: str) -> dict:
    runtime = Path("/home") / (PREFIX + name) / ".local" / "share" / "jupyter" / "runtime"
    return json.loads((runtime / f"kernel-{kernel_id}.json").read_text())


SNOOP = r"""
import json, sys, time, zmq
ports = json.loads(sys.argv[1])
ctx = zmq.Context()
sub = ctx.socket(zmq.SUB)
sub.setsockopt(zmq.SUBSCRIBE, b"")
sub.connect(f"tcp://127.0.0.1:{ports['iopub_port']}")
print("subscribed", flush=True)
got, deadline = [], time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    if sub.poll(200):
        got.append(b" ".join(sub.recv_multipart()).decode(errors="replace"))
# Then an unsigned message on the control and the shell port, as one learner can type.
for port in ("control_port", "shell_port"):
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 1000)
    s.connect(f"tcp://127.0.0.1:{ports[port]}")
    s.send_multipart([b"<IDS|MSG>", b"", b'{"msg_type": "shutdown_request"}', b"{}", b"{}", b'{"restart": false}'])
    s.close()
print(json.dumps({"messages": len(got), "text": " ".join(got)[:2000]}), flush=True)
"""


async def kernel_ports(hub: Hub, ws, kernel_id: str) -> None:
    """Another learner, knowing the ports (`ss -ltne` lists them with their owner),
    subscribes to her IOPub and sends unsigned frames to her control and shell ports."""
    a, b = LEARNERS[0], LEARNERS[1]
    print(f"{b} against {a}'s kernel ports:")
    ports = connection_file(a, kernel_id)
    await nbremote.run_cell(ws, "let keep_me = 41;")
    snoop = learner_popen(b, ["python", "-c", SNOOP, json.dumps(ports), "6"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    line = await asyncio.get_running_loop().run_in_executor(None, snoop.stdout.readline)
    await asyncio.sleep(1)  # the SUB socket connects in the background
    secret = f"secret-of-{a}-{secrets.token_hex(4)}"
    await nbremote.run_cell(ws, f'println!("{secret}");')
    out = err = ""
    try:
        out, err = await asyncio.get_running_loop().run_in_executor(None, lambda: snoop.communicate(timeout=60))
        seen = json.loads(out.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, ValueError, IndexError):
        os.killpg(snoop.pid, signal.SIGKILL)
        seen = {"messages": -1, "text": f"the snooping process failed: {line!r} {out[-300:]} {err[-300:]}"}
    check(seen["messages"] == 0 and secret not in seen["text"], f"{b}'s SUB socket on {a}'s IOPub port receives nothing",
          f"{seen['messages']} messages, {'with' if secret in seen['text'] else 'without'} {a}'s output: {seen['text'][:200]}")
    await asyncio.sleep(1)
    try:
        out = nbremote.outputs_text(await nbremote.run_cell(ws, "keep_me + 1", timeout=60))
    except Exception as e:  # a dead kernel answers nothing
        out = f"{type(e).__name__}: {e}"
    check("42" in out, f"{b}'s unsigned frames on {a}'s control and shell ports do not reach her kernel "
          f"(it answers, its variables kept)", out.strip()[:200])
    listed = learner_run(b, ["ss", "-ltnH"]).stdout
    check(f":{ports['iopub_port']} " not in listed, f"{b}'s `ss -ltn` does not list {a}'s kernel ports", listed[:300])


async def timed_cells(ws, n: int) -> list[float]:
    times = []
    for i in range(n):
        t = time.monotonic()
        await nbremote.run_cell(ws, f"{i} + 1", timeout=120)
        times.append(time.monotonic() - t)
    return times


async def cpu_share(ws) -> dict:
    """16 busy loops of one learner, each in a session of its own, against another
    learner's trivial cell: a CPU share per learner keeps it within 2x of idle."""
    a, b = LEARNERS[0], LEARNERS[1]
    print(f"CPU ({b}'s {CPU_HOGS} busy loops against {a}'s trivial cell):")
    idle = await timed_cells(ws, 7)
    hogs = [learner_popen(b, ["python", "-c", "while True: pass"]) for _ in range(CPU_HOGS)]
    try:
        await asyncio.sleep(2)
        busy = await timed_cells(ws, 7)
    finally:
        for h in hogs:
            h.kill()
            h.wait()
    ratio = statistics.median(busy) / statistics.median(idle)
    check(ratio <= 2, f"{a}'s trivial cell under {b}'s {CPU_HOGS} busy loops stays within 2x of idle",
          f"median {statistics.median(idle):.2f} s idle, {statistics.median(busy):.2f} s busy: {ratio:.1f}x")
    print(f"       median trivial cell: {statistics.median(idle):.2f} s idle, {statistics.median(busy):.2f} s "
          f"under {CPU_HOGS} busy loops ({ratio:.2f}x)")
    return {"idle_s": [round(t, 3) for t in idle], "busy_s": [round(t, 3) for t in busy], "ratio": round(ratio, 2)}


async def idle_kernel_culled(server, session: dict, name: str) -> dict:
    """A learner leaves her notebook open and idle: her kernel is stopped after KERNEL_IDLE s
    although her tab (here: the websocket) is still connected, and its memory comes back.
    jupyter_server's default keeps a connected kernel forever; this fails without cull_connected."""
    kernel_id = session["kernel"]["id"]
    print(f"idle kernel ({name}'s notebook still open, NN_ROOM_KERNEL_IDLE={KERNEL_IDLE} s):")
    before = rss(name)
    t = time.monotonic()
    deadline = t + 2 * KERNEL_IDLE + 60  # the culler looks every KERNEL_IDLE / 3 s (jupyterhub_config.py)
    connections, gone = [], False
    while time.monotonic() < deadline:
        mine = [k for k in await server.api("GET", "api/kernels") if k["id"] == kernel_id]
        if not mine:
            gone = True
            break
        connections.append(mine[0].get("connections", 0))
        await asyncio.sleep(2)
    waited = time.monotonic() - t
    check(gone and bool(connections) and min(connections) >= 1,
          f"{name}'s idle kernel is stopped while her notebook is still connected",
          f"{'gone' if gone else 'still running'} after {waited:.0f} s (deadline {deadline - t:.0f} s); "
          f"connections seen while it ran: {sorted(set(connections))}")
    while time.monotonic() < deadline and any("evcxr" in p for p in processes_of(name)):
        await asyncio.sleep(1)
    left = [p for p in processes_of(name) if "evcxr" in p]
    check(not left, f"no evcxr process of {name} is left once her kernel was culled", "\n".join(left))
    after = rss(name)
    print(f"       culled after {waited:.0f} s idle; {name}'s memory {before / 2**20:.0f} MiB -> {after / 2**20:.0f} MiB")
    return {"culled_after_s": round(waited), "rss_mib_before": round(before / 2**20), "rss_mib_after": round(after / 2**20)}


def world_writable_paths() -> list[str]:
    """Every world-writable folder or regular file of the host, on every disk-backed mount,
    but the homes (closed, mode 700) and /proc, /sys."""
    points = [line.split(" - ")[0].split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()
              if line.split(" - ")[1].split()[0] not in ("proc", "sysfs", "cgroup", "cgroup2", "devpts", "nsfs")]
    points = sorted({p for p in points if not p.startswith(("/proc", "/sys", "/home/"))})
    r = subprocess.run(["find", *points, "-xdev", "(", "-path", "/proc", "-o", "-path", "/sys", "-o", "-path", "/home",
                        ")", "-prune", "-o", "-perm", "-0002", "(", "-type", "d", "-o", "-type", "f", ")", "-print"],
                       capture_output=True, text=True, timeout=600)
    return sorted(set(r.stdout.split()))


PROBE_WRITE = r"""
import json, os, subprocess, sys
disk_mb, results = int(sys.argv[1]), {}
for path in sys.argv[2:]:
    if os.path.isdir(path):
        target = os.path.join(path, ".nn-room-quota-probe")
        r = subprocess.run(["fallocate", "-l", f"{2 * disk_mb}M", target], capture_output=True, text=True)
        size = os.path.getsize(target) if os.path.exists(target) else 0
        if os.path.exists(target):
            os.unlink(target)
        results[path] = {"refused": r.returncode != 0, "said": r.stderr.strip()[-120:], "kept_bytes": size}
    else:
        try:
            open(path, "a").close()
            results[path] = {"refused": False, "said": "opened for writing", "kept_bytes": 0}
        except OSError as e:
            results[path] = {"refused": True, "said": e.strerror, "kept_bytes": 0}
print(json.dumps(results))
"""


def world_writable(name: str) -> None:
    print(f"every world-writable path of the host, written by {name} ({DISK_MB} MiB disk):")
    paths = world_writable_paths()
    r = learner_run(name, ["python", "-c", PROBE_WRITE, str(DISK_MB), *paths], timeout=600)
    try:
        results = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        results = {}
    check(bool(results), f"{name} probed {len(paths)} world-writable paths", r.stderr[-500:])
    for path, res in results.items():
        check(res["refused"], f"{path} refuses {2 * DISK_MB} MiB from {name} (quota {DISK_MB} MiB)",
              f"it took it: {res['said']}")
        print(f"       {path}: {res['said'] or 'refused'}")


RACE = r"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
a, b = os.path.expanduser("~/notebooks").encode(), os.path.expanduser("~/.lnk").encode()
AT_FDCWD, RENAME_EXCHANGE = -100, 2
while True:
    libc.renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
"""


def tree(path: Path) -> list[tuple]:
    return sorted((str(p.relative_to(path)), p.lstat().st_uid, oct(p.lstat().st_mode)) for p in [path, *path.rglob("*")])


async def restart_race(hub: Hub, tokens: dict[str, str]) -> None:
    """renameat2(RENAME_EXCHANGE) of ~/notebooks and a link to root's folder, in a loop,
    while she restarts her own server: root must write nothing outside her home."""
    name = LEARNERS[2]
    user = PREFIX + name
    print(f"{name} swaps ~/notebooks with a link in a loop while restarting her server:")
    RACE_TARGET.mkdir(mode=0o755)
    (RACE_TARGET / "secret").write_text("root's\n")
    (RACE_TARGET / "secret").chmod(0o600)
    before = tree(RACE_TARGET)
    r = learner_run(name, ["sh", "-c", f"rm -rf ~/notebooks ~/.lnk && ln -s {RACE_TARGET} ~/.lnk"])
    check(r.returncode == 0, f"{name} removed ~/notebooks and left ~/.lnk -> {RACE_TARGET}", r.stderr)
    race = learner_popen(name, ["python", "-c", RACE], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    await asyncio.sleep(0.5)
    status, _ = await hub.api("DELETE", f"users/{name}/server", token=tokens[name])
    await wait_stopped(hub, name)
    status, data = await hub.api("POST", f"users/{name}/server", token=tokens[name])
    server, gone_since = {}, None
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:  # ready, or no server (a failed spawn) for 5 s in a row
        _, model = await hub.api("GET", f"users/{name}")
        server = ((model or {}).get("servers") or {}).get("", {})
        if server.get("ready"):
            break
        gone_since = None if server or (model or {}).get("pending") else gone_since or time.monotonic()
        if gone_since and time.monotonic() - gone_since > 5:
            break
        await asyncio.sleep(0.5)
    after = tree(RACE_TARGET)
    check(after == before, f"root wrote nothing into {RACE_TARGET} and changed no owner there",
          f"{len(after) - len(before)} new entries; now: {after[:6]}")
    check(race.poll() is not None, f"{name}'s rename loop did not outlive her server's stop")
    if race.poll() is None:
        os.killpg(race.pid, signal.SIGKILL)
        race.wait()
    nb = Path("/home") / user / NOTEBOOK
    check(server.get("ready") and nb.is_file() and nb.stat().st_uid == pwd.getpwnam(user).pw_uid,
          f"{name}'s server started again with her own copy of the notebooks", f"start: HTTP {status} {data}; server: {server or 'none'}")
    if not server.get("ready"):
        await start_servers(hub, [name])


async def stop_leaves_nothing(hub: Hub, tokens: dict[str, str]) -> None:
    """A kernel open and a `setsid` process of hers when her server stops: nothing of hers is left."""
    name = LEARNERS[2]
    print(f"{name}'s processes after her server stops:")
    server = nbremote.Server(f"{hub.url}/user/{name}/", tokens[name])
    await server.api("POST", "api/sessions", {"path": "notebooks/left-open.ipynb", "type": "notebook",
                                             "name": "", "kernel": {"name": "rust"}}, timeout=60)
    learner_popen(name, ["sleep", "100000"])  # a session of its own: setsid
    await asyncio.sleep(2)
    before = processes_of(name)
    await hub.api("DELETE", f"users/{name}/server", token=tokens[name])
    await wait_stopped(hub, name)
    await asyncio.sleep(1)
    left = processes_of(name)
    check(not left, f"no process of {name} is left after her server stopped (there were {len(before)})",
          "; ".join(left[:8]))
    for pid in (int(p.split()[0]) for p in left):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    await start_servers(hub, [name])


def oom_kills(name: str) -> int:
    found = re.search(r"oom_kill (\d+)", cg("memory", name, "memory.oom_control").read_text())
    return int(found.group(1)) if found else -1


async def memory_limit(hub: Hub, tokens: dict[str, str]) -> None:
    name = LEARNERS[3]
    print(f"memory ({MEM} per learner):")
    server = nbremote.Server(f"{hub.url}/user/{name}/", tokens[name])
    session = await server.api("POST", "api/sessions", {"path": "notebooks/memory-test.ipynb", "type": "notebook",
                                                        "name": "", "kernel": {"name": "rust"}}, timeout=60)
    ws = await server.connect(session["kernel"]["id"])
    try:
        before = oom_kills(name)
        # 3 GiB of non-zero bytes: every page is touched, so the memory is really used.
        out = nbremote.outputs_text(await nbremote.run_cell(ws, "let big = vec![1u8; 3 << 30]; big.len()", timeout=180))
        after = oom_kills(name)
        check(after > before and "3221225472" not in out, f"{name}'s 3 GiB allocation was OOM-killed inside {name}'s {MEM} cgroup",
              f"oom_kill {before}->{after}, output: {out.strip()[:200]}")
        print(f"       kernel said: {out.strip()[:160]!r}; {name}'s cgroup: oom_kill {before} -> {after}")
        status, _ = await hub.api("GET", "")
        check(status == 200, "the hub still answers after a learner ran out of memory", f"HTTP {status}")
        out = nbremote.outputs_text(await nbremote.run_cell(ws, "1 + 1", timeout=120))
        print(f"       next cell in the same notebook: {out.strip()[:120]!r}")
    finally:
        ws.close()
        await server.api("DELETE", f"api/sessions/{session['id']}")


async def room_full(hub: Hub) -> None:
    print(f"room full ({len(LEARNERS)} servers at most in this test):")
    status, data = await hub.api("POST", "users", {"usernames": ["eve"]})
    status, data = await hub.api("POST", "users/eve/server")
    text = json.dumps(data)
    for _ in range(20):  # a refusal that comes after the request returned shows in the user's model
        if "room is full" in text:
            break
        await asyncio.sleep(0.5)
        _, user = await hub.api("GET", "users/eve")
        text += json.dumps(user)
    check("The room is full" in text, "a fifth learner's server is refused with a clear message", f"HTTP {status}: {text[:300]}")
    print(f"       the hub answered: HTTP {status}: {text[:200]}")


def browser(hub: Hub, name: str) -> dict:
    password = secrets.token_urlsafe(12)
    env = dict(os.environ, HUB_URL=hub.url, HUB_USER=name, HUB_PASSWORD=password, HUB_NOTEBOOK=NOTEBOOK,
               HUB_OUT=str(OUT))
    r = subprocess.run(["node", str(HERE / "browser.js")], env=env, capture_output=True, text=True, timeout=600)
    print(r.stdout.rstrip())
    if r.stderr.strip():
        print(r.stderr.rstrip()[-3000:])
    try:
        result = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        result = {"ok": False, "problems": [f"browser.js exited {r.returncode}"]}
    check(r.returncode == 0 and result.get("ok"), f"{name} in Chromium: login page to a rendered plot",
          "; ".join(result.get("problems", [])))
    return result


# ---------------------------------------------------------------- main


def table(rows: list[dict], title: str) -> str:
    head = ("| learner | clean | first plot (s) | end (s) | peak RSS (MiB) | peak cgroup memory incl. page cache (MiB) "
            "| CPU (s) | \"Compiling\" lines |\n|---|---|---|---|---|---|---|---|\n")
    body = "".join(f"| {r['learner']} | {'yes' if r['ok'] else 'NO'} | {r['first_plot_s']} | {r['end_s']} | "
                   f"{r['peak_rss_mib']} | {r['peak_mem_mib']} | {r['cpu_s']} | {r['compiling_lines']} |\n" for r in rows)
    return f"{title}\n\n{head}{body}"


async def main() -> int:
    if os.geteuid() != 0:
        sys.exit("error: make test-hub must run as root (it creates system users, cgroups and mounts)")
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"cpus": os.cpu_count()}, "memory_limit": MEM, "disk_mb": DISK_MB}
    cleanup()
    t = time.monotonic()
    room.prepare()
    results["room_prepare_s"] = round(time.monotonic() - t, 1)
    results["template_build"] = (room.ROOM / "logs" / "template-warmup.kernel.log").read_text(errors="replace").count("Compiling")
    print(f"the room's build compiled {results['template_build']} crates, once, when the room was prepared "
          f"({room.ROOM / 'logs' / 'template-warmup.kernel.log'}); no learner's kernel may compile any")
    hub = Hub()
    try:
        hub.start()
        await hub.wait_up()
        print(f"hub up on {hub.url} (state {STATE})", flush=True)
        check(await culler_answered(), "the idle culler runs and may list the servers (hub.log)",
              "no '200 GET /hub/api/users ... (idle-culler@...)' in hub.log within 30 s")
        status, data = await hub.api("POST", "users", {"usernames": LEARNERS})
        check(status == 201, f"4 learners created through the REST API", f"HTTP {status} {data}")
        results["server_start_s"] = {k: round(v, 1) for k, v in (await start_servers(hub, LEARNERS)).items()}
        tokens = {}
        for name in LEARNERS:
            status, data = await hub.api("POST", f"users/{name}/tokens", {"note": "make test-hub"})
            tokens[name] = data["token"]

        print(f"Linear_Regression, {LEARNERS[0]} alone:", flush=True)
        reset_peak(LEARNERS[0])
        cpu0 = cpu_seconds(LEARNERS[0])
        results["load_before_solo"] = os.getloadavg()[0]
        peaks, stop = {}, asyncio.Event()
        sampler = asyncio.ensure_future(sample_rss(LEARNERS[:1], peaks, stop))
        run, problems, *_ = await run_learner(hub, LEARNERS[0], tokens[LEARNERS[0]])
        stop.set()
        await sampler
        solo = row(LEARNERS[0], run, problems, int(cg("memory", LEARNERS[0], "memory.max_usage_in_bytes").read_text()),
                   peaks[LEARNERS[0]], cpu_seconds(LEARNERS[0]) - cpu0, compiling_lines(LEARNERS[0]))
        check(not problems, f"{LEARNERS[0]} alone: clean run", nbcheck.format_report(LEARNERS[0], problems, run.nb))
        results["solo"] = solo

        print(f"Linear_Regression, {len(LEARNERS)} learners at once:", flush=True)
        cpu_before = {}
        for name in LEARNERS:
            reset_peak(name)
            cpu_before[name] = cpu_seconds(name)
        results["load_before_concurrent"] = os.getloadavg()[0]
        peaks, stop = {}, asyncio.Event()
        sampler = asyncio.ensure_future(sample_rss(LEARNERS, peaks, stop))
        t = time.monotonic()
        runs = await asyncio.gather(*(run_learner(hub, n, tokens[n], keep_kernel=(n == LEARNERS[0])) for n in LEARNERS))
        wall = time.monotonic() - t
        stop.set()
        await sampler
        rows = []
        for name, (run, problems, *_rest) in zip(LEARNERS, runs):
            compiled = compiling_lines(name)
            rows.append(row(name, run, problems, int(cg("memory", name, "memory.max_usage_in_bytes").read_text()),
                            peaks[name], cpu_seconds(name) - cpu_before[name], compiled))
            check(not problems, f"{name}: clean run (no error, no panic, plots rendered)",
                  nbcheck.format_report(name, problems, run.nb))
            check(not compiled, f"{name}'s kernels compiled no dependency", "\n".join(compiled[:10]))
            (OUT / f"{name}.ipynb").write_text(json.dumps(run.nb))
        results["concurrent"] = rows
        # What a learner's server and their open (idle) kernel hold between runs.
        results["idle_rss_mib_after_run"] = round(rss(LEARNERS[0]) / 2**20)
        results["disk_mib_per_learner"] = {n: round(_du(Path("/home") / (PREFIX + n)) / 2**20) for n in LEARNERS}
        results["concurrent_wall_s"] = round(wall, 1)
        worst = max(r["end_s"] for r in rows)
        results["worst_vs_solo"] = round(worst / solo["end_s"], 2)
        print(table([solo], "alone:") + "\n" + table(rows, f"{len(LEARNERS)} at once (wall {wall:.1f} s):"))
        print(f"slowest of {len(LEARNERS)}: {worst:.1f} s = {worst / solo['end_s']:.2f} x the single-learner "
              f"{solo['end_s']:.1f} s (target: within 2 x)")
        print(f"idle: {LEARNERS[0]}'s server with the notebook's kernel still open holds "
              f"{results['idle_rss_mib_after_run']} MiB (cgroup total_rss; 30 such learners: "
              f"{30 * results['idle_rss_mib_after_run'] / 1024:.1f} GiB)")

        _, _, ws, session, server = runs[0]
        try:
            await isolation(hub, tokens, ws)
            await kernel_ports(hub, ws, session["kernel"]["id"])
            results["cpu_share"] = await cpu_share(ws)
            results["idle_kernel"] = await idle_kernel_culled(server, session, LEARNERS[0])
        finally:
            ws.close()
            try:
                await server.api("DELETE", f"api/sessions/{session['id']}")
            except HTTPClientError as e:  # 404 or 410: the culled kernel's session is gone with it
                if e.code not in (404, 410):
                    raise
        disk_limits()
        world_writable(LEARNERS[2])
        await symlink_attack(hub)
        await restart_race(hub, tokens)
        await stop_leaves_nothing(hub, tokens)
        await memory_limit(hub, tokens)
        await room_full(hub)
        results["browser"] = browser(hub, LEARNERS[1])
    except Exception as e:  # report, then clean up
        import traceback

        traceback.print_exc()
        failures.append(f"{type(e).__name__}: {e}")
    finally:
        hub.stop()
        cleanup()
    results["failures"] = failures
    (OUT / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    md = ["# make test-hub", "", f"room prepared in {results['room_prepare_s']} s; machine: {os.cpu_count()} CPUs; "
          f"1-min load average before the runs: alone {results.get('load_before_solo')}, "
          f"4 at once {results.get('load_before_concurrent')} (other work on the machine slows both)",
          f"the room's build compiled {results['template_build']} crates once; the learners' kernels: see the last column", ""]
    if "solo" in results:
        md += [table([results["solo"]], "alone:"), ""]
    if "concurrent" in results:
        md += [table(results["concurrent"], f"{len(LEARNERS)} at once (wall {results['concurrent_wall_s']} s):"), "",
               f"slowest / alone: {results['worst_vs_solo']} (target <= 2)", "",
               f"idle learner with one open kernel after the run: {results['idle_rss_mib_after_run']} MiB RSS; "
               f"disk used per learner: {results['disk_mib_per_learner']} MiB", ""]
    if "idle_kernel" in results:
        k = results["idle_kernel"]
        md += [f"an open notebook's idle kernel (NN_ROOM_KERNEL_IDLE={KERNEL_IDLE} s) was culled after "
               f"{k['culled_after_s']} s: the learner's memory {k['rss_mib_before']} -> {k['rss_mib_after']} MiB", ""]
    md += ["failures: " + ("none" if not failures else "\n- " + "\n- ".join(failures))]
    (OUT / "results.md").write_text("\n".join(md) + "\n")
    print(f"\nresults: {OUT / 'results.md'}")
    if failures:
        print("make test-hub: FAILED:\n- " + "\n- ".join(f.splitlines()[0] for f in failures), file=sys.stderr)
        return 1
    print("make test-hub: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
