"""实名认证 on a phone: a resident binds, sees the household, asks a correction; the community worker approves it
on a desktop and the registry changes."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from linli.people.models import Person
from linli.testing import factories
from linli.testing.apiclient import registry

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _signed_in(page, live_server, user) -> None:
    """The resident's session, as signing in by code leaves it (the sign-in pages are tested on their own)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _fits(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def test_bind_see_the_household_and_have_a_correction_approved(browser_page, live_server, world):
    place = registry(world)["a1"]
    person = place.person
    factories.person(place.grid, place.household, name="甲一家属", phone="13600001111",
                     relationship=Person.Relationship.SPOUSE)  # fmt: skip
    resident = factories.resident(person.phone)

    page = browser_page(None, PHONE)
    _signed_in(page, live_server, resident.user)
    page.goto("/portal/")
    page.get_by_role("link", name="实名认证").click()
    page.get_by_label("姓名").fill(person.name)
    page.get_by_label("证件号码").fill(person.id_number.lower())
    page.get_by_role("button", name="提交认证").click()
    expect(page.get_by_text("实名认证成功")).to_be_visible()

    page.get_by_role("link", name="我的家庭").click()
    expect(page.get_by_text(person.id_number)).to_be_visible()  # one's own number in full
    expect(page.get_by_text("136****1111")).to_be_visible()  # the spouse's masked
    assert _fits(page), "我的家庭 is wider than the phone"

    page.get_by_role("link", name="申请更正").click()
    page.get_by_label("工作单位").fill("市第一人民医院")
    page.get_by_label("更正原因").fill("换了工作单位")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("待社区审核")).to_be_visible()
    assert _fits(page), "the correction is wider than the phone"

    office = browser_page("community_worker", DESKTOP)
    office.get_by_role("link", name="居民认证审核").click()
    office.get_by_role("link", name="信息更正").click()
    office.get_by_role("link", name="审核", exact=True).click()
    expect(office.get_by_text("市第一人民医院")).to_be_visible()
    office.get_by_role("button", name="通过并更新登记").click()
    expect(office.get_by_text("已通过").first).to_be_visible()

    page.reload()
    expect(page.get_by_text("已通过").first).to_be_visible()
    person.refresh_from_db()
    assert person.employer == "市第一人民医院"
    assert page.errors == [] and office.errors == []
