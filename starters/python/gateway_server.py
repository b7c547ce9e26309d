#!/usr/bin/env python3
"""A REST gateway for you to finish, in front of your gRPC UserService (aiohttp and grpcio's
asyncio client): the routes users.proto's google.api.http annotations give, as grpc-gateway serves
them. What `npm run check-server -- gateway` checks.
REST-шлюз перед вашим gRPC-сервисом UserService, который вам предстоит дописать.

Run your gRPC server first (python generate_grpc_stubs.py makes the stubs once), then this:
  python grpc_server.py --port 50051
  python gateway_server.py --port 8090 --grpc 127.0.0.1:50051        (in class: --host 0.0.0.0)
Check: npm run check-server -- gateway 127.0.0.1:8090

  GET    /v1/users/{id}   GetUser     the path variable fills `id`
  POST   /v1/users        CreateUser  body: "*" (the whole JSON body is the request)
  PATCH  /v1/users/{id}   UpdateUser  body: "*", then `id` from the path (the path wins)
  DELETE /v1/users/{id}   DeleteUser  answers {} (google.protobuf.Empty) with 200
  GET    /v1/users        ListUsers   query parameters (?maxUsers=2&filter.query=ada); a line
                                      {"result": …} per message of the server stream

The routes, the gRPC channel and the JSON helpers are here, and POST, PATCH and DELETE are written
as examples; each TODO is a part of the gateway for you to write and names the checks it makes
pass. grpc-gateway's own code is the reference: runtime/errors.go (HTTPStatusFromCode,
DefaultHTTPErrorHandler), runtime/query.go. The complete version: complete/gateway_server.py.
"""
import argparse
import asyncio
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.environ.get("GRPC_STUBS", "gen")))
sys.path.insert(0, HERE)

import grpc  # noqa: E402
from aiohttp import web  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402,F401  (error_details: the details' types, for their JSON)
from listening import announce  # noqa: E402
from wirelab.users.v1 import users_pb2, users_pb2_grpc  # noqa: E402

# TODO [invalid-argument-400, already-exists-409, not-found-404]: the HTTP status of each gRPC code,
#   as grpc-gateway's runtime.HTTPStatusFromCode gives it (runtime/errors.go): INVALID_ARGUMENT,
#   FAILED_PRECONDITION and OUT_OF_RANGE → 400, NOT_FOUND → 404, ALREADY_EXISTS and ABORTED → 409,
#   UNIMPLEMENTED → 501, UNAVAILABLE → 503 and the rest of the table there.
# СДЕЛАЙТЕ: заполните таблицу «код gRPC → статус HTTP», как в runtime.HTTPStatusFromCode у grpc-gateway.
HTTP_STATUS = {
    grpc.StatusCode.OK: 200,
}


def status_json(code, message, details=()):
    """A google.rpc.Status in JSON: the gRPC code as a number, its message and its details."""
    return {"code": code.value[0], "message": message, "details": [json_format.MessageToDict(any_) for any_ in details]}


def error_response(code, message, details=()):
    """The gateway's answer to a call that ended with an error (or that it refused itself)."""
    # TODO [invalid-argument-400, already-exists-409, not-found-404, delete-empty-200]: answer as
    #   grpc-gateway does: the HTTP status of the code (HTTP_STATUS; 500 for a code not in it) and,
    #   as the body, application/json with the google.rpc.Status (status_json), not a line of text.
    # СДЕЛАЙТЕ: отвечайте, как grpc-gateway: статус HTTP по коду (HTTP_STATUS) и JSON-тело google.rpc.Status (status_json).
    return web.Response(status=500, text=f"{code.name}: {message}")


def rpc_error_status(error):
    """The google.rpc.Status of a failed call: its details from grpc-status-details-bin, if sent."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            return error.code(), status.message or error.details() or "", status.details
    return error.code(), error.details() or "", ()


def message_json(message):
    """A protobuf message as the gateway writes it."""
    # TODO [proto3-json-names]: proto3's JSON mapping names fields in lowerCamelCase (createdAt, not
    #   created_at) and writes enums by name: MessageToDict does that by default; the option below
    #   keeps the .proto's snake_case names instead.
    # СДЕЛАЙТЕ: в JSON proto3 имена полей — в lowerCamelCase (createdAt), а не как в .proto (created_at).
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


class Gateway:
    def __init__(self, grpc_target):
        self.grpc_target = grpc_target
        self.users = None

    async def open(self, _app):
        self.channel = grpc.aio.insecure_channel(self.grpc_target)
        self.users = users_pb2_grpc.UserServiceStub(self.channel)

    async def close(self, _app):
        await self.channel.close()

    async def unary(self, method, request):
        """Calls one unary method: its answer as JSON with 200, or its error as the gateway answers it."""
        try:
            return web.json_response(message_json(await method(request)))
        except grpc.aio.AioRpcError as error:
            return error_response(*rpc_error_status(error))

    async def get_user(self, http_request):
        # TODO [get-path-variable, not-found-404, delete-empty-200]: GET /v1/users/{id} is GetUser,
        #   the path variable {id} filling the request's `id` (path_id); GET has no body.
        #   delete_user below is the same shape.
        # СДЕЛАЙТЕ: GET /v1/users/{id} — это GetUser, а переменная пути {id} заполняет поле id запроса (как в delete_user).
        return error_response(grpc.StatusCode.UNIMPLEMENTED, "GET /v1/users/{id} is not written yet")

    async def create_user(self, http_request):
        request = await body_message(http_request, users_pb2.CreateUserRequest())  # body: "*"
        return await self.unary(self.users.CreateUser, request)

    async def update_user(self, http_request):
        request = await body_message(http_request, users_pb2.UpdateUserRequest())  # body: "*"
        request.id = path_id(http_request)  # then the path variable, which wins
        return await self.unary(self.users.UpdateUser, request)

    async def delete_user(self, http_request):
        return await self.unary(self.users.DeleteUser, users_pb2.DeleteUserRequest(id=path_id(http_request)))

    async def list_users(self, http_request):
        # TODO [list-query-stream]: GET /v1/users is ListUsers, a server stream. Its request comes
        #   from the query: query_fields(http_request.query) gives {"maxUsers": "1", …}, and
        #   parse_or_400(lambda: json_format.ParseDict(…, request)) fills the message. Then write
        #   each message of the stream (async for … in self.users.ListUsers(request)) as one line
        #   {"result": message_json(message)} on a web.StreamResponse (application/json); an error
        #   before the first message is error_response(*rpc_error_status(error)).
        # СДЕЛАЙТЕ: GET /v1/users — это серверный поток ListUsers: запрос из параметров строки запроса, каждое сообщение — строка {"result": …}.
        return error_response(grpc.StatusCode.UNIMPLEMENTED, "GET /v1/users is not written yet")


class BadRequest(Exception):
    pass


def parse_or_400(parse):
    try:
        return parse()
    except (json_format.ParseError, ValueError) as error:
        raise BadRequest(str(error)) from error


def path_id(http_request):
    text = http_request.match_info["id"]
    if not text.isdigit() or int(text) > 0xFFFFFFFF:
        raise BadRequest(f'"{text}" is not a uint32 id')
    return int(text)


async def body_message(http_request, message):
    text = await http_request.text()
    return parse_or_400(lambda: json_format.Parse(text, message))


def query_fields(query):
    """?maxUsers=2&filter.query=ada → {"maxUsers": "2", "filter": {"query": "ada"}}; repeated names make lists."""
    fields = {}
    for name in query.keys():
        *parents, leaf = name.split(".")
        target = fields
        for parent in parents:
            target = target.setdefault(parent, {})
        values = query.getall(name)
        target[leaf] = values if len(values) > 1 else values[0]
    return fields


@web.middleware
async def gateway_errors(http_request, handler):
    """What grpc-gateway answers itself, without calling the service: a path or method no rule has."""
    try:
        return await handler(http_request)
    # TODO [malformed-json-400]: a body or a path variable the gateway cannot read (BadRequest, from
    #   parse_or_400 and path_id) is the client's mistake: the gateway answers INVALID_ARGUMENT
    #   itself (error_response), and the service is never called. Uncaught, it is a 500.
    # СДЕЛАЙТЕ: тело или переменную пути, которые шлюз не может разобрать (BadRequest), он сам отклоняет с INVALID_ARGUMENT, а не 500.
    except web.HTTPMethodNotAllowed:
        return error_response(grpc.StatusCode.UNIMPLEMENTED, "Method Not Allowed")
    except web.HTTPNotFound:
        return error_response(grpc.StatusCode.NOT_FOUND, "Not Found")


def make_app(grpc_target):
    gateway = Gateway(grpc_target)
    app = web.Application(middlewares=[gateway_errors], client_max_size=64 * 1024)
    app.on_startup.append(gateway.open)
    app.on_cleanup.append(gateway.close)
    app.router.add_get("/v1/users/{id}", gateway.get_user)
    app.router.add_post("/v1/users", gateway.create_user)
    app.router.add_patch("/v1/users/{id}", gateway.update_user)
    app.router.add_delete("/v1/users/{id}", gateway.delete_user)
    app.router.add_get("/v1/users", gateway.list_users)
    return app


async def serve(host, port, grpc_target):
    runner = web.AppRunner(make_app(grpc_target))
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    announce(host, runner.addresses[0][1])
    print(f"gateway → gRPC {grpc_target}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=8090, help="0 picks a free port (printed)")
    parser.add_argument("--grpc", default="127.0.0.1:50051", help="host:port of your gRPC UserService")
    arguments = parser.parse_args()
    try:
        asyncio.run(serve(arguments.host, arguments.port, arguments.grpc))
    except KeyboardInterrupt:
        pass
