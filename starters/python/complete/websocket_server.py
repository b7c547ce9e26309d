#!/usr/bin/env python3
"""A starter WebSocket echo server at /ws/echo, what `npm run check-server -- websocket` checks.

Run:   python websocket_server.py --port 8001
Check: npm run check-server -- websocket 127.0.0.1:8001

Only the websockets library: its asyncio API (websockets >= 13, the default from 14 on) or the
legacy one Debian 12 ships (python3-websockets 10.4); the two differ only in how a request's path
reaches process_request. The library does the protocol's work itself:
the handshake, pongs, joining fragments, the closing handshake, and closing with 1007 on invalid
UTF-8, 1002 on an unmasked frame or an unknown opcode, and 1009 on a message over
1 MiB (its max_size). Your code only echoes.
`--fault NAME` (or FAULT=NAME) breaks one thing on purpose:
  uppercase       text comes back in capitals
  binary-as-text  binary messages come back as text frames
"""
import argparse
import asyncio
import http
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from listening import announce  # noqa: E402

try:  # websockets >= 13: the asyncio API, websockets.serve itself from 14 on
    from websockets.asyncio.server import serve
    ASYNCIO_API = True
except ImportError:  # websockets 10-12 (Debian 12: 10.4): the legacy API
    from websockets import serve
    ASYNCIO_API = False

ECHO_PATH = "/ws/echo"


def make_handler(fault):
    async def echo(websocket, path=None):
        async for message in websocket:
            if isinstance(message, str) and fault == "uppercase":
                message = message.upper()
            if isinstance(message, bytes) and fault == "binary-as-text":
                message = message.decode("latin-1")
            await websocket.send(message)

    return echo


def only_echo_path(connection, request):
    """Any other path is refused before the handshake: 404, no WebSocket (the asyncio API)."""
    if request.path.split("?")[0] != ECHO_PATH:
        return connection.respond(http.HTTPStatus.NOT_FOUND, "no WebSocket here\n")
    return None


async def only_echo_path_legacy(path, request_headers):
    """The same with the legacy API, which passes the path and the headers."""
    if path.split("?")[0] != ECHO_PATH:
        return http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")], b"no WebSocket here\n"
    return None


async def main(host, port, fault):
    refuse = only_echo_path if ASYNCIO_API else only_echo_path_legacy
    # compression off: every frame on the wire is the bytes you sent (no permessage-deflate)
    async with serve(make_handler(fault), host, port, process_request=refuse, compression=None) as server:
        announce(host, server.sockets[0].getsockname()[1])
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001, help="0 picks a free port (printed)")
    parser.add_argument("--fault", default=os.environ.get("FAULT", ""), choices=["", "uppercase", "binary-as-text"])
    arguments = parser.parse_args()
    asyncio.run(main(arguments.host, arguments.port, arguments.fault))
