"""The demo district crawled once, for two checks: no visible link is refused to the account that sees it, and
axe-core finds nothing serious on any kind of page the crawl opens, on a desktop and on a phone.

Each account of the demo district (linli.testing.crawl: a small district with every role, cases in every state, plans
with late reports, assessment rounds, honours) opens "/" and every menu entry with Django's test client, then follows
the links of those pages two steps further, GET only, same origin. The link check: none of the links a staff account
follows answers 403, 404, 400 or 500 or sends it to the login page. The accessibility check also takes the pages of
the demo phone's resident and of an anonymous visitor starting from the public pages; of the pages of one view the
first met is kept, with the account that met it. Each is opened in Chromium under that account's session, checked at
DESKTOP width, resized to PHONE width and checked again, with axe-core (vendor/axe.min.js, pinned) and the WCAG 2.0
and 2.1 A and AA rules and the best practices. The test fails listing every serious or critical violation (rule,
width, page, account, elements), and where the skip link is not the first tab stop.

The two checks share one module so that one demo district and one crawl per account serve both (they were two
modules, each building its district and crawling it: about 45 s of a worker's time twice). The crawls run once in
the module's fixture, outside the tests' transactions, one account after the other on the same district, as the
accessibility check's own crawl always did; the link check's accounts each have a test of their own that reads
their crawl's result.

One browser, one page reused for every URL; axe is injected into each document by an init script (it bypasses the
Content-Security-Policy, which refuses an injected <script> tag, as it should). SQLite only: which links a page
shows and what they answer are decided by roles, scope and the data, the same on both databases, and these are
among the suite's slowest tests. docs/accessibility.md says what the accessibility check covers and what it cannot.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from linli.accounts.models import User
from linli.testing.crawl import ACCOUNTS, PUBLIC_ENTRIES, crawl, demo_district, demo_resident, kind

from .conftest import CSP_LISTENER, DESKTOP, PHONE

pytestmark = [
    pytest.mark.crawl,  # in the CI's pair of runs, the SQLite run's (src/linli/conftest.py)
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the crawl runs on SQLite (module docstring)"),
]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({rule: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(" "))}));
}"""
SHOWN_TARGETS = 6  # per rule and page, then a count
FOCUSED = "() => document.activeElement === document.body ? null : document.activeElement.outerHTML.slice(0, 80)"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), demo_district():
        yield


@pytest.fixture(scope="module")
def crawls(demo, django_db_blocker):
    """{account: (client, Crawl)}: the anonymous visitor's and the resident's crawls, which only the accessibility
    check takes, following one link of a kind per kind of page (they only have to find the kinds), then every
    staff account's, as the link check follows them."""
    with django_db_blocker.unblock():
        found = {}
        for account in ("anonymous", "resident", *ACCOUNTS):
            client = Client()
            if account == "resident":
                client.force_login(demo_resident())
            elif account != "anonymous":
                client.force_login(User.objects.get(username=account))
            if account in ACCOUNTS:
                found[account] = client, crawl(client)
            else:
                start = (*PUBLIC_ENTRIES, _tracking_page()) if account == "anonymous" else ("/",)
                found[account] = client, crawl(client, per_kind=1, start=start)
    return found


@pytest.mark.parametrize("username", ACCOUNTS)
def test_no_visible_link_is_refused_to_the_persona_that_sees_it(crawls, username):
    _, result = crawls[username]
    assert result.opened > 10
    assert result.failures == []


@pytest.fixture(scope="module")
def pages(crawls):
    """[(account, session cookie or None, url)]: one page per view over all accounts, the first account that met
    it."""
    found, seen = [], set()
    for account, (client, result) in crawls.items():
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        for url in result.pages:
            view = kind(url)[0]
            if view not in seen:
                seen.add(view)
                found.append((account, cookie.value if cookie else None, url))
    return found


@pytest.mark.browser
# Like every browser test: the live server's flush at the end then leaves the migrations' rows for the next test to
# restore with their own ids (a plain flush would remake them with new ones, and the next restore fails).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_serious_or_critical_axe_violation_on_any_kind_of_page(browser, live_server, pages):
    """Each page is opened once at DESKTOP width and checked, then checked again at PHONE width (the page resized:
    the layout is CSS media queries, and a second navigation would double the time)."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
    csp = []
    context.expose_function("linliCspViolation", lambda text: csp.append(text))
    context.add_init_script(CSP_LISTENER)
    context.add_init_script(path=AXE)
    page = context.new_page()
    failures, session = [], object()
    try:
        for account, cookie, url in pages:
            if cookie != session:
                context.clear_cookies()
                if cookie:
                    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie,
                                          "url": live_server.url}])  # fmt: skip
                session = cookie
            page.set_viewport_size(DESKTOP)
            page.goto(url)
            if "/login/" in page.url and "/login/" not in url:
                failures.append(f"signed out {url} [{account}]: the page answered with the login page")
                continue
            if not _skip_link_works(page):
                failures.append(f"skip link {url} [{account}]: the first tab stop is not 跳到主要内容 or misses <main>")
            for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
                page.set_viewport_size(viewport)
                for v in page.evaluate(RUN_AXE, TAGS):
                    more = len(v["targets"]) - SHOWN_TARGETS
                    shown = ", ".join(v["targets"][:SHOWN_TARGETS]) + (f" … and {more} more" if more > 0 else "")
                    failures.append(f"{v['rule']} ({v['impact']}, {name}) {url} [{account}]: {shown}")
    finally:
        context.close()
    assert len(pages) > 100
    assert failures == [], f"{len(failures)} serious or critical violations:\n" + "\n".join(failures)
    assert csp == []


def _tracking_page() -> str:
    """The tracking page of a case under way, as its reporter opens it with the code (/report/track/<code>/)."""
    from linli.cases import rules
    from linli.cases.models import Case

    return f"/report/track/{Case.objects.filter(state__in=rules.OPEN_STATES).first().tracking_code}/"


def _skip_link_works(page) -> bool:
    """Tab from the top of the page reaches 跳到主要内容 first; Enter on it puts the focus on <main id="main">. A page
    that focuses a field on load (the login form) starts from there: its skip link is then first in the page's order
    of focusable elements."""
    if page.evaluate(FOCUSED) is not None:
        return page.evaluate("""() => {
          const first = document.querySelector("a[href], button, input:not([type=hidden]), select, textarea");
          return first.matches("a.skip-link") && document.getElementById("main")?.tagName === "MAIN";
        }""")
    page.keyboard.press("Tab")
    if page.evaluate("() => document.activeElement.textContent") != "跳到主要内容":
        return False
    page.keyboard.press("Enter")
    return page.evaluate("() => document.activeElement.id === 'main' && document.activeElement.tagName === 'MAIN'")
