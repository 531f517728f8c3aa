"""物业监管 in Chromium: district staff record a bad record in a company's file from a complaint the company
answered; the company's staff then see it in their own file, the score and grade changed; the public ranking
draws its chart."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_district_records_a_complaint_and_the_company_sees_it(browser_page, world, live_server):
    from linli.property.tests.support import complaint, place

    p = place(world)
    case = complaint(world, p.a1, p.company)

    staff = browser_page("district_staff")
    staff.goto("/property/")
    staff.get_by_role("link", name="安居物业").click()
    staff.locator("summary", has_text="记录良好或不良记录").click()
    staff.select_option("#id_item", value="B01")
    staff.select_option("#id_case", value=str(case.pk))
    staff.fill("#id_evidence", "业主反映楼道堆放杂物，社区核查属实。")
    staff.get_by_role("button", name="记入档案").click()
    expect(staff.locator(".alert")).to_contain_text("诚信记录已记入档案")
    expect(staff.locator("#records")).to_contain_text(case.number)

    company = browser_page("company_staff")
    company.goto("/property/")
    expect(company.locator("h1")).to_have_text("安居物业")
    expect(company.locator("#records")).to_contain_text("经查实的业主投诉")
    expect(company.locator("#records")).to_contain_text(case.number)
    expect(company.locator("#records")).not_to_contain_text("记入档案")
    expect(company.get_by_role("cell", name="78.0")).to_be_visible()

    public = browser_page(None)
    public.goto("/public/property/")
    expect(public.locator("#ranking-chart canvas")).to_have_count(1)
    assert staff.errors == [] and company.errors == [] and public.errors == []
