#!/usr/bin/env python3
"""A starter Socket.IO chat (python-socketio on aiohttp): lesson 07's chat on the default namespace,
Socket.IO protocol v5 over Engine.IO v4, what `npm run check-server -- socket-io` checks.

Run:   python socket_io_server.py --port 8006
Check: npm run check-server -- socket-io 127.0.0.1:8006

  CONNECT needs auth {"name": "…"} (1–40 characters): without it, CONNECT_ERROR {"message": …}
  chat:join     "<room>"            → ack {"ok": true, "room"}
  chat:leave    "<room>"            → ack {"ok": true, "room"}
  chat:message  {"room", "text"}    → chat:message {"room", "name", "text", "at"} to everybody in
                                      the room, the sender included; ack {"ok": true, "room"}
A refusal is {"ok": false, "error": {"code", "message"}} in the ack.
Debian: python3-socketio (5.7), python3-aiohttp. pip: python-socketio>=5.7, aiohttp.
"""
import argparse
import asyncio
import os
import sys
from datetime import datetime, timezone

import socketio
from aiohttp import web

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from listening import announce  # noqa: E402

sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[])
names = {}  # sid → the name given in CONNECT's auth


def refusal(code, message):
    return {"ok": False, "error": {"code": code, "message": message}}


def valid_room(room):
    return isinstance(room, str) and 1 <= len(room.strip()) <= 40


@sio.event
async def connect(sid, environ, auth):
    name = auth.get("name") if isinstance(auth, dict) else None
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 40:
        # the client gets CONNECT_ERROR with this message, and the connection to "/" is refused
        raise socketio.exceptions.ConnectionRefusedError("A name is required: connect with auth {name}")
    names[sid] = name.strip()


@sio.event
async def disconnect(sid):
    names.pop(sid, None)


@sio.on("chat:join")
async def join(sid, room):
    if not valid_room(room):
        return refusal("BAD_ROOM", "a room is a name of 1–40 characters")
    sio.enter_room(sid, room)
    return {"ok": True, "room": room}


@sio.on("chat:leave")
async def leave(sid, room):
    if not valid_room(room):
        return refusal("BAD_ROOM", "a room is a name of 1–40 characters")
    sio.leave_room(sid, room)
    return {"ok": True, "room": room}


@sio.on("chat:message")
async def message(sid, payload):
    room = payload.get("room") if isinstance(payload, dict) else None
    text = payload.get("text") if isinstance(payload, dict) else None
    if not isinstance(text, str) or not 1 <= len(text.strip()) <= 500:
        return refusal("BAD_MESSAGE", "text is 1–500 characters")
    if room not in sio.rooms(sid):
        return refusal("NOT_IN_ROOM", "join the room first")
    at = datetime.now(timezone.utc).isoformat()
    # to the room, the sender included: sio.emit(room=…), not skip_sid=sid
    await sio.emit("chat:message", {"room": room, "name": names.get(sid, "?"), "text": text, "at": at}, room=room)
    return {"ok": True, "room": room}


async def serve(host, port):
    app = web.Application()
    sio.attach(app)  # /socket.io/
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    announce(host, runner.addresses[0][1])
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class, so Wirelab on the teacher's machine can reach you")
    parser.add_argument("--port", type=int, default=8006, help="0 picks a free port (printed)")
    arguments = parser.parse_args()
    try:
        asyncio.run(serve(arguments.host, arguments.port))
    except KeyboardInterrupt:
        pass
