#!/usr/bin/env python3
"""A starter REST server: the users resource that `npm run check-server -- rest` checks.

Run:   python rest_server.py --port 8000
Check: npm run check-server -- rest 127.0.0.1:8000

Only aiohttp (Debian: python3-aiohttp) and the standard library. Everything lives in memory.
`--fault NAME` (or FAULT=NAME) breaks one thing on purpose, to see which checks catch it:
  no-etag       no ETag header; If-None-Match and If-Match are ignored
  plain-errors  errors as application/json instead of application/problem+json
"""
import argparse
import json
import os
import re
import sys

from aiohttp import web

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from listening import announce  # noqa: E402

USERS = "/api/v1/users"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIELDS = ("name", "email", "status", "roles", "metadata", "phone")


class Store:
    def __init__(self):
        self.users = {}
        self.next_id = 1
        for name in ("Ada Lovelace", "Alan Turing", "Grace Hopper"):
            self.create({"name": name, "email": name.split()[0].lower() + "@example.com"})

    def create(self, fields):
        user = {"id": self.next_id, "name": fields["name"].strip(), "email": fields["email"],
                "status": fields.get("status", "active"), "roles": fields.get("roles", ["reader"]),
                "metadata": fields.get("metadata", {}), "phone": fields.get("phone"), "version": 1}
        self.users[user["id"]] = user
        self.next_id += 1
        return user

    def email_taken(self, email, except_id=None):
        return any(u["email"].lower() == email.lower() and u["id"] != except_id for u in self.users.values())


def public(user):
    return {key: value for key, value in user.items() if key != "version"}


def etag(user):
    return f'"u{user["id"]}-v{user["version"]}"'


def make_app(fault):
    store = Store()

    def problem(status, title, detail, errors=None):
        """RFC 9457 problem details; the plain-errors fault sends the same body as plain JSON."""
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        if errors:
            body["errors"] = errors
        content_type = "application/json" if fault == "plain-errors" else "application/problem+json"
        return web.Response(status=status, text=json.dumps(body), content_type=content_type)

    def with_etag(response, user):
        if fault != "no-etag":
            response.headers["ETag"] = etag(user)
        return response

    def precondition_fails(request, user):
        """If-Match (RFC 9110 §13.1.1): a write only when the client holds the current version."""
        wanted = request.headers.get("If-Match")
        if fault == "no-etag" or wanted is None:
            return False
        tags = [tag.strip() for tag in wanted.split(",")]
        return "*" not in tags and etag(user) not in tags

    def none_match(request, user):
        """If-None-Match (RFC 9110 §13.1.2) compares weakly: W/"x" and "x" are the same version."""
        weak = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
        return "*" in weak or etag(user) in weak

    def validate(body, full):
        errors = []
        if not isinstance(body, dict):
            return [{"field": "", "message": "the body must be a JSON object"}]
        required = FIELDS if full else ("name", "email")
        for field in required:
            if field not in body:
                errors.append({"field": field, "message": "is required"})
        name, email = body.get("name"), body.get("email")
        if "name" in body and (not isinstance(name, str) or not name.strip() or len(name) > 100):
            errors.append({"field": "name", "message": "must be 1..100 characters"})
        if "email" in body and (not isinstance(email, str) or not EMAIL.match(email)):
            errors.append({"field": "email", "message": "must look like x@y.z"})
        if "status" in body and body["status"] not in ("active", "inactive", "banned"):
            errors.append({"field": "status", "message": "must be active, inactive or banned"})
        return errors

    async def parse_body(request, full):
        """(body, None) or (None, the error response)."""
        if request.content_type != "application/json":
            return None, problem(415, "Unsupported Media Type", "send the body as application/json")
        try:
            body = json.loads(await request.text())
        except ValueError:
            return None, problem(400, "Bad Request", "the body is not valid JSON")
        errors = validate(body, full)
        if errors:
            return None, problem(422, "Unprocessable Content", "some fields are invalid", errors)
        return body, None

    def find(request):
        try:
            return store.users.get(int(request.match_info["id"]))
        except ValueError:
            return None

    async def list_users(request):
        try:
            page = max(1, int(request.query.get("page", "1")))
            limit = min(100, max(1, int(request.query.get("limit", "10"))))
        except ValueError:
            return problem(400, "Bad Request", "page and limit must be whole numbers")
        users = sorted(store.users.values(), key=lambda u: u["id"])
        items = [public(u) for u in users[(page - 1) * limit: page * limit]]
        last = max(1, -(-len(users) // limit))
        links = [f'<{USERS}?page=1&limit={limit}>; rel="first"', f'<{USERS}?page={last}&limit={limit}>; rel="last"']
        if page < last:
            links.append(f'<{USERS}?page={page + 1}&limit={limit}>; rel="next"')
        if page > 1:
            links.append(f'<{USERS}?page={page - 1}&limit={limit}>; rel="prev"')
        body = {"items": items, "page": page, "limit": limit, "total": len(users)}
        return web.json_response(body, headers={"Link": ", ".join(links)})

    async def create_user(request):
        body, error = await parse_body(request, full=False)
        if error is not None:  # an aiohttp Response is falsy: compare with None
            return error
        if store.email_taken(body["email"]):
            return problem(409, "Conflict", "this email is taken", [{"field": "email", "message": "is taken"}])
        user = store.create(body)
        response = web.json_response(public(user), status=201, headers={"Location": f"{USERS}/{user['id']}"})
        return with_etag(response, user)

    async def get_user(request):
        user = find(request)
        if user is None:
            return problem(404, "Not Found", f"no user {request.match_info['id']}")
        if fault != "no-etag" and none_match(request, user):
            return with_etag(web.Response(status=304), user)
        return with_etag(web.json_response(public(user)), user)

    async def replace_user(request):
        user = find(request)
        if user is None:
            return problem(404, "Not Found", f"no user {request.match_info['id']}")
        if precondition_fails(request, user):
            return with_etag(problem(412, "Precondition Failed", "the user changed since you read it"), user)
        body, error = await parse_body(request, full=True)
        if error is not None:  # an aiohttp Response is falsy: compare with None
            return error
        if store.email_taken(body["email"], except_id=user["id"]):
            return problem(409, "Conflict", "this email is taken", [{"field": "email", "message": "is taken"}])
        changed = any(user[field] != body[field] for field in FIELDS)
        user.update({field: body[field] for field in FIELDS})
        if changed:  # a repeated PUT changes nothing, so the version (and the ETag) stays
            user["version"] += 1
        return with_etag(web.json_response(public(user)), user)

    async def delete_user(request):
        user = find(request)
        if user is None:
            return problem(404, "Not Found", f"no user {request.match_info['id']}")
        if precondition_fails(request, user):
            return with_etag(problem(412, "Precondition Failed", "the user changed since you read it"), user)
        del store.users[user["id"]]
        return web.Response(status=204)

    @web.middleware
    async def errors_as_problems(request, handler):
        """aiohttp's own 404 and 405 (with Allow) as problem details too."""
        try:
            return await handler(request)
        except web.HTTPMethodNotAllowed as error:
            response = problem(405, "Method Not Allowed", f"{request.method} is not allowed here")
            response.headers["Allow"] = ", ".join(sorted(error.allowed_methods))
            return response
        except web.HTTPNotFound:
            return problem(404, "Not Found", f"nothing at {request.path}")

    app = web.Application(middlewares=[errors_as_problems])
    app.router.add_get(USERS, list_users)
    app.router.add_post(USERS, create_user)
    app.router.add_get(USERS + "/{id}", get_user)
    app.router.add_put(USERS + "/{id}", replace_user)
    app.router.add_delete(USERS + "/{id}", delete_user)
    return app


async def serve(host, port, fault):
    runner = web.AppRunner(make_app(fault))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    announce(host, runner.addresses[0][1])


if __name__ == "__main__":
    import asyncio

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port (printed)")
    parser.add_argument("--fault", default=os.environ.get("FAULT", ""), choices=["", "no-etag", "plain-errors"])
    arguments = parser.parse_args()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(serve(arguments.host, arguments.port, arguments.fault))
    loop.run_forever()
