"""The whole API under a property-based test: schemathesis generates requests for every operation of the published
OpenAPI schema from its types and bounds, valid ones and deliberately invalid ones, and sends them as an
administrator and as a community worker. No answer may be a 5xx, and every answer must be one the schema documents,
in the documented content type and shape.

Bounded to fit the CI budget: the valid boundary cases once, five random examples per operation, derandomized so
that every run sends the same requests. Each half runs on one database, to fit the budget: the valid boundary cases
(each field's largest and smallest values, each choice, each optional field left out), which meet the databases'
differing column ranges, on PostgreSQL; the random requests, valid and invalid, on SQLite. The invalid boundary cases
(each type mutation and out-of-bounds value of each field: 11,451 requests, 70 % of the boundary cases and 270 s of a
PostgreSQL worker) are not sent. When they were, 10,019 were answered 400 by the validation every operation shares,
before any of the operation's own code, and 640 were answered 403 before the input was read (the residents' portal
refuses an administrator); most of the rest were unknown query parameters, which are ignored. The random half sends
invalid requests of every operation through the same validation. A run on SQLite alone (LINLI_FUZZ_BOTH=1 runs
both halves anywhere) still sends every operation the random half. The data is the persona district with a small
registry and one case, built once for the module; each test runs in a transaction that is rolled back, so what one
operation writes no other sees. Small ids are among the first values generated, so some requests reach real rows
and get past the 404.
"""

import os
from datetime import timedelta

import pytest
import schemathesis
from django.conf import settings as settings_module
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from linli.accounts.models import ApiToken
from linli.api import api
from linli.demo.build import reset
from linli.testing import factories
from linli.testing.apiclient import registry

PERSONAS = ("admin", "community_worker")
POSTGRES = "postgresql" in settings_module.DATABASES["default"]["ENGINE"]
BOTH = os.environ.get("LINLI_FUZZ_BOTH") == "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    suppress_health_check=[*settings.default.suppress_health_check, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reset()
        world = factories.world()
        factories.install_case_catalogue(world)
        registry(world)
        factories.case(world.grid_a1)
        issued = {persona: ApiToken.issue(world.users[persona], timedelta(hours=1)) for persona in PERSONAS}
    yield issued
    with django_db_blocker.unblock():
        reset()


@pytest.fixture
def app(db):
    """Django's WSGI handler, without the request signals closing the database connection: the test's transaction
    lives on it (Django's test client disconnects them the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def check(case, token: str, app) -> None:
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


# Two runs share the work, to fit the budget: the administrator, who reaches every operation's code, sends the
# deterministic valid cases (coverage: the boundary values, every choice, optional fields left out); the community
# worker sends random requests (fuzzing), valid and invalid, which meet scope and permission checks on the way. Only
# the half this database runs is defined: schemathesis builds every operation's cases as the module is collected, for
# a skipped test too (the boundary cases took 8 s of each SQLite worker's start).
if POSTGRES or BOTH:
    admin_schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    admin_schema.config.phases.fuzzing.enabled = False
    admin_schema.config.phases.coverage.generation.modes = [GenerationMode.POSITIVE]
    # Not the methods an operation does not have: Django's routing answers those (405), not the operations.
    admin_schema.config.phases.coverage.unexpected_methods = set()

    @admin_schema.parametrize()
    @BOUNDED
    def test_as_admin_no_operation_answers_5xx_or_off_its_schema(case, tokens, app):
        check(case, tokens["admin"], app)


if not POSTGRES or BOTH:
    worker_schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    worker_schema.config.phases.coverage.enabled = False

    @worker_schema.parametrize()
    @BOUNDED
    def test_as_community_worker_no_operation_answers_5xx_or_off_its_schema(case, tokens, app):
        check(case, tokens["community_worker"], app)
