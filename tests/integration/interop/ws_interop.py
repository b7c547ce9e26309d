"""Debian's python3-websockets (10.x) against /ws/echo and /ws/chat: a client nobody here wrote.

Usage: ws_interop.py ws://127.0.0.1:PORT SANDBOX — prints one JSON object of what it observed.
"""
import asyncio
import json
import sys

import websockets


async def closed_by_server(ws):
    """Reads until the server closes; returns the code and reason of its close frame."""
    try:
        while True:
            await ws.recv()
    except websockets.ConnectionClosed as closed:
        return [closed.rcvd.code, closed.rcvd.reason] if closed.rcvd else None


async def main(base, sandbox):
    headers = {"x-wirelab-sandbox": sandbox}
    seen = {"library": websockets.__version__}

    async with websockets.connect(f"{base}/ws/echo", extra_headers=headers) as ws:
        seen["echo_subprotocol"] = ws.subprotocol
        await ws.send("привет from python")
        seen["echo_text"] = await ws.recv()
        await ws.send(b"\x00\x01\xfe\xff")
        binary = await ws.recv()
        seen["echo_binary"] = {"type": type(binary).__name__, "bytes": list(binary)}

        # The client's ping: the server's pong completes the waiter.
        pong = await ws.ping(b"python ping")
        await asyncio.wait_for(pong, 5)
        seen["client_ping_answered"] = True

        # The server's ping on request: websockets answers it by itself, the server reports the pong.
        await ws.send(json.dumps({"wirelab": "ping", "payload": "from the server"}))
        seen["server_ping_report"] = json.loads(await ws.recv())

        # The server fragments; the library reassembles.
        await ws.send(json.dumps({"wirelab": "fragment", "text": "five frames, one message", "frames": 5}))
        seen["fragmented_echo"] = await ws.recv()
        # The client fragments (an iterable is sent as one fragmented message); the server reassembles.
        await ws.send(["sent ", "in ", "three"])
        seen["client_fragments_echo"] = await ws.recv()

        await ws.send('{"wirelab": "close", "code": 1005}')
        seen["bad_close_code"] = json.loads(await ws.recv())

        await ws.send(json.dumps({"wirelab": "close", "code": 4001, "reason": "python, bye"}))
        seen["server_close"] = await closed_by_server(ws)

    async with websockets.connect(f"{base}/ws/echo", extra_headers=headers) as ws:
        await ws.send("x" * 20000)
        seen["too_big"] = await closed_by_server(ws)

    ws = await websockets.connect(f"{base}/ws/echo", extra_headers=headers)
    await ws.close(code=4321, reason="client bye")
    seen["client_close"] = [ws.close_code, ws.close_reason]

    async with websockets.connect(f"{base}/ws/chat?name=Python", subprotocols=["wirelab.chat.v1"], extra_headers=headers) as ws:
        seen["chat_subprotocol"] = ws.subprotocol
        seen["chat_welcome"] = json.loads(await ws.recv())
        await ws.send("hello, room")
        seen["chat_message"] = json.loads(await ws.recv())

    print(json.dumps(seen))


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2]), 30))
