#!/usr/bin/env python3
"""A WebSocket echo server at /ws/echo for you to finish: what `npm run check-server -- websocket` checks.
Эхо-сервер WebSocket на /ws/echo, который вам предстоит дописать.

Run:   python websocket_server.py --port 8001        (in class: --host 0.0.0.0)
Check: npm run check-server -- websocket 127.0.0.1:8001

The websockets library does the protocol's work itself: the handshake, pongs, joining fragments,
the closing handshake, close 1007 on invalid UTF-8 and 1002 on a broken frame. Your part is the
TODO below; as it is, the server answers every message with a placeholder.
The complete version: complete/websocket_server.py.
"""
import argparse
import asyncio
import http

from listening import announce

try:  # websockets >= 13: the asyncio API, websockets.serve itself from 14 on
    from websockets.asyncio.server import serve
    ASYNCIO_API = True
except ImportError:  # websockets 10-12 (Debian 12: 10.4): the legacy API
    from websockets import serve
    ASYNCIO_API = False

ECHO_PATH = "/ws/echo"


async def echo(websocket, path=None):
    """One connection: every message that arrives (str for a text message, bytes for binary)."""
    async for message in websocket:
        # TODO [text-echo, binary-echo, fragmented-echo, ping-between-fragments]: send the message
        #   back unchanged, of the same kind (text stays text, bytes stay binary): websocket.send().
        # СДЕЛАЙТЕ: отправьте сообщение обратно без изменений и того же вида (текст — текстом, байты — двоичным).
        await websocket.send("TODO: echo")  # a placeholder, so a check fails at once instead of waiting


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


async def main(host, port):
    refuse = only_echo_path if ASYNCIO_API else only_echo_path_legacy
    # compression off: every frame on the wire is the bytes you sent (no permessage-deflate)
    async with serve(echo, host, port, process_request=refuse, compression=None) as server:
        announce(host, server.sockets[0].getsockname()[1])
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=8001, help="0 picks a free port (printed)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.host, arguments.port))
