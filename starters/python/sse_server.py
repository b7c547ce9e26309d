#!/usr/bin/env python3
"""A Server-Sent Events server for you to finish: /api/v1/events, what `npm run check-server -- sse` checks.
Сервер Server-Sent Events, который вам предстоит дописать.

Run:   python sse_server.py --port 8002        (in class: --host 0.0.0.0)
Check: npm run check-server -- sse 127.0.0.1:8002

Only aiohttp and the standard library. The stream carries the users' events: POST /api/v1/users
creates one (`user.created`), DELETE /api/v1/users/{id} removes one (`user.deleted`).
`?heartbeat=<seconds>` (1-60, default 15) sets the keep-alive comments. The event log, the users
and the stream's headers are here; each TODO is a part of SSE for you to write and names the checks
it makes pass. The complete version: complete/sse_server.py.
"""
import argparse
import asyncio
import json
import re

from aiohttp import web

from listening import announce

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
    """One event on the wire (the WHATWG HTML standard, §9.2 Server-sent events)."""
    # TODO [event-with-id, resume-last-event-id]: give each event its id (event["id"]) in an `id:`
    #   line, so a client that reconnects can say where it stopped (Last-Event-ID).
    # СДЕЛАЙТЕ: добавьте событию строку `id:` с event["id"], чтобы клиент мог продолжить с места обрыва.
    return f"event: {event['event']}\ndata: {json.dumps(event['data'])}\n\n".encode()


def make_app():
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
        # TODO [resume-last-event-id]: a client that sends Last-Event-ID (last_id) missed the events
        #   after it: replay them first (log.after(last_id)).
        # СДЕЛАЙТЕ: клиенту с Last-Event-ID (last_id) сначала отправьте пропущенные события: log.after(last_id).
        backlog = []
        try:
            # TODO [retry-field]: tell the client how long to wait before reconnecting: a `retry:`
            #   field of RETRY_MS milliseconds, before any event.
            # СДЕЛАЙТЕ: сообщите клиенту, через сколько миллисекунд переподключаться: поле `retry:` (RETRY_MS).
            for event in backlog:
                await response.write(frame(event))
            sent = backlog[-1]["id"] if backlog else 0
            while True:
                # TODO [heartbeat-comment]: when no event comes for `heartbeat` seconds, send a comment
                #   line (": keep-alive") so proxies and the client see the stream is alive
                #   (asyncio.wait_for with a timeout).
                # СДЕЛАЙТЕ: если `heartbeat` секунд нет событий, отправьте строку-комментарий (": keep-alive").
                event = await queue.get()
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


async def serve(host, port):
    runner = web.AppRunner(make_app())
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    announce(host, runner.addresses[0][1])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=8002, help="0 picks a free port (printed)")
    arguments = parser.parse_args()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(serve(arguments.host, arguments.port))
    loop.run_forever()
