#!/usr/bin/env python3
"""A GraphQL server for you to finish: /graphql, what `npm run check-server -- graphql` checks.
GraphQL-сервер, который вам предстоит дописать.

Run:   python graphql_server.py --port 8004        (in class: --host 0.0.0.0)
Check: npm run check-server -- graphql 127.0.0.1:8004

The schema, the resolvers and most of both transports are here; each TODO is a part of GraphQL
over HTTP or of graphql-transport-ws for you to write and names the checks it makes pass.
The complete version: complete/graphql_server.py.

Only graphql-core (3, as pip installs it, or 2.3.2, Debian 12's python3-graphql-core: the
few places the two APIs differ are in "graphql-core 2 and 3" below), aiohttp and the standard
library. A part of Wirelab's schema (server/protocols/graphql/README.md): users and their posts,
createUser, deleteUser, createPost, and the userChanged subscription.
  HTTP  GraphQL over HTTP: POST application/json, GET ?query=&variables=&operationName= (queries
        only: a mutation over GET is 405), the answer as application/graphql-response+json or
        application/json as Accept asks, a document that cannot run is 400 with the first and
        200 with the second; documents deeper than 8 levels are refused.
  WS    graphql-transport-ws on the same path, with its close codes (4400, 4401, 4408, 4409, 4429).
"""
import argparse
import asyncio
import copy
import json
import re

from aiohttp import WSMsgType, web
from graphql import GraphQLError, build_ast_schema, execute, parse, validate

from listening import announce

# ── graphql-core 2 and 3 ──
try:  # graphql-core 3: typed AST node classes, field.resolve, an enum for the operation, error.formatted
    from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode
    from graphql.utilities import get_operation_ast
    GRAPHQL_CORE_3 = True
except ImportError:  # graphql-core 2 (Debian 12): the same nodes without "Node", field.resolver, strings
    from graphql.language.ast import Field as FieldNode, FragmentDefinition as FragmentDefinitionNode
    from graphql.language.ast import FragmentSpread as FragmentSpreadNode, InlineFragment as InlineFragmentNode
    from graphql.utils.get_operation_ast import get_operation_ast
    GRAPHQL_CORE_3 = False


def set_resolver(field, resolve):
    if GRAPHQL_CORE_3:
        field.resolve = resolve
    else:
        field.resolver = resolve


def operation_kind(operation):
    """'query', 'mutation' or 'subscription' (graphql-core 3 has an enum, 2 a string)."""
    return getattr(operation.operation, "value", operation.operation)


def for_events(document):
    """(schema, document) that run a subscription's document once per event, the event as root value.
    graphql-core 3 runs the subscription itself (as its own subscribe does); 2 needs it as a query
    over DELIVERY (its nodes can be changed; 3.3's are frozen)."""
    if GRAPHQL_CORE_3:
        return SCHEMA, document
    document = copy.deepcopy(document)
    for definition in document.definitions:
        if hasattr(definition, "operation"):  # the operation definitions
            definition.operation = "query"
    return DELIVERY, document


def formatted(error):
    """An error as the response shows it (graphql-core 3.3 dropped format_error for error.formatted)."""
    if hasattr(error, "formatted"):
        return error.formatted
    from graphql.error import format_error
    return format_error(error)


def nothing_ran(result):
    """graphql-core 2 marks a request that could not run (bad variables) `invalid`; 3 leaves data None
    with errors that have no path (an execution error has the path of its field)."""
    if hasattr(result, "invalid"):
        return result.invalid and result.data is None
    return result.data is None and all(not error.path for error in result.errors or [])
# ── end of graphql-core 2 and 3 ──


TYPES = """
enum ChangeKind { CREATED UPDATED DELETED }
type User { id: ID! name: String! email: String! posts(first: Int = 10): [Post!]! }
type Post { id: ID! title: String! content: String! author: User! }
type PageInfo { hasNextPage: Boolean! endCursor: String }
type UserConnection { nodes: [User!]! pageInfo: PageInfo! }
type UserChange { kind: ChangeKind! id: ID! user: User }
input CreateUserInput { name: String! email: String! }
input CreatePostInput { authorId: ID! title: String! content: String! }
type Query { user(id: ID!): User users(first: Int = 10): UserConnection! }
type Mutation {
  createUser(input: CreateUserInput!): User!
  deleteUser(id: ID!): ID!
  createPost(input: CreatePostInput!): Post!
}
type Subscription { userChanged: UserChange! }
"""
SCHEMA = build_ast_schema(parse("schema { query: Query mutation: Mutation subscription: Subscription }" + TYPES))
# graphql-core 2 delivers subscription events through Rx, which Debian ships in an incompatible
# version; so there each event is run as a query over this schema, whose query type is Subscription.
DELIVERY = build_ast_schema(parse("schema { query: Subscription }" + TYPES))

MAX_DEPTH = 8
FIRST_MAX = 100
INIT_TIMEOUT_S = 3
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
GRAPHQL_RESPONSE = "application/graphql-response+json"
TRANSPORT = "graphql-transport-ws"


class Store:
    """Users and posts in memory, and the listeners of userChanged."""

    def __init__(self):
        self.users, self.posts, self.listeners = {}, {}, set()
        self.next_id = 1

    def new_id(self):
        self.next_id += 1
        return str(self.next_id - 1)

    def publish(self, kind, user_id, user):
        for queue in list(self.listeners):
            queue.put_nowait({"kind": kind, "id": user_id, "user": user})

    def user_view(self, user):
        """A user as the resolvers see it: posts is a function of `first`, run when asked."""
        return dict(user, posts=lambda first=10: [self.post_view(post) for post in self.posts.values() if post["authorId"] == user["id"]][:first])

    def post_view(self, post):
        return dict(post, author=lambda: self.user_view(self.users[post["authorId"]]))


def bad_input(message):
    return GraphQLError(message)


def install_resolvers(store):
    query, mutation = SCHEMA.get_type("Query"), SCHEMA.get_type("Mutation")
    for schema in (SCHEMA, DELIVERY):
        set_resolver(schema.get_type("User").fields["posts"], lambda user, info, first=10: user["posts"](first))
        set_resolver(schema.get_type("Post").fields["author"], lambda post, info: post["author"]())

    def user(root, info, id):
        found = store.users.get(str(id))
        return store.user_view(found) if found else None

    def users(root, info, first=10):
        if not 1 <= first <= FIRST_MAX:
            raise bad_input(f"first must be 1..{FIRST_MAX}")
        everyone = list(store.users.values())
        return {"nodes": [store.user_view(one) for one in everyone[:first]], "pageInfo": {"hasNextPage": len(everyone) > first, "endCursor": None}}

    def create_user(root, info, input):
        name, email = input["name"].strip(), input["email"]
        if not name or not EMAIL.match(email):
            raise bad_input("name must not be empty and email must be an address")
        if any(other["email"] == email for other in store.users.values()):
            raise bad_input(f"the email {email} is taken")
        made = {"id": store.new_id(), "name": name, "email": email}
        store.users[made["id"]] = made
        store.publish("CREATED", made["id"], store.user_view(made))
        return store.user_view(made)

    def delete_user(root, info, id):
        if store.users.pop(str(id), None) is None:
            raise GraphQLError(f"no user {id}")
        for post_id in [key for key, post in store.posts.items() if post["authorId"] == str(id)]:
            del store.posts[post_id]
        store.publish("DELETED", str(id), None)
        return str(id)

    def create_post(root, info, input):
        if str(input["authorId"]) not in store.users:
            raise GraphQLError(f"no user {input['authorId']}")
        post = {"id": store.new_id(), "title": input["title"], "content": input["content"], "authorId": str(input["authorId"])}
        store.posts[post["id"]] = post
        return store.post_view(post)

    set_resolver(query.fields["user"], user)
    set_resolver(query.fields["users"], users)
    set_resolver(mutation.fields["createUser"], create_user)
    set_resolver(mutation.fields["deleteUser"], delete_user)
    set_resolver(mutation.fields["createPost"], create_post)


def depth(selection_set, fragments, seen=()):
    """How deep the fields nest, through fragments too (a fragment already on the path counts 0)."""
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            deepest = max(deepest, 1 + depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments and selection.name.value not in seen:
            deepest = max(deepest, depth(fragments[selection.name.value].selection_set, fragments, seen + (selection.name.value,)))
    return deepest


class RequestError(Exception):
    """Nothing ran: the answer is errors without data (400 or 200 by media type, or its own status)."""

    def __init__(self, errors, status=None, headers=None):
        super().__init__("request error")
        self.errors, self.status, self.headers = errors, status, headers or {}


def prepared(query, operation_name):
    """Parses and validates `query`, applies the depth limit; the document and its operation."""
    try:
        document = parse(query)
    except GraphQLError as error:
        raise RequestError([formatted(error)])
    errors = validate(SCHEMA, document)
    if errors:
        raise RequestError([formatted(error) for error in errors])
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        raise RequestError([{"message": "Could not tell which operation to run: give operationName."}])
    fragments = {definition.name.value: definition for definition in document.definitions if isinstance(definition, FragmentDefinitionNode)}
    # TODO [depth-limit]: refuse a document nested deeper than MAX_DEPTH before it runs (a deep
    #   query costs the server, not the client): depth(operation.selection_set, fragments) > MAX_DEPTH
    #   -> raise RequestError([{"message": ...}]).
    # СДЕЛАЙТЕ: отклоняйте документ глубже MAX_DEPTH до выполнения: RequestError с сообщением.
    return document, operation


def response_type(accept):
    """GraphQL over HTTP: application/graphql-response+json when Accept names it before application/json
    (or there is no Accept); application/json for it or a wildcard; None: neither is acceptable."""
    # TODO [syntax-error-400]: follow Accept: a client that names GRAPHQL_RESPONSE first (or sends
    #   no Accept) gets it, and then a document that cannot run is 400 (the caller does that).
    # СДЕЛАЙТЕ: учитывайте Accept: клиенту, который первым называет GRAPHQL_RESPONSE (или не шлёт Accept), — его.
    return "application/json"


def answer(body, media, status=200, headers=None):
    return web.Response(status=status, text=json.dumps(body), content_type=media, charset="utf-8", headers=headers)


def request_parameters(request, body):
    """query, variables and operationName of a GET's URL or a POST's JSON body, or RequestError (400)."""
    if request.method == "GET":
        source = dict(request.query)
        try:
            source["variables"] = json.loads(source["variables"]) if "variables" in source else None
        except ValueError:
            raise RequestError([{"message": "variables is not JSON"}], status=400)
    else:
        try:
            source = json.loads(body)
        except ValueError:
            raise RequestError([{"message": "the body is not JSON"}], status=400)
    if not isinstance(source, dict) or not isinstance(source.get("query"), str):
        raise RequestError([{"message": "a GraphQL request is an object with a string query"}], status=400)
    if source.get("variables") is not None and not isinstance(source["variables"], dict):
        raise RequestError([{"message": "variables must be an object"}], status=400)
    if source.get("operationName") is not None and not isinstance(source["operationName"], str):
        raise RequestError([{"message": "operationName must be a string"}], status=400)
    return source["query"], source.get("variables") or {}, source.get("operationName")


def run_http(request, body):
    """Runs one GraphQL request over HTTP; what to answer (body, status, headers)."""
    # TODO [get-query-200]: GraphQL over HTTP serves queries over GET too (?query=&variables=):
    #   let GET through here; request_parameters already reads its URL.
    # СДЕЛАЙТЕ: GraphQL over HTTP принимает запросы и по GET: пропустите GET, параметры из URL уже читаются.
    if request.method != "POST":
        raise RequestError([{"message": f"{request.method} is not served here"}], status=405, headers={"Allow": "POST"})
    if request.method == "POST" and request.content_type != "application/json":
        raise RequestError([{"message": "send application/json"}], status=415)
    query, variables, operation_name = request_parameters(request, body)
    document, operation = prepared(query, operation_name)
    if operation_kind(operation) == "subscription":
        raise RequestError([{"message": "subscriptions go over WebSocket (graphql-transport-ws)"}])
    if request.method == "GET" and operation_kind(operation) == "mutation":
        raise RequestError([{"message": "Only queries may be sent with GET; send mutations with POST."}], status=405, headers={"Allow": "POST"})
    result = execute(SCHEMA, document, variable_values=variables, operation_name=operation_name)
    if nothing_ran(result):
        raise RequestError([formatted(error) for error in result.errors])
    body = {"data": result.data}
    if result.errors:
        body["errors"] = [formatted(error) for error in result.errors]
    return body


def make_app():
    store = Store()
    install_resolvers(store)

    async def graphql_http(request):
        if web.WebSocketResponse(protocols=(TRANSPORT,)).can_prepare(request).ok:
            return await transport(request, store)
        media = response_type(request.headers.get("Accept"))
        if media is None:
            return answer({"errors": [{"message": f"Accept {GRAPHQL_RESPONSE} or application/json"}]}, "application/json", 406)
        try:
            return answer(run_http(request, await request.text()), media)
        except RequestError as refused:
            status = refused.status or (400 if media == GRAPHQL_RESPONSE else 200)
            return answer({"errors": refused.errors}, media, status, refused.headers)

    app = web.Application()
    app.router.add_route("*", "/graphql", graphql_http)
    return app


class Connection:
    """One graphql-transport-ws connection: its state and its live subscriptions (id -> task)."""

    def __init__(self, ws, store):
        self.ws, self.store = ws, store
        self.initialised = False
        self.subscriptions = {}

    async def send(self, message):
        if not self.ws.closed:
            await self.ws.send_str(json.dumps(message))

    async def close(self, code, reason):
        await self.ws.close(code=code, message=reason.encode())

    async def on_message(self, message):
        """Handles one message; returns False when the connection was closed for it."""
        kind = message.get("type")
        if kind == "connection_init":
            if self.initialised:
                return await self.close(4429, "Too many initialisation requests") or False
            self.initialised = True
            await self.send({"type": "connection_ack"})
        elif kind == "ping":
            await self.send({"type": "pong"})
        elif kind == "pong":
            pass
        elif kind == "subscribe":
            return await self.subscribe(message)
        elif kind == "complete" and isinstance(message.get("id"), str):
            # TODO [ws-complete-stops]: the client stops its subscription: forget it (self.subscriptions)
            #   and cancel its task, so no more "next" goes out for that id.
            # СДЕЛАЙТЕ: клиент остановил подписку: удалите её из self.subscriptions и отмените её задачу.
            pass
        else:
            return await self.close(4400, "Invalid message received") or False
        return True

    async def subscribe(self, message):
        sub_id, payload = message.get("id"), message.get("payload")
        if not isinstance(sub_id, str) or not sub_id or not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return await self.close(4400, "Invalid message received") or False
        if not self.initialised:
            return await self.close(4401, "Unauthorized") or False
        # TODO [ws-duplicate-id-4409]: a subscribe whose id is already live (in self.subscriptions)
        #   closes the connection with 4409 "Subscriber for <id> already exists".
        # СДЕЛАЙТЕ: subscribe с id, который уже занят, закрывает соединение кодом 4409.
        if sub_id in self.subscriptions:
            self.subscriptions.pop(sub_id).cancel()
        try:
            document, operation = prepared(payload["query"], payload.get("operationName"))
        except RequestError as refused:
            await self.send({"id": sub_id, "type": "error", "payload": refused.errors})
            return True
        if operation_kind(operation) != "subscription":
            await self.send({"id": sub_id, "type": "error", "payload": [{"message": "only subscriptions go over WebSocket"}]})
            return True
        # listening starts here, before any await: no event falls between subscribe and the first next
        queue = asyncio.Queue()
        self.store.listeners.add(queue)
        self.subscriptions[sub_id] = asyncio.ensure_future(self.deliver(sub_id, document, payload.get("variables") or {}, queue))
        return True

    async def deliver(self, sub_id, document, variables, queue):
        schema, document = for_events(document)
        try:
            while True:
                event = await queue.get()
                result = execute(schema, document, root_value={"userChanged": event}, variable_values=variables)
                payload = {"data": result.data}
                if result.errors:
                    payload["errors"] = [formatted(error) for error in result.errors]
                await self.send({"id": sub_id, "type": "next", "payload": payload})
        finally:
            self.store.listeners.discard(queue)

    async def serve(self):
        async for frame in self.ws:
            if frame.type != WSMsgType.TEXT:
                await self.close(4400, "Invalid message received")
                break
            try:
                message = json.loads(frame.data)
            except ValueError:
                message = None
            if not isinstance(message, dict) or not isinstance(message.get("type"), str):
                await self.close(4400, "Invalid message received")
                break
            if not await self.on_message(message):
                break

    async def init_deadline(self):
        await asyncio.sleep(INIT_TIMEOUT_S)
        if not self.initialised and not self.ws.closed:
            await self.close(4408, "Connection initialisation timeout")


async def transport(request, store):
    ws = web.WebSocketResponse(protocols=(TRANSPORT,))
    await ws.prepare(request)
    connection = Connection(ws, store)
    deadline = asyncio.ensure_future(connection.init_deadline())
    try:
        await connection.serve()
    finally:
        deadline.cancel()
        for task in connection.subscriptions.values():
            task.cancel()
    return ws


async def serve(host, port):
    runner = web.AppRunner(make_app())
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    announce(host, runner.addresses[0][1])



if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=8004, help="0 picks a free port (printed)")
    arguments = parser.parse_args()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(serve(arguments.host, arguments.port))
    loop.run_forever()
