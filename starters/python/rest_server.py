#!/usr/bin/env python3
"""A REST server for you to finish: the users resource that `npm run check-server -- rest` checks.
REST-сервер пользователей, который вам предстоит дописать.

Run:   python rest_server.py --port 8000        (in class: --host 0.0.0.0)
Check: npm run check-server -- rest 127.0.0.1:8000

Only aiohttp and the standard library. Everything lives in memory. The routes, the store and the
validation are here; each TODO is a part of HTTP for you to write and names the checks it makes
pass. The complete version: complete/rest_server.py.
"""
import argparse
import asyncio
import json
import re

from aiohttp import web

from listening import announce

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


def make_app():
    store = Store()

    def problem(status, title, detail, errors=None):
        """An error answer; its body already has the fields of RFC 9457 problem details."""
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        if errors:
            body["errors"] = errors
        # TODO [not-found-problem, validation-422-problem, malformed-json-400]: errors are problem
        #   details (RFC 9457 §3): say so with their own media type, not plain JSON.
        # СДЕЛАЙТЕ: ошибки — это problem details (RFC 9457): отдавайте их с их собственным типом.
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    def with_etag(response, user):
        # TODO [etag-on-get]: give the response the user's validator, etag(user), in the ETag
        #   header (RFC 9110 §8.8.3).
        # СДЕЛАЙТЕ: добавьте в ответ валидатор пользователя, etag(user), в заголовке ETag.
        return response

    def not_modified(request, user):
        """If-None-Match (RFC 9110 §13.1.2): the client already holds this version."""
        # TODO [if-none-match-304]: True when If-None-Match (a comma-separated list) holds etag(user).
        # СДЕЛАЙТЕ: True, если в If-None-Match (список через запятую) есть etag(user).
        return False

    def precondition_fails(request, user):
        """If-Match (RFC 9110 §13.1.1): a write only when the client holds the current version."""
        # TODO [if-match-stale-412, if-match-current-200]: with an If-Match header that holds
        #   neither "*" nor etag(user), the write must not happen: return True (the caller answers 412).
        # СДЕЛАЙТЕ: если If-Match есть, но в нём нет ни "*", ни etag(user), верните True (ответ 412).
        return False

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
        last = max(1, -(-len(users) // limit))  # the last page, for the Link header
        body = {"items": items, "page": page, "limit": limit, "total": len(users)}
        # TODO [pagination-limit-link]: a Link header (RFC 8288) with the first, last, next (when
        #   page < last) and prev (when page > 1) pages: <URL>; rel="next", comma-separated.
        # СДЕЛАЙТЕ: заголовок Link (RFC 8288) со ссылками first, last, next и prev на страницы.
        return web.json_response(body)

    async def create_user(request):
        body, error = await parse_body(request, full=False)
        if error is not None:  # an aiohttp Response is falsy: compare with None
            return error
        # TODO [duplicate-409]: an email another user has (store.email_taken) is a conflict: 409.
        # СДЕЛАЙТЕ: email, который уже занят (store.email_taken), — это конфликт: 409.
        user = store.create(body)
        response = web.json_response(public(user), status=201, headers={"Location": f"{USERS}/{user['id']}"})
        return with_etag(response, user)

    async def get_user(request):
        user = find(request)
        if user is None:
            return problem(404, "Not Found", f"no user {request.match_info['id']}")
        if not_modified(request, user):
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


async def serve(host, port):
    runner = web.AppRunner(make_app())
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    announce(host, runner.addresses[0][1])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 in class: Wirelab on the teacher's laptop connects to yours")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port (printed)")
    arguments = parser.parse_args()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(serve(arguments.host, arguments.port))
    loop.run_forever()
