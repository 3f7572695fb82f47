"""Start the room's JupyterHub (make hub): prepare the room, then run the hub in the foreground.

usage (as root): $ROOM/venv/bin/python hub/serve.py

1. hub/room.py prepare: toolchain, workshop files, vendored crates, and the
   room's warm build of nnlib and its dependencies (compiled here, once).
2. The hub's state folder (NN_ROOM_STATE, mode 700, root): database, cookie
   secret, passwords. The teacher's password is made here the first time
   (printed, and kept in state/teacher-password) so nobody else can claim the
   admin name by logging in first.
3. exec jupyterhub -f hub/jupyterhub_config.py (Ctrl-C stops the hub and the
   proxy; learners' servers are stopped with it, see cleanup_servers below).
"""

from __future__ import annotations

import dbm
import os
import secrets
import sys
from pathlib import Path

import bcrypt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import room  # noqa: E402

STATE = Path(os.environ.get("NN_ROOM_STATE", str(room.ROOM / "state")))
TEACHER = os.environ.get("NN_ROOM_TEACHER", "teacher")


def teacher_password() -> str:
    """The admin's password: set once, stored root-only, seeded into the first-use password db."""
    path = STATE / "teacher-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12) + "\n")
        path.chmod(0o600)
    password = path.read_text().strip()
    with dbm.open(str(STATE / "passwords.dbm"), "c", 0o600) as db:
        stored = db.get(TEACHER.encode())
        if stored is None or not bcrypt.checkpw(password.encode(), stored):
            db[TEACHER.encode()] = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    return password


def main() -> None:
    if os.geteuid() != 0:
        sys.exit("error: the hub must run as root: it starts each learner's server as that learner's own system user")
    room.prepare()
    STATE.mkdir(parents=True, exist_ok=True)
    STATE.chmod(0o700)
    os.chdir(STATE)  # jupyterhub writes nothing into the repository
    password = teacher_password()
    # If the host runs out of memory (limits add up to more than it has), its OOM killer
    # takes a learner's process (roomspawner sets theirs to +500), not the hub or the proxy.
    try:
        Path("/proc/self/oom_score_adj").write_text("-900")
    except OSError as e:  # some containers forbid lowering it; the learners' +500 still applies
        print(f"warning: could not shield the hub from the OOM killer ({e.strerror})", file=sys.stderr)
    scheme = "https" if os.environ.get("NN_HUB_TLS_CERT") else "http"
    host = os.environ.get("NN_HUB_IP", "127.0.0.1")
    port = os.environ.get("NN_HUB_PORT", "8000")
    print(f"\n  The room's hub: {scheme}://{host}:{port}/  (Ctrl-C stops it)\n"
          f"  Teacher: log in as '{TEACHER}' with password {password}  (kept in {STATE / 'teacher-password'})\n"
          f"  Add the learners' names on the admin page; each picks a password at first login.\n", flush=True)
    hub = room.VENV / "bin" / "jupyterhub"
    os.execv(hub, [str(hub), "-f", str(HERE / "jupyterhub_config.py"), "--JupyterHub.cleanup_servers=True"])


if __name__ == "__main__":
    main()
