"""Content-Security-Policy: every page carries the enforced policy, and no template holds what it would block.
The browser journeys (tests/browser) run under it and fail on any violation."""

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
# (persona or None for anonymous, path): a few pages of each app, the error pages and the admin.
PAGES = [
    (None, "/login/"),
    (None, "/report/"),
    (None, "/public/honours/"),
    (None, "/api/v1/docs"),
    ("street_staff", "/stats/"),
    ("street_staff", "/persons/"),
    ("street_staff", "/households/"),
    ("street_staff", "/houses/"),
    ("street_staff", "/regions/"),
    ("street_staff", "/imports/"),
    ("street_staff", "/cases/"),
    ("street_staff", "/cases/all/"),
    ("street_staff", "/cases/new/"),
    ("street_staff", "/cases/supervision/"),
    ("street_staff", "/campaigns/"),
    ("street_staff", "/campaigns/dashboard/"),
    ("community_worker", "/campaigns/progress/"),
    ("street_staff", "/campaigns/rectification/"),
    ("street_staff", "/assessment/"),
    ("street_staff", "/honours/"),
    ("street_staff", "/bulletins/"),
    ("community_worker", "/honours/apply/"),
    ("grid_worker", "/cases/m/"),
    ("dept_handler", "/imports/"),  # 403
    ("street_staff", "/persons/999999999/"),  # 404
    ("admin", "/admin/"),
]


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize(("persona", "path"), PAGES)
def test_every_page_carries_the_enforced_policy(world, persona, path):
    client = Client()
    if persona:
        client.force_login(world.users[persona])
    response = client.get(path)
    assert response.status_code < 500 and response["Content-Type"].startswith("text/html")
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)
    assert "Content-Security-Policy-Report-Only" not in response


SRC = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(SRC.rglob("templates/**/*.html"))
# What the policy blocks in markup: style attributes and <style> elements, inline event handlers, javascript: URLs,
# and <script> elements with code in them (a json_script block is data, and a script with src is a file).
BLOCKED = {
    "a style attribute": re.compile(r"\sstyle\s*="),
    "a <style> element": re.compile(r"<style[\s>]"),
    "an inline event handler": re.compile(r"\son[a-z]+\s*="),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "an inline script": re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>"),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_holds_what_the_policy_blocks(template):
    text = template.read_text()
    found = [f"{what}: {m.group(0)!r}" for what, pattern in BLOCKED.items() for m in pattern.finditer(text)]
    assert found == []


def test_the_template_check_sees_what_it_looks_for():
    samples = [
        '<span style="width: 5%">',
        "<style>b{}</style>",
        '<select onchange="this.form.submit()">',
        '<a href="javascript:history.back()">',
        "<script>alert(1)</script>",
    ]
    assert [sum(bool(p.search(s)) for p in BLOCKED.values()) for s in samples] == [1, 1, 1, 1, 1]
    allowed = '<script src="/static/app.js" defer></script><script id="d" type="application/json">{}</script>'
    assert not any(p.search(allowed) for p in BLOCKED.values())
