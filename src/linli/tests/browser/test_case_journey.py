"""The closed loop in the browser: a resident reports → the dispatcher dispatches → the department signs for it
and feeds back → the grid worker verifies on site → closed → the resident rates it with the tracking code."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from linli.cases.models import Case
from linli.cases.public import forms as public_forms
from linli.testing import factories

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A square around a point of 沈河区, for both community 甲一 and its grid 甲一1, so a tap in the middle of the map
# falls in the grid.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[123.40, 41.78], [123.44, 41.78], [123.44, 41.81], [123.40, 41.81], [123.40, 41.78]]],
}


def _photo(tmp_path):
    path = tmp_path / "路灯.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 40)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _solve(question: str) -> str:
    a, b = re.match(r"(.)加(.)等于几", question).groups()
    return str(public_forms.DIGITS.index(a) + public_forms.DIGITS.index(b))


def _open(page, action):
    """Unfold an action's form (the page may already show the first one unfolded)."""
    page.locator(f"#act-{action}").evaluate("details => { details.open = true; }")


def ready_to_report(world, monkeypatch, tmp_path, settings) -> None:
    """The case catalogue installed, 甲一 and its grid drawn as SQUARE, uploads kept under tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(public_forms, "MIN_FILL_SECONDS", 0)  # the fill-time check has its own tests
    factories.install_case_catalogue(world)
    for node in (world.community_a1, world.grid_a1):
        node.boundary = SQUARE
        node.save()


def test_report_dispatch_handle_verify_rate(browser_page, world, monkeypatch, tmp_path, settings):
    ready_to_report(world, monkeypatch, tmp_path, settings)

    # A resident, on a phone, without an account.
    resident = browser_page(None, PHONE)
    resident.goto("/report/")
    resident.select_option("#id_category_id", label="路灯不亮")
    resident.fill("#id_description", "小区东门的路灯坏了一周，晚上很黑")
    resident.set_input_files("input[data-photo-source][multiple]", str(_photo(tmp_path)))
    expect(resident.locator("#photo-list input[name=photo]:checked")).to_have_count(1)  # uploaded as chosen
    resident.locator("#report-map").scroll_into_view_if_needed()  # below the address search on a phone
    box = resident.locator("#report-map").bounding_box()
    expect(resident.locator(".community-label")).to_be_visible()  # the boundaries have arrived and been fitted
    resident.mouse.click(box["x"] + box["width"] / 2 + 15, box["y"] + box["height"] / 2 + 15)
    expect(resident.locator("#map-status")).to_contain_text("甲一1号网格")
    resident.fill("#id_reporter_phone", "13912345678")
    resident.fill("#id_answer", _solve(resident.locator(".question").inner_text()))
    resident.click("#report-submit")
    expect(resident.locator("#tracking-code")).to_be_visible()
    code = resident.locator("#tracking-code").inner_text().replace(" ", "")
    case = Case.objects.get(tracking_code=code)
    assert (case.channel, case.region_id, case.attachments.count()) == ("online", world.grid_a1.pk, 1)

    # The street's dispatcher sends it to the category's default department.
    dispatcher = browser_page("street_staff")
    dispatcher.goto("/cases/")
    dispatcher.check(f"input[name=cases][value='{case.pk}']")
    dispatcher.click("#bulk button[type=submit]")
    expect(dispatcher.locator(".alert").first).to_contain_text(case.number)

    # The department signs for it and reports the repair.
    handler = browser_page("dept_handler")
    handler.goto("/cases/todo/")
    handler.click(f"text={case.number}")
    _open(handler, "return")  # folded: its form is fetched when unfolded, and its photos get the picker too
    expect(handler.locator("#act-return .photo-picker")).to_be_visible()
    _open(handler, "accept")
    handler.click("#act-accept button[type=submit]")
    expect(handler.locator("#act-feedback")).to_be_visible()
    _open(handler, "feedback")
    handler.fill("#act-feedback textarea", "已更换灯泡和镇流器，恢复照明")
    handler.click("#act-feedback button[type=submit]")
    expect(handler.locator(".timeline")).to_contain_text("已更换灯泡和镇流器")

    # The grid worker checks on site, from the phone.
    grid = browser_page("grid_worker", PHONE)
    grid.goto("/cases/m/")
    grid.click(f"text={case.number}")
    expect(grid.locator(".m-verify")).to_contain_text("核查通过")
    _open(grid, "verify")
    grid.click("#act-verify button[type=submit]")
    expect(grid.locator(".alert")).to_contain_text("核查通过")
    expect(grid.locator(".m-section").first).to_contain_text("暂无需要现场核查的事件")

    # Back to the resident: the case is closed and can be rated.
    resident.goto(f"/report/track/{code}/")
    expect(resident.get_by_text("已结案").first).to_be_visible()
    resident.locator(".rate-option", has_text="满意").first.click()
    resident.click("text=提交评价")
    expect(resident.locator("body")).to_contain_text("满意")

    case.refresh_from_db()
    assert (case.state, case.rating, case.on_time) == ("closed", "satisfied", True)
    assert [e.action for e in case.events.order_by("seq")] == [
        "receive", "register", "dispatch", "accept", "feedback", "verify", "rate",
    ]  # fmt: skip
    for page in (resident, dispatcher, handler, grid):
        assert page.errors == []
