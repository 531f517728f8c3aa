"""The 覆盖核查 page as a reviewer uses it: the lists with their counts, computing, applying with an ID number,
dismissing with a reason; refusals shown as messages beside the list."""

from datetime import date

import pytest
from django.test import Client

from linli.people.models import Person
from linli.surveys.coverage import rules
from linli.surveys.models import Finding
from linli.testing import factories

from .town import enumerate_town, town


@pytest.fixture
def page(world):
    t = town(world)
    enumerate_town(t)
    client = Client()
    client.force_login(world.users["street_staff"])
    return t, client, f"/surveys/coverage/{t.survey.pk}/"


def test_computing_from_the_page_lists_each_kind_with_its_count(page):
    t, client, url = page
    assert "尚未核查" in client.get(url).content.decode()
    response = client.post(url + "compute/", {"back": "?kind=missed"}, follow=True)
    assert response.redirect_chain[-1][0] == url + "?kind=missed"
    body = response.content.decode()
    assert "核查完成：待核实 7 条" in body
    assert "张外出" in body and "赵租客" in body and "孙客人" not in body  # the 漏登 list only
    body = client.get(url, {"state": "all"}).content.decode()
    for label in rules.KINDS.values():
        assert str(label) in body
    assert "户口待定" in body and "普查表短表第2行" in body


def test_applying_from_the_page_asks_the_id_number_of_a_new_person(page, world):
    t, client, url = page
    client.post(url + "compute/")
    finding = Finding.objects.get(kind=rules.UNREGISTERED)
    apply_url = f"{url}findings/{finding.pk}/apply/"
    body = client.post(apply_url, {"version": finding.version}, follow=True).content.decode()
    assert "须填写证件号码" in body
    number = factories.resident_id(date(1985, 11, 2))
    body = client.post(apply_url, {"version": finding.version, "id_type": "resident", "id_number": number},
                       follow=True).content.decode()  # fmt: skip
    assert "已按核查结果更正户籍" in body
    assert Person.objects.filter(name="孙客人", household=t.households["wang"]).exists()
    assert number not in body


def test_dismissing_from_the_page_needs_a_reason(page):
    t, client, url = page
    client.post(url + "compute/")
    finding = Finding.objects.get(kind=rules.MISSED, person=t.persons["zhang_away"])
    dismiss_url = f"{url}findings/{finding.pk}/dismiss/"
    body = client.post(dismiss_url, {"version": finding.version, "reason": ""}, follow=True).content.decode()
    assert "核销理由" in body
    body = client.post(dismiss_url, {"version": finding.version, "reason": "在外读书，已补登"}, follow=True)
    assert "已核销" in body.content.decode()
    stale = client.post(dismiss_url, {"version": finding.version, "reason": "再次核销"}, follow=True)
    assert "数据已被他人修改" in stale.content.decode()
