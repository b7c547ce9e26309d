#!/usr/bin/env python3
"""A starter Server-Sent Events server: /api/v1/events, what `npm run check-server -- sse` checks.

Run:   python sse_server.py --port 8002
Check: npm run check-server -- sse 127.0.0.1:8002

Only aiohttp (Debian: python3-aiohttp) and the standard library. The stream carries the users'
events: POST /api/v1/users creates one (`user.created`), DELETE /api/v1/users/{id} removes one
(`user.deleted`). `?heartbeat=<seconds>` (1-60, default 15) sets the keep-alive comments.
`--fault NAME` (or FAULT=NAME) breaks one thing on purpose:
  no-retry   the stream never sends `retry:`
  no-resume  Last-Event-ID is ignored: a reconnecting client gets no replay
"""
import argparse
import asyncio
import json
import os
import re
import sys

from aiohttp import web

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from listening import announce  # noqa: E402

RETRY_MS = 3000
KEPT_EVENTS = 1000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class EventLog:
    """Every event gets the next id; the last KEPT_EVENTS stay for clients that resume."""

    def __init__(self):
        self.next_id = 1
        self.kept = []
        self.listeners = set()

    def publish(self, kind, data):
        event = {"id": self.next_id, "event": kind, "data": data}
        self.next_id += 1
        self.kept = (self.kept + [event])[-KEPT_EVENTS:]
        for queue in self.listeners:
            queue.put_nowait(event)

    def after(self, last_id):
        return [event for event in self.kept if event["id"] > last_id]


def frame(event):
    return f"id: {event['id']}\nevent: {event['event']}\ndata: {json.dumps(event['data'])}\n\n".encode()


def make_app(fault):
    log = EventLog()
    users = {}
    ids = iter(range(1, 10**9))

    def problem(status, detail):
        body = {"type": "about:blank", "title": detail, "status": status}
        return web.Response(status=status, text=json.dumps(body), content_type="application/problem+json")

    async def events(request):
        try:
            heartbeat = int(request.query.get("heartbeat", "15"))
            last = request.headers.get("Last-Event-ID", request.query.get("lastEventId"))
            last_id = int(last) if last is not None else None
        except ValueError:
            return problem(400, "heartbeat and Last-Event-ID must be whole numbers")
        if not 1 <= heartbeat <= 60:
            return problem(400, "heartbeat must be 1-60 seconds")
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"})
        await response.prepare(request)
        queue = asyncio.Queue()
        # subscribe before replaying, in one step without an await: no event falls between
        log.listeners.add(queue)
        backlog = log.after(last_id) if last_id is not None and fault != "no-resume" else []
        try:
            if fault != "no-retry":
                await response.write(f"retry: {RETRY_MS}\n\n".encode())
            for event in backlog:
                await response.write(frame(event))
            sent = backlog[-1]["id"] if backlog else 0
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=heartbeat)
                except asyncio.TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if event["id"] > sent:
                    await response.write(frame(event))
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            log.listeners.discard(queue)
        return response

    async def create_user(request):
        try:
            body = json.loads(await request.text())
        except ValueError:
            return problem(400, "the body is not valid JSON")
        if not isinstance(body, dict) or not str(body.get("name", "")).strip() or not EMAIL.match(str(body.get("email", ""))):
            return problem(422, "name and a valid email are required")
        user = {"id": next(ids), "name": body["name"].strip(), "email": body["email"]}
        users[user["id"]] = user
        log.publish("user.created", user)
        return web.json_response(user, status=201, headers={"Location": f"/api/v1/users/{user['id']}"})

    async def delete_user(request):
        user = users.pop(int(request.match_info["id"]), None) if request.match_info["id"].isdigit() else None
        if user is None:
            return problem(404, "no such user")
        log.publish("user.deleted", {"id": user["id"]})
        return web.Response(status=204)

    app = web.Application()
    app.router.add_get("/api/v1/events", events)
    app.router.add_post("/api/v1/users", create_user)
    app.router.add_delete("/api/v1/users/{id}", delete_user)
    return app


async def serve(host, port, fault):
    runner = web.AppRunner(make_app(fault))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    announce(host, runner.addresses[0][1])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=8002, help="0 picks a free port (printed)")
    parser.add_argument("--fault", default=os.environ.get("FAULT", ""), choices=["", "no-retry", "no-resume"])
    arguments = parser.parse_args()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(serve(arguments.host, arguments.port, arguments.fault))
    loop.run_forever()
