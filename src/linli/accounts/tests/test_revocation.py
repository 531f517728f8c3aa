"""Ending access: a new password, a deactivated account and "log out everywhere" end API tokens and sessions.

Each test holds a live bearer token and a second browser (another device), changes something, and checks what
still gets in. Tokens of other users are never touched.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from linli.accounts.models import ApiToken, User
from linli.audit.models import AuditEntry
from linli.testing.factories import PASSWORD

ME = "/api/v1/auth/me"
NEW_PASSWORD = "qiu-feng-luo-ye-2026"


def token_of(username: str) -> str:
    client = Client()
    response = client.post(
        "/api/v1/auth/login", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()["token"]


def token_works(token: str) -> bool:
    status = Client().get(ME, headers={"Authorization": f"Bearer {token}"}).status_code
    assert status in (200, 401)
    return status == 200


def browser_of(username: str) -> Client:
    """A browser logged in through the login page, as on another device."""
    browser = Client()
    assert browser.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return browser


def logged_in(browser: Client) -> bool:
    response = browser.get("/account/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.fixture
def street(world):
    """street_staff's token and browser, and another user's, all live."""
    tokens = {"mine": token_of("street_staff"), "other": token_of("community_worker")}
    browsers = {"mine": browser_of("street_staff"), "other": browser_of("community_worker")}
    assert all(map(token_works, tokens.values())) and all(map(logged_in, browsers.values()))
    return tokens, browsers


def set_password_on_the_model(user):
    user.set_password(NEW_PASSWORD)
    user.save()


def set_password_in_the_admin(user):
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    form = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    response = admin.post(f"/admin/accounts/user/{user.pk}/password/", form)
    assert response.status_code == 302, response.content.decode()


def set_password_by_command(user):
    with mock.patch("getpass.getpass", return_value=NEW_PASSWORD):
        call_command("changepassword", user.username, stdout=mock.Mock())


def set_password_in_the_database(user):
    # No save(), no signal: the token still ends, since it carries a hash of the stored password.
    User.objects.filter(pk=user.pk).update(password=make_password(NEW_PASSWORD))


@pytest.mark.parametrize(
    "change",
    [set_password_on_the_model, set_password_in_the_admin, set_password_by_command, set_password_in_the_database],
)
def test_a_new_password_ends_the_users_tokens_and_other_sessions(world, street, change):
    tokens, browsers = street
    change(User.objects.get(username="street_staff"))
    assert not token_works(tokens["mine"])
    assert not logged_in(browsers["mine"])
    assert token_works(tokens["other"]) and logged_in(browsers["other"])


def test_the_account_page_changes_the_password_and_keeps_only_this_session(world, street):
    tokens, browsers = street
    here = browser_of("street_staff")
    form = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = here.post("/account/", form, follow=True)
    assert response.redirect_chain == [("/account/", 302)]
    assert "密码已修改。其他设备上的登录和API令牌已随之失效。" in response.content.decode()
    assert logged_in(here)
    assert not logged_in(browsers["mine"]) and not token_works(tokens["mine"])
    assert token_works(tokens["other"]) and logged_in(browsers["other"])
    assert Client().post("/login/", {"username": "street_staff", "password": NEW_PASSWORD}).status_code == 302
    assert AuditEntry.objects.filter(action="password_change", actor__username="street_staff").exists()


def test_a_wrong_old_password_changes_nothing(world, street):
    tokens, browsers = street
    here = browser_of("street_staff")
    form = {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = here.post("/account/", form)
    assert response.status_code == 200 and "密码未修改，请按提示更正。" in response.content.decode()
    assert token_works(tokens["mine"]) and logged_in(browsers["mine"])


def test_deactivating_an_account_deletes_its_tokens(world, street):
    tokens, browsers = street
    user = User.objects.get(username="street_staff")
    user.is_active = False
    user.save()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not token_works(tokens["mine"]) and not logged_in(browsers["mine"])
    user.is_active = True
    user.save()
    assert not token_works(tokens["mine"])  # reactivating brings no token back
    assert token_works(tokens["other"]) and logged_in(browsers["other"])


def test_deactivating_in_the_admin_deletes_the_tokens(world, street):
    tokens, _ = street
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    user = User.objects.get(username="street_staff")
    page = admin.get(f"/admin/accounts/user/{user.pk}/change/")
    form = {**page.context["adminform"].form.initial, "is_active": ""}
    form = {k: v for k, v in form.items() if v is not None and k not in ("groups", "user_permissions", "password")}
    form.update(
        {
            "date_joined_0": user.date_joined.date().isoformat(),
            "date_joined_1": "00:00:00",
            "last_login_0": "",
            "last_login_1": "",
        }
    )
    response = admin.post(f"/admin/accounts/user/{user.pk}/change/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not User.objects.get(pk=user.pk).is_active
    assert not ApiToken.objects.filter(user=user).exists() and not token_works(tokens["mine"])
    assert token_works(tokens["other"])


def test_log_out_everywhere_by_the_api_ends_every_token_and_session(world, street):
    tokens, browsers = street
    second = token_of("street_staff")
    response = Client().post("/api/v1/auth/logout-all", headers={"Authorization": f"Bearer {second}"})
    assert response.status_code == 204
    assert not token_works(second) and not token_works(tokens["mine"])
    assert not logged_in(browsers["mine"])
    assert not ApiToken.objects.filter(user__username="street_staff").exists()
    assert token_works(tokens["other"]) and logged_in(browsers["other"])
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGOUT_ALL)
    assert entry.actor.username == "street_staff"
    assert token_works(token_of("street_staff"))  # logging in again works


def test_log_out_everywhere_from_the_pages_javascript_needs_csrf(world, street):
    tokens, _ = street
    browser = Client(enforce_csrf_checks=True)
    csrf = browser.get("/login/").cookies["csrftoken"].value
    form = {"username": "street_staff", "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    assert browser.post("/login/", form).status_code == 302
    assert browser.post("/api/v1/auth/logout-all").status_code == 403
    assert token_works(tokens["mine"])
    csrf = browser.cookies["csrftoken"].value
    assert browser.post("/api/v1/auth/logout-all", headers={"X-CSRFToken": csrf}).status_code == 204
    assert not token_works(tokens["mine"]) and browser.get(ME).status_code == 401


def test_log_out_everywhere_on_the_account_page(world, street):
    tokens, browsers = street
    here = browser_of("street_staff")
    page = here.get("/account/").content.decode()
    assert 'action="/account/logout-all/"' in page and "退出所有设备" in page
    response = here.post("/account/logout-all/", follow=True)
    assert response.redirect_chain == [("/login/", 302)]
    assert "已退出所有设备，请重新登录。" in response.content.decode()
    assert not logged_in(here) and not logged_in(browsers["mine"]) and not token_works(tokens["mine"])
    assert token_works(tokens["other"]) and logged_in(browsers["other"])
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT_ALL, actor__username="street_staff").exists()


def test_log_out_everywhere_is_a_post(world):
    here = browser_of("street_staff")
    assert here.get("/account/logout-all/").status_code == 405
    assert logged_in(here)


def test_the_account_page_needs_a_login(world):
    response = Client().get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Client().post("/account/logout-all/").status_code == 302


def test_the_top_bar_links_to_the_account_page(world):
    here = browser_of("community_worker")
    assert 'href="/account/"' in here.get("/account/").content.decode()


def test_a_login_clears_the_users_dead_tokens(world):
    user = User.objects.get(username="street_staff")
    expired = ApiToken.issue(user, timedelta(hours=1))
    ApiToken.objects.filter(key_hash=ApiToken.hash(expired)).update(expires_at=timezone.now() - timedelta(seconds=1))
    stale = ApiToken.issue(user, timedelta(hours=1))
    ApiToken.objects.filter(key_hash=ApiToken.hash(stale)).update(user_auth_hash="0" * 64)
    live = ApiToken.issue(user, timedelta(hours=1))
    others = ApiToken.issue(User.objects.get(username="community_worker"), timedelta(hours=1))
    ApiToken.objects.filter(key_hash=ApiToken.hash(others)).update(expires_at=timezone.now() - timedelta(seconds=1))
    fresh = token_of("street_staff")
    kept = set(ApiToken.objects.values_list("key_hash", flat=True))
    assert kept == {ApiToken.hash(live), ApiToken.hash(fresh), ApiToken.hash(others)}
