#!/usr/bin/env python3
"""A starter WebSocket echo server at /ws/echo, what `npm run check-server -- websocket` checks.

Run:   python3 websocket_server.py --port 8001
Check: npm run check-server -- websocket 127.0.0.1:8001

Only the websockets library (Debian: python3-websockets). It does the protocol's work itself:
the handshake, pongs, joining fragments, the closing handshake, and closing with 1007 on invalid
UTF-8 and 1002 on an unmasked frame or an unknown opcode. Your code only echoes.
`--fault NAME` (or FAULT=NAME) breaks one thing on purpose:
  uppercase       text comes back in capitals
  binary-as-text  binary messages come back as text frames
"""
import argparse
import asyncio
import http
import os

import websockets

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


async def only_echo_path(path, request_headers):
    """Any other path is refused before the handshake: 404, no WebSocket."""
    if path.split("?")[0] != ECHO_PATH:
        return http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")], b"no WebSocket here\n"
    return None


async def main(host, port, fault):
    # compression off: every frame on the wire is the bytes you sent (no permessage-deflate)
    async with websockets.serve(make_handler(fault), host, port, process_request=only_echo_path, compression=None) as server:
        print(f"LISTENING {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001, help="0 picks a free port (printed)")
    parser.add_argument("--fault", default=os.environ.get("FAULT", ""), choices=["", "uppercase", "binary-as-text"])
    arguments = parser.parse_args()
    asyncio.run(main(arguments.host, arguments.port, arguments.fault))
