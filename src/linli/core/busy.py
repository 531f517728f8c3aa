"""A busy database answers 503 with a retry message and Retry-After, never 500.

SQLite lets one writer at a time: a request that waits for the write lock longer than the busy timeout fails with
"database is locked". PostgreSQL's counterparts are a lock or statement timeout, a serialization failure and a
deadlock. None of them says anything about the request, only that it came at a busy moment, so the caller is told
to try again: in JSON by the API (linli.api), with a page by this middleware elsewhere. The service's transaction
was rolled back with the error.
"""

import logging

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop

log = logging.getLogger(__name__)

RETRY_AFTER = 5  # seconds
MESSAGE = gettext_noop("系统正忙，请求暂时未能完成，请稍等几秒后重试")  # said through gettext
# serialization_failure, deadlock_detected, lock_not_available (lock_timeout), query_canceled (statement_timeout)
BUSY_SQLSTATES = {"40001", "40P01", "55P03", "57014"}
SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


def is_busy(exc: BaseException) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return str(exc).lower().startswith(SQLITE_BUSY)


def retry_later(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The answer to a request that met a busy database, JSON or page alike: 503 and when to try again."""
    log.warning("database busy: %s %s answered 503", request.method, request.path)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseBusyMiddleware:
    """Pages whose view met a busy database (the API answers through its own handler, in linli.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        return retry_later(request, render(request, "503.html", {"detail": gettext(MESSAGE)}, status=503))
