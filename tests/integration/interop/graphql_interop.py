"""GraphQL at /graphql from clients nobody here wrote: Debian's python3-requests (HTTP/1.1)
and python3-websockets (its own WebSocket framing), speaking graphql-transport-ws by hand.

    /usr/bin/python3 graphql_interop.py <origin> <sandbox>

Prints JSON lines: {"query": <answer of a POST query>}, {"acked": true} once the WebSocket
subscription is sent, then {"next": <payload>} for the first event, and exits.
"""
import asyncio
import json
import sys

import requests
import websockets


def emit(message):
    print(json.dumps(message), flush=True)


async def subscribe(origin, sandbox):
    url = origin.replace("http", "ws", 1) + "/graphql"
    async with websockets.connect(
        url, subprotocols=["graphql-transport-ws"], extra_headers={"x-wirelab-sandbox": sandbox}
    ) as socket:
        assert socket.subprotocol == "graphql-transport-ws", socket.subprotocol
        await socket.send(json.dumps({"type": "connection_init"}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        await socket.send(
            json.dumps(
                {
                    "id": "py-1",
                    "type": "subscribe",
                    "payload": {"query": "subscription { postAdded { title author { name } } }"},
                }
            )
        )
        emit({"acked": True})
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), 15))
            if message["type"] == "ping":
                await socket.send(json.dumps({"type": "pong"}))
                continue
            emit({message["type"]: message.get("payload")})
            await socket.send(json.dumps({"id": "py-1", "type": "complete"}))
            return


def main():
    origin, sandbox = sys.argv[1], sys.argv[2]
    answer = requests.post(
        origin + "/graphql",
        json={"query": "query($id: ID!) { user(id: $id) { name } }", "variables": {"id": 8}},
        headers={"x-wirelab-sandbox": sandbox, "accept": "application/graphql-response+json"},
        timeout=10,
    )
    emit({"query": {"status": answer.status_code, "type": answer.headers["content-type"], "body": answer.json()}})
    asyncio.run(subscribe(origin, sandbox))


main()
