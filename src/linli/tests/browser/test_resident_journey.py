"""A resident's first visit to the portal, on a phone, the way the issue describes it: signs in with the code the
outbox shows, agrees to the privacy notice, binds to the registry (实名认证), sees the household, asks a correction
that the community worker approves on a desktop, follows a report made on the hotline with that phone and rates it,
and reads a notice of the grid."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from linli.cases import services as case_services
from linli.notices import rules as notice_rules
from linli.notices import services as notice_services
from linli.people.models import Person
from linli.testing import factories
from linli.testing.apiclient import registry

from .conftest import DESKTOP, PHONE, code_from_the_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fits(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def _closed_hotline_case(world, phone: str):
    factories.install_case_catalogue(world)
    case = factories.case(world.grid_a1, channel="hotline", reporter_phone=phone)
    street, handler, grid = (world.users[k] for k in ("street_staff", "dept_handler", "grid_worker"))
    start = timezone.now() - timedelta(days=1)
    for who, action, hours, params in [
        (street, "register", 0, {}), (street, "dispatch", 0, {}), (handler, "accept", 1, {}),
        (handler, "feedback", 1, {"note": "已更换灯泡"}), (grid, "verify", 2, {}),
    ]:  # fmt: skip
        case = case_services.case_act(user=who, case_id=case.pk, action=action, version=case.version,
                                      now=start + timedelta(hours=hours), **params)  # fmt: skip
    return case


def test_sign_in_bind_correct_follow_a_report_and_read_a_notice(browser_page, world, settings):
    settings.OUTBOX_PAGE = True
    place = registry(world)["a1"]
    person = place.person  # the phone on file is the one the resident signs in with: bound at once
    factories.person(place.grid, place.household, name="甲一家属", phone="13600001111",
                     relationship=Person.Relationship.SPOUSE)  # fmt: skip
    case = _closed_hotline_case(world, person.phone)
    notice_services.notice_create(
        user=world.users["community_worker"], title="停水通知", body="因管道检修，本周六8时至16时停水，请提前储水。",
        audience=notice_rules.GRID, target=world.grid_a1.pk, publish=True,
    )  # fmt: skip
    masked = f"{person.phone[:3]}****{person.phone[-4:]}"

    page = browser_page(None, PHONE)
    page.goto("/portal/")
    page.fill("#id_phone", person.phone)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-sent")).to_contain_text(masked)
    page.fill("#id_code", code_from_the_outbox(browser_page("admin", DESKTOP), masked))
    page.get_by_role("button", name="登录").click()
    page.get_by_label("我已阅读并同意《个人信息保护告知书》").check()
    page.get_by_role("button", name="同意并继续").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))

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

    page.goto("/portal/")
    page.get_by_role("link", name=re.compile("我的反映")).click()
    page.locator(".portal-list li", has_text=case.number).get_by_role("link").first.click()
    expect(page.locator(".case-head .state")).to_have_text("已结案")
    page.locator(".rate-option", has_text="基本满意").click()
    page.click("#rate button[type=submit]")
    expect(page.locator(".alert-success")).to_have_text("感谢您的评价！")
    assert _fits(page), "the report's progress is wider than the phone"

    page.goto("/portal/")
    page.get_by_role("link", name=re.compile("社区公告")).click()
    page.locator(".notice-list li", has_text="停水通知").get_by_role("link").click()
    expect(page.locator(".notice-article h1")).to_have_text("停水通知")
    assert page.errors == [] and office.errors == []
