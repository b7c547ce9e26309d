#!/usr/bin/env python3
"""A Socket.IO chat for you to finish (python-socketio on aiohttp): lesson 07's chat on the default
namespace, what `npm run check-server -- socket-io` checks.
Чат на Socket.IO, который вам предстоит дописать.

Run:   python socket_io_server.py --port 8006        (in class: --host 0.0.0.0)
Check: npm run check-server -- socket-io 127.0.0.1:8006

  CONNECT needs auth {"name": "…"} (1–40 characters): without it, CONNECT_ERROR {"message": …}
  chat:join     "<room>"            → ack {"ok": true, "room"}
  chat:leave    "<room>"            → ack {"ok": true, "room"}
  chat:message  {"room", "text"}    → chat:message {"room", "name", "text", "at"} to everybody in
                                      the room, the sender included; ack {"ok": true, "room"}
A refusal is {"ok": false, "error": {"code", "message"}} in the ack.

python-socketio speaks Engine.IO and Socket.IO for you (the handshake, the sessions, the packets);
the chat's rules are yours: each TODO names the checks it makes pass.
The complete version: complete/socket_io_server.py.
"""
import argparse
import asyncio
from datetime import datetime, timezone

import socketio
from aiohttp import web

from listening import announce

sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[])
names = {}  # sid → the name given in CONNECT's auth


def refusal(code, message):
    return {"ok": False, "error": {"code": code, "message": message}}


def valid_room(room):
    return isinstance(room, str) and 1 <= len(room.strip()) <= 40


@sio.event
async def connect(sid, environ, auth):
    name = auth.get("name") if isinstance(auth, dict) else None
    # TODO [connect-without-name-error]: the chat needs a name: refuse a CONNECT whose auth has no
    #   name of 1–40 characters with a message the client can show
    #   (raise socketio.exceptions.ConnectionRefusedError("…"): the client gets CONNECT_ERROR).
    # СДЕЛАЙТЕ: без имени (1–40 символов) в auth откажите в подключении: ConnectionRefusedError с сообщением.
    names[sid] = (name or "").strip()


@sio.event
async def disconnect(sid):
    names.pop(sid, None)


@sio.on("chat:join")
async def join(sid, room):
    if not valid_room(room):
        return refusal("BAD_ROOM", "a room is a name of 1–40 characters")
    # TODO [join-ack, message-to-room]: put the socket in the room (sio.enter_room) and answer the
    #   client's ack: what the handler returns goes back in the ACK packet, {"ok": True, "room": room}.
    # СДЕЛАЙТЕ: добавьте сокет в комнату (sio.enter_room) и верните подтверждение {"ok": True, "room": room}.


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
    line = {"room": room, "name": names.get(sid, "?"), "text": text, "at": at}
    # TODO [message-to-room]: send the line as a chat:message event to everybody in the room, the
    #   sender included (sio.emit(…, room=room); skip_sid=sid would leave the sender out).
    # СДЕЛАЙТЕ: разошлите реплику событием chat:message всем в комнате, и отправителю тоже (sio.emit(…, room=room)).
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
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=8006, help="0 picks a free port (printed)")
    arguments = parser.parse_args()
    try:
        asyncio.run(serve(arguments.host, arguments.port))
    except KeyboardInterrupt:
        pass
