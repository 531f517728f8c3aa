"""No visible link answers 403, 404, 400 or 500 to the persona that sees it.

Each demo account (a small demo district: every role, cases in every state, plans with late reports, assessment
rounds, honours) opens "/" and every menu entry, then follows the links of those pages two steps further, GET only,
same origin (linli.testing.crawl, which tests/browser/test_axe.py shares).

It runs on SQLite only: which links a page shows and what they answer are decided by roles, scope and the data, the
same on both databases, and the crawl is among the suite's slowest tests (about 90 s on PostgreSQL).
"""

import pytest
from django.db import connection
from django.test import Client

from linli.accounts.models import User
from linli.testing.crawl import ACCOUNTS, crawl, demo_district

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the crawl runs on SQLite (module docstring)")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One small district for the module, built outside the tests' transactions and flushed at the end."""
    with django_db_blocker.unblock(), demo_district():
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("username", ACCOUNTS)
def test_no_visible_link_is_refused_to_the_persona_that_sees_it(demo, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    result = crawl(client)
    assert result.opened > 10
    assert result.failures == []
