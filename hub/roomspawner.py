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
  /tmp       a private /tmp, /var/tmp and /dev/shm (bind mounts of ~/.tmp in a
             mount namespace of the learner's server), so /tmp is not a way
             around the disk limit and learners cannot meet in /tmp
  the room   when the room is full (memory or server count) a clear message
The Rust kernel's state lives in ~/.nn-evcxr (NN_EVCXR_DIR) and starts from the
room's warm build (NN_ROOM_TEMPLATE): see tools/evcxr_kernel.py.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import shutil
import subprocess
from pathlib import Path

from jupyterhub import orm
from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from tornado import web
from traitlets import Integer, Unicode

CGROUP_MEMORY = Path("/sys/fs/cgroup/memory")
CGROUP_PIDS = Path("/sys/fs/cgroup/pids")
CGROUP_CPUACCT = Path("/sys/fs/cgroup/cpuacct")  # accounting only: CPU-seconds per learner
CGROUP_V2 = Path("/sys/fs/cgroup")  # when there is no v1 memory controller
LEARNER_OOM_SCORE_ADJ = 500  # if the host runs out of memory, a learner's process goes first, not the hub
CLONE_NEWNS = 0x00020000
MS_BIND, MS_REC, MS_SLAVE, MS_NOSUID, MS_NODEV = 4096, 16384, 1 << 19, 2, 4


def _mount(libc, source: str, target: str, flags: int) -> None:
    if libc.mount(source.encode(), target.encode(), None, flags, None) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source} on {target}: {os.strerror(err)}")


def private_tmp(tmp: str) -> None:
    """In the child (as root, before setuid): own mount namespace, ~/.tmp on /tmp, /var/tmp, /dev/shm."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"unshare(CLONE_NEWNS): {os.strerror(err)}")
    # Slave: what we mount here never leaks out to the host, while the homes the
    # hub mounts later for other learners still appear here (as closed doors, mode 700).
    _mount(libc, "none", "/", MS_REC | MS_SLAVE)
    # Opened here, in the new namespace (a bind mount's source must be in it), without
    # following a link: a learner who swapped ~/.tmp for a symlink gets no server, not root's mount.
    fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    for target in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(target):
            _mount(libc, f"/proc/self/fd/{fd}", target, MS_BIND | MS_NOSUID | MS_NODEV)
    os.close(fd)


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

    @property
    def system_name(self) -> str:
        return self.user_prefix + self.user.name

    @property
    def home(self) -> Path:
        return Path(self.home_root) / self.system_name

    @property
    def cgroup(self) -> str:
        return f"nn-room-{self.user_prefix.rstrip('-')}/{self.system_name}"

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
        if not image.exists():
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
        shutil.rmtree(self.home / "lost+found", ignore_errors=True)

    def ensure_home(self, pw: pwd.struct_passwd) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        ensure_shared(self.home_root)
        self.ensure_disk()
        os.chown(self.home, pw.pw_uid, pw.pw_gid)
        self.home.chmod(0o700)
        workshop = Path(self.room) / "workshop"
        notebooks = self.home / "notebooks"
        if not notebooks.exists() and not notebooks.is_symlink():  # the learner's own copy; never overwritten
            shutil.copytree(workshop / "notebooks", notebooks)
            for p in [notebooks, *notebooks.rglob("*")]:
                os.chown(p, pw.pw_uid, pw.pw_gid, follow_symlinks=False)
        for name in ("nnlib", "data"):
            link = self.home / name
            if not link.exists() and not link.is_symlink():
                link.symlink_to(workshop / name)
                os.chown(link, pw.pw_uid, pw.pw_gid, follow_symlinks=False)
        self.prepare_private_tmp(pw)

    def prepare_private_tmp(self, pw: pwd.struct_passwd) -> None:
        """~/.tmp, handled without following links: the learner owns their home and could
        leave a symlink there; root must not chown, chmod or mount what it points to."""
        tmp = self.home / ".tmp"
        if tmp.is_symlink() or (tmp.exists() and not tmp.is_dir()):
            tmp.unlink()
        tmp.mkdir(exist_ok=True)
        fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            os.fchown(fd, pw.pw_uid, pw.pw_gid)
            os.fchmod(fd, 0o700)
        finally:
            os.close(fd)

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
        if CGROUP_CPUACCT.is_dir():
            cpu = CGROUP_CPUACCT / self.cgroup
            cpu.mkdir(parents=True, exist_ok=True)
            procs.append(cpu / "cgroup.procs")
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
        return [leaf / "cgroup.procs"]

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
        procs, tmp = self._cgroup_procs, str(self.home / ".tmp")

        def preexec():
            for f in procs:  # before anything runs: every child inherits the cgroups
                with open(f, "w") as fh:
                    fh.write(str(os.getpid()))
            # The hub protects itself from the host's OOM killer (serve.py); its learners must not inherit that.
            with open("/proc/self/oom_score_adj", "w") as fh:
                fh.write(str(LEARNER_OOM_SCORE_ADJ))
            private_tmp(tmp)
            setuid()

        return preexec

    async def start(self):
        self.check_room()
        pw = self.ensure_system_user()
        self.ensure_home(pw)
        self._cgroup_procs = self.ensure_cgroups()
        return await super().start()


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
