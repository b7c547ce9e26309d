#!/usr/bin/python3
"""Interop: Debian's python3-socketio (AsyncClient over python3-aiohttp) against Wirelab's Socket.IO.

Connects with an auth payload (polling first, then the upgrade), emits with an ack, joins a room
and receives a broadcast from a second, WebSocket-only client, lists the rooms over the second
namespace /admin, and gets refused without a name. Prints one JSON object of what it observed;
exits 1 on the first check that fails.

usage: sio_interop.py ORIGIN SANDBOX
"""
import asyncio
import json
import sys

import socketio

ORIGIN, SANDBOX = sys.argv[1], sys.argv[2]
HEADERS = {"x-wirelab-sandbox": SANDBOX}
WAIT_S = 5
observed = {}


def check(condition, what):
    if not condition:
        print(json.dumps({"failed": what, "observed": observed}, default=str))
        sys.exit(1)


async def next_event(queue):
    return await asyncio.wait_for(queue.get(), WAIT_S)


async def main():
    reader = socketio.AsyncClient(reconnection=False)
    writer = socketio.AsyncClient(reconnection=False)
    refused = socketio.AsyncClient(reconnection=False)
    messages = asyncio.Queue()
    refusals = asyncio.Queue()

    @reader.on("chat:message")
    async def on_message(payload):
        await messages.put(payload)

    @refused.event
    async def connect_error(data):
        await refusals.put(data)

    try:
        await reader.connect(ORIGIN, headers=HEADERS, auth={"name": "python"}, namespaces=["/", "/admin"], wait_timeout=WAIT_S)
        observed["reader_transport"] = reader.transport()
        observed["join_ack"] = await reader.call("chat:join", "lobby", timeout=WAIT_S)
        check(observed["join_ack"] == {"ok": True, "room": "lobby"}, "chat:join ack")
        observed["bad_room_ack"] = await reader.call("chat:join", "a/b", timeout=WAIT_S)

        await writer.connect(ORIGIN, headers=HEADERS, auth={"name": "writer"}, transports=["websocket"], wait_timeout=WAIT_S)
        observed["writer_transport"] = writer.transport()
        await writer.call("chat:join", "lobby", timeout=WAIT_S)
        observed["message_ack"] = await writer.call("chat:message", {"room": "lobby", "text": "привет from python"}, timeout=WAIT_S)
        observed["broadcast"] = await next_event(messages)

        observed["rooms"] = await reader.call("admin:rooms", namespace="/admin", timeout=WAIT_S)

        try:
            # After a refusal the client waits out wait_timeout for namespaces that will never come: keep it short.
            await refused.connect(ORIGIN, headers=HEADERS, auth={}, wait_timeout=1)
            observed["refused_error"] = None
        except socketio.exceptions.ConnectionError as error:
            observed["refused_error"] = str(error)
        observed["refusal"] = await next_event(refusals)
    finally:
        for client in (reader, writer, refused):
            await client.disconnect()


asyncio.run(main())
print(json.dumps(observed, ensure_ascii=False))
