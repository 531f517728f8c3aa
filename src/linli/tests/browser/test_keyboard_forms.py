"""The forms by keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys and typing; no clicks) and as a screen
reader reads them: the resident's report with its place found by the address search and then from the list of
places (no map), the tracking lookup and the rating, the staff's intake, a folded action of the case page (its
form fetched when unfolded) and the dispatch from the workbench. A
failed submit opens with the error summary focused (role=alert, a link to each field), every invalid field is
marked and described by ids that exist, and a summary link takes the focus to its field."""

import re

import pytest
from playwright.sync_api import expect

from linli.accounts.models import User
from linli.cases import services
from linli.cases.models import Case
from linli.cases.tests.casework import case_in
from linli.people.models import Estate

from .conftest import DESKTOP
from .test_case_journey import _solve, ready_to_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every aria-describedby id that names nothing on the page, as "element → id".
DANGLING = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(e =>
  e.getAttribute('aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id))
    .map(id => (e.id || e.name || e.tagName) + ' → ' + id))"""


def focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, *, back: bool = False, limit: int = 150) -> None:
    """Tab (Shift+Tab with `back`) until the focus is on `selector`: it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} not reached by {'Shift+' if back else ''}Tab")


def arrow_to(page, label: str, *, limit: int = 80) -> None:
    """The focused select moved by ArrowDown until its option `label` is chosen."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.selectedOptions[0].textContent.trim()") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {label} not reached by the arrow keys")


def failed_and_told(page, *links: str) -> None:
    """After a failed submit: the summary is focused and read as an alert listing `links` (field labels), each
    invalid field tied to ids that exist; the first link, followed by keyboard, focuses its field."""
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    snapshot = summary.aria_snapshot()
    assert snapshot.startswith("- alert"), snapshot
    for label in links:
        assert re.search(rf'link "{re.escape(label)}：', snapshot), (label, snapshot)
    assert page.evaluate(DANGLING) == []
    first = summary.get_by_role("link").first
    target = first.get_attribute("href")
    page.keyboard.press("Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(target)).to_be_focused()
    assert page.locator(target).get_attribute("aria-invalid") == "true"


def test_report_track_rate_intake_and_dispatch_by_keyboard(browser_page, world, monkeypatch, tmp_path, settings):
    ready_to_report(world, monkeypatch, tmp_path, settings)
    Estate.objects.create(region=world.community_a1, name="金域花园", latitude="41.790000", longitude="123.420000")

    # ---- the resident reports, without touching the map
    page = browser_page(None, DESKTOP)
    page.goto("/report/")
    form = page.locator("#report-form")
    # what a screen reader is given: every control named by its label, the place as a group of three ways
    named = [("combobox", "问题类型"), ("textbox", "问题描述"), ("searchbox", "查找地址")]
    named += [("combobox", "从列表中选择社区或小区"), ("textbox", "联系电话"), ("button", "提交")]
    for role, name in named:
        expect(form.get_by_role(role, name=re.compile(name))).to_have_count(1)
    expect(form.get_by_role("group", name=re.compile("问题位置"))).to_be_visible()
    expect(form).to_contain_text("2小时内提交有效")
    tab_to(page, "#report-submit")
    page.keyboard.press("Enter")
    failed_and_told(page, "问题类型", "问题描述", "问题位置", "联系电话", "验证问题")
    expect(page.locator("#id_place")).to_have_attribute("aria-describedby", "location-help id_location_error")

    tab_to(page, "#id_category_id", back=True)
    arrow_to(page, "路灯不亮")
    tab_to(page, "#id_description")
    page.keyboard.type("小区东门的路灯坏了一周，晚上很黑")
    tab_to(page, "#address-search")
    page.keyboard.type("金域")
    result = page.locator("[data-search-results] button", has_text="金域花园")
    expect(result).to_be_visible()
    tab_to(page, "[data-search-results] button")
    page.keyboard.press("Enter")
    expect(page.locator("#map-status")).to_contain_text("甲一1号网格")  # read out: aria-live
    assert page.input_value("#id_latitude") == "41.790000"
    tab_to(page, "#id_place")
    arrow_to(page, "甲一社区（社区内其他地点）")
    expect(page.locator("#map-status")).to_contain_text("已选择：甲一社区")
    tab_to(page, "#id_reporter_phone")
    page.keyboard.type("13912345678")
    tab_to(page, "#id_answer")
    page.keyboard.press("Control+A")
    page.keyboard.type(_solve(page.locator(".question").inner_text()))
    tab_to(page, "#report-submit")
    page.keyboard.press("Enter")
    expect(page.locator("#tracking-code")).to_be_visible()
    code = page.locator("#tracking-code").inner_text().replace(" ", "")
    reported = Case.objects.get(tracking_code=code)
    assert (reported.region_id, reported.channel) == (world.grid_a1.pk, "online")

    # ---- the tracking lookup and the rating, of a case closed meanwhile
    closed = case_in(world.grid_a1, "feedback")
    closed = services.case_act(user=User.objects.get(username="grid_worker"), case_id=closed.pk, action="verify",
                               version=closed.version)  # fmt: skip
    assert closed.state == "closed"
    page.goto("/report/track/")
    tab_to(page, "#id_code")
    page.keyboard.type("AAAAA22222")
    page.keyboard.press("Enter")
    expect(page.locator("[data-error-summary]")).to_be_focused()  # "not found" is read out first
    tab_to(page, "#id_code")
    page.keyboard.press("Control+A")
    page.keyboard.type(closed.tracking_code.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_text("已结案").first).to_be_visible()
    tab_to(page, "#rate button[type=submit]")
    page.keyboard.press("Enter")
    failed_and_told(page, "您对办理结果满意吗？")
    page.keyboard.press("ArrowDown")  # the radio group: the arrows choose
    expect(page.locator("#id_rating_1")).to_be_checked()
    expect(page.get_by_role("radio", name="基本满意")).to_be_checked()
    tab_to(page, "#id_note")
    page.keyboard.type("修得及时")
    tab_to(page, "#rate button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".alert").first).to_be_visible()
    closed.refresh_from_db()
    assert closed.rating == "basic"

    # ---- the staff's intake
    staff = browser_page("street_staff")
    staff.goto("/cases/new/")
    tab_to(staff, "form.card button[type=submit]")
    staff.keyboard.press("Enter")
    failed_and_told(staff, "事件分类", "问题描述", "事发位置")
    tab_to(staff, "#id_category", back=True)
    arrow_to(staff, "路灯不亮")
    tab_to(staff, "#id_description")
    staff.keyboard.type("文艺路口的路灯不亮，电话反映")
    tab_to(staff, "#id_region")
    arrow_to(staff, "甲一1号网格")
    tab_to(staff, "form.card button[type=submit]")
    staff.keyboard.press("Enter")
    staff.wait_for_url(re.compile(r"/cases/\d+/$"))
    taken = Case.objects.exclude(pk__in=[reported.pk, closed.pk]).get()
    assert (taken.region_id, taken.description) == (world.grid_a1.pk, "文艺路口的路灯不亮，电话反映")

    # ---- a folded action on its page: Enter unfolds it and its form arrives (htmx), then is filled and sent
    expect(staff.locator("#act-reject form")).to_have_count(0)
    tab_to(staff, "#act-reject > summary")
    staff.keyboard.press("Enter")
    expect(staff.locator("#act-reject textarea")).to_be_visible()
    tab_to(staff, "#act-reject textarea")
    staff.keyboard.type("重复来电，已在另一工单中处理")
    tab_to(staff, "#act-reject button[type=submit]")
    staff.keyboard.press("Enter")
    expect(staff.locator(".alert").first).to_contain_text("已不予受理")
    taken.refresh_from_db()
    assert taken.state == "rejected"

    # ---- the dispatch, from the workbench: Space ticks a case, Enter sends
    staff.goto("/cases/")
    tab_to(staff, f"input[name=cases][value='{reported.pk}']")
    staff.keyboard.press("Space")
    expect(staff.locator("[data-selected-count]")).not_to_contain_text("请先")
    tab_to(staff, "#bulk button[type=submit]")
    staff.keyboard.press("Enter")
    expect(staff.locator(".alert").first).to_contain_text(reported.number)
    reported.refresh_from_db()
    assert reported.state == "dispatched"
    for p in (page, staff):
        assert p.errors == []
