"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Use the `browser_page` fixture: `browser_page("street_staff")` returns a page already logged in as that
persona (linli.testing.factories), `browser_page(None)` an anonymous one. A failing test leaves a full-page
screenshot in test-artifacts/<test name>.png. Pages run under the Content-Security-Policy the server sends, and a
test fails when the browser reports a violation of it (`page.csp_violations`), whatever else it checks. Mark browser
tests with
`pytest.mark.django_db(transaction=True, serialized_rollback=True)` so the live server sees the data and
the seeded catalogues (tags) survive the flush that follows.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"
DESKTOP = {"width": 1366, "height": 900}
# Runs in every document before the page's own scripts: each violation of the policy is handed to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.linliCspViolation(e.effectiveDirective + " refused " + (e.blockedURI || "inline code") + " in " +
    e.documentURI + (e.sourceFile ? " (" + e.sourceFile + ":" + e.lineNumber + ")" : "") +
    (e.sample ? ": " + e.sample : ""));
}, true);
"""
PHONE = {"width": 390, "height": 844}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django would otherwise refuse
    # ORM calls from the test body ("You cannot call this from an async context"). Module scope: the loop
    # and this setting end with the browser tests, so the other tests still catch such calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections

    outer = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            # Inside Playwright's event loop Django's connection handler sees another context and would hand
            # out fresh connection objects, without the test database's serialized contents that
            # serialized_rollback restores from: keep the ones of the test session.
            for alias, connection in outer.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_page(request, browser, live_server, world):
    """A factory: browser_page(persona="street_staff", viewport=DESKTOP) → a Playwright page, logged in."""
    from linli.testing.factories import PASSWORD

    contexts, violations = [], []

    def on_violation(text: str) -> None:
        violations.append(text)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    def open_page(persona: str | None = "street_staff", viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        context.expose_function("linliCspViolation", on_violation)
        context.add_init_script(CSP_LISTENER)
        context.on("console", on_console)
        page = context.new_page()
        page.errors = []
        page.csp_violations = violations
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        if persona:
            page.goto("/login/")
            page.fill("#id_username", persona)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login/" not in url)  # each role lands on its own page
        return page

    yield open_page

    for context in contexts:
        for page in context.pages:
            # A round trip through the page's task queue delivers the violation events queued before it.
            page.evaluate("() => new Promise(resolve => setTimeout(resolve))")
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                suffix = f"-{i}-{j}" if len(contexts) > 1 or len(context.pages) > 1 else ""
                page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
    for context in contexts:
        context.close()
    if violations and not (failed is not None and failed.failed):
        pytest.fail("the Content-Security-Policy refused:\n" + "\n".join(dict.fromkeys(violations)), pytrace=False)


def signed_in(page, live_server, user) -> None:
    """The resident's session, as the portal's sign-in leaves it, for journeys about what comes after (the sign-in
    by code has journeys of its own: test_portal_signin_journey, test_resident_journey)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def code_from_the_outbox(admin_page, masked_phone: str) -> str:
    """The newest code sent to the phone, read where the demo shows it: the outbox page, as an administrator."""
    admin_page.goto("/notifications/outbox/")
    text = admin_page.locator("table tbody tr", has_text=masked_phone).first.inner_text()
    return re.search(r"验证码为(\d{6})", text).group(1)
