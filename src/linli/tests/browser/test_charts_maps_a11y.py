"""Charts and maps for keyboard and screen-reader users (docs/accessibility.md, 图表与地图): a chart's box is a
labelled image with its numbers in a "查看数据表" table opened by keyboard; the honours map speaks Chinese, tells
在牌 from 已摘牌 by shape and mark, its markers are tab stops whose pop-up takes the focus (Esc gives it back), and
the list under it opens the same pop-ups."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from linli.honours import rules
from linli.honours import services as honour_services
from linli.honours.models import Honour, HonourType
from linli.people.models import Estate
from linli.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOCUSED_NAME = "() => document.activeElement.getAttribute('aria-label') || document.activeElement.textContent"


def _focused_text(page) -> str:
    return page.evaluate(FOCUSED_NAME)


def test_every_chart_is_a_labelled_image_with_its_numbers_in_a_table_opened_by_keyboard(browser_page, world):
    factories.person(world.grid_a1, birth=date(1950, 3, 3), female=True)
    factories.person(world.grid_a2, birth=date(1960, 3, 3))
    page = browser_page("street_staff")
    page.goto("/stats/")
    charts = page.locator(".chart")
    expect(charts.first.locator("canvas")).to_be_attached()
    # Uniform: every chart drawn is role=img, says what it shows, and is followed by its own data table.
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("role") == "img"
        assert "查看数据表" in chart.get_attribute("aria-label")
        assert chart.evaluate("el => el.nextElementSibling.matches('details.chart-data')")

    pyramid = page.locator("#chart-pyramid + details.chart-data")
    table = pyramid.locator("table")
    expect(table).to_be_hidden()
    pyramid.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    # The table as a screen reader gets it: caption, column headers, a row per age band; the men drawn to the left
    # (negative) read as people.
    snapshot = table.aria_snapshot()
    assert "人口金字塔" in snapshot and 'columnheader "年龄"' in snapshot and 'columnheader "男"' in snapshot
    expect(table.get_by_role("row", name=re.compile(r"^65-69 1人 0人$"))).to_have_count(1)  # born 1960, a man
    assert not re.search(r"\t-\d", table.inner_text())
    residence = page.locator("#chart-residence + details.chart-data")
    residence.locator("summary").click()
    expect(residence.get_by_role("columnheader", name="占比")).to_be_visible()
    assert page.errors == []


def test_the_honours_map_by_keyboard_and_screen_reader(browser_page, world):
    honour_services.honour_types_install()
    kind = HonourType.objects.get(code="no-epidemic")
    admin = world.users["admin"]
    on_wall = Estate.objects.create(region=world.community_a1, name="锦绣家园", latitude="41.790", longitude="123.420")
    taken = Estate.objects.create(region=world.community_a1, name="幸福里", latitude="41.795", longitude="123.430")
    common = {
        "honour_type": kind,
        "statement": "申报",
        "applicant": admin,
        "applied_at": "2026-01-05T10:00:00+08:00",
        "granted_on": "2026-01-10",
        "valid_until": "2099-01-09",
        "granted_at": "2026-01-10T10:00:00+08:00",
    }
    granted = {**common, "region": world.community_a1, "status": rules.GRANTED}
    Honour.objects.create(estate=on_wall, number="无疫小区〔2026〕第001号", **granted)
    revoked = {**common, "region": world.community_a1, "status": rules.REVOKED, "revocation_reason": "投诉查实"}
    revoked["revoked_at"] = "2026-02-01T10:00:00+08:00"
    Honour.objects.create(estate=taken, number="无疫小区〔2026〕第002号", **revoked)

    page = browser_page("district_staff")
    page.goto("/honours/map/")
    box = page.locator("#honour-map")
    # A labelled region, not role=img (it holds controls and markers); Leaflet's controls in Chinese.
    assert box.get_attribute("role") == "region"
    expect(page.get_by_role("button", name="放大")).to_be_visible()
    expect(page.get_by_role("button", name="缩小")).to_be_visible()
    assert "Zoom" not in box.inner_html() and "Leaflet" not in box.inner_text()
    # 在牌 and 已摘牌 differ in shape and mark, in the markers and in the legend.
    expect(page.locator(".honour-mark.granted")).to_have_text("✓")
    expect(page.locator(".honour-mark.revoked")).to_have_text("✕")
    radius = page.eval_on_selector_all(".honour-mark", "els => els.map(e => getComputedStyle(e).borderRadius)")
    assert len(set(radius)) == 2
    expect(page.locator(".legend")).to_contain_text("在牌（圆形）")
    expect(page.locator(".legend")).to_contain_text("已摘牌（方形）")

    # Tab from the map to a marker; Enter opens its pop-up with the focus on its link; Esc closes it and the focus
    # returns to the marker.
    box.focus()
    page.keyboard.press("Tab")
    marker = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert re.search(r"(锦绣家园|幸福里) · 无疫小区（(在牌|已摘牌)）", marker), marker
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup")
    expect(popup).to_be_visible()
    assert page.evaluate("() => document.activeElement.closest('.leaflet-popup') !== null")
    assert page.evaluate("() => document.activeElement.tagName") == "A"
    expect(popup.get_by_role("button", name="关闭")).to_be_attached()
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    assert _focused_text(page) == marker
    page.keyboard.press("Tab")
    assert _focused_text(page) != marker and "无疫小区" in _focused_text(page)  # the other marker

    # The list under the map: a link per honour, its state in words, and a button that opens the same pop-up.
    places = page.locator("#honour-places")
    snapshot = places.aria_snapshot()
    assert 'link "锦绣家园 · 无疫小区"' in snapshot and "✕ 已摘牌" in snapshot and "✓ 在牌" in snapshot
    show = places.get_by_role("button", name="在地图上查看：幸福里 · 无疫小区")
    show.focus()
    page.keyboard.press("Enter")
    expect(popup).to_contain_text("已摘牌：投诉查实")
    assert page.evaluate("() => document.activeElement.closest('.leaflet-popup') !== null")
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    assert _focused_text(page) == "在地图上查看：幸福里 · 无疫小区"
    assert page.errors == []


def test_a_building_moves_to_another_area_from_the_list_under_the_map_by_keyboard(browser_page, world):
    from linli.surveys.areas import services as area_services
    from linli.surveys.areas.tests.place import census
    from linli.surveys.models import Area

    made = census(world)
    areas = area_services.areas_propose(user=world.users["admin"], survey_id=made.survey.pk)
    building = made.buildings["a1-3"]
    before = Area.objects.get(area_buildings__building=building)

    page = browser_page("street_staff")
    page.goto(f"/surveys/areas/{made.survey.pk}/map/")
    # A street has hundreds of buildings: the dots are not tab stops, the list under the map is the way in.
    assert page.eval_on_selector_all("#area-map path", "els => els.every(e => e.tabIndex === -1)")
    page.locator(".area-places summary").focus()
    page.keyboard.press("Enter")
    show = page.get_by_role("button", name="在地图上查看：和平里3号楼")
    show.focus()
    page.keyboard.press("Enter")
    # The pop-up takes the focus on the choice of area; Tab reaches 划入, Enter moves the building.
    choice = page.get_by_role("combobox", name="划入的普查小区")
    expect(choice).to_be_focused()
    target = next(a for a in areas if a.community_id == world.community_a1.pk and a.pk != before.pk)
    choice.select_option(str(target.pk))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="划入")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#area-places")).to_contain_text("和平里3号楼 · " + target.code)
    assert Area.objects.get(area_buildings__building=building).pk == target.pk
    assert page.errors == []
