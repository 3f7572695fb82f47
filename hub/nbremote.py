"""Run a notebook on a learner's server through the hub's proxy, as JupyterLab would.

Jupyter Server's REST API makes a session (a kernel whose cwd is the notebook's
folder), then each code cell is sent in order over the kernel's websocket
(/api/kernels/<id>/channels) and its iopub messages are collected into the
cell's outputs, so tests/nbcheck.py can judge the result (errors, panics,
unrendered plots, no plot). Every wait has a deadline that names what it waited for.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote

import nbformat
import nbcheck  # tests/nbcheck.py (on sys.path: hub/test_hub.py puts tests/ there)
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.simple_httpclient import HTTPTimeoutError
from tornado.websocket import websocket_connect

CONNECT_TIMEOUT = 120
KERNEL_INFO_TIMEOUT = 60
CELL_TIMEOUT = 300
DEP_CELL_TIMEOUT = 900  # a `:dep` cell; on a warm room it takes seconds


class RemoteError(RuntimeError):
    pass


@dataclass
class Run:
    learner: str
    nb: dict
    started: float = 0.0
    first_plot: float | None = None  # seconds from start to the first <svg> output
    seconds: float = 0.0
    kernel_id: str = ""
    notes: list[str] = field(default_factory=list)
    completed: bool = False


class Server:
    """One learner's Jupyter server behind the hub: base = http://host:port/user/NAME/."""

    def __init__(self, base: str, token: str):
        self.base = base.rstrip("/") + "/"
        self.token = token
        self.http = AsyncHTTPClient()

    async def api(self, method: str, path: str, body=None, timeout: float = 30):
        req = HTTPRequest(self.base + path, method=method, headers={"Authorization": f"token {self.token}"},
                          body=None if body is None else json.dumps(body), request_timeout=timeout,
                          allow_nonstandard_methods=True, follow_redirects=False)
        resp = await self.http.fetch(req)
        return json.loads(resp.body) if resp.body else None

    async def connect(self, kernel_id: str):
        ws_base = self.base.replace("http://", "ws://").replace("https://", "wss://")
        url = f"{ws_base}api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        # the server answers the upgrade once the kernel replied to kernel_info: with 4 kernels
        # starting at once on 2 busy cores that took 30 s here
        req = HTTPRequest(url, headers={"Authorization": f"token {self.token}"}, request_timeout=CONNECT_TIMEOUT)
        try:
            return await websocket_connect(req, max_message_size=256 * 2**20)
        except HTTPTimeoutError:
            raise RemoteError(f"kernel {kernel_id}'s websocket did not open within {CONNECT_TIMEOUT} s") from None


def message(msg_type: str, content: dict, channel: str = "shell") -> dict:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "test", "session": uuid.uuid4().hex,
                   "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
    }


async def request(ws, msg_type: str, content: dict, deadline: float, on_iopub=None) -> dict:
    """Send a shell request; return its reply once the kernel is idle again (iopub status)."""
    msg = message(msg_type, content)
    await ws.write_message(json.dumps(msg))
    reply, idle = None, False
    while reply is None or not idle:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(msg_type)
        raw = await asyncio.wait_for(ws.read_message(), timeout=left)
        if raw is None:
            raise RemoteError(f"the kernel's websocket closed during {msg_type}")
        m = json.loads(raw)
        if m.get("parent_header", {}).get("msg_id") != msg["header"]["msg_id"]:
            continue
        if m["channel"] == "shell":
            reply = m["content"]
        elif m["channel"] == "iopub":
            if m["msg_type"] == "status" and m["content"].get("execution_state") == "idle":
                idle = True
            elif on_iopub is not None:
                on_iopub(m)
    return reply


def to_output(m: dict) -> dict | None:
    t, c = m["msg_type"], m["content"]
    if t == "stream":
        return nbformat.v4.new_output("stream", name=c["name"], text=c["text"])
    if t in ("display_data", "execute_result"):
        kw = {"execution_count": c.get("execution_count")} if t == "execute_result" else {}
        return nbformat.v4.new_output(t, data=c.get("data", {}), metadata=c.get("metadata", {}), **kw)
    if t == "error":
        return nbformat.v4.new_output("error", ename=c.get("ename", ""), evalue=c.get("evalue", ""),
                                      traceback=c.get("traceback", []))
    return None


def is_dep_cell(source: str) -> bool:
    return any(line.lstrip().startswith(":dep") for line in source.splitlines())


async def start_kernel(server: Server, path: str, run: Run):
    """A session for `path` (kernel cwd = its folder) that answered kernel_info; one retry
    (evcxr_jupyter 0.22 sometimes starts and never answers, see evcxr/README.md)."""
    for attempt in (1, 2):
        session = await server.api("POST", "api/sessions", {"path": path, "type": "notebook", "name": "",
                                                           "kernel": {"name": "rust"}}, timeout=60)
        kernel_id = session["kernel"]["id"]
        ws = await server.connect(kernel_id)
        try:
            await request(ws, "kernel_info_request", {}, time.monotonic() + KERNEL_INFO_TIMEOUT)
            return session, ws
        except (TimeoutError, asyncio.TimeoutError):
            ws.close()
            await server.api("DELETE", f"api/sessions/{session['id']}")
            note = f"kernel {kernel_id} did not answer kernel_info within {KERNEL_INFO_TIMEOUT} s"
            if attempt == 2:
                raise RemoteError(note + " (twice)") from None
            run.notes.append(note + "; started again (once)")


async def execute_cells(ws, nb, run: Run) -> None:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        source = cell.source

        def on_iopub(m, cell=cell):
            out = to_output(m)
            if out is None:
                return
            cell.outputs.append(out)
            if run.first_plot is None and nbcheck.output_has_svg(out):
                run.first_plot = time.monotonic() - run.started

        limit = DEP_CELL_TIMEOUT if is_dep_cell(source) else CELL_TIMEOUT
        try:
            reply = await request(ws, "execute_request", {"code": source, "silent": False, "store_history": True,
                                                          "allow_stdin": False, "stop_on_error": True},
                                  time.monotonic() + limit, on_iopub)
        except (TimeoutError, asyncio.TimeoutError):
            cell.outputs.append(nbformat.v4.new_output("error", ename="Timeout", evalue=f"cell {index + 1} ran longer than {limit} s", traceback=[]))
            return
        cell.execution_count = reply.get("execution_count")
        if reply.get("status") == "error":
            return  # nbcheck reports the error output; later cells would not run in JupyterLab's Run All either
    run.completed = True


async def run_notebook(server: Server, learner: str, path: str, *, keep_kernel: bool = False):
    """Run `path` (relative to the learner's home) top to bottom; returns (Run, ws, session) —
    ws and session stay open when keep_kernel, for more cells afterwards."""
    model = await server.api("GET", f"api/contents/{quote(path)}?content=1")
    nb = nbformat.from_dict(model["content"])
    run = Run(learner, nb)
    run.started = time.monotonic()
    session, ws = await start_kernel(server, path, run)
    run.kernel_id = session["kernel"]["id"]
    try:
        await execute_cells(ws, nb, run)
    finally:
        run.seconds = time.monotonic() - run.started
        if not keep_kernel:
            ws.close()
            await server.api("DELETE", f"api/sessions/{session['id']}")
    return run, (ws if keep_kernel else None), (session if keep_kernel else None)


async def run_cell(ws, code: str, timeout: float = 120) -> list[dict]:
    """One more cell in an open kernel; returns its outputs."""
    outputs: list[dict] = []
    await request(ws, "execute_request", {"code": code, "silent": False, "store_history": True,
                                          "allow_stdin": False, "stop_on_error": True},
                  time.monotonic() + timeout, lambda m: outputs.append(o) if (o := to_output(m)) else None)
    return outputs


def outputs_text(outputs: list[dict]) -> str:
    parts = []
    for o in outputs:
        if o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
        elif o.get("output_type") == "error":
            parts.append(f"{o.get('ename')}: {o.get('evalue')}")
        else:
            parts.append(str((o.get("data") or {}).get("text/plain", "")))
    return "\n".join(parts)


__all__ = ["Server", "Run", "run_notebook", "run_cell", "outputs_text", "RemoteError", "HTTPClientError"]
