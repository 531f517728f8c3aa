"""普查质量控制 in Chromium on a phone: a community worker opens the forms drawn for the re-check, re-checks a
household on site, finds a person's sex entered wrong, and corrects the form with the value found."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def test_a_recheck_finds_an_error_and_corrects_it(browser_page, world):
    from linli.surveys.models import Correction
    from linli.surveys.quality.tests.builders import census

    built = census(world)
    page = browser_page("community_worker", PHONE)
    page.goto(f"/surveys/quality/{built.survey.pk}/")
    page.get_by_role("link", name="复核").click()
    for name, value in {"H2": "2", "P.1.R1": "张三", "P.1.R4": "1950-03-02", "P.2.R1": "李梅",
                        "P.2.R4": "2015-11-01"}.items():  # fmt: skip
        page.locator(f'[name="{name}"]').fill(value)
    page.locator('select[name="H1"]').select_option(label="家庭户")
    page.locator('select[name="P.1.R3"]').select_option(label="男")
    page.locator('select[name="P.2.R3"]').select_option(label="男")  # the form says 女
    page.get_by_role("button", name="提交复核结果").click()
    expect(page.locator(".alert")).to_contain_text("复核结果已记录")
    expect(page.locator("main")).to_contain_text("差错 1 项，差错率 12.50%")
    row = page.locator("tr", has_text="第2行 性别")
    expect(row).to_contain_text("女")
    expect(row).to_contain_text("男")
    row.get_by_role("button", name="以复核值更正").click()
    expect(page.locator(".alert")).to_contain_text("已按复核值更正")
    expect(page.locator("tr", has_text="第2行 性别")).to_contain_text("已更正")
    assert Correction.objects.get().new == "1"
    assert page.errors == []
