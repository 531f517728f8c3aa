"""The report form without the map and without haste: the place from a list of communities and estates, the time
rules told before they bite ("too fast" last, the 2-hour limit on the form), nothing typed ever cleared."""

import time
from html import unescape
from unittest import mock

import pytest

from linli.cases.models import Case
from linli.cases.public import forms
from linli.cases.public.forms import Challenge, seconds_left
from linli.cases.public.selectors import report_places
from linli.core.tests.test_form_errors import assert_tied
from linli.people.models import Estate

from .conftest import SQUARE
from .test_public import field_error, old_token, post, report_data

NOWHERE = {"latitude": "", "longitude": ""}


@pytest.fixture
def places(territory):
    """甲一社区 drawn as the grid's square; an estate inside it, one outside the territory, one with no place."""
    territory.community_a1.boundary = SQUARE
    territory.community_a1.save()
    inside = Estate.objects.create(region=territory.community_a1, name="金域花园", latitude="41.020000",
                                   longitude="123.020000")  # fmt: skip
    Estate.objects.create(region=territory.community_a1, name="远郊小区", latitude="40.0", longitude="120.0")
    Estate.objects.create(region=territory.community_a1, name="无坐标小区")
    territory.estate = inside
    return territory


def test_the_list_offers_the_communities_and_estates_on_the_map(places, client):
    (group,) = report_places()
    name, items = group
    assert name == "甲一社区"
    assert [label for _, label, _, _ in items] == ["金域花园", "甲一社区（社区内其他地点）"]
    html = client.get("/report/").content.decode()
    assert f'<option value="e{places.estate.pk}" data-lat="41.020000" data-lng="123.020000">金域花园</option>' in html
    assert '<optgroup label="甲一社区">' in html and str(forms.TIME_LIMIT) in unescape(html)
    assert_tied(html)


def test_a_place_from_the_list_files_the_report_where_it_is(places, client):
    community = f"c{places.community_a1.pk}"
    for place in (f"e{places.estate.pk}", community):
        response = post(client, report_data(places, place=place, token=old_token(Challenge(3, 4)), **NOWHERE))
        assert response.status_code == 302, field_error(response, "location")
    assert [c.region for c in Case.objects.order_by("pk")] == [places.grid_a1, places.grid_a1]
    # a point set on the map wins over the list
    response = post(client, report_data(places, place=community, latitude="40.0", longitude="120.0"))
    assert "不在本平台的服务范围内" in field_error(response, "location")


def test_no_place_at_all_is_tied_to_the_list_and_summarised(places, client):
    response = post(client, report_data(places, **NOWHERE))
    html = response.content.decode()
    assert "请选择问题所在的位置" in field_error(response, "location")
    parsed = assert_tied(html)
    assert parsed.links == ["id_place"] and "id_place" in parsed.invalid
    assert parsed.described["id_place"] == ["location-help", "id_location_error"]


def test_too_fast_is_said_only_when_nothing_else_is_wrong_and_keeps_the_answer(territory, client):
    token = Challenge(3, 4).token()
    response = post(client, report_data(territory, token=token, reporter_phone="", answer="8"))
    html = unescape(response.content.decode())
    assert str(forms.TOO_FAST) not in html and "请填写联系电话" in field_error(response, "reporter_phone")
    assert 'name="answer" value="8"' in html  # a wrong answer stays too, beside its error
    assert 'aria-invalid="true" aria-describedby="id_answer_helptext id_answer_error"' in html
    response = post(client, report_data(territory, token=token))
    html = unescape(response.content.decode())
    assert response.status_code == 400 and str(forms.TOO_FAST) in html and 'name="answer" value="7"' in html


def test_an_expired_form_keeps_the_text_and_asks_a_new_question(territory, client):
    token = old_token(Challenge(3, 4), age=2 * 3600 + 5)
    response = post(client, report_data(territory, token=token, answer="7"))
    html = unescape(response.content.decode())
    assert "超过2小时" in html and "小区东门路灯坏了一周" in html
    assert response.context["token"] != token and 'name="answer" value=""' in html
    assert response.context["seconds_left"] == forms.MAX_FORM_AGE


def test_seconds_left_counts_down_from_the_drawing():
    assert seconds_left(Challenge(1, 2).token()) == forms.MAX_FORM_AGE
    assert 3500 <= seconds_left(old_token(Challenge(1, 2), age=3700)) <= 3500 + 1
    assert seconds_left(old_token(Challenge(1, 2), age=3 * 3600)) == 0
    assert seconds_left("rubbish") == forms.MAX_FORM_AGE
    with mock.patch("linli.cases.public.forms.time.time", return_value=time.time() - 60):
        assert seconds_left(Challenge(1, 2).token()) == forms.MAX_FORM_AGE
