"""Star rating in the browser: a community worker scores the ten aspects on a phone, attaches evidence and submits
自评 → the street's 初审 lowers one aspect → the district's 复核 → 认定 → the results show stars and rank."""

import re

import pytest
from playwright.sync_api import expect

from linli.assessment import rules, services
from linli.assessment.models import Round, RoundUnit
from linli.assessment.tests.conftest import star_scores

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _accepting(page):
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _play_other(world, star, unit: RoundUnit) -> None:
    """甲二 goes through its stages off-screen with full marks."""
    users = world.users
    for stage, user in (
        (rules.SELF, "community_worker2"),
        (rules.FIRST, "street_staff"),
        (rules.RECHECK, "district_staff"),
    ):
        sheet = unit.sheets.get(stage=stage)
        sheet = services.sheet_save(user=users[user], unit_id=unit.pk, stage=stage, version=sheet.version,
                                    scores=star_scores(star, 10))  # fmt: skip
        services.sheet_submit(user=users[user], unit_id=unit.pk, stage=stage, version=sheet.version)


def test_self_review_recheck_confirm(browser_page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    star, _ = services.standard_schemes_install(region=world.district)
    rnd = services.round_create(user=world.users["district_staff"], scheme_id=star.pk, name="2025年度和谐社区星级评定",
                                period="2025年度", unit_ids=[world.community_a1.pk, world.community_a2.pk])  # fmt: skip
    a1 = rnd.units.get(region=world.community_a1)
    _play_other(world, star, rnd.units.get(region=world.community_a2))
    items = list(star.items.order_by("order"))
    evidence = tmp_path / "自评报告.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")

    # 自评, on a phone: nine aspects at 9.5, 居民自治 at 9; save, attach evidence, submit.
    worker = _accepting(browser_page("community_worker", PHONE))
    worker.goto(f"/assessment/rounds/{rnd.pk}/")
    worker.get_by_role("link", name="去自评").click()
    expect(worker.locator("h1")).to_contain_text("甲一社区 · 自评")
    for i, item in enumerate(items):
        worker.fill(f"#points_{item.pk}", "9" if i == 3 else "9.5")
    worker.click("#save-sheet")
    expect(worker.locator(".alert-success")).to_contain_text("当前合计94.5分")
    expect(worker.locator("#sheet-stars")).to_contain_text("10星")
    worker.select_option("#evidence-item", str(items[3].pk))
    worker.set_input_files("#evidence-file", str(evidence))
    worker.click("#upload-evidence")
    expect(worker.locator(f"#item-{items[3].pk} .evidence")).to_contain_text("自评报告.pdf")
    worker.click("#submit-sheet")
    expect(worker.locator(".alert-success")).to_contain_text("甲一社区的自评已提交")
    expect(worker.locator(f"#unit-{a1.pk}")).to_contain_text("初审")

    # 初审 by the street: it starts from the community's scores and marks 管理良好 down to 8.5.
    street = _accepting(browser_page("street_staff"))
    street.goto(f"/assessment/rounds/{rnd.pk}/")
    street.locator(f"#unit-{a1.pk}").get_by_role("link", name="去初审").click()
    expect(street.locator(f"#points_{items[9].pk}")).to_have_value("9.5")
    expect(street.locator(f"#item-{items[3].pk} .evidence")).to_contain_text("自评报告.pdf")
    street.fill(f"#points_{items[9].pk}", "8.5")
    street.fill(f"input[name=note_{items[9].pk}]", "台账资料未按月报送")
    street.click("#submit-sheet")
    expect(street.locator(".alert-success")).to_contain_text("初审已提交")

    # 复核 and 认定 by the district.
    district = _accepting(browser_page("district_staff"))
    district.goto(f"/assessment/rounds/{rnd.pk}/")
    district.locator(f"#unit-{a1.pk}").get_by_role("link", name="去复核").click()
    expect(district.locator("#sheet-total")).to_have_text("93.5")
    district.click("#submit-sheet")
    expect(district.locator(".alert-success")).to_contain_text("复核已提交")
    district.click("#confirm-round")
    district.wait_for_url(re.compile(r"/results/$"))
    rows = district.locator("table.results tbody tr")
    expect(rows.nth(0)).to_contain_text("甲二社区")
    expect(rows.nth(0)).to_contain_text("十星级和谐社区")
    expect(rows.nth(1)).to_contain_text("甲一社区")
    expect(rows.nth(1)).to_contain_text("9星")
    expect(rows.nth(1)).to_contain_text("达标社区")
    expect(rows.nth(1).locator(".rank")).to_have_text("2")
    expect(district.locator("#chart-results canvas")).to_have_count(1)
    assert Round.objects.get(pk=rnd.pk).status == Round.CONFIRMED
    assert not worker.errors and not street.errors and not district.errors
