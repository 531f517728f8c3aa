"""Staff photo fields offer 拍照 and 从相册选择, as the residents' form does: the picker beside the file box on every
page that takes photos, 拍照 first on the phone pages, and a file box that reaches the album without JavaScript."""

import re

import pytest

from linli.testing import factories

from .test_pages import advance, html, login

FIELD = re.compile(
    r'<div class="photo-field" data-photos data-max="6">(.*?)(<input type="file" name="photos"[^>]*>)', re.S
)


def picker(page: str) -> tuple[list[str], str]:
    """(the picker's buttons in order, the file box's tag) of the one photo field on the page."""
    field = FIELD.search(page)
    assert field, "no photo picker on the page"
    return re.findall(r"data-photo-source>(\S+?)</label>", field.group(1)), field.group(2)


@pytest.mark.parametrize(
    "persona, url, camera_first",
    [
        ("grid_worker", "/cases/m/report/", True),
        ("street_staff", "/cases/new/", False),
    ],
)
def test_intake_pages_offer_camera_and_album(client, w, persona, url, camera_first):
    login(client, w, persona)
    page = html(client.get(url))
    buttons, box = picker(page)
    assert buttons == (["拍照", "从相册选择"] if camera_first else ["从相册选择", "拍照"])
    assert "capture" not in box and "multiple" in box  # without JavaScript the box opens the album as well
    assert "/static/linli/photo-picker.js" in page


def test_action_forms_with_photos_offer_camera_and_album(client, w):
    case = advance(w, factories.case(w.grid_a1), "feedback")
    login(client, w, "grid_worker")
    buttons, _ = picker(html(client.get(f"/cases/m/{case.pk}/")))
    assert buttons == ["拍照", "从相册选择"]
    login(client, w, "dept_handler")
    handling = advance(w, factories.case(w.grid_a1), "handling")
    page = html(client.get(f"/cases/{handling.pk}/"))
    assert "从相册选择" in page and "/static/linli/photo-picker.js" in page
