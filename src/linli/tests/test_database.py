"""How the application talks to PostgreSQL: statements it runs again on a connection are prepared (settings.py), so
they are planned once per connection and not on every request."""

import pytest
from django.db import connection

from linli.regions.models import Region

pytestmark = pytest.mark.django_db


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_run_again_is_prepared_with_its_values_as_parameters():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for code in ("210103", "210104"):
        list(Region.objects.filter(code=code))
    assert not any('"regions_region"."code" = $1' in s for s in _prepared())  # twice: planned as it came
    list(Region.objects.filter(code="210105"))  # the same statement, another value
    assert any('"regions_region"."code" = $1' in s for s in _prepared())
