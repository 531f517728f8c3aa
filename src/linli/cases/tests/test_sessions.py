"""A case create that committed is answered as created, whatever happens to the session meanwhile.

Issue 11 (13): under an import holding SQLite's write lock, a case create committed and then answered 400
SessionInterrupted, because saving the session at response time failed. Here the session is deleted during the
request (a logout in another tab) or its save fails as on a locked database; the page's redirect and the API's
201 reach the client, and the case exists.
"""

from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import Client

from linli.cases import services
from linli.cases.models import Case
from linli.testing.factories import PASSWORD

from .test_api import new_case
from .test_pages import intake_post


@pytest.fixture
def session_deleted_meanwhile(monkeypatch):
    real = services.case_create

    def create_while_another_tab_logs_out(**kwargs):
        case = real(**kwargs)
        Session.objects.all().delete()
        return case

    monkeypatch.setattr(services, "case_create", create_while_another_tab_logs_out)


@pytest.fixture
def database_locked_for_sessions():
    with mock.patch.object(Session, "save", side_effect=OperationalError("database is locked")) as save:
        yield save


def browser(enforce_csrf_checks=False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    csrf = client.get("/login/").cookies["csrftoken"].value
    form = {"username": "community_worker", "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    assert client.post("/login/", form).status_code == 302
    return client


@pytest.mark.parametrize("trouble", ["session_deleted_meanwhile", "database_locked_for_sessions"])
def test_the_intake_page_answers_its_redirect(w, request, trouble):
    client = browser()
    request.getfixturevalue(trouble)
    response = client.post("/cases/new/", intake_post(w))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"


@pytest.mark.parametrize("trouble", ["session_deleted_meanwhile", "database_locked_for_sessions"])
def test_the_api_called_from_a_page_answers_201(w, request, trouble):
    client = browser(enforce_csrf_checks=True)
    request.getfixturevalue(trouble)
    response = client.post(
        "/api/v1/cases",
        new_case(w),
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 201, response.content
    assert Case.objects.get().pk == response.json()["id"]


def test_the_api_with_a_token_answers_201_and_never_touches_a_session(w):
    client = Client()  # keeps cookies, as the load test's clients did
    login = {"username": "community_worker", "password": PASSWORD}
    token = client.post("/api/v1/auth/login", login, content_type="application/json").json()["token"]
    with mock.patch.object(Session, "save", side_effect=OperationalError("database is locked")) as save:
        response = client.post(
            "/api/v1/cases", new_case(w), content_type="application/json", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 201
    assert Case.objects.get().pk == response.json()["id"]
    assert not save.called
