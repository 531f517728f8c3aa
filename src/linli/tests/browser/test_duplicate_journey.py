"""Duplicates and the dispatcher's one step in the browser: a resident marking a spot sees the same problem already
being handled there; the street's clerk taking a call about the same lamp sees it too, merges the new case into it
with one click, goes on to the next case on the desk (the original) and registers and dispatches it in one step."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from linli.cases.models import Case
from linli.testing import factories

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Community 甲一 and its grid 甲一1 share this square of 沈河区; the first report lies at its centre, where a tap
# in the middle of the fitted map lands (a few metres off at most).
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[123.40, 41.78], [123.44, 41.78], [123.44, 41.81], [123.40, 41.81], [123.40, 41.78]]],
}
CENTRE = {"latitude": "41.795000", "longitude": "123.420000"}


def _tap_centre(page, selector):
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_duplicate_hints_one_click_merge_and_one_step_dispatch(browser_page, world, settings):
    settings.DUPLICATE_METRES, settings.DUPLICATE_DAYS = 150, 30
    factories.install_case_catalogue(world)
    for node in (world.community_a1, world.grid_a1):
        node.boundary = SQUARE
        node.save()
    original = factories.case(world.grid_a1, description="小区东门的路灯坏了一周，晚上很黑", **CENTRE)
    Case.objects.filter(pk=original.pk).update(channel=Case.Channel.ONLINE, received_at=timezone.now())

    # A resident on a phone marks the same spot for the same kind of problem.
    resident = browser_page(None, PHONE)
    resident.goto("/report/")
    resident.select_option("#id_category_id", label="路灯不亮")
    expect(resident.locator(".community-label")).to_be_visible()  # the boundaries have arrived and been fitted
    _tap_centre(resident, "#report-map")
    hint = resident.locator(".similar-hints")
    expect(hint).to_contain_text("附近已有1件同类问题正在处理")
    expect(hint).to_contain_text("小区东门的路灯坏了一周")

    # The street's clerk takes a call about the same lamp.
    clerk = browser_page("street_staff")
    clerk.goto("/cases/new/")
    clerk.select_option("#id_channel", label="热线")
    clerk.select_option("#id_category", label="路灯不亮")
    clerk.fill("#id_description", "东门路灯不亮，来电人说已经一周了")
    _tap_centre(clerk, "#pick-map")
    expect(clerk.locator(".similar-hints")).to_contain_text(original.number)
    clerk.click("form.form button[type=submit]")
    expect(clerk.locator(".alert").first).to_contain_text("已受理")
    duplicate = Case.objects.exclude(pk=original.pk).get()

    # On the new case's page: the same hint, merged with one click.
    clerk.locator(".similar-hints").get_by_role("button", name="并入此案件").click()
    expect(clerk.locator(".alert").first).to_contain_text("已合并重复件")
    expect(clerk.locator(".case-head")).to_contain_text("已合并")

    # Next on the desk: the original, registered and dispatched in one step.
    clerk.locator(".next-case a").click()
    expect(clerk.locator(".case-head")).to_contain_text(original.number)
    expect(clerk.locator("#act-dispatch > summary")).to_have_text("立案并派遣")
    clerk.click("#act-dispatch > form button[type=submit]")
    expect(clerk.locator(".alert").first).to_contain_text("已立案并派遣")
    expect(clerk.locator(".timeline")).to_contain_text("已立案待派遣 → 已派遣待签收")

    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into_id) == ("merged", original.pk)
    assert original.state == "dispatched" and original.lead_department == original.category.department
    assert [e.action for e in original.events.order_by("seq")] == ["receive", "register", "dispatch"]
    for page in (resident, clerk):
        assert page.errors == []
