"""The door between the host's loopback and one learner's network namespace.

Each learner's server and kernels run in a network namespace of their own
(roomspawner.py), so the TCP ports of her kernels (jupyter_client's default
transport, which evcxr 0.22 is built for: no IPC) exist on her loopback only,
and no other learner can connect to them. Two things must still cross, and
this door carries exactly those two, as plain TCP byte streams:

  host 127.0.0.1:SERVE  ->  her 127.0.0.1:SERVE   the proxy and the hub reach her server
  her  127.0.0.1:HUB    ->  host 127.0.0.1:HUB    her server reaches the hub's API

usage (as root, started by the spawner): door.py NETNS_FILE SERVE_PORT HUB_PORT
It prints "ready" once both ends listen, and exits when its parent (the hub) does.

Why a process as root: a socket belongs to the namespace it was created in, so
the door switches its namespace (setns) only to create a socket, and back.
Creating a socket in another namespace needs CAP_SYS_ADMIN; the door does
nothing else: it reads no request and runs nothing a learner sends.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import socket
import sys

CLONE_NEWNET = 0x40000000
LOOPBACK = "127.0.0.1"
_libc = ctypes.CDLL(None, use_errno=True)


def setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


class Door:
    def __init__(self, netns_file: str):
        self.host = os.open("/proc/self/ns/net", os.O_RDONLY)
        self.learner = os.open(netns_file, os.O_RDONLY)

    def socket_in(self, ns: int) -> socket.socket:
        """A new TCP socket in namespace `ns`; the process itself stays in the host's."""
        setns(ns)
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        finally:
            setns(self.host)
        s.setblocking(False)
        return s

    async def serve(self, listen_ns: int, connect_ns: int, port: int) -> asyncio.AbstractServer:
        listener = self.socket_in(listen_ns)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LOOPBACK, port))
        listener.listen(128)

        async def handle(reader, writer):
            s = self.socket_in(connect_ns)
            try:
                await asyncio.get_running_loop().sock_connect(s, (LOOPBACK, port))
            except OSError:
                s.close()
                writer.close()
                return
            r2, w2 = await asyncio.open_connection(sock=s)
            await asyncio.gather(pipe(reader, w2), pipe(r2, writer))

        return await asyncio.start_server(handle, sock=listener)


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


async def main(netns_file: str, serve_port: int, hub_port: int) -> None:
    door = Door(netns_file)
    await door.serve(door.host, door.learner, serve_port)
    await door.serve(door.learner, door.host, hub_port)
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
