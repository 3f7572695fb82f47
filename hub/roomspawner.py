"""RoomSpawner: JupyterHub's LocalProcessSpawner made safe for a room of learners.

Each hub user NAME runs as their own system user PREFIX+NAME (default nnl-NAME;
the prefix keeps a learner called "root" from being root), created on their
first start with a home only they can enter (mode 700). The hub, as root,
prepares before the server starts:
  home       ~/notebooks: the learner's own copy of the workshop's notebooks
             ~/nnlib, ~/data: links into the room's read-only copy, so the
             notebooks' `:dep nnlib = { path = "../nnlib" }` and nnlib::data work
  disk       with disk_limit_mb, the home is an ext4 image of that size mounted
             on it (loop): filling it fills only the learner's own disk
  memory     a memory cgroup nn-room-<prefix>/<user> with mem_limit (v1; v2 where
             there is no v1 memory controller); the server,
             its kernels, cargo and rustc all live in it, so the kernel
             OOM-kills inside the learner's cgroup, not the hub; a pids cgroup
             caps processes and threads (a fork bomb)
  cpu        a cpu cgroup with cpu_shares (the same for everyone): a learner
             with many busy processes gets one learner's share, not one per process
  files      her server runs in a mount namespace of its own where the whole
             system is read-only but her home, and /tmp, /var/tmp, /dev/shm are
             her ~/.tmp (on her disk): no world-writable place (/run/lock, ...)
             is a way around the disk limit or a place to meet other learners
  network    a network namespace of her own (and an IPC one): her kernels' TCP
             ports exist on her loopback only; hub/door.py carries her server's
             port out to the proxy and the hub's API in, nothing else
  stop       stopping her server stops every process of hers (cgroup and uid),
             and nothing of hers runs while root prepares her home
  the room   when the room is full (memory or server count) a clear message
Root never follows a path in a learner's home: what is made inside it (her copy
of the notebooks, the links, ~/.tmp) is made by a process running as her.
The Rust kernel's state lives in ~/.nn-evcxr (NN_EVCXR_DIR) and starts from the
room's warm build (NN_ROOM_TEMPLATE): see tools/evcxr_kernel.py.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import pwd
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub import orm
from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from jupyterhub.utils import random_port
from tornado import web
from traitlets import Integer, Unicode

CGROUP_MEMORY = Path("/sys/fs/cgroup/memory")
CGROUP_PIDS = Path("/sys/fs/cgroup/pids")
CGROUP_CPUACCT = Path("/sys/fs/cgroup/cpuacct")  # accounting: CPU-seconds per learner
CGROUP_CPU = Path("/sys/fs/cgroup/cpu")  # the share: cpu.shares
CGROUP_FREEZER = Path("/sys/fs/cgroup/freezer")  # stop: freeze, kill, thaw (no fork escapes the kill)
CGROUP_V2 = Path("/sys/fs/cgroup")  # when there is no v1 memory controller
NETNS_DIR = Path("/run/netns")  # `ip netns` keeps its named namespaces here
HERE = Path(__file__).resolve().parent
LEARNER_OOM_SCORE_ADJ = 500  # if the host runs out of memory, a learner's process goes first, not the hub
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWNET = 0x00020000, 0x08000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC, MS_SLAVE, MS_RELATIME = 1024, 2048, 4096, 16384, 1 << 19, 1 << 21
MOUNT_OPTION_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
                      "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME}
# Kernel file systems that hold no learner's data (and devpts must stay writable for terminals).
# Everything else is made read-only in a learner's mount namespace, but her home.
PSEUDO_FS = {"proc", "sysfs", "devpts", "cgroup", "cgroup2", "nsfs", "securityfs", "debugfs", "tracefs",
             "bpf", "pstore", "configfs", "fusectl", "binfmt_misc", "autofs", "efivarfs", "hugetlbfs"}
KILL_TIMEOUT = 15  # seconds for every process of a learner to be gone
DOOR_TIMEOUT = 10  # seconds for hub/door.py to listen
# Made in the learner's home BY THE LEARNER (a process running as her), so whatever
# she left there (links, renames in a loop) she can only ever touch what is hers already.
SETUP_HOME = r"""
set -eu
cd "$HOME"
[ -e notebooks ] || [ -L notebooks ] || cp -R --preserve=timestamps "$NN_WORKSHOP/notebooks" notebooks
for name in nnlib data; do
  [ -e "$name" ] || [ -L "$name" ] || ln -s "$NN_WORKSHOP/$name" "$name"
done
if [ -L .tmp ] || { [ -e .tmp ] && [ ! -d .tmp ]; }; then rm -f .tmp; fi
mkdir -p .tmp
chmod 700 .tmp
"""


def _zombie(pid: int) -> bool:
    """A process that has exited and waits for its parent to read its status: it holds
    nothing but its pid, and no signal can kill it (its parent may be root's, not hers)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return True  # gone


def _mount(libc, source: str, target: str, flags: int) -> None:
    if libc.mount(source.encode(), target.encode(), None, flags, None) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source} on {target}: {os.strerror(err)}")


def _unshare(libc, flags: int, what: str) -> None:
    if libc.unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare({what}): {os.strerror(err)}")


def _mounts() -> list[tuple[str, str, str]]:
    """(mount point, file system type, per-mount options) of this mount namespace."""
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, right = line.split(" - ", 1)
        fields = left.split()
        point = fields[4].encode().decode("unicode_escape")  # mountinfo writes a space as \040
        found.append((point, right.split()[0], fields[5]))
    return found


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def read_only_system(libc, home: str, home_root: str) -> None:
    """Every mount of this namespace read-only, but her home, the other homes (closed
    doors, mode 700) and kernel file systems: no world-writable folder of the host
    (/run/lock, a 1777 folder some package made) takes her files outside her disk."""
    for point, fstype, options in _mounts():
        if fstype in PSEUDO_FS or _inside(point, home) or _inside(point, "/proc") or _inside(point, "/sys"):
            continue
        if point != home_root.rstrip("/") and _inside(point, home_root):
            continue
        keep = 0
        for opt in options.split(","):
            keep |= MOUNT_OPTION_FLAGS.get(opt, 0)
        if libc.mount(None, point.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | keep, None) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"making {point} ({fstype}) read-only: {os.strerror(err)}")


def private_mounts(home: str, home_root: str, tmp: str) -> None:
    """In the child (as root, before setuid): own mount and IPC namespaces, the system
    read-only but her home, ~/.tmp on /tmp, /var/tmp and /dev/shm."""
    libc = ctypes.CDLL(None, use_errno=True)
    _unshare(libc, CLONE_NEWNS | CLONE_NEWIPC, "CLONE_NEWNS | CLONE_NEWIPC")
    # Slave: what we mount here never leaks out to the host, while the homes the
    # hub mounts later for other learners still appear here (as closed doors, mode 700).
    _mount(libc, "none", "/", MS_REC | MS_SLAVE)
    if not os.path.ismount(home):  # no disk image: her home becomes a mount of its own, writable
        fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        _mount(libc, f"/proc/self/fd/{fd}", home, MS_BIND)
        os.close(fd)
    read_only_system(libc, home, home_root)
    # Opened here, in the new namespace (a bind mount's source must be in it), without
    # following a link: a learner who swapped ~/.tmp for a symlink gets no server, not root's mount.
    fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    for target in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(target):
            _mount(libc, f"/proc/self/fd/{fd}", target, MS_BIND | MS_NOSUID | MS_NODEV)
    os.close(fd)


def enter_netns(path: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns({path}): {os.strerror(err)}")
    os.close(fd)


def die_with_parent() -> None:
    """preexec for hub/door.py: it goes when the hub goes (a new hub opens new doors)."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def ensure_shared(path: str) -> None:
    """Make `path` a shared mount, so homes mounted under it later also appear in the
    learners' mount namespaces (as slaves), where they are closed doors (mode 700)
    instead of empty folders. systemd hosts share / already; a plain container may
    not: then `path` is bind-mounted onto itself (with what is mounted below it) and shared."""
    def entry():
        for line in Path("/proc/self/mountinfo").read_text().splitlines():
            fields = line.split(" - ")[0].split()
            if fields[4] == path:
                return fields
        return None

    found = entry()
    if found and any(f.startswith("shared:") for f in found[6:]):
        return
    if found is None:
        subprocess.run(["mount", "--rbind", path, path], check=True, capture_output=True, text=True)
    subprocess.run(["mount", "--make-shared", path], check=True, capture_output=True, text=True)


class RoomSpawner(LocalProcessSpawner):
    room = Unicode("/opt/nn-workshop-room", config=True, help="the room folder hub/room.py prepared")
    state_dir = Unicode(config=True, help="root-only folder for the learners' disk images")
    user_prefix = Unicode("nnl-", config=True, help="system user name = prefix + hub user name")
    home_root = Unicode("/home", config=True)
    disk_limit_mb = Integer(0, config=True, help="size of each learner's home (a loop-mounted ext4 image); 0: no limit")
    pids_limit = Integer(2048, config=True, help="processes+threads per learner (pids cgroup)")
    max_servers = Integer(0, config=True, help="refuse to start more servers than this (0: from memory)")
    memory_reserve_mb = Integer(2048, config=True, help="memory kept for the hub and the system")
    cpu_shares = Integer(1024, config=True, help="each learner's CPU weight (v1 cpu.shares; the same for all)")

    @property
    def system_name(self) -> str:
        return self.user_prefix + self.user.name

    @property
    def home(self) -> Path:
        return Path(self.home_root) / self.system_name

    @property
    def cgroup(self) -> str:
        return f"nn-room-{self.user_prefix.rstrip('-')}/{self.system_name}"

    @property
    def netns(self) -> Path:
        return NETNS_DIR / f"nn-{self.system_name}"

    # ---------------------------------------------------------------- setup as root

    def ensure_system_user(self) -> pwd.struct_passwd:
        try:
            pw = pwd.getpwnam(self.system_name)
        except KeyError:
            subprocess.run(
                ["useradd", "--no-create-home", "--home-dir", str(self.home), "--shell", "/bin/bash",
                 "--user-group", "--comment", f"nn-workshop learner {self.user.name}", self.system_name],
                check=True, capture_output=True, text=True,
            )
            self.log.info("created system user %s for %s", self.system_name, self.user.name)
            return pwd.getpwnam(self.system_name)
        # An existing account is reused (a learner's second login), but never a system one:
        # with an empty NN_ROOM_USER_PREFIX a learner named "root" would run as root.
        if pw.pw_uid < 1000:
            raise RuntimeError(f"refusing to run {self.user.name}'s server as the system account "
                               f"{self.system_name} (uid {pw.pw_uid}); pick another name or NN_ROOM_USER_PREFIX")
        return pw

    def ensure_disk(self) -> None:
        if self.disk_limit_mb <= 0 or os.path.ismount(self.home):
            return
        disks = Path(self.state_dir) / "disks"
        disks.mkdir(mode=0o700, parents=True, exist_ok=True)
        image = disks / f"{self.system_name}.img"
        fresh = not image.exists()
        if fresh:
            # Reserved, not sparse: a learner filling their disk can never fill the host's.
            try:
                with open(image, "wb") as f:
                    os.posix_fallocate(f.fileno(), 0, self.disk_limit_mb * 2**20)
            except OSError as e:
                image.unlink(missing_ok=True)
                raise web.HTTPError(503, f"The room is full: no disk left for a new learner ({e.strerror}). "
                                    "Ask the teacher.") from None
            subprocess.run(["mkfs.ext4", "-q", "-F", "-m", "0", str(image)], check=True, capture_output=True)
        self.home.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-o", "loop,nosuid,nodev", str(image), str(self.home)], check=True,
                       capture_output=True, text=True)
        if fresh:  # mkfs's root-owned folder, removed before the learner ever saw this disk
            shutil.rmtree(self.home / "lost+found", ignore_errors=True)

    def ensure_home(self, pw: pwd.struct_passwd) -> None:
        """Her home, prepared while no process of hers runs (start() killed them all).
        Root touches only the home folder itself (its parent is root's); what goes
        inside it is made by a process running as her (SETUP_HOME)."""
        self.home.mkdir(parents=True, exist_ok=True)
        ensure_shared(self.home_root)
        self.ensure_disk()
        fd = os.open(self.home, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            os.fchown(fd, pw.pw_uid, pw.pw_gid)
            os.fchmod(fd, 0o700)
        finally:
            os.close(fd)
        r = subprocess.run(["/bin/sh", "-c", SETUP_HOME], user=pw.pw_uid, group=pw.pw_gid, extra_groups=[],
                           cwd="/", capture_output=True, text=True, timeout=120,
                           env={"HOME": str(self.home), "PATH": "/usr/bin:/bin",
                                "NN_WORKSHOP": str(Path(self.room) / "workshop")})
        if r.returncode != 0:
            raise web.HTTPError(500, f"Preparing {self.user.name}'s home failed: {r.stderr.strip()[-500:]}")

    def ensure_cgroups(self) -> list[Path]:
        """Memory and pids cgroups (and cpuacct, for accounting) for this learner;
        returns the cgroup.procs files the server's process is written into."""
        if CGROUP_MEMORY.is_dir():
            return self._cgroups_v1()
        if "memory" in _read(CGROUP_V2 / "cgroup.controllers").split():
            return self._cgroups_v2()
        raise web.HTTPError(500, "The hub cannot limit memory here: no cgroup memory controller "
                            f"({CGROUP_MEMORY} or {CGROUP_V2}/cgroup.controllers). Tell the teacher.")

    def _cgroups_v1(self) -> list[Path]:
        procs = []
        mem = CGROUP_MEMORY / self.cgroup
        mem.mkdir(parents=True, exist_ok=True)
        if self.mem_limit:
            (mem / "memory.limit_in_bytes").write_text(str(self.mem_limit))
            swap = mem / "memory.memsw.limit_in_bytes"
            if swap.exists():  # no swapping around the limit (only where swap accounting is on)
                swap.write_text(str(self.mem_limit))
        procs.append(mem / "cgroup.procs")
        if CGROUP_PIDS.is_dir():
            pids = CGROUP_PIDS / self.cgroup
            pids.mkdir(parents=True, exist_ok=True)
            (pids / "pids.max").write_text(str(self.pids_limit))
            procs.append(pids / "cgroup.procs")
        for controller in (CGROUP_CPUACCT, CGROUP_CPU, CGROUP_FREEZER):
            if controller.is_dir():  # cpu and cpuacct may be one hierarchy (cpu,cpuacct): mkdir twice is fine
                group = controller / self.cgroup
                group.mkdir(parents=True, exist_ok=True)
                if (group / "cpu.shares").exists():
                    (group / "cpu.shares").write_text(str(self.cpu_shares))
                procs.append(group / "cgroup.procs")
        return procs

    def _cgroups_v2(self) -> list[Path]:
        """cgroup v2 (systemd hosts today). Written from the kernel's documentation;
        make test-hub ran on cgroup v1 only (see hub/README.md)."""
        room = CGROUP_V2 / self.cgroup.split("/")[0]
        room.mkdir(exist_ok=True)
        wanted = {"memory", "pids", "cpu"} & set(_read(CGROUP_V2 / "cgroup.controllers").split())
        for parent in (CGROUP_V2, room):
            missing = wanted - set(_read(parent / "cgroup.subtree_control").split())
            if missing:
                (parent / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in sorted(missing)))
        leaf = CGROUP_V2 / self.cgroup
        leaf.mkdir(exist_ok=True)
        if self.mem_limit:
            (leaf / "memory.max").write_text(str(self.mem_limit))
            if (leaf / "memory.swap.max").exists():
                (leaf / "memory.swap.max").write_text("0")
        if (leaf / "pids.max").exists():
            (leaf / "pids.max").write_text(str(self.pids_limit))
        if (leaf / "cpu.weight").exists():  # v2's default weight, 100, scaled like cpu.shares' 1024
            (leaf / "cpu.weight").write_text(str(max(1, self.cpu_shares * 100 // 1024)))
        return [leaf / "cgroup.procs"]

    # ---------------------------------------------------------------- her processes

    def cgroup_dirs(self) -> list[Path]:
        v1 = [c / self.cgroup for c in (CGROUP_MEMORY, CGROUP_PIDS, CGROUP_CPUACCT, CGROUP_CPU, CGROUP_FREEZER)]
        return [d for d in v1 + [CGROUP_V2 / self.cgroup] if (d / "cgroup.procs").exists()]

    def processes(self) -> set[int]:
        """Every process of hers: in any of her cgroups, or running as her uid anywhere."""
        pids = set()
        for d in self.cgroup_dirs():
            pids |= {int(p) for p in _read(d / "cgroup.procs").split()}
        try:
            uid = pwd.getpwnam(self.system_name).pw_uid
        except KeyError:
            return pids
        for p in Path("/proc").iterdir():
            if p.name.isdigit():
                try:
                    if p.stat().st_uid == uid:
                        pids.add(int(p.name))
                except OSError:
                    pass
        return {pid for pid in pids if not _zombie(pid)}

    def kill_everything(self) -> None:
        """SIGKILL every process of hers, and wait until none is left. Her cgroup is frozen
        first (v1 freezer; v2 cgroup.kill), so no process forks its way past the kill."""
        freezer = CGROUP_FREEZER / self.cgroup / "freezer.state"
        deadline = time.monotonic() + KILL_TIMEOUT
        while pids := self.processes():
            if time.monotonic() > deadline:
                raise web.HTTPError(500, f"{len(pids)} processes of {self.user.name} did not stop "
                                    f"within {KILL_TIMEOUT} s (pids {sorted(pids)[:10]}). Tell the teacher.")
            if freezer.exists():
                freezer.write_text("FROZEN")
            if (CGROUP_V2 / self.cgroup / "cgroup.kill").exists():
                (CGROUP_V2 / self.cgroup / "cgroup.kill").write_text("1")
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if freezer.exists():
                freezer.write_text("THAWED")  # a frozen process dies of SIGKILL once thawed
            time.sleep(0.1)

    # ---------------------------------------------------------------- her network

    def ensure_netns(self) -> None:
        """A fresh network namespace with only a loopback: her server's and kernels' ports."""
        if self.netns.exists():
            subprocess.run(["ip", "netns", "delete", self.netns.name], capture_output=True)
        for cmd in (["ip", "netns", "add", self.netns.name], ["ip", "-n", self.netns.name, "link", "set", "lo", "up"]):
            try:
                subprocess.run(cmd, check=True, capture_output=True, text=True)
            except (OSError, subprocess.CalledProcessError) as e:
                raise web.HTTPError(500, f"The hub cannot give {self.user.name} a network namespace "
                                    f"({' '.join(cmd)}: {getattr(e, 'stderr', '') or e}). Tell the teacher.") from None

    def open_door(self, port: int) -> None:
        """hub/door.py: the proxy reaches her server's port, her server reaches the hub's API."""
        hub_port = urlparse(self.hub.api_url).port
        logs = Path(self.state_dir) / "doors"
        logs.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(logs / f"{self.system_name}.log", "ab") as log:  # a file: a full pipe would stall the door
            self._door = subprocess.Popen([sys.executable, str(HERE / "door.py"), str(self.netns), str(port),
                                           str(hub_port)], stdout=subprocess.PIPE, stderr=log, preexec_fn=die_with_parent)
        ready, _, _ = select.select([self._door.stdout], [], [], DOOR_TIMEOUT)
        line = self._door.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            self.close_door()
            raise web.HTTPError(500, f"The door to {self.user.name}'s network did not open within {DOOR_TIMEOUT} s: "
                                f"{line.decode(errors='replace').strip()[-300:] or 'no ready line'}")

    def close_door(self) -> None:
        door, self._door = getattr(self, "_door", None), None
        if door and door.poll() is None:
            door.kill()
        if door:
            door.wait()
            door.stdout.close()

    def check_room(self) -> None:
        """A clear message instead of a hub that swaps itself to death."""
        active = (self.db.query(orm.Spawner)
                  .filter(orm.Spawner.server != None, orm.Spawner.id != self.orm_spawner.id)  # noqa: E711
                  .count())
        if self.max_servers and active >= self.max_servers:
            raise web.HTTPError(
                503, f"The room is full: {active} of {self.max_servers} learner servers are running. "
                "Ask the teacher to stop an idle one, or try again in a few minutes.")
        if self.mem_limit:
            available = _mem_available()
            if available is not None and available - self.mem_limit < self.memory_reserve_mb * 2**20:
                raise web.HTTPError(
                    503, f"The room is full: the server has {available // 2**20} MiB of memory left and each "
                    f"learner may use {self.mem_limit // 2**20} MiB. Ask the teacher, or try again in a few minutes.")

    # ---------------------------------------------------------------- LocalProcessSpawner hooks

    def user_env(self, env):
        env["USER"] = env["LOGNAME"] = self.system_name
        env["HOME"] = str(self.home)
        env["SHELL"] = "/bin/bash"
        env["TMPDIR"] = "/tmp"  # the private one
        env["NN_EVCXR_DIR"] = str(self.home / ".nn-evcxr")
        env["NN_ROOM_TEMPLATE"] = str(Path(self.room) / "template")
        env["JUPYTER_PREFER_ENV_PATH"] = "1"
        return env

    def make_preexec_fn(self, name):
        setuid = set_user_setuid(self.system_name)
        procs, home, tmp, netns = self._cgroup_procs, str(self.home), str(self.home / ".tmp"), str(self.netns)
        home_root = self.home_root

        def preexec():
            for f in procs:  # before anything runs: every child inherits the cgroups
                with open(f, "w") as fh:
                    fh.write(str(os.getpid()))
            # The hub protects itself from the host's OOM killer (serve.py); its learners must not inherit that.
            with open("/proc/self/oom_score_adj", "w") as fh:
                fh.write(str(LEARNER_OOM_SCORE_ADJ))
            enter_netns(netns)
            private_mounts(home, home_root, tmp)
            setuid()

        return preexec

    async def start(self):
        self.check_room()
        pw = self.ensure_system_user()
        await asyncio.get_running_loop().run_in_executor(None, self.kill_everything)  # nothing of hers runs
        self.ensure_home(pw)
        self._cgroup_procs = self.ensure_cgroups()
        self.ensure_netns()
        if self.port == 0:
            self.port = random_port()  # on the host, for the door; inside her namespace every port is free
        self.open_door(self.port)
        try:
            return await super().start()
        except BaseException:
            self.close_door()
            raise

    async def poll(self):
        status = await super().poll()
        if status is None and getattr(self, "_door", None) is None and self.server:
            try:  # a restarted hub: her server runs, its door went with the old hub
                self.open_door(self.server.port)
            except web.HTTPError as e:
                self.log.error("%s", e.log_message)
        elif status is not None:
            self.close_door()
        return status

    async def stop(self, now=False):
        """The server, then every process of hers (a kernel, a `setsid` loop), then her door and network."""
        await super().stop(now=now)
        await asyncio.get_running_loop().run_in_executor(None, self.kill_everything)
        self.close_door()
        subprocess.run(["ip", "netns", "delete", self.netns.name], capture_output=True)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _mem_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None
