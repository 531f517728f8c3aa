"""The dispatcher's desk at district size, pinned by its plan rather than by time (docs/performance.md, "Lists at
district size")."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from linli.cases import selectors
from linli.cases.models import Case

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'")


@pytest.mark.parametrize("user", ["admin", "street_staff"])
def test_the_desk_is_read_in_its_order_from_the_desk_index(world, user):
    """With the states first in the index, each of the desk's three states came in its own order and PostgreSQL
    sorted the scope's whole desk (1,761 cases for a street of the 1,000,000-case demo) for a page of 20. The
    partial (priority, received_at, id) index is the desk in its order. Sequential scans are turned off so that
    the tiny test table is planned as a large one would be, and a sort only when nothing else gives the order."""
    page = selectors.dispatch_queue(user=world.users[user])[:20]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")  # a sort is then chosen only when no index gives the order
        plan = page.explain()
    assert "case_desk" in plan
    assert "Sort" not in plan


@pytest.mark.parametrize("user", ["admin", "district_staff", "street_staff"])
def test_the_indicators_count_late_open_cases_from_what_the_covering_index_holds(world, user):
    """The one live part of the indicators (docs/performance.md, "Figures after the work"): the open cases past
    their deadline, read at district size from the covering partial index case_open_late without visiting the table.
    On the tiny test table the planner's choice follows its statistics and, between equal costs, the order the
    indexes were made in, so the plan is not pinned: every column of the case the query names must be one the index
    holds, which is what makes its index-only scan possible."""
    now = timezone.now()
    period = (now - timedelta(days=365), now)
    late = selectors.late_open(user=world.users[user], region=None, field="street_id", now=now, period=period)
    sql = str(late.query)
    index = next(i for i in Case._meta.indexes if i.name == "case_open_late")
    held = {Case._meta.get_field(f).column for f in [*index.fields, *index.include]}
    # The partial index's own condition (state among the open states) is implied by the query's filter.
    held.add("state")
    touched = set(re.findall(r'"cases_case"\."(\w+)"', sql))
    assert "received_at" in touched and "street_id" in touched
    assert touched <= held, sql
