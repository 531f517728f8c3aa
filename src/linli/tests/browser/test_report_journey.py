"""The residents' report form in the browser, on a phone and on a desktop: a first try with mistakes everywhere comes
back with every error at once, the same question and the photos chosen; the corrected form files the report, and
the tracking page shows the reporter's own photo, the point and when to expect the problem solved."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from linli.cases.models import Case, PendingPhoto
from linli.testing import factories

from .conftest import DESKTOP, PHONE
from .test_case_journey import SQUARE, _solve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _wait_shown(page, selector: str, count: int) -> None:
    """Until `count` images matching `selector` have loaded and have pixels (an image still loading is not complete
    yet: asked at once, a slow machine answered no)."""
    page.wait_for_function(
        "([sel, n]) => { const imgs = [...document.querySelectorAll(sel)];"
        " return imgs.length === n && imgs.every(i => i.complete && i.naturalWidth > 0); }",
        arg=[selector, count],
    )


def _photos(tmp_path) -> list[str]:
    paths = []
    for name, colour in (("东门.png", (200, 180, 40)), ("路灯.png", (40, 90, 200))):
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), colour).save(buffer, "PNG")
        (tmp_path / name).write_bytes(buffer.getvalue())
        paths.append(str(tmp_path / name))
    return paths


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_error_round_keeps_the_photos_and_the_question(browser_page, world, tmp_path, settings, viewport):
    settings.MEDIA_ROOT = tmp_path / "media"
    factories.install_case_catalogue(world)
    for node in (world.community_a1, world.grid_a1):
        node.boundary = SQUARE
        node.save()

    resident = browser_page(None, viewport)
    resident.goto("/report/")
    question = resident.locator(".question").inner_text()
    resident.select_option("#id_category_id", label="路灯不亮")
    resident.fill("#id_description", "灯坏")  # too short
    resident.set_input_files("input[data-photo-source][multiple]", _photos(tmp_path))
    expect(resident.locator("#photo-list input[name=photo]:checked")).to_have_count(2)  # sent as soon as chosen
    resident.fill("#id_answer", "99")
    resident.click("#report-submit")  # at once: the page holds the sending back for the seconds the server asks

    # Everything wrong is said in one round; the question, the text and both photos are still there.
    expect(resident.locator("#id_description_error")).to_contain_text("至少5个字")
    expect(resident.locator("#id_reporter_phone_error")).to_contain_text("请填写联系电话")
    expect(resident.locator("#id_location_error")).to_contain_text("请选择问题所在的位置")
    expect(resident.locator("#id_answer_error")).to_contain_text("计算结果不对")
    assert resident.locator(".question").inner_text() == question
    assert resident.input_value("#id_description") == "灯坏"
    kept = resident.locator("#photo-list img")
    expect(kept).to_have_count(2)
    _wait_shown(resident, "#photo-list img", 2)

    # The resident drops one photo, corrects the rest and sends again.
    resident.locator("#photo-list .photo-remove").first.click()
    expect(resident.locator("#photo-list input[name=photo]:checked")).to_have_count(1)
    resident.fill("#id_description", "小区东门的路灯坏了一周，晚上很黑")
    expect(resident.locator(".community-label")).to_be_visible()
    resident.locator("#report-map").scroll_into_view_if_needed()
    box = resident.locator("#report-map").bounding_box()
    resident.mouse.click(box["x"] + box["width"] / 2 + 15, box["y"] + box["height"] / 2 + 15)
    expect(resident.locator("#map-status")).to_contain_text("甲一1号网格")
    resident.fill("#id_reporter_phone", "13912345678")
    resident.fill("#id_answer", _solve(question))
    resident.click("#report-submit")
    expect(resident.locator("#tracking-code")).to_be_visible()
    code = resident.locator("#tracking-code").inner_text().replace(" ", "")
    case = Case.objects.get(tracking_code=code)
    assert [a.name for a in case.attachments.all()] == ["路灯.png"]
    assert PendingPhoto.objects.count() == 1  # the dropped one, until its form expires

    # The tracking page: the reporter's photo, the point, and how long it will take.
    resident.goto(f"/report/track/{code}/")
    photo = resident.locator(".track-photos img")
    expect(photo).to_have_count(1)
    _wait_shown(resident, ".track-photos img", 1)
    expect(resident.locator("#track-map .leaflet-tooltip")).to_have_text("问题位置")
    expect(resident.locator("dl.facts")).to_contain_text(re.compile(r"交给承办单位后\S+内办结"))
    assert resident.errors == []
