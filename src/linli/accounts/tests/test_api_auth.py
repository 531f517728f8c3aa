"""Logging in to the API: bearer tokens, lockout after five failures, logout, expiry, session auth with CSRF."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from linli.accounts.models import ApiToken
from linli.audit.models import AuditEntry
from linli.testing.factories import PASSWORD

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"


def login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password}, content_type="application/json")


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client():
    return Client()


def test_login_returns_a_token_that_works_on_me(world, client):
    response = login(client, "community_worker", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get(ME, headers=bearer(token))
    assert me.status_code == 200
    assert me.json() == {
        "username": "community_worker",
        "name": "community_worker",
        "role": "community_worker",
        "role_label": "社区工作者",
        "region": "甲一社区",
        "organization": None,
        "can_view_pii": False,
    }
    assert ApiToken.objects.get().key_hash == ApiToken.hash(token)  # only the hash is stored
    assert AuditEntry.objects.filter(action="login", actor=world.users["community_worker"]).exists()


def test_a_wrong_password_answers_401_in_chinese(world, client):
    response = login(client, "community_worker", "not-the-password")
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码错误", "errors": []}
    assert not ApiToken.objects.exists()


def test_an_unknown_user_answers_like_a_wrong_password(world, client):
    response = login(client, "nobody", PASSWORD)
    assert (response.status_code, response.json()["detail"]) == (401, "用户名或密码错误")


def test_missing_fields_are_named_in_chinese(world, client):
    response = client.post(LOGIN, {"username": "community_worker"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "password", "message": "此项为必填项"}]


def test_five_failures_lock_the_username_for_fifteen_minutes(world, client):
    for _ in range(4):
        assert login(client, "community_worker", "wrong-password").status_code == 401
    fifth = login(client, "community_worker", "wrong-password")
    assert fifth.status_code == 429
    assert "锁定15分钟" in fifth.json()["detail"]

    sixth = login(client, "community_worker", PASSWORD)  # the right password no longer helps
    assert sixth.status_code == 429
    assert sixth.json()["detail"] == "登录失败次数过多，账户已锁定15分钟，请稍后再试"
    assert not ApiToken.objects.exists()
    # The lock is on the username: another account from the same address still logs in.
    assert login(client, "community_worker2", PASSWORD).status_code == 200


def test_the_lock_lifts_after_fifteen_minutes(world, client):
    from axes.models import AccessAttempt

    for _ in range(5):
        login(client, "community_worker", "wrong-password")
    assert login(client, "community_worker", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, "community_worker", PASSWORD).status_code == 200


def test_a_successful_login_resets_the_failure_count(world, client):
    for _ in range(4):
        login(client, "community_worker", "wrong-password")
    assert login(client, "community_worker", PASSWORD).status_code == 200
    for _ in range(4):
        assert login(client, "community_worker", "wrong-password").status_code == 401
    assert login(client, "community_worker", PASSWORD).status_code == 200


def test_logout_invalidates_the_token(world, client):
    token = login(client, "street_staff", PASSWORD).json()["token"]
    assert client.post("/api/v1/auth/logout", headers=bearer(token)).status_code == 204
    response = client.get(ME, headers=bearer(token))
    assert response.status_code == 401
    assert response.json() == {"detail": "请先登录", "errors": []}


def test_logout_ends_only_that_token(world, client):
    first = login(client, "street_staff", PASSWORD).json()["token"]
    second = login(client, "street_staff", PASSWORD).json()["token"]
    client.post("/api/v1/auth/logout", headers=bearer(first))
    assert client.get(ME, headers=bearer(second)).status_code == 200


def test_an_expired_token_is_refused(world, client):
    token = login(client, "street_staff", PASSWORD).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(ME, headers=bearer(token)).status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(world, client):
    token = login(client, "street_staff", PASSWORD).json()["token"]
    world.users["street_staff"].__class__.objects.filter(username="street_staff").update(is_active=False)
    assert client.get(ME, headers=bearer(token)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Token abc", "Bearer "])
def test_a_made_up_token_is_refused(world, client, header):
    assert client.get(ME, headers={"Authorization": header}).status_code == 401


def test_no_credentials_answers_401_in_chinese(world, client):
    response = client.get(ME)
    assert (response.status_code, response.json()["detail"]) == (401, "请先登录")


def test_the_session_of_a_logged_in_page_works_and_unsafe_methods_need_csrf(world):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/login/")
    csrf = page.cookies["csrftoken"].value
    logged_in = browser.post(
        "/login/", {"username": "community_worker", "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    )
    assert logged_in.status_code == 302

    assert browser.get(ME).json()["username"] == "community_worker"

    estate = {"region_id": world.community_a1.pk, "name": "幸福里"}
    refused = browser.post("/api/v1/estates", estate, content_type="application/json")
    assert refused.status_code == 403
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/v1/estates", estate, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201, accepted.content


def test_a_bearer_token_needs_no_csrf(world):
    token = ApiToken.issue(world.users["community_worker"], timedelta(hours=1))
    strict = Client(enforce_csrf_checks=True, headers=bearer(token))
    response = strict.post(
        "/api/v1/estates", {"region_id": world.community_a1.pk, "name": "幸福里"}, content_type="application/json"
    )
    assert response.status_code == 201


def test_the_login_page_locks_too_and_shares_the_count_with_the_api(world, client):
    for _ in range(3):
        login(client, "community_worker", "wrong-password")
    for _ in range(2):
        page = client.post("/login/", {"username": "community_worker", "password": "wrong-password"})
    assert page.status_code == 429
    assert "该账户已锁定15分钟" in page.content.decode()
    assert client.post("/login/", {"username": "community_worker", "password": PASSWORD}).status_code == 429
    assert login(client, "community_worker", PASSWORD).status_code == 429
