"""Residents never reach a staff page or a staff API endpoint, and staff do not use the portal's."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from linli.accounts import roles
from linli.api import api
from linli.testing import factories

pytestmark = pytest.mark.django_db


def _pages(resolver=None, prefix="", namespaces=()):
    """Every page URL with its namespaces, placeholders filled with 1 (the API and the admin's own views aside)."""
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _pages(p, route, (*namespaces, p.namespace) if p.namespace else namespaces)
        elif isinstance(p, URLPattern):
            yield "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route).lstrip("^").rstrip("$").replace("\\Z", ""), namespaces, p


def _staff_pages():
    for url, namespaces, p in _pages():
        if "api-v1" in namespaces or set(namespaces) & roles.RESIDENT_NAMESPACES:
            continue
        if not namespaces and p.name in roles.RESIDENT_URL_NAMES:
            continue
        if "(?P" in url or "^" in url:  # regex routes of the admin: its prefix is enough
            continue
        yield url


def test_a_resident_gets_403_from_every_staff_page(client):
    r = factories.resident("13900001111")
    client.force_login(r.user)
    urls = sorted(set(_staff_pages()))
    assert len(urls) > 100 and "/persons/" in urls and "/admin/" in urls
    wrong = {u: s for u in urls if (s := client.get(u).status_code) != 403}
    assert wrong == {}


def _api_operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            if op.get("security"):
                yield method, re.sub(r"\{\w+\}", "1", path)


def test_a_resident_gets_403_from_every_staff_endpoint(client):
    r = factories.resident("13900001111")
    client.force_login(r.user)
    ops = sorted(set(_api_operations()))
    assert len(ops) > 100
    own = ("/api/v1/portal/", "/api/v1/notifications/", "/api/v1/map/")
    wrong = {}
    for method, url in ops:
        status = getattr(client, method)(url, content_type="application/json").status_code
        if url.startswith(own) == (status in (401, 403)):  # 401: /auth/logout reads a bearer token only
            wrong[f"{method} {url}"] = status
    assert wrong == {}


def test_staff_get_403_from_the_portal_api_and_pages(client):
    w = factories.world()
    client.force_login(w.users["community_worker"])
    assert client.get("/api/v1/portal/me").status_code == 403
    assert client.get("/portal/").status_code == 403


def test_a_resident_lands_on_the_portal(client):
    r = factories.resident("13900001111")
    client.force_login(r.user)
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/portal/"
    assert client.get("/portal/").status_code == 200
    assert client.get("/api/v1/portal/me").json()["phone"] == "139****1111"


def test_the_portal_greets_a_bound_resident_by_name(client):
    w = factories.world()
    r = factories.resident("13812345678", factories.person(w.grid_a1, name="王小梅"))
    client.force_login(r.user)
    page = client.get("/portal/").content.decode()
    assert "您好，王小梅" in page and "已实名认证 · 138****5678" in page
