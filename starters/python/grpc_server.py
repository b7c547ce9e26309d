#!/usr/bin/env python3
"""A gRPC server for you to finish: wirelab.users.v1.UserService and grpc.health.v1.Health over
h2c, what `npm run check-server -- grpc` checks. gRPC-сервер, который вам предстоит дописать.
Plain grpcio; the stubs come from generate_grpc_stubs.py.

Run:   python generate_grpc_stubs.py; python grpc_server.py --port 50051        (in class: --host 0.0.0.0)
Check: npm run check-server -- grpc 127.0.0.1:50051

The store and every method are here; each TODO is a part of gRPC for you to write (status codes,
the health service) and names the checks it makes pass. The complete version: complete/grpc_server.py.

It offers plain gRPC only: the checks for gRPC-Web, Connect and reflection say "not offered".
Deadlines: grpcio ends a call whose grpc-timeout passed with DEADLINE_EXCEEDED by itself; the
handlers also stop working once `context.is_active()` is false.

Every kind of call is here, so a lesson's gRPC cell aimed at this server ("my server") can try
each one: GetUser/CreateUser/DeleteUser (unary), ListUsers (server streaming), CreateUsers
(client streaming) and Chat (bidirectional). CreateUser's INVALID_ARGUMENT carries error details
(google.rpc.BadRequest in grpc-status-details-bin), as rich gRPC errors do.
"""
import argparse
import os
import re
import sys
import threading
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.environ.get("GRPC_STUBS", "gen")))
sys.path.insert(0, HERE)

import grpc  # noqa: E402
from google.protobuf import empty_pb2, timestamp_pb2  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402
from health.v1 import health_pb2, health_pb2_grpc  # noqa: E402
from wirelab.users.v1 import users_pb2, users_pb2_grpc  # noqa: E402

from listening import announce  # noqa: E402

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Users(users_pb2_grpc.UserServiceServicer):
    def __init__(self):
        self.lock = threading.Lock()
        self.users = {}
        self.next_id = 1
        for name in ("Ada Lovelace", "Alan Turing", "Grace Hopper"):
            self._add(name, name.split()[0].lower() + "@example.com")

    def _add(self, name, email):
        user = users_pb2.User(id=self.next_id, name=name, email=email, version=1)
        user.created_at.GetCurrentTime()
        self.users[user.id] = user
        self.next_id += 1
        return user

    def _find(self, request, context):
        user = self.users.get(request.id) if request.WhichOneof("key") == "id" else next(
            (u for u in self.users.values() if u.email == request.email), None)
        # TODO [not-found-status]: no such user is not an empty answer: end the call with the status
        #   NOT_FOUND and a message (context.abort).
        # СДЕЛАЙТЕ: если пользователя нет, завершите вызов статусом NOT_FOUND с сообщением (context.abort).
        return user

    def GetUser(self, request, context):
        return users_pb2.GetUserResponse(user=self._find(request, context))

    def _create(self, request):
        """The new user, or (code, message, violations) saying why not."""
        # TODO [invalid-argument-status]: an empty name or an email that does not match EMAIL is the
        #   caller's mistake: return (grpc.StatusCode.INVALID_ARGUMENT, message, [(field, why), ...]).
        # СДЕЛАЙТЕ: пустое имя или email не по шаблону EMAIL — ошибка клиента: верните INVALID_ARGUMENT.
        with self.lock:
            if any(u.email.lower() == request.email.lower() for u in self.users.values()):
                return grpc.StatusCode.ALREADY_EXISTS, "this email is taken", []
            return self._add(request.name.strip(), request.email)

    def CreateUser(self, request, context):
        created = self._create(request)
        if isinstance(created, tuple):
            code, message, violations = created
            if violations:
                # the details: a google.rpc.Status whose details hold a BadRequest, in the trailer
                # grpc-status-details-bin (what grpcio-status's abort_with_status would send)
                bad_request = error_details_pb2.BadRequest(field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=field, description=text) for field, text in violations])
                status = status_pb2.Status(code=code.value[0], message=message)
                status.details.add().Pack(bad_request)
                context.set_trailing_metadata((("grpc-status-details-bin", status.SerializeToString()),))
            context.abort(code, message)
        return users_pb2.CreateUserResponse(user=created)

    def CreateUsers(self, request_iterator, context):
        response = users_pb2.CreateUsersResponse()
        for index, item in enumerate(request_iterator):
            created = self._create(item.user)
            result = response.results.add(index=index)
            if isinstance(created, tuple):
                result.error.code, result.error.message = created[0].value[0], created[1]
                response.failed += 1
            else:
                result.user.CopyFrom(created)
                response.created += 1
        return response

    def Chat(self, request_iterator, context):
        for said in request_iterator:
            user = self.users.get(said.user_id)
            now = timestamp_pb2.Timestamp()
            now.GetCurrentTime()
            if user is None or not said.text.strip():
                yield users_pb2.ChatResponse(time=now, notice=users_pb2.ChatResponse.Notice(text="no such user" if user is None else "say something"))
            else:
                yield users_pb2.ChatResponse(time=now, said=users_pb2.ChatResponse.Said(user_id=user.id, user_name=user.name, text=said.text))

    def DeleteUser(self, request, context):
        with self.lock:
            if self.users.pop(request.id, None) is None:
                context.abort(grpc.StatusCode.NOT_FOUND, "no such user")
        return empty_pb2.Empty()

    def ListUsers(self, request, context):
        users = sorted(self.users.values(), key=lambda u: u.id)
        if request.max_users:
            users = users[: request.max_users]
        pause = threading.Event()
        context.add_callback(pause.set)  # the call ended (deadline, cancel): stop waiting at once
        for position, user in enumerate(users, start=1):
            if position > 1 and pause.wait(request.interval_ms / 1000):
                return
            yield users_pb2.ListUsersResponse(user=user, position=position)


class Health(health_pb2_grpc.HealthServicer):
    """grpc.health.v1.Health: load balancers and Kubernetes ask it whether the server serves."""

    # TODO [health-serving]: answer Check(request, context) with a HealthCheckResponse whose status
    #   is SERVING (health_pb2.HealthCheckResponse.SERVING); until then the base class says UNIMPLEMENTED.
    # СДЕЛАЙТЕ: метод Check должен отвечать HealthCheckResponse со статусом SERVING.


def main(host, port):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    users_pb2_grpc.add_UserServiceServicer_to_server(Users(), server)
    health_pb2_grpc.add_HealthServicer_to_server(Health(), server)
    bound = server.add_insecure_port(f"{host}:{port}")
    server.start()
    announce(host, bound)
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        server.stop(grace=2).wait()  # graceful: running calls get 2 s to finish


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=50051, help="0 picks a free port (printed)")
    arguments = parser.parse_args()
    main(arguments.host, arguments.port)
