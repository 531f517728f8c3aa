"""Counting the queries of a page, for the tests that a page costs the same at ten times the rows."""

from unittest import mock

from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core import reference
from linli.core.pagination import CappedPaginator


def page_queries(client, url: str, params: dict | None = None) -> int:
    """The queries of one GET that answers 200, from nothing kept in memory (linli.core.reference): two counts then
    compare the pages themselves, whatever the requests before them kept. Every list is counted as Django counts it:
    the pages' paginator skips the COUNT of a first page that is not full (core.pagination), which a list of four
    rows is and a list of forty is not (core/tests/test_pagination.py covers that)."""
    reference.forget()
    with (
        mock.patch.object(CappedPaginator, "get_page", Paginator.get_page),
        CaptureQueriesContext(connection) as ctx,
    ):
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)
