#!/usr/bin/python3
"""Interop: Debian's python3-grpcio (the C-core gRPC client) against Wirelab's gRPC server.

No generated stubs: the first calls use grpc's generic multicallables with protobuf bytes
encoded by hand; then the script asks the server's reflection service for the .proto files,
builds message classes from those descriptors with python3-protobuf, and calls UserService with
them. Prints one JSON object of what it observed; exits 1 on the first check that fails.

usage: grpc_interop.py HOST:PORT SANDBOX
"""
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

TARGET, SANDBOX = sys.argv[1], sys.argv[2]
METADATA = (("x-wirelab-sandbox", SANDBOX),)
observed = {}


def check(condition, what):
    if not condition:
        print(json.dumps({"failed": what, "observed": observed}, default=str))
        sys.exit(1)


# --- protobuf wire format by hand: varints and length-delimited fields ---

def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3 | 0) + varint(value)


def field_bytes(number, value):
    if isinstance(value, str):
        value = value.encode("utf-8")
    return varint(number << 3 | 2) + varint(len(value)) + value


def read_varint(data, i):
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i


def decode(data):
    """{field number: [values]}: ints for varints, bytes for length-delimited fields."""
    fields, i = {}, 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, i = read_varint(data, i)
        elif wire_type == 2:
            length, i = read_varint(data, i)
            value, i = bytes(data[i:i + length]), i + length
        elif wire_type == 1:
            value, i = bytes(data[i:i + 8]), i + 8
        elif wire_type == 5:
            value, i = bytes(data[i:i + 4]), i + 4
        else:
            raise ValueError("unexpected wire type %d" % wire_type)
        fields.setdefault(number, []).append(value)
    return fields


def identity(b):
    return b


channel = grpc.insecure_channel(TARGET)
grpc.channel_ready_future(channel).result(timeout=10)

# --- grpc.health.v1.Health/Check, hand-encoded ---
check_call = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=identity, response_deserializer=identity)
health = decode(check_call(b"", timeout=10))
observed["health_overall"] = health.get(1, [0])[0]
check(observed["health_overall"] == 1, "Health.Check('') is SERVING (1)")
health_users = decode(check_call(field_bytes(1, "wirelab.users.v1.UserService"), timeout=10))
observed["health_users"] = health_users.get(1, [0])[0]
try:
    check_call(field_bytes(1, "no.such.Service"), timeout=10)
    check(False, "Health.Check of an unknown service fails")
except grpc.RpcError as error:
    observed["health_unknown"] = error.code().name

# --- UserService/GetUser, hand-encoded: GetUserRequest{id: 1} = field 1 varint ---
get_raw = channel.unary_unary("/wirelab.users.v1.UserService/GetUser", request_serializer=identity, response_deserializer=identity)
response = decode(get_raw(field_varint(1, 1), timeout=10, metadata=METADATA))
user = decode(response[1][0])
observed["raw_get_user"] = {"id": user[1][0], "name": user[2][0].decode("utf-8"), "email": user[3][0].decode("utf-8")}
check(observed["raw_get_user"]["name"] == "Ada Lovelace", "GetUser(1) by hand-encoded bytes is Ada Lovelace")

# --- reflection: list the services, fetch the files, build message classes ---
reflect = channel.stream_stream(
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", request_serializer=identity, response_deserializer=identity
)
questions = [
    field_bytes(7, ""),  # list_services
    field_bytes(4, "wirelab.users.v1.UserService"),  # file_containing_symbol
    field_bytes(3, "google/rpc/error_details.proto"),  # file_by_filename
]
answers = [decode(a) for a in reflect(iter(questions), timeout=10)]
check(len(answers) == 3, "reflection answers every question")
services = [decode(s)[1][0].decode() for s in decode(answers[0][6][0]).get(1, [])]
observed["reflection_services"] = services
check("wirelab.users.v1.UserService" in services, "reflection lists UserService")

pool = descriptor_pool.DescriptorPool()
files = {}
for answer in answers[1:]:
    for raw in decode(answer[4][0]).get(1, []):
        proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
        files[proto.name] = proto


def add(name):
    if name in added:
        return
    for dependency in files[name].dependency:
        add(dependency)
    pool.Add(files[name])
    added.add(name)


added = set()
for name in files:
    add(name)
observed["reflected_files"] = sorted(files)


def message_class(full_name):
    descriptor = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


CreateUserRequest = message_class("wirelab.users.v1.CreateUserRequest")
CreateUserResponse = message_class("wirelab.users.v1.CreateUserResponse")
GetUserRequest = message_class("wirelab.users.v1.GetUserRequest")
GetUserResponse = message_class("wirelab.users.v1.GetUserResponse")
ListUsersRequest = message_class("wirelab.users.v1.ListUsersRequest")
ListUsersResponse = message_class("wirelab.users.v1.ListUsersResponse")
CreateUsersRequest = message_class("wirelab.users.v1.CreateUsersRequest")
CreateUsersResponse = message_class("wirelab.users.v1.CreateUsersResponse")
ChatRequest = message_class("wirelab.users.v1.ChatRequest")
ChatResponse = message_class("wirelab.users.v1.ChatResponse")
Status = message_class("google.rpc.Status")
ErrorInfo = message_class("google.rpc.ErrorInfo")
BadRequest = message_class("google.rpc.BadRequest")

create_user = channel.unary_unary(
    "/wirelab.users.v1.UserService/CreateUser",
    request_serializer=lambda m: m.SerializeToString(),
    response_deserializer=CreateUserResponse.FromString,
)
get_user = channel.unary_unary(
    "/wirelab.users.v1.UserService/GetUser",
    request_serializer=lambda m: m.SerializeToString(),
    response_deserializer=GetUserResponse.FromString,
)
list_users = channel.unary_stream(
    "/wirelab.users.v1.UserService/ListUsers",
    request_serializer=lambda m: m.SerializeToString(),
    response_deserializer=ListUsersResponse.FromString,
)

request = CreateUserRequest(name="Python Interop", email="python@example.com", roles=[2, 3], phone="+31 20 555 0199")
request.metadata["client"] = "grpcio"
created = create_user(request, timeout=10, metadata=METADATA).user
observed["created"] = {
    "id": created.id,
    "name": created.name,
    "roles": list(created.roles),
    "phone": created.phone,
    "has_phone": created.HasField("phone"),
    "metadata": dict(created.metadata),
    "version": created.version,
    "created_at_seconds": created.created_at.seconds,
}
fetched = get_user(GetUserRequest(id=created.id), timeout=10, metadata=METADATA).user
check(fetched.email == "python@example.com", "the created user can be fetched in the same sandbox")

streamed = [(m.position, m.user.id) for m in list_users(ListUsersRequest(max_users=3), timeout=10, metadata=METADATA)]
observed["streamed"] = streamed

# --- client streaming: three users in, half-close, one answer with an outcome per user ---
create_users = channel.stream_unary(
    "/wirelab.users.v1.UserService/CreateUsers",
    request_serializer=lambda m: m.SerializeToString(),
    response_deserializer=CreateUsersResponse.FromString,
)


def users_to_create():
    yield CreateUsersRequest(user=CreateUserRequest(name="Stream One", email="stream-one@example.com"))
    yield CreateUsersRequest(user=CreateUserRequest(name="Stream Two", email="stream-two@example.com"))
    yield CreateUsersRequest(user=CreateUserRequest(name="Bad Email", email="not-an-email"))


batch = create_users(users_to_create(), timeout=10, metadata=METADATA)
observed["client_stream"] = {
    "created": batch.created,
    "failed": batch.failed,
    "outcomes": [r.WhichOneof("outcome") for r in batch.results],
    "emails": [r.user.email for r in batch.results if r.WhichOneof("outcome") == "user"],
}

# --- bidirectional streaming: say two things, read both back, half-close ---
chat = channel.stream_stream(
    "/wirelab.users.v1.UserService/Chat",
    request_serializer=lambda m: m.SerializeToString(),
    response_deserializer=ChatResponse.FromString,
)
said = []
for response in chat(iter([ChatRequest(user_id=1, text="hello from python"), ChatRequest(user_id=2, text="and back")]), timeout=10, metadata=METADATA):
    if response.WhichOneof("event") == "said":
        said.append([response.said.user_name, response.said.text])
    if len(said) == 2:
        break
observed["bidi"] = said


def rich_error(error):
    """The google.rpc.Status of grpc-status-details-bin, with its details unpacked."""
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    if raw is None:
        return None
    status = Status.FromString(raw)
    details = []
    for any_detail in status.details:
        type_name = any_detail.type_url.split("/")[-1]
        cls = {"google.rpc.ErrorInfo": ErrorInfo, "google.rpc.BadRequest": BadRequest}.get(type_name)
        details.append({"type": type_name, "value": str(cls.FromString(any_detail.value)) if cls else None})
        if type_name == "google.rpc.ErrorInfo":
            details[-1]["reason"] = ErrorInfo.FromString(any_detail.value).reason
        if type_name == "google.rpc.BadRequest":
            details[-1]["fields"] = [v.field for v in BadRequest.FromString(any_detail.value).field_violations]
    return {"code": status.code, "message": status.message, "details": details}


try:
    get_user(GetUserRequest(id=987654), timeout=10, metadata=METADATA)
    check(False, "GetUser of a missing user fails")
except grpc.RpcError as error:
    observed["not_found"] = {"code": error.code().name, "details": error.details(), "status": rich_error(error)}

try:
    create_user(CreateUserRequest(name="Bad", email="not-an-email"), timeout=10, metadata=METADATA)
    check(False, "CreateUser with a bad email fails")
except grpc.RpcError as error:
    observed["invalid"] = {"code": error.code().name, "status": rich_error(error)}

# --- a deadline the server enforces: LabService/Slow{millis: 5000} (field 1) with 300 ms ---
slow = channel.unary_unary("/wirelab.lab.v1.LabService/Slow", request_serializer=identity, response_deserializer=identity)
try:
    slow(field_varint(1, 5000), timeout=0.3, metadata=METADATA)
    check(False, "Slow(5000) with a 300 ms deadline fails")
except grpc.RpcError as error:
    observed["deadline"] = error.code().name

channel.close()
print(json.dumps(observed, default=str))
