"""Counting the queries of a page, for the tests that a page costs the same at ten times the rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core import reference


def page_queries(client, url: str, params: dict | None = None) -> int:
    """The queries of one GET that answers 200, from nothing kept in memory (linli.core.reference): two counts then
    compare the pages themselves, whatever the requests before them kept."""
    reference.forget()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)
