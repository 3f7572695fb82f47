"""Start Rust kernels the way JupyterLab does, many times, and count the ones that never answer.

usage: .venv/bin/python tools/kernel_starts.py [ROUNDS] [AT_ONCE] [DEADLINE]   (defaults 20 2 90)

Not part of the tests: the reproduction behind evcxr/README.md's "a kernel
that starts but never answers". It starts a throwaway Jupyter server, then per
round AT_ONCE sessions at the same moment (POST /api/sessions), opens each
kernel's websocket and sends kernel_info_request, as JupyterLab's notebook
panel does. A kernel that has not replied after DEADLINE seconds is "silent":
the script prints its processes and, when gdb is installed, writes every
thread's backtrace to target/kernel-starts/gdb-<kernel>.txt. Then it shuts
the round's kernels down and goes on. Last line: `N silent of M starts`.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "target" / "kernel-starts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self) -> None:
        self.token, self.port = secrets.token_hex(16), free_port()
        OUT.mkdir(parents=True, exist_ok=True)
        log = open(OUT / "server.log", "w")
        self.proc = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "jupyter"), "server", "--no-browser", f"--port={self.port}",
             "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={REPO / 'notebooks'}",
             "--allow-root", "--debug"],
            stdout=log, stderr=log, start_new_session=True,
            env=dict(os.environ, JUPYTER_TOKEN=self.token, JUPYTER_PREFER_ENV_PATH="1"),
        )
        self.http = AsyncHTTPClient()

    async def api(self, method: str, route: str, body=None):
        request = HTTPRequest(
            f"http://127.0.0.1:{self.port}{route}", method=method, headers={"Authorization": f"token {self.token}"},
            body=json.dumps(body) if body is not None else None, allow_nonstandard_methods=True, request_timeout=120,
        )
        response = await self.http.fetch(request, raise_error=False)
        return json.loads(response.body) if response.body else None

    async def ready(self) -> None:
        for _ in range(300):
            try:
                await self.api("GET", "/api/status")
                return
            except OSError:
                await asyncio.sleep(0.3)
        raise SystemExit("the Jupyter server did not start; see target/kernel-starts/server.log")

    def stop(self) -> None:
        os.killpg(self.proc.pid, 15)


async def start_one(server: Server, name: str, deadline: float) -> tuple[str, float, str]:
    """(ok | silent, seconds, kernel id) for one session opened like JupyterLab opens a notebook."""
    t0 = time.monotonic()
    session = await server.api("POST", "/api/sessions", {"path": name, "type": "notebook", "name": "", "kernel": {"name": "rust"}})
    kernel, client = session["kernel"]["id"], uuid.uuid4().hex
    ws = await websocket_connect(HTTPRequest(
        f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels?session_id={client}",
        headers={"Authorization": f"token {server.token}"}, connect_timeout=deadline, request_timeout=deadline,
    ))
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "kernel_info_request", "session": client, "username": "x", "date": "", "version": "5.3"}
    await ws.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell", "buffers": []}))
    try:
        while (left := deadline - (time.monotonic() - t0)) > 0:
            raw = await asyncio.wait_for(ws.read_message(), left)
            if raw is None:
                break
            reply = json.loads(raw)
            if reply["msg_type"] == "kernel_info_reply" and reply["parent_header"].get("msg_id") == msg_id:
                return "ok", time.monotonic() - t0, kernel
    except asyncio.TimeoutError:
        pass
    finally:
        ws.close()
    return "silent", time.monotonic() - t0, kernel


def evidence(kernel: str) -> None:
    pids = subprocess.run(["pgrep", "-f", f"kernel-{kernel}"], capture_output=True, text=True).stdout.split()
    for pid in pids:
        print(subprocess.run(["ps", "-o", "pid,ppid,stat,wchan:30,etime,args", "--ppid", pid, "-p", pid],
                             capture_output=True, text=True).stdout, flush=True)
        if shutil.which("gdb"):
            bt = subprocess.run(["gdb", "-p", pid, "-batch", "-ex", "thread apply all bt 40"], capture_output=True, text=True)
            (OUT / f"gdb-{kernel}.txt").write_text(bt.stdout)
            print(f"  every thread's backtrace: {OUT / f'gdb-{kernel}.txt'}", flush=True)


async def main(rounds: int, at_once: int, deadline: float) -> int:
    server = Server()
    silent = 0
    try:
        await server.ready()
        for i in range(rounds):
            results = await asyncio.gather(*(start_one(server, f"round{i}_{j}.ipynb", deadline) for j in range(at_once)))
            print(f"round {i}: " + ", ".join(f"{r} {s:.1f} s" for r, s, _ in results), flush=True)
            for r, _, kernel in results:
                if r != "ok":
                    silent += 1
                    evidence(kernel)
            for s in await server.api("GET", "/api/sessions"):
                await server.api("DELETE", f"/api/sessions/{s['id']}")
    finally:
        server.stop()
    print(f"{silent} silent of {rounds * at_once} starts")
    return 1 if silent else 0


if __name__ == "__main__":
    args = [float(a) for a in sys.argv[1:]]
    sys.exit(asyncio.run(main(int(args[0]) if args else 20, int(args[1]) if len(args) > 1 else 2, args[2] if len(args) > 2 else 90)))
