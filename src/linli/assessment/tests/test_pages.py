"""Pages: home, scheme tree, round, the scoring page (save, submit, errors, 409), evidence, results, export;
query counts that do not grow with the number of units."""

import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from linli.assessment import rules, services
from linli.assessment.models import Round, Sheet
from linli.regions.models import Region
from linli.testing import factories
from linli.testing.apiclient import ApiClient

from .conftest import play


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _form(sheet, points) -> dict:
    data = {"version": sheet.version, "action": "save"}
    for item, p in zip(sheet.unit.round.scheme.items.order_by("order"), points, strict=True):
        data[f"points_{item.pk}"] = str(p)
    return data


def test_home_lists_schemes_and_rounds(a):
    page = client_for(a.users["community_worker"]).get("/assessment/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "和谐社区星级评定" in text and "2025年度和谐社区星级评定" in text
    assert "组织测评" not in text  # a community takes part, it does not organise


def test_departments_get_a_403_page(a):
    assert client_for(a.users["dept_handler"]).get("/assessment/").status_code == 403


def test_scheme_tree_page(a):
    page = client_for(a.users["street_staff"]).get(f"/assessment/schemes/{a.keypoint.pk}/")
    text = page.content.decode()
    assert "市容秩序" in text and "发现一处扣1分" in text and "满分100分" in text


def test_install_from_the_home_page(world):
    response = client_for(world.users["street_staff"]).post("/assessment/", {"action": "install"}, follow=True)
    assert "已安装标准指标体系" in response.content.decode()
    assert set(world.street_a.pk for _ in range(1)) == {
        r for r in services.Scheme.objects.values_list("region_id", flat=True)
    }


def test_round_create_page(a):
    c = client_for(a.users["street_staff"])
    page = c.get("/assessment/rounds/new/")
    assert "乙一社区" not in page.content.decode()  # only the street's own communities are offered
    response = c.post(
        "/assessment/rounds/new/",
        {"scheme_id": a.keypoint.pk, "name": "甲街道点位自查", "period": "2026年第三季度",
         "unit_ids": [a.world.community_a1.pk]},
    )  # fmt: skip
    rnd = Round.objects.get(name="甲街道点位自查")
    assert response.status_code == 302 and rnd.units.count() == 1
    bad = c.post("/assessment/rounds/new/", {"scheme_id": a.keypoint.pk, "name": "", "period": "x"})
    assert bad.status_code == 400 and "请选择被测评的社区或街道" in bad.content.decode()


def test_scoring_page_saves_and_submits(a):
    c = client_for(a.users["community_worker"])
    url = f"/assessment/units/{a.a1.pk}/self/"
    page = c.get(url)
    assert page.status_code == 200 and "提交自评" in page.content.decode()
    sheet = a.a1.sheets.get(stage=rules.SELF)
    response = c.post(url, _form(sheet, [9] * 9 + [8.5]))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.total, sheet.stars) == (89.5, 9)
    response = c.post(url, {**_form(sheet, [9] * 10), "action": "submit"})
    assert response.status_code == 302
    a.a1.refresh_from_db()
    assert a.a1.stage == rules.FIRST


def test_scoring_page_shows_errors_beside_the_item_and_saves_nothing(a):
    c = client_for(a.users["community_worker"])
    sheet = a.a1.sheets.get(stage=rules.SELF)
    first = a.star.items.order_by("order").first()
    response = c.post(f"/assessment/units/{a.a1.pk}/self/", _form(sheet, [11] + [9] * 9))
    text = response.content.decode()
    assert response.status_code == 400
    assert "得分不能超过分值10分" in text and f'id="item-{first.pk}" class="has-error"' in text
    assert 'value="11"' in text  # what was typed stays in the form
    assert Sheet.objects.get(pk=sheet.pk).scored == 0


def test_scoring_page_stale_version_is_409(a):
    c = client_for(a.users["community_worker"])
    sheet = a.a1.sheets.get(stage=rules.SELF)
    assert c.post(f"/assessment/units/{a.a1.pk}/self/", _form(sheet, [9] * 10)).status_code == 302
    response = c.post(f"/assessment/units/{a.a1.pk}/self/", _form(sheet, [5] * 10))
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    assert Sheet.objects.get(pk=sheet.pk).total == 90


def test_deduction_lines_on_the_page(world):
    _, keypoint = services.standard_schemes_install(region=world.district)
    rnd = services.round_create(user=world.users["street_staff"], scheme_id=keypoint.pk, name="点位", period="2026",
                                unit_ids=[world.community_a1.pk])  # fmt: skip
    unit = rnd.units.get()
    item = keypoint.items.filter(method=rules.DEDUCTION).order_by("order").first()
    c = client_for(world.users["community_worker"])
    url = f"/assessment/units/{unit.pk}/self/"
    response = c.post(url, {"version": 1, "action": "save", f"findings_{item.pk}": "2 楼道堆物\n小广告\n"})
    assert response.status_code == 302
    score = unit.sheets.get(stage=rules.SELF).scores.get(item=item)
    assert score.findings == [{"points": "2.00", "reason": "楼道堆物"}, {"points": "1.00", "reason": "小广告"}]
    assert score.points == item.max_points - 3
    bad = c.post(url, {"version": 2, "action": "save", f"findings_{item.pk}": "2"})
    assert bad.status_code == 400 and "须写明扣分原因" in bad.content.decode()


def test_evidence_upload_and_download(a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = client_for(a.users["community_worker"])
    item = a.star.items.first()
    url = f"/assessment/units/{a.a1.pk}/self/evidence/"
    response = c.post(url, {"item_id": item.pk, "file": SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 x")})
    assert response.status_code == 302
    evidence = a.a1.evidence.get()
    page = c.get(f"/assessment/units/{a.a1.pk}/self/").content.decode()
    assert "会议记录.pdf" in page
    download = c.get(f"/assessment/units/{a.a1.pk}/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert (
        client_for(a.users["community_worker2"]).get(f"/assessment/units/{a.a1.pk}/evidence/{evidence.pk}/").status_code
        == 404
    )
    bad = c.post(url, {"item_id": item.pk, "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 400 and "佐证材料（x.exe）的格式不支持" in bad.content.decode()


def test_round_and_results_pages_after_confirmation(a):
    play(a, a.a1, 10)
    play(a, a.a2, [9] * 6 + [8] * 4)
    play(a, a.b1, 9)
    c = client_for(a.users["district_staff"])
    response = c.post(f"/assessment/rounds/{a.round.pk}/", {"version": a.round.version})
    assert response.status_code == 302
    text = c.get(f"/assessment/rounds/{a.round.pk}/results/").content.decode()
    assert "十星级和谐社区" in text and "未达标" in text and 'id="chart-results"' in text
    mine = client_for(a.users["community_worker2"]).get(f"/assessment/rounds/{a.round.pk}/results/").content.decode()
    assert "甲二社区" in mine and "甲一社区" not in mine and "<b>3</b>" in mine  # its rank among all three


@pytest.mark.parametrize("surface", ["page", "api"])
def test_export(a, surface):
    play(a, a.a1, 10)
    play(a, a.a2, 9)
    user = a.users["district_staff"]
    if surface == "page":
        response = client_for(user).get(f"/assessment/rounds/{a.round.pk}/results.xlsx")
    else:
        response = ApiClient(user).get(f"/assessment/rounds/{a.round.pk}/results.xlsx")
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb["测评结果"].iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "单位", "所处阶段") and rows[0][-2:] == ("星数", "评定结果")
    assert [(r[0], r[1], r[-2], r[-1]) for r in rows[1:]] == [
        (1, "甲一社区", 10, "十星级和谐社区"),
        (2, "甲二社区", 10, "十星级和谐社区"),
        ("—", "乙一社区", None, None),
    ]
    detail = list(wb["得分明细"].iter_rows(values_only=True))
    assert detail[1][:3] == ("甲一社区", "复核", 10)


# ---------------------------------------------------------------- query counts


_codes = itertools.count(100)


def _district_round(world, n: int) -> Round:
    for _ in range(n):
        i = next(_codes)
        factories.region(world.street_a, Region.Level.COMMUNITY, f"210103001{i:03d}", f"测试{i}社区")
    star, _ = services.standard_schemes_install(region=world.district)
    units = Region.objects.filter(level=Region.Level.COMMUNITY).values_list("pk", flat=True)
    rnd = services.round_create(user=world.users["district_staff"], scheme_id=star.pk, name="r", period="p",
                                unit_ids=list(units))  # fmt: skip
    for unit in rnd.units.select_related("region", "round__scheme")[: n // 2 + 1]:
        scores = [{"item_id": i.pk, "points": "9"} for i in star.items.all()]
        services.sheet_record(unit=unit, stage=rules.SELF, scores=scores, submit=True)
    return rnd


@pytest.mark.parametrize("page", ["", "results/", "results.xlsx"])
def test_round_pages_query_count_does_not_grow(world, page):
    counts = []
    for n in (3, 30):
        rnd = _district_round(world, n)
        c = client_for(world.users["district_staff"])
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/assessment/rounds/{rnd.pk}/{page}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
