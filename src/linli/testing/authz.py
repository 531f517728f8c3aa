"""The one authorization-matrix harness: every endpoint × every persona, in scope and out of scope.

A module's matrix is a list of `Endpoint` rows. Read a row as "what each persona gets back", one status per
persona in the order of `factories.PERSONAS`: 200/201/204 allowed, 403 the persona may not do this at all, 404
the object is out of the persona's scope (it looks exactly like a missing one). `url` placeholders are filled
from a context object's attributes (`{plan}` → `ctx.plan`), `body` is a callable of the context.

    ENDPOINTS = [Endpoint("GET", "/campaigns/plans/{plan}", "200 200 …", out_of_scope="200 200 404 …")]
    CASES = matrix_cases(ENDPOINTS)

    def test_each_persona_gets_what_the_table_says(world):
        ctx = ...  # the objects in and out of scope: {"in": …, "out": …}
        got, table = answers(world.users, CASES, ctx)
        assert got == table

Each persona's call runs in a savepoint that is rolled back, so every persona meets the same data, and the whole
table runs on one set of objects: built once, not once per row.
`uncovered(ENDPOINTS, "/campaigns")` lists the served operations under a prefix that no row names, and the rows
that name no served operation: a module's table test asserts both are empty.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import transaction

from . import factories
from .apiclient import API, ApiClient

PERSONAS = factories.PERSONAS


def expected(line: str, roles: Iterable[str] = PERSONAS) -> dict[str, int]:
    """ "200 403 404 …" as {persona: status}."""
    return dict(zip(roles, map(int, line.split()), strict=True))


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: str  # relative to /api/v1, with {placeholders} read from the context
    in_scope: str  # one status per persona, in the order of PERSONAS
    out_of_scope: str | None = None  # None: the endpoint names no object, or the module has no such case
    body: Callable[[Any], dict] | None = None  # with form=True, may hold files (ContentFile)
    form: bool = False  # a multipart/form-data POST instead of JSON
    prepare: Callable[[Any], None] | None = None  # brings the context to the state the row needs

    def path(self, ctx) -> str:
        """The url with its placeholders filled: from a dict, a context's `url_values()`, or its attributes."""
        if isinstance(ctx, dict):
            values = ctx
        elif hasattr(ctx, "url_values"):
            values = ctx.url_values()
        else:
            values = vars(ctx)
        return self.url.format(**values)

    def expected(self, scope: str = "in") -> dict[str, int]:
        return expected(self.in_scope if scope == "in" else self.out_of_scope)

    def call(self, client: ApiClient, ctx):
        if self.prepare is not None:
            self.prepare(ctx)
        data = self.body(ctx) if self.body else None
        if self.form:  # the test client encodes a dict (files included) as multipart/form-data
            return client.client.post(API + self.path(ctx), data or {})
        return client.request(self.method, self.path(ctx), data)

    def __str__(self):
        return f"{self.method} {self.url}"


def matrix_cases(endpoints: list[Endpoint]) -> list[tuple[Endpoint, str]]:
    """(endpoint, "in") for every row and (endpoint, "out") for rows with an out-of-scope answer."""
    return [(e, "in") for e in endpoints] + [(e, "out") for e in endpoints if e.out_of_scope]


def case_ids(cases: list[tuple[Endpoint, str]]) -> list[str]:
    return [f"{e}-{scope}" for e, scope in cases]


def read_status(response) -> int:
    """The response's status, a file response read to its end first."""
    if response.streaming:
        # A file is read through the test client's wrapper, which closes it; Response.close() itself would also
        # signal the end of a request, and so close the database connection of the test.
        b"".join(response.streaming_content)
    return response.status_code


def statuses(users: dict, endpoint: Endpoint, ctx, roles: Iterable[str] = PERSONAS) -> dict[str, int]:
    """What each persona gets back, every call rolled back so each persona meets the same data."""
    got = {}
    for role in roles:
        with transaction.atomic():
            got[role] = read_status(endpoint.call(ApiClient(users[role]), ctx))
            transaction.set_rollback(True)
    return got


def answers(users: dict, cases: list[tuple[Endpoint, str]], contexts: dict, roles: Iterable[str] = PERSONAS):
    """(what each row gets, what the table says) for every (endpoint, scope) of `cases`, `contexts` holding the
    objects of each scope; both keyed by the row's id, so a mismatch names its row."""
    roles = list(roles)
    got = {f"{e}-{s}": statuses(users, e, contexts[s], roles) for e, s in cases}
    return got, {f"{e}-{s}": e.expected(s) for e, s in cases}


def anonymous_response(endpoint: Endpoint, ctx):
    """What a caller without credentials gets back, the call rolled back like every persona's."""
    with transaction.atomic():
        response = endpoint.call(ApiClient(), ctx)
        read_status(response)
        transaction.set_rollback(True)
    return response


def anonymous_status(endpoint: Endpoint, ctx) -> int:
    return anonymous_response(endpoint, ctx).status_code


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path.split("?")[0])


@cache
def _served() -> frozenset[tuple[str, str]]:
    """Every operation the API serves: the schema is built once per test process (about a second each time)."""
    from linli.api import api

    paths = api.get_openapi_schema()["paths"].items()
    return frozenset((method.upper(), _shape(path)) for path, operations in paths for method in operations)


def uncovered(endpoints: list[Endpoint], *prefixes: str) -> tuple[set, set]:
    """(served operations under the prefixes that no row names, rows naming no served operation)."""
    full = tuple(API + p for p in prefixes)
    served = {(method, path) for method, path in _served() if path.startswith(full)}
    tabled = {(e.method, _shape(API + e.url)) for e in endpoints}
    return served - tabled, tabled - served
