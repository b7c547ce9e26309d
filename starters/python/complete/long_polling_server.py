#!/usr/bin/env python3
"""A starter long-polling server (aiohttp): what lesson 09 teaches and `npm run check-server --
long-polling` checks.

Run:   python long_polling_server.py --port 8005
Check: npm run check-server -- long-polling 127.0.0.1:8005

  POST   /api/v1/users          {"name", "email"} → 201 and the user; makes a user.created event
  DELETE /api/v1/users/{id}     204; makes a user.deleted event
  GET    /api/v1/poll?since=<cursor>&timeout=<0..30 s>
         since=now: at once, no events, the current cursor;
         events after `since` kept: 200 at once {"events": [...], "cursor": <last id>};
         none: held until one happens (200) or until `timeout` (204, no body: ask again with the same since)

Every event gets the next id; the answer is computed from the kept events each time, so an event
between two polls comes with the next one (not lost) and one at or before the cursor never again.
Debian: python3-aiohttp. pip: aiohttp.
"""
import argparse
import asyncio
import os
import re
import sys
from datetime import datetime, timezone

from aiohttp import web

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from listening import announce  # noqa: E402

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
KEPT_EVENTS = 1000
MAX_HOLD_S = 30
NO_STORE = {"Cache-Control": "no-store"}


def problem(status, title, detail):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return web.json_response(body, status=status, content_type="application/problem+json", headers=NO_STORE)


class Service:
    def __init__(self):
        self.users = {}
        self.next_user_id = 1
        self.events = []  # the last KEPT_EVENTS, oldest first
        self.last_event_id = 0
        self.changed = asyncio.Condition()

    async def publish(self, event_type, data):
        self.last_event_id += 1
        at = datetime.now(timezone.utc).isoformat()
        self.events = [*self.events, {"id": self.last_event_id, "type": event_type, "at": at, "data": data}][-KEPT_EVENTS:]
        async with self.changed:
            self.changed.notify_all()  # wake every held poll

    async def create_user(self, request):
        try:
            body = await request.json()
        except ValueError:
            return problem(400, "Bad Request", "the body is not JSON")
        name, email = (body.get("name"), body.get("email")) if isinstance(body, dict) else (None, None)
        if not isinstance(name, str) or not name.strip() or not isinstance(email, str) or not EMAIL.match(email):
            return problem(422, "Unprocessable Content", "name must not be empty and email must look like x@y.z")
        user = {"id": self.next_user_id, "name": name.strip(), "email": email}
        self.users[user["id"]] = user
        self.next_user_id += 1
        await self.publish("user.created", user)
        return web.json_response(user, status=201, headers={"Location": f"/api/v1/users/{user['id']}"})

    async def delete_user(self, request):
        user = self.users.pop(int(request.match_info["id"]), None)
        if user is None:
            return problem(404, "Not Found", "no such user")
        await self.publish("user.deleted", {"id": user["id"]})
        return web.Response(status=204)

    def after(self, since):
        return [event for event in self.events if event["id"] > since]

    async def poll(self, request):
        since_text = request.query.get("since", "")
        timeout_text = request.query.get("timeout", "10")
        if not timeout_text.isdigit() or int(timeout_text) > MAX_HOLD_S:
            return problem(400, "Bad Request", f"timeout must be 0..{MAX_HOLD_S} seconds")
        if since_text == "now":
            return web.json_response({"events": [], "cursor": self.last_event_id}, headers=NO_STORE)
        if not since_text.isdigit():
            return problem(400, "Bad Request", "since must be a whole number or now")
        since = int(since_text)
        started = asyncio.get_running_loop().time()
        events = self.after(since)
        if not events and int(timeout_text) > 0:
            try:
                async with self.changed:
                    await asyncio.wait_for(self.changed.wait_for(lambda: self.after(since)), int(timeout_text))
            except asyncio.TimeoutError:
                pass
            events = self.after(since)
        if not events:
            return web.Response(status=204, headers=NO_STORE)  # nothing new: ask again with the same since
        held_ms = round((asyncio.get_running_loop().time() - started) * 1000)
        answer = {"events": events[:100], "cursor": events[:100][-1]["id"], "held_ms": held_ms, "more": len(events) > 100}
        return web.json_response(answer, headers=NO_STORE)


def make_app():
    service = Service()
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_post("/api/v1/users", service.create_user)
    app.router.add_delete(r"/api/v1/users/{id:\d+}", service.delete_user)
    app.router.add_get("/api/v1/poll", service.poll)
    return app


async def serve(host, port):
    runner = web.AppRunner(make_app())
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
    parser.add_argument("--port", type=int, default=8005, help="0 picks a free port (printed)")
    arguments = parser.parse_args()
    try:
        asyncio.run(serve(arguments.host, arguments.port))
    except KeyboardInterrupt:
        pass
