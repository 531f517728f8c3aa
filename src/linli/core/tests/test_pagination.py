"""The pages' paginator answers as Django's does, page for page, and reads a first page that is not full without a
COUNT."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core.pagination import CappedPaginator
from linli.regions.models import Region

pytestmark = pytest.mark.django_db

NUMBERS = [None, "", "x", "1.5", 1.5, "0", "-1", "1", 1, "2", "3", "99"]


def regions():
    return Region.objects.order_by("pk")


def first(rows: int):
    return regions().filter(pk__in=list(regions().values_list("pk", flat=True)[:rows]))


@pytest.mark.parametrize("rows", [0, 1, 2, 3, 4, 5, 7])
def test_every_page_number_gives_what_djangos_paginator_gives(world, rows):
    qs = first(rows)
    assert qs.count() == rows  # the world has more regions than the largest case here
    for number in NUMBERS:
        ours, django = CappedPaginator(qs, 3).get_page(number), Paginator(qs, 3).get_page(number)
        assert (ours.number, list(ours), ours.paginator.count, ours.paginator.num_pages) == (
            django.number, list(django), django.paginator.count, django.paginator.num_pages
        ), number  # fmt: skip
        assert (ours.has_next(), ours.start_index(), ours.end_index()) == (
            django.has_next(), django.start_index(), django.end_index()
        ), number  # fmt: skip


def test_a_first_page_that_is_not_full_is_read_and_counted_in_one_query(world):
    qs, total = first(4), 4
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(qs, total + 1).get_page(None)
        assert (len(page), page.paginator.count, page.paginator.num_pages, page.has_next()) == (total, total, 1, False)
    assert len(queries) == 1


def test_a_full_first_page_is_counted(world):
    qs = regions()
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(qs, 2).get_page("1")
        assert len(page) == 2
        assert page.paginator.count == qs.count() > 2
    assert len(queries) == 3  # the page, its count, and the test's own count
