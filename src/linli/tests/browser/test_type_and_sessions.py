"""Type, 大字, tap sizes and the end of a sign-in, in Chromium (docs/accessibility.md).

One phone-sized walk over the resident and field pages measures every control a thumb may tap (WCAG 2.5.5, 44×44
CSS px; links inside a sentence are the standard's inline exception, and what sits on a map's drawing is reachable
through the page's own controls) and switches 大字 on and off. A second walk lets a short sign-in run out: the warning,
继续使用, Esc, the end, and what was typed coming back after signing in again — after the warning and after a post
that arrived too late."""

import pytest
from playwright.sync_api import expect

from linli.testing import factories

from .conftest import PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every visible control under 44×44 CSS px on the page, as "what (width×height)". A checkbox or radio button counts by
# its label, which takes the tap; a link inside running text (a sentence around it) is WCAG's inline exception.
SMALL_TARGETS = """() => {
  const seen = new Set(), small = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], ' +
    '[tabindex]:not([tabindex="-1"])';
  for (let el of document.querySelectorAll(controls)) {
    if (el.closest('.leaflet-marker-pane, .leaflet-overlay-pane, .leaflet-tooltip-pane')) continue;  // map drawing
    if (el.tagName === 'INPUT' && el.closest('label')) el = el.closest('label');  // the label takes the tap
    else if ((el.type === 'checkbox' || el.type === 'radio') && el.labels.length) el = el.labels[0];
    if (seen.has(el)) continue;
    seen.add(el);
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (!box.width || !box.height || box.right <= 0 || style.visibility === 'hidden') continue;
    if (el.closest('[hidden], dialog:not([open])')) continue;
    if (el.tagName === 'A' && style.display === 'inline') {
      const block = el.parentElement.closest('p, li, dd, td, div, span');
      const around = block ? block.textContent.replace(el.textContent, '').trim() : '';
      if (around.length >= 4) continue;  // a link in a sentence
    }
    if (box.width < 43.5 || box.height < 43.5) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.tagName).trim()
        .replace(/\\s+/g, ' ').slice(0, 24);
      small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def _small_targets(page, path: str) -> list[str]:
    page.goto(path, timeout=30_000)  # a busy machine: the first page of a live server may take a while
    return [f"{path}: {target}" for target in page.evaluate(SMALL_TARGETS)]


def _root_px(page) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_phone_pages_have_thumb_sized_targets_and_big_text(browser_page, live_server, world):
    factories.install_case_catalogue(world)
    resident = factories.resident("13900002222")
    case = factories.case(world.grid_a1, channel="hotline", reporter_phone="13900002222")

    visitor = browser_page(None, PHONE)
    small = []
    for path in ("/report/", "/report/track/", f"/report/track/{case.tracking_code}/"):
        small += _small_targets(visitor, path)

    # 大字: the page grows at once (no reload), and the next page opens large from the server's first paint.
    assert _root_px(visitor) == 16  # the browser's default, not fixed by the stylesheet
    toggle = visitor.get_by_role("button", name="大字")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert _root_px(visitor) == 20
    visitor.goto("/report/")
    assert visitor.evaluate("() => document.documentElement.className") == "big-text"
    wide = visitor.evaluate("() => document.body.scrollWidth <= window.innerWidth")
    small += [f"大字 {target}" for target in _small_targets(visitor, "/report/")]
    visitor.get_by_role("button", name="大字").click()
    assert _root_px(visitor) == 16

    portal = browser_page(None, PHONE)
    signed_in(portal, live_server, resident.user)
    for path in ("/portal/", "/portal/reports/"):
        small += _small_targets(portal, path)

    worker = browser_page("grid_worker", PHONE)
    for path in ("/cases/m/", "/cases/m/report/", f"/cases/m/{case.pk}/", "/cases/todo/"):
        small += _small_targets(worker, path)

    assert wide, "大字 scrolls sideways"
    assert small == [], "controls under 44×44 px on a phone:\n" + "\n".join(small)


def test_the_sign_in_warns_before_it_ends_and_keeps_what_was_typed(browser_page, settings):
    settings.SESSION_COOKIE_AGE = 6  # the warning 3 s after a page, the end 3 s later
    settings.SESSION_REFRESH_SECONDS = 0
    page = browser_page("grid_worker")
    page.goto("/cases/m/report/")
    page.fill("#id_description", "三号楼东侧井盖松动，有人差点踩空")
    page.focus("#id_description")

    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_have_accessible_name("登录快要结束了")
    keep = dialog.get_by_role("button", name="继续使用")
    expect(keep).to_be_focused()
    with page.expect_response("**/session/keep/") as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    expect(dialog).to_be_hidden()
    expect(page.locator("#id_description")).to_be_focused()  # back where the reader was

    expect(dialog).to_be_visible(timeout=10_000)  # the pushed-back end comes near again
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    again = dialog.get_by_role("link", name="重新登录")
    expect(again).to_be_focused(timeout=10_000)  # the end: said, and the way back offered
    expect(dialog).to_have_accessible_name("登录已经结束")

    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_REFRESH_SECONDS = 600  # no late response of a page's own requests sets the cookie again
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/?next=%2Fcases%2Fm%2Freport%2F")
    _sign_in(page)
    page.wait_for_url("**/cases/m/report/")
    expect(page.locator("#id_description")).to_have_value("三号楼东侧井盖松动，有人差点踩空")
    expect(page.get_by_role("status").filter(has_text="已恢复")).to_be_focused()

    # A post that arrives after the end: the sign-in page, then the same form with what was typed.
    page.reload(wait_until="networkidle")
    page.fill("#id_description", "路灯杆倾斜，靠近幼儿园门口")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.get_by_role("button", name="提交上报").click()
    page.wait_for_url("**/login/**")
    assert page.input_value("#id_password") == ""
    _sign_in(page)
    page.wait_for_url("**/cases/m/report/")
    expect(page.locator("#id_description")).to_have_value("路灯杆倾斜，靠近幼儿园门口")
    page.reload()  # given back once
    expect(page.locator("#id_description")).to_have_value("")
    assert page.evaluate("() => sessionStorage.length") == 0


def _sign_in(page) -> None:
    page.fill("#id_username", "grid_worker")
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
