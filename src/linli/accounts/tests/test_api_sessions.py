"""The API never creates or saves a session: a token login sets no cookie, and a client that keeps cookies
writes no session rows. A page's session still authenticates the page's JavaScript, and pages keep their idle
timeout (pushed back at most once a minute), but an API call does not extend it."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from linli.core.sessions import TOUCHED
from linli.testing.factories import PASSWORD

COOKIE = settings.SESSION_COOKIE_NAME


def a_minute_ago(browser):
    """Moves the session's refresh mark a minute back, as if the last refresh were that long ago."""
    session = browser.session
    session[TOUCHED] -= settings.SESSION_REFRESH_SECONDS
    session.save()


def test_a_token_login_sets_no_cookie_and_writes_no_session(world):
    client = Client()
    response = client.post(
        "/api/v1/auth/login", {"username": "community_worker", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200 and "token" in response.json()
    assert COOKIE not in response.cookies
    assert not Session.objects.exists()


def test_a_client_that_keeps_cookies_writes_no_session_rows(world):
    client = Client()  # keeps whatever cookies it is sent
    token = client.post(
        "/api/v1/auth/login", {"username": "community_worker", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    for n in range(5):
        for response in (
            client.get("/api/v1/auth/me", headers=bearer),
            client.get("/api/v1/persons", headers=bearer),
            client.post(
                "/api/v1/estates",
                {"region_id": world.community_a1.pk, "name": f"幸福里{n}期"},
                content_type="application/json",
                headers=bearer,
            ),
        ):
            assert response.status_code in (200, 201)
            assert COOKIE not in response.cookies
    assert not Session.objects.exists()
    assert COOKIE not in client.cookies


def test_a_pages_session_authenticates_api_calls_without_being_saved(world):
    browser = Client()
    assert browser.post("/login/", {"username": "community_worker", "password": PASSWORD}).status_code == 302
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.update(expire_date=soon)
    for _ in range(3):
        response = browser.get("/api/v1/auth/me")
        assert response.json()["username"] == "community_worker"
        assert COOKIE not in response.cookies
        assert "Cookie" in response["Vary"]  # the answer depends on the session: no shared cache may keep it
    assert Session.objects.get().expire_date == soon  # the API did not extend the idle timeout

    a_minute_ago(browser)
    page = browser.get("/account/")
    assert page.status_code == 200 and COOKIE in page.cookies
    assert Session.objects.get().expire_date > soon  # a page did


def test_an_api_call_with_a_session_a_new_password_ended_answers_401(world):
    browser = Client()
    assert browser.post("/login/", {"username": "community_worker", "password": PASSWORD}).status_code == 302
    world.users["community_worker"].set_password("ein-anderes-passwort-2026")
    world.users["community_worker"].save()
    response = browser.get("/api/v1/auth/me")
    assert response.status_code == 401 and COOKIE not in response.cookies


def test_pages_push_the_idle_timeout_back_at_most_once_a_minute(world):
    browser = Client()
    assert browser.post("/login/", {"username": "community_worker", "password": PASSWORD}).status_code == 302
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.update(expire_date=soon)

    page = browser.get("/account/")
    assert page.status_code == 200 and COOKIE not in page.cookies
    assert Session.objects.get().expire_date == soon  # within the minute of the login: no write, no new cookie

    a_minute_ago(browser)
    Session.objects.update(expire_date=soon)
    page = browser.get("/account/")
    assert page.status_code == 200 and COOKIE in page.cookies
    assert Session.objects.get().expire_date > soon + timedelta(minutes=20)  # a minute later: pushed back
