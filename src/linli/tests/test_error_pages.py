"""Errors outside a view's own handling answer in Chinese without a traceback: JSON under /api/, a page elsewhere;
and the demo runs with DEBUG off, as production does, unless a developer asks for it."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import Client

from linli.accounts.views import LoginView
from linli.testing.apiclient import API, ApiClient


def test_an_unknown_url_shows_a_chinese_page_without_addresses_or_traceback(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "未找到" in text
    assert "urlpatterns" not in text and "Traceback" not in text and "api/v1/" not in text


def test_an_unknown_api_url_answers_json(db):
    response = Client().get(API + "/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录或无权访问", "errors": []}


def crash(*args, **kwargs):
    raise ZeroDivisionError("secret detail")


def test_a_crash_shows_the_chinese_500_page(db, monkeypatch):
    monkeypatch.setattr(LoginView, "get", crash)
    response = Client(raise_request_exception=False).get("/login/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器出错" in text and "secret detail" not in text


def test_a_crash_in_the_api_answers_json(world, monkeypatch):
    monkeypatch.setattr("linli.accounts.api.user_describe", crash)
    api = ApiClient(world.users["admin"])
    api.client.raise_request_exception = False
    response = api.get("/auth/me")
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器出错，请稍后重试", "errors": []}


def test_debug_is_off_unless_asked_for():
    env = {k: v for k, v in os.environ.items() if k != "LINLI_DEBUG"}
    env |= {"PYTHONPATH": str(settings.BASE_DIR / "src"), "DJANGO_SETTINGS_MODULE": "linli.settings"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_demo_leaves_debug_to_the_developer():
    script = (settings.BASE_DIR / "linli").read_text()
    demo = script.split("\n  demo)", 1)[1].split(";;", 1)[0]
    assert "LINLI_DEBUG" not in demo
    assert "collectstatic" in demo  # the manifest storage of DEBUG off serves only collected files
