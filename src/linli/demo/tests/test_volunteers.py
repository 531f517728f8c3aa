"""The demo's volunteering (demo/volunteers.py) on the persona district: the invariants the services keep hold for
rows written in bulk, the activities come in every state the issue names, and the statistics cost the same queries
whatever the size."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.demo import volunteers as demo
from linli.testing import factories
from linli.volunteers import rules
from linli.volunteers.models import Activity, Credit, SignUp, Team, Volunteer
from linli.volunteers.stats import selectors


@pytest.fixture
def built(world):
    for grid, n in ((world.grid_a1, 30), (world.grid_a2, 20), (world.grid_b1, 20)):
        for i in range(n):
            factories.person(grid, name=f"居民{i}", birth=date(1950 + i, 1 + i % 12, 1 + i % 28), phone="")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    selectors.overview(user=world.users["district_staff"])  # folds the registry's changes into the summaries
    with CaptureQueriesContext(connection) as empty:
        selectors.overview(user=world.users["district_staff"])
    lines = demo.build(now=now, seed=7, scale=0.01)
    return now, lines, len(empty)


def test_the_rows_keep_the_services_invariants(built):
    now, lines, _ = built
    n = Volunteer.objects.count()
    assert 25 <= n <= 35 and f"{n} 名志愿者" in lines[0]
    confirmed = Count("signups", filter=Q(signups__state=rules.CONFIRMED))
    assert not Activity.objects.annotate(n=confirmed).exclude(taken=F("n")).exists()
    assert not Activity.objects.filter(taken__gt=F("max_people")).exists()
    credited = Volunteer.objects.annotate(c=Sum("credits__hours"))
    assert all(v.hours == (v.c or Decimal(0)) for v in credited)
    assert not Credit.objects.exclude(activity__state=rules.FINISHED).exists()
    assert not Credit.objects.exclude(signup__state=rules.CONFIRMED).exists()
    assert not Credit.objects.filter(Q(signup__checked_in_at=None) | Q(signup__checked_out_at=None)).exists()
    assert not Credit.objects.filter(confirmed_at__gt=now).exists()
    assert not SignUp.objects.filter(activity__state=rules.CANCELLED).exclude(state=rules.WITHDRAWN).exists()
    assert not Team.objects.filter(leader=None).exists()
    choirs = Activity.objects.filter(team__kind="arts")  # 文艺队: a choir of 30–60 (001 篇2), fewer in a tiny demo
    assert choirs.exists() and not choirs.exclude(min_people=30).exists()


def test_the_activities_come_in_every_state_the_issue_names(built):
    now, _, _ = built
    year = Activity.objects.filter(starts_at__gte=now - timedelta(days=365)).exclude(title__endswith="志愿服务日")
    assert year.count() >= 12
    assert year.filter(state=rules.CANCELLED, cancel_reason__contains="人数不足").exists()
    assert year.filter(state=rules.FINISHED).exists() and year.filter(state=rules.OPEN, starts_at__gt=now).exists()
    waiting = year.filter(signups__state=rules.WAITING).distinct()
    assert waiting.exists() and all(a.taken == a.max_people for a in waiting)
    # The years before give long-serving volunteers their stars.
    assert Volunteer.objects.filter(hours__gte=100).exists() and Volunteer.objects.filter(hours__lt=100).exists()


def test_the_statistics_cost_the_same_queries_empty_and_full(world, built):
    _, _, empty = built
    with CaptureQueriesContext(connection) as full:
        got = selectors.overview(user=world.users["district_staff"])
    assert len(full) == empty
    assert got["headline"]["volunteers"] > 0 and got["activities"]["total"] > 0 and sum(got["stars"]["counts"]) > 0
