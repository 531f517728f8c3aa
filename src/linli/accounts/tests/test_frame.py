"""The frame's accessibility pieces that the server decides: the warning before the sign-in ends and its 继续使用,
the 大字 cookie read at the first paint, and type sizes that follow the browser (no px in our stylesheets). The
browser side is tests/browser/test_type_and_sessions.py."""

import re
import time
from pathlib import Path

from django.conf import settings

from linli.core import sessions, textsize
from linli.testing import factories

STATIC = Path(__file__).resolve().parents[2] / "static" / "linli"


def test_no_text_size_in_px_in_our_stylesheets():
    """Type follows the reader's browser setting: sizes in rem or em, and nothing fixes the root's size."""
    sheets = [p for p in STATIC.rglob("*.css") if "vendor" not in p.parts]
    assert len(sheets) > 20
    px = re.compile(r"font(-size)?\s*:[^;}]*\d+(\.\d+)?px")
    found = [f"{p.name}: {m.group(0)}" for p in sheets for m in px.finditer(p.read_text())]
    assert found == []
    root = re.search(r":root\s*\{[^}]*\}", (STATIC / "app.css").read_text()).group(0)
    assert "font-size" not in root


def test_seconds_left_counts_from_the_last_push():
    now = int(time.time())
    assert sessions.seconds_left({}) == settings.SESSION_COOKIE_AGE  # pushed back on the way out
    assert sessions.seconds_left({sessions.TOUCHED: now - 20}) in (
        settings.SESSION_COOKIE_AGE - 20,
        settings.SESSION_COOKIE_AGE - 21,
    )
    assert (
        sessions.seconds_left({sessions.TOUCHED: now - settings.SESSION_REFRESH_SECONDS}) == settings.SESSION_COOKIE_AGE
    )


def test_keep_pushes_the_end_back_on_a_click_only(client, world):
    client.force_login(world.users["grid_worker"])
    session = client.session
    session[sessions.TOUCHED] = int(time.time()) - 30  # within the refresh interval: a page would not push it
    session.save()
    page = client.get("/cases/m/")
    assert page.status_code == 200
    left = int(re.search(r'data-seconds-left="(\d+)"', page.text).group(1))
    assert settings.SESSION_COOKIE_AGE - 90 <= left <= settings.SESSION_COOKIE_AGE - 30  # a busy machine is slow
    assert 'role="alertdialog"' in page.text and "继续使用" in page.text

    assert client.get("/session/keep/").status_code == 405
    answer = client.post("/session/keep/")
    assert answer.json() == {"seconds_left": settings.SESSION_COOKIE_AGE}
    assert int(time.time()) - client.session[sessions.TOUCHED] <= 1


def test_keep_after_the_end_says_so(client, db):
    answer = client.post("/session/keep/")
    assert answer.status_code == 401 and "重新登录" in answer.json()["detail"]
    assert "session-expiry" not in client.get("/login/").text  # no warning for nobody


def test_a_resident_may_keep_the_portal_signed_in(client, world):
    resident = factories.resident("13800000001")
    client.force_login(resident.user)
    assert client.post("/session/keep/").status_code == 200
    page = client.get("/portal/")
    assert 'data-seconds-left="' in page.text and 'href="/portal/login/"' in page.text


def test_big_text_is_in_the_first_paint_of_resident_and_field_pages(client, world):
    assert 'aria-pressed="false"' in client.get("/report/").text

    answer = client.post("/text-size/", {"size": "big", "next": "/report/track/"})
    assert answer.status_code == 302 and answer["Location"] == "/report/track/"
    cookie = answer.cookies[textsize.COOKIE]
    assert cookie.value == "big" and cookie["max-age"] == textsize.MAX_AGE and not cookie["httponly"]
    page = client.get("/report/track/").text
    assert '<html lang="zh-hans" class="big-text">' in page and 'aria-pressed="true"' in page

    client.force_login(world.users["grid_worker"])
    assert '<html lang="zh-hans" class="big-text">' in client.get("/cases/m/").text
    # Staff desktop pages offer no toggle, so they do not take the choice either.
    assert '<html lang="zh-hans">' in client.get("/cases/todo/").text

    assert client.post("/text-size/", {"size": "normal", "next": "https://elsewhere.example/"})["Location"] == "/"
    assert '<html lang="zh-hans">' in client.get("/report/").text
