"""入户登记 in Chromium on a 360 px phone: the grid worker records a visit, fills in a household's census form on
the device (a skip rule and its error live), reads it back and submits it; then, with the connection gone, fills in
the next household's, which waits on the phone and is sent once when the connection returns."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SMALL_PHONE = {"width": 360, "height": 740}


def _fits(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth + 1")


def _fill_household(page, name: str, *, second: str | None = None) -> None:
    form = page.locator("#entry-form")
    form.get_by_label("家庭户").check()
    form.locator('[data-path="H2"] input').fill("2" if second else "1")
    form.locator('[data-path="H3"] input').fill("0")
    row = form.locator('[data-path="P.1.R1"]')
    row.locator("input").fill(name)
    form.locator('[data-path="P.1.R3"]').get_by_label("女").check()
    form.locator('[data-path="P.1.R4"] input').fill("1980-05-01")
    form.locator('[data-path="P.1.R6"]').get_by_label("本普查小区").check()
    if second:
        form.get_by_role("button", name="＋ 添加一行").click()
        form.locator('[data-path="P.2.R1"] input').fill(second)
        form.locator('[data-path="P.2.R3"]').get_by_label("男").check()
        form.locator('[data-path="P.2.R4"] input').fill("1978-03-12")


def test_an_enumerator_enters_households_on_a_phone_online_and_offline(browser_page, world):
    from linli.surveys import rules
    from linli.surveys.entry.tests.census import census
    from linli.surveys.models import FrameUnit, Response

    c = census(world)
    page = browser_page("grid_worker", SMALL_PHONE)
    page.goto("/surveys/entry/")
    page.get_by_role("link", name="001").click()
    expect(page.locator(".m-card")).to_have_count(2)
    page.get_by_role("link", name=c.unit.label).click()

    page.get_by_role("button", name="已访").click()
    expect(page.locator(".alert")).to_contain_text("已记为“已访”")
    _fill_household(page, "王芳", second="李强")
    form = page.locator("#entry-form")
    # 户口登记地 in another township asks when the person left it: shown, and required, only then.
    expect(form.locator('[data-path="P.2.R7"]')).to_be_hidden()
    form.locator('[data-path="P.2.R6"]').get_by_label("其他乡(镇、街道)").check()
    expect(form.locator('[data-path="P.2.R7"]')).to_be_visible()
    form.get_by_role("button", name="下一步：宣读核对").click()
    expect(form.locator('[data-path="P.2.R7"] > .entry-err')).to_have_text("第2行 离开户口登记地时间：请选择")
    form.locator('[data-path="P.2.R7"]').get_by_label("半年以上").check()
    assert _fits(page)
    form.get_by_role("button", name="下一步：宣读核对").click()

    readback = page.locator(".entry-readback")
    expect(readback).to_contain_text("第2行：姓名 李强；性别 男；出生日期 1978年3月12日；户口登记地 其他乡(镇、街道)")
    submit = page.get_by_role("button", name="提交")
    expect(submit).to_be_disabled()
    page.get_by_label("已向申报人宣读核对").check()
    submit.click()
    expect(page.locator(".entry-done h2")).to_have_text("本户调查表已提交")
    (stored,) = Response.objects.filter(unit=c.unit)
    assert stored.answers["P"][1] == {"R1": "李强", "R3": "1", "R4": "1978-03-12", "R6": "4", "R7": "2"}
    assert FrameUnit.objects.get(pk=c.unit.pk).state == rules.DONE

    # The next household, with the connection gone: the form waits on the phone.
    page.goto(f"/surveys/entry/units/{c.unit2.pk}/")
    page.context.set_offline(True)
    _fill_household(page, "赵敏")
    page.get_by_role("button", name="下一步：宣读核对").click()
    page.get_by_label("已向申报人宣读核对").check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".entry-done h2")).to_have_text("本户调查表已填好")
    expect(page.locator("#entry-queue")).to_contain_text("待发送 1 份")
    assert not Response.objects.filter(unit=c.unit2).exists()

    page.context.set_offline(False)
    expect(page.locator("#entry-queue")).to_be_hidden()
    expect(page.locator(".entry-done h2")).to_have_text("本户调查表已提交")
    assert Response.objects.filter(unit=c.unit2).count() == 1
    page.reload()
    expect(page.locator("#entry-queue")).to_be_hidden()
    assert Response.objects.filter(unit=c.unit2).count() == 1
    assert FrameUnit.objects.get(pk=c.unit2.pk).state == rules.DONE
    assert page.errors == []
