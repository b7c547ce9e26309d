#!/usr/bin/env python3
"""The seminar's practical task "WebSockets and gRPC in one service", what `npm run check-server --
grpc-websocket` checks: users.proto's UserService over gRPC on --port, and a WebSocket at /events
on --port + 1 (grpcio cannot share its port with a WebSocket server). One store, two doors:

  gRPC CreateUser (OK)                      → every WebSocket gets {"type": "user.created", "user": {...}}
  WebSocket {"type": "user.create", "user": {"name": ..., "email": ...}}
                                            → the user is stored (GetUser/ListUsers over gRPC see it)
                                              and every WebSocket, the sender too, gets user.created
  a refused one (empty name, bad email)     → no event; gRPC: INVALID_ARGUMENT; on the WebSocket only
                                              the sender gets {"type": "error", "code": "INVALID_ARGUMENT", "message": ...}

The user in an event is proto3 JSON (json_format.MessageToDict): lowerCamelCase names (createdAt),
enums by name ("USER_STATUS_ACTIVE"), timestamps as RFC 3339 — what a gRPC client reads, as JSON.
Wirelab looks for /events on the gRPC port first (a Go server can serve both on one port), then on
port + 1. The whole contract: contracts/own-server/PROTOCOL.md, "The grpc-websocket contract".

Run:   python ../generate_grpc_stubs.py; python grpc_websocket_server.py --port 50061
       (gRPC on 50061, the WebSocket on ws://127.0.0.1:50062/events)
Check: npm run check-server -- grpc-websocket 127.0.0.1:50061

Both servers run in one asyncio loop: grpc.aio (python3-grpcio) and the websockets library, its
asyncio API (websockets >= 13, the default from 14 on) or the legacy one Debian 12 ships (10.4).
"""
import argparse
import asyncio
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), os.environ.get("GRPC_STUBS", "gen")))
sys.path.insert(0, os.path.dirname(HERE))

import grpc  # noqa: E402
from google.protobuf import empty_pb2, json_format  # noqa: E402
from wirelab.users.v1 import users_pb2, users_pb2_grpc  # noqa: E402

from listening import announce  # noqa: E402

try:  # websockets >= 13: the asyncio API, websockets.serve itself from 14 on
    from websockets.asyncio.server import serve
    ASYNCIO_API = True
except ImportError:  # websockets 10-12 (Debian 12: 10.4): the legacy API
    from websockets import serve
    ASYNCIO_API = False
from websockets.exceptions import ConnectionClosed  # noqa: E402

import http  # noqa: E402

EVENTS_PATH = "/events"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Refused(Exception):
    """A user the service will not create: the gRPC status code and why."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class Service:
    """The one store both doors use, and the WebSocket clients that hear of its changes."""

    def __init__(self):
        self.users = {}
        self.next_id = 1
        self.clients = set()

    def create(self, request):
        if not request.name.strip():
            raise Refused(grpc.StatusCode.INVALID_ARGUMENT, "name must not be empty")
        if not EMAIL.match(request.email):
            raise Refused(grpc.StatusCode.INVALID_ARGUMENT, "email must look like x@y.z")
        if any(user.email.lower() == request.email.lower() for user in self.users.values()):
            raise Refused(grpc.StatusCode.ALREADY_EXISTS, "this email is taken")
        user = users_pb2.User(id=self.next_id, name=request.name.strip(), email=request.email, version=1,
                              status=request.status or users_pb2.USER_STATUS_ACTIVE,
                              roles=list(request.roles) or [users_pb2.ROLE_READER])
        user.created_at.GetCurrentTime()
        user.updated_at.CopyFrom(user.created_at)
        self.users[user.id] = user
        self.next_id += 1
        return user

    async def publish(self, event_type, user):
        """Sends the event to every open WebSocket; a client gone meanwhile is skipped, never fatal."""
        text = json.dumps({"type": event_type, "user": json_format.MessageToDict(user)}, ensure_ascii=False)
        for client in list(self.clients):
            try:
                await client.send(text)
            except ConnectionClosed:
                self.clients.discard(client)


class Users(users_pb2_grpc.UserServiceServicer):
    def __init__(self, service):
        self.service = service

    def _find(self, request):
        if request.WhichOneof("key") == "id":
            return self.service.users.get(request.id)
        return next((u for u in self.service.users.values() if u.email.lower() == request.email.lower()), None)

    async def GetUser(self, request, context):
        user = self._find(request)
        if user is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such user")
        return users_pb2.GetUserResponse(user=user)

    async def CreateUser(self, request, context):
        try:
            user = self.service.create(request)
        except Refused as refused:
            await context.abort(refused.code, str(refused))
        await self.service.publish("user.created", user)
        return users_pb2.CreateUserResponse(user=user)

    async def DeleteUser(self, request, context):
        user = self.service.users.pop(request.id, None)
        if user is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such user")
        await self.service.publish("user.deleted", user)
        return empty_pb2.Empty()

    async def ListUsers(self, request, context):
        users = sorted(self.service.users.values(), key=lambda u: u.id)
        for position, user in enumerate(users[: request.max_users or None], start=1):
            yield users_pb2.ListUsersResponse(user=user, position=position)


def make_events_handler(service):
    async def events(websocket, path=None):
        service.clients.add(websocket)
        try:
            async for message in websocket:
                await on_message(service, websocket, message)
        except ConnectionClosed:
            pass
        finally:
            service.clients.discard(websocket)  # a closed client is forgotten

    return events


async def on_message(service, websocket, message):
    """{"type": "user.create", "user": {...}}: store and publish; anything else: an error to the sender alone."""
    try:
        asked = json.loads(message)
        if not isinstance(asked, dict) or asked.get("type") != "user.create" or not isinstance(asked.get("user"), dict):
            raise Refused(grpc.StatusCode.INVALID_ARGUMENT, 'expected {"type": "user.create", "user": {"name": ..., "email": ...}}')
        request = json_format.ParseDict(asked["user"], users_pb2.CreateUserRequest())
        user = service.create(request)
    except (ValueError, json_format.ParseError) as error:
        return await websocket.send(json.dumps({"type": "error", "code": "INVALID_ARGUMENT", "message": str(error)}))
    except Refused as refused:
        return await websocket.send(json.dumps({"type": "error", "code": refused.code.name, "message": str(refused)}))
    await service.publish("user.created", user)


def only_events_path(connection, request):
    """Any other path is refused before the handshake: 404, no WebSocket (the asyncio API)."""
    if request.path.split("?")[0] != EVENTS_PATH:
        return connection.respond(http.HTTPStatus.NOT_FOUND, "no WebSocket here\n")
    return None


async def only_events_path_legacy(path, request_headers):
    """The same with the legacy API, which passes the path and the headers."""
    if path.split("?")[0] != EVENTS_PATH:
        return http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")], b"no WebSocket here\n"
    return None


async def start_both(host, port, service):
    """gRPC on `port` and the WebSocket on port + 1; with --port 0, tries free ports until both fit."""
    for _ in range(20):
        server = grpc.aio.server()
        users_pb2_grpc.add_UserServiceServicer_to_server(Users(service), server)
        bound = server.add_insecure_port(f"{host}:{port}")
        try:
            refuse = only_events_path if ASYNCIO_API else only_events_path_legacy
            events = await serve(make_events_handler(service), host, bound + 1, process_request=refuse, compression=None)
        except OSError:
            await server.stop(None)  # let go of the gRPC port it bound
            if port:
                sys.exit(f"port {bound + 1} (the WebSocket's) is taken / порт {bound + 1} (для WebSocket) занят")
            continue
        await server.start()
        return server, events, bound
    sys.exit("no two free ports next to each other / не нашлось двух свободных портов подряд")


async def main(host, port):
    service = Service()
    server, events, bound = await start_both(host, port, service)
    announce(host, bound)
    print(f"WebSocket: ws://{host}:{bound + 1}{EVENTS_PATH}", flush=True)
    try:
        await server.wait_for_termination()
    finally:
        events.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=50061, help="gRPC; the WebSocket is on the next port. 0 picks free ones (printed)")
    arguments = parser.parse_args()
    try:
        asyncio.run(main(arguments.host, arguments.port))
    except KeyboardInterrupt:
        pass
