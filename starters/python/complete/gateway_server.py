#!/usr/bin/env python3
"""A REST gateway in front of the gRPC UserService, written by hand with aiohttp and grpcio's
asyncio client: the routes users.proto's google.api.http annotations give, as grpc-gateway would
serve them. What `npm run check-server -- gateway` checks.

Run the gRPC server first (python ../generate_grpc_stubs.py makes the stubs once), then this:
  python grpc_server.py --port 50051
  python gateway_server.py --port 8080 --grpc 127.0.0.1:50051
Check: npm run check-server -- gateway 127.0.0.1:8080

  GET    /v1/users/{id}   GetUser     the path variable fills `id`
  POST   /v1/users        CreateUser  body: "*" (the whole JSON body is the request)
  PATCH  /v1/users/{id}   UpdateUser  body: "*", then `id` from the path (the path wins)
  DELETE /v1/users/{id}   DeleteUser  answers {} (google.protobuf.Empty) with 200
  GET    /v1/users        ListUsers   query parameters (?maxUsers=2&filter.query=ada); a line
                                      {"result": …} per message of the server stream

JSON is proto3's JSON mapping (google.protobuf.json_format): lowerCamelCase names, enums by name,
unknown fields refused. A gRPC error becomes grpc-gateway's answer: the HTTP status of its code
(runtime/errors.go, HTTPStatusFromCode) and the google.rpc.Status as JSON, {"code", "message",
"details"}, with the details the service put in grpc-status-details-bin.
Debian: python3-aiohttp, python3-grpcio, python3-protobuf. pip: aiohttp, grpcio, protobuf.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.environ.get("GRPC_STUBS", os.path.join("..", "gen"))))
sys.path.insert(0, os.path.dirname(HERE))  # listening.py

import grpc  # noqa: E402
from aiohttp import web  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402,F401  (error_details: the details' types, for their JSON)
from listening import announce  # noqa: E402
from wirelab.users.v1 import users_pb2, users_pb2_grpc  # noqa: E402

# grpc-gateway's runtime.HTTPStatusFromCode, code by code
HTTP_STATUS = {
    grpc.StatusCode.OK: 200, grpc.StatusCode.CANCELLED: 499, grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 400, grpc.StatusCode.DEADLINE_EXCEEDED: 504, grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409, grpc.StatusCode.PERMISSION_DENIED: 403, grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429, grpc.StatusCode.FAILED_PRECONDITION: 400, grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.OUT_OF_RANGE: 400, grpc.StatusCode.UNIMPLEMENTED: 501, grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNAVAILABLE: 503, grpc.StatusCode.DATA_LOSS: 500,
}


def status_json(code, message, details=()):
    return {"code": code.value[0], "message": message, "details": [json_format.MessageToDict(any_) for any_ in details]}


def error_response(code, message, details=()):
    return web.json_response(status_json(code, message, details), status=HTTP_STATUS.get(code, 500))


def rpc_error_status(error):
    """The google.rpc.Status of a failed call: its details from grpc-status-details-bin, if sent."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            return error.code(), status.message or error.details() or "", status.details
    return error.code(), error.details() or "", ()


def message_json(message):
    return json_format.MessageToDict(message)  # lowerCamelCase, enums by name (proto3 JSON)


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
        try:
            return web.json_response(message_json(await method(request)))
        except grpc.aio.AioRpcError as error:
            return error_response(*rpc_error_status(error))

    async def get_user(self, http_request):
        return await self.unary(self.users.GetUser, users_pb2.GetUserRequest(id=path_id(http_request)))

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
        request = users_pb2.ListUsersRequest()
        parse_or_400(lambda: json_format.ParseDict(query_fields(http_request.query), request))
        call = self.users.ListUsers(request)
        response = None
        try:
            async for message in call:
                if response is None:
                    response = web.StreamResponse(headers={"Content-Type": "application/json"})
                    await response.prepare(http_request)
                await response.write((json.dumps({"result": message_json(message)}) + "\n").encode())
        except grpc.aio.AioRpcError as error:
            if response is None:
                return error_response(*rpc_error_status(error))
            # the stream failed after its head went out: a last line says why (grpc-gateway does the same)
            await response.write((json.dumps({"error": status_json(*rpc_error_status(error))}) + "\n").encode())
        if response is None:
            return web.Response(status=200, content_type="application/json", text="")
        await response.write_eof()
        return response


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
    """What grpc-gateway answers itself: a bad body or parameter, a path or method no rule has."""
    try:
        return await handler(http_request)
    except BadRequest as error:
        return error_response(grpc.StatusCode.INVALID_ARGUMENT, str(error))
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
    site = web.TCPSite(runner, host, port)
    await site.start()
    announce(host, runner.addresses[0][1])
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    import asyncio

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class, so Wirelab on the teacher's machine can reach you")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port (printed)")
    parser.add_argument("--grpc", default="127.0.0.1:50051", help="host:port of the gRPC UserService")
    arguments = parser.parse_args()
    try:
        asyncio.run(serve(arguments.host, arguments.port, arguments.grpc))
    except KeyboardInterrupt:
        pass
