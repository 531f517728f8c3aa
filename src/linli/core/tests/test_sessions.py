"""The session middleware: a session that cannot be saved once the view has answered fails no response.

The view here has done its work (201) when the session save fails: the session was deleted meanwhile (a logout in
another tab) or the database stayed busy past its timeout. The client gets the 201, without a session cookie.
"""

import logging
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from linli.core.sessions import SessionMiddleware


def through_the_middleware(view, session_key: str | None):
    request = RequestFactory().post("/somewhere/")
    if session_key:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = session_key
    return SessionMiddleware(view)(request)


def stored_session() -> str:
    session = SessionStore()
    session["kept"] = "yes"
    session.create()
    return session.session_key


def created(request):
    request.session["seen"] = True
    return HttpResponse("done", status=201)


@pytest.mark.django_db
def test_a_saved_session_gets_its_cookie():
    key = stored_session()
    response = through_the_middleware(created, key)
    assert response.status_code == 201
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == key
    assert SessionStore(key)["seen"] is True


@pytest.mark.django_db
def test_a_session_deleted_during_the_request_fails_no_response(caplog):
    def created_while_another_tab_logs_out(request):
        response = created(request)
        Session.objects.all().delete()
        return response

    with caplog.at_level(logging.WARNING, logger="linli.core.sessions"):
        response = through_the_middleware(created_while_another_tab_logs_out, stored_session())
    assert (response.status_code, response.content) == (201, b"done")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "session not saved" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize("existing", [True, False], ids=["existing session", "new session"])
def test_a_busy_database_fails_no_response(caplog, existing):
    key = stored_session() if existing else None
    with (
        mock.patch.object(Session, "save", side_effect=OperationalError("database is locked")) as save,
        caplog.at_level(logging.WARNING, logger="linli.core.sessions"),
    ):
        response = through_the_middleware(created, key)
    assert save.called
    assert (response.status_code, response.content) == (201, b"done")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "database is locked" in caplog.text
