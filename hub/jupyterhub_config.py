# JupyterHub configuration for teaching the workshop to a room (make hub).
# Every knob is an environment variable with a default; hub/serve.py sets them.
#
#   NN_ROOM            the room folder hub/room.py prepared (/opt/nn-workshop-room)
#   NN_ROOM_STATE      root-only hub state: database, cookie secret, passwords ($NN_ROOM/state)
#   NN_HUB_IP/PORT     where learners connect (127.0.0.1:8000; a room: 0.0.0.0 and 443 with TLS)
#   NN_HUB_TLS_CERT/KEY  TLS certificate and key (a room must set them; see hub/README.md)
#   NN_HUB_API_PORT, NN_PROXY_API_PORT  internal ports on 127.0.0.1 (8081, 8001)
#   NN_ROOM_TEACHER    the admin's hub name (teacher)
#   NN_ROOM_MEM        memory per learner (2G), NN_ROOM_DISK_MB their disk (3072; 0 = unlimited)
#   NN_ROOM_MAX        most learner servers at once (40)
#   NN_ROOM_CULL_IDLE  seconds before an idle server is stopped (3600)
#   NN_ROOM_KERNEL_IDLE  seconds before an idle kernel is stopped, its notebook open or not (1800; 0 = never)
#   NN_ROOM_USER_PREFIX  system user names are prefix+name (nnl-)
#   NN_ROOM_ADMIN_TOKEN  optional: a service token with admin scopes (the tests create learners with it)
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ROOM = Path(os.environ.get("NN_ROOM", "/opt/nn-workshop-room"))
STATE = Path(os.environ.get("NN_ROOM_STATE", str(ROOM / "state")))
VENV = ROOM / "venv"
TEACHER = os.environ.get("NN_ROOM_TEACHER", "teacher")
env = os.environ.get

c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)

# ---------------------------------------------------------------- network
c.JupyterHub.ip = env("NN_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env("NN_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("NN_HUB_API_PORT", "8081"))
if env("NN_HUB_TLS_CERT"):
    c.JupyterHub.ssl_cert = env("NN_HUB_TLS_CERT")
    c.JupyterHub.ssl_key = env("NN_HUB_TLS_KEY")
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('NN_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# ---------------------------------------------------------------- state (root only)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# ---------------------------------------------------------------- who may log in
# First-use passwords: the teacher adds the room's names (admin page, "Add Users",
# one per line); each learner picks their password the first time they log in,
# and only they know it. The teacher resets one by deleting and re-adding the user.
from firstuseauthenticator import FirstUseAuthenticator  # noqa: E402

c.JupyterHub.authenticator_class = FirstUseAuthenticator
c.FirstUseAuthenticator.create_users = False  # only names the teacher added
c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
c.FirstUseAuthenticator.min_password_length = 8
c.Authenticator.admin_users = {TEACHER}
c.Authenticator.allow_existing_users = True
# Names become system users (prefix + name): keep them short and plain.
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,19}$"

# ---------------------------------------------------------------- learners' servers
c.JupyterHub.spawner_class = "roomspawner.RoomSpawner"
c.RoomSpawner.room = str(ROOM)
c.RoomSpawner.state_dir = str(STATE)
c.RoomSpawner.user_prefix = env("NN_ROOM_USER_PREFIX", "nnl-")
c.RoomSpawner.disk_limit_mb = int(env("NN_ROOM_DISK_MB", "3072"))
c.RoomSpawner.max_servers = int(env("NN_ROOM_MAX", "40"))
c.Spawner.mem_limit = env("NN_ROOM_MEM", "2G")
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/notebooks"
c.Spawner.environment = {"PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin"}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
kernel_idle = int(env("NN_ROOM_KERNEL_IDLE", "1800"))
c.Spawner.args = [
    # A kernel left idle gives its memory (~0.8 GiB, nearly all evcxr's rust-analyzer) and its build
    # slot back, also while its notebook is still open in a tab: jupyter_server's default
    # (cull_connected=False) never stops a kernel a tab is connected to, and learners leave tabs open.
    f"--MappingKernelManager.cull_idle_timeout={kernel_idle}",
    f"--MappingKernelManager.cull_interval={max(5, min(300, kernel_idle // 3))}",
    "--MappingKernelManager.cull_connected=True",
    # Learners' notebooks are theirs; don't let JupyterLab phone home from the room.
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]
c.JupyterHub.concurrent_spawn_limit = 20

# ---------------------------------------------------------------- services
cull_after = env("NN_ROOM_CULL_IDLE", "3600")
services = [{
    "name": "idle-culler",
    "command": [str(VENV / "bin" / "python"), "-m", "jupyterhub_idle_culler", f"--timeout={cull_after}",
                f"--cull-every={max(30, min(300, int(cull_after) // 2))}"],
}]
roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
if env("NN_ROOM_ADMIN_TOKEN"):
    services.append({"name": "room-admin", "api_token": env("NN_ROOM_ADMIN_TOKEN")})
    roles.append({"name": "room-admin", "scopes": ["admin:users", "admin:servers", "tokens", "access:servers",
                                                   "list:users", "read:users"], "services": ["room-admin"]})
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
