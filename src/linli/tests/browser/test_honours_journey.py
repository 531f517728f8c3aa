"""Honours in the browser: a community worker applies, the street reviews, the district grants, the plate shows on
the public list; a complaint in the estate is verified and closed, the plate comes down and the public page gives
the reason. Then the rectification register follows a finding through to 消号."""

import re

import pytest
from playwright.sync_api import expect

from linli.campaigns.rectification.tests import support as rectification_support
from linli.cases import services as case_services
from linli.cases.models import Case, Category
from linli.honours import services as honour_services
from linli.honours.models import Honour, HonourType

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _act(user, case, action, **kw):
    case = Case.objects.get(pk=case.pk)
    return case_services.case_act(user=user, case_id=case.pk, action=action, version=case.version, **kw)


def test_apply_review_grant_revoke_and_the_register(browser_page, world):
    rw = rectification_support.make(world)
    honour_services.honour_types_install()
    wuyi = HonourType.objects.get(code="no-epidemic")

    worker = browser_page("community_worker")
    worker.goto("/honours/")
    worker.get_by_role("link", name="自主申报").click()
    worker.select_option("#id_honour_type_id", str(wuyi.pk))
    worker.select_option("#id_estate_id", str(rw.estate_a1.pk))
    worker.fill("#id_statement", "本小区连续30天无新发病例，卡口、消杀、台账全部落实到位。")
    worker.get_by_role("button", name="提交申报").click()
    expect(worker.locator(".alert-success")).to_contain_text("等待街道初审")
    honour = Honour.objects.get()

    street = browser_page("street_staff")
    street.goto(f"/honours/{honour.pk}/")
    street.get_by_role("button", name="初审通过").click()
    expect(street.locator(".alert-success")).to_contain_text("初审通过")

    district = browser_page("district_staff")
    district.goto(f"/honours/{honour.pk}/")
    district.get_by_role("button", name="认定授牌").click()
    expect(district.locator(".honour-plate")).to_contain_text("无疫小区〔")

    public = browser_page(None, PHONE)
    public.goto("/public/honours/")
    expect(public.locator("table").first).to_contain_text("锦绣家园")
    assert public.errors == []

    # A complaint about garbage in the estate, dispatched, fixed and verified on site: 投诉查实.
    data = {"category_id": Category.objects.get(code="0201").pk, "description": "锦绣家园垃圾三天没有清运，气味很大",
            "region_id": world.community_a1.pk}  # fmt: skip
    case = case_services.case_create(user=rw.users["community_worker"], channel="window", data=data,
                                     estate=rw.estate_a1)  # fmt: skip
    _act(rw.users["street_staff"], case, "register")
    dept = rw.users["dept_handler"].organization_id
    _act(rw.users["street_staff"], case, "dispatch", department_id=dept)
    _act(rw.users["dept_handler"], case, "accept")
    _act(rw.users["dept_handler"], case, "feedback", note="已清运并消杀")
    _act(rw.users["community_worker"], case, "verify")  # the signal after commit takes the plate down

    public.goto("/public/honours/")
    revoked = public.locator("table").last
    expect(revoked).to_contain_text("锦绣家园")
    expect(revoked).to_contain_text(f"投诉查实：案件{case.number}")
    district.goto(f"/honours/{honour.pk}/")
    expect(district.locator("#revocation")).to_be_visible()

    # 整改台账: a finding registered, fixed by the property company, accepted: 消号.
    finding = rw.register()
    _act(rw.users["company_staff"], finding, "accept")
    _act(rw.users["company_staff"], finding, "feedback", note="已更换防水层")
    district.goto(f"/campaigns/rectification/?plan={rw.plan.pk}")
    row = district.locator("tr", has_text=finding.number)
    expect(row).to_contain_text("已反馈待核查")
    row.get_by_role("link", name=finding.number).click()
    district.wait_for_url(re.compile(rf"/cases/{finding.pk}/"))
    _act(rw.users["district_staff"], finding, "verify")
    district.goto(f"/campaigns/rectification/?plan={rw.plan.pk}")
    expect(district.locator("tr", has_text=finding.number)).to_contain_text("已消号")
    expect(district.locator(".kpis")).to_contain_text("100.0%")
    assert district.errors == [] and worker.errors == [] and street.errors == []
