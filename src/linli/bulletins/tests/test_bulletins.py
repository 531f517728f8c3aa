"""Issuing a bulletin on the hand-counted March 2025 of cases/tests/test_indicators.py; its figures against the
indicator API's; the scheme a region inherits; the 公文's structure and the workbook; query counts."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from linli.bulletins import documents, rules, services
from linli.bulletins.models import Bulletin, Entry, ScoringScheme
from linli.cases.tests.support import at, receive
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.regions.rules import COMMUNITY, GRID
from linli.testing import factories
from linli.testing.apiclient import ApiClient

MARCH = date(2025, 3, 1)
TODAY = date(2025, 4, 2)


# The scheme the hand-worked numbers below are worked under, set for the whole district.
SCHEME = rules.Scheme(
    weights={"on_time_rate": D(40), "close_rate": D(20), "satisfaction_rate": D(40)},
    deductions={"late_close": D(1), "rework": D("0.5")},
)


@pytest.fixture
def march(district):
    services.scheme_set(user=district.users["admin"], region=district.district.pk, scheme=SCHEME, version=None)
    return district


def issue(w, persona="admin", region=None, group="community", **kw):
    return services.bulletin_issue(
        user=w.users[persona], region=(region or w.district).pk, month=kw.pop("month", MARCH), group=group,
        today=TODAY, **kw,
    )  # fmt: skip


def test_the_bulletin_holds_the_indicator_apis_figures_scored_and_ranked(district):
    w = district
    b = issue(w, number="沈河考通〔2025〕3号")
    body = (
        ApiClient(w.users["admin"])
        .get("/cases/indicators", {"group": "community", "start": "2025-03-01", "end": "2025-04-01"})
        .json()
    )
    rows = {row["key"]: row for row in body["rows"] if row["key"] is not None}
    entries = list(b.entries.all())
    assert {e.unit_id for e in entries} == set(rows) == {w.community_a1.pk, w.community_a2.pk, w.community_b1.pk}
    for e in entries:
        row = rows[e.unit_id]
        assert e.counts == {**e.counts, **row["counts"]}
        assert {k: None if v is None else float(v) for k, v in e.rates.items() if k in row["values"]} == row["values"]
    # The API's own answer holds the same entries.
    got = ApiClient(w.users["admin"]).get(f"/bulletins/{b.pk}").json()
    assert [(e["name"], e["counts"]) for e in got["entries"]] == [(e.name, e.counts) for e in entries]


def test_scores_and_deductions_from_hand_worked_numbers(march):
    """Under SCHEME (按期结案率 40, 结案率 20, 满意率 40; 逾期结案 1, 返工 0.5 each), issued now (the
    deadlines of open cases are judged when the bulletin is issued):
    甲一: C1 on time and 满意, C2 late, reworked, 不满意; C8 registered only. 按期 1/2 = 50.0, 结案 2/3 = 66.7,
          满意 1/2 = 50.0 → (40×50 + 20×66.7 + 40×50) / 100 = 53.34; 1 late close + 1 rework = 1.50 → 51.84.
    乙一: C5 on time, not rated. 按期 100.0, 结案 100.0 → (40×100 + 20×100) / 60 = 100.00, nothing deducted.
    甲二: C3 and C4 open past their deadlines (03-14, 04-02), C11 registered: 按期 0/2, 结案 0/3 → 0.00, 2 late
          closes → the floor, 0."""
    w = march
    entries = {e.name: e for e in issue(w).entries.all()}
    a1, a2, b1 = entries["甲一社区"], entries["甲二社区"], entries["乙一社区"]
    assert (a1.base, a1.deducted, a1.score, a1.rank) == (D("53.34"), D("1.50"), D("51.84"), 2)
    assert [d["reason"] for d in a1.deductions] == [
        "逾期结案 1 件，每件扣 1 分，计 1 分",
        "返工 1 件，每件扣 0.5 分，计 0.5 分",
    ]
    assert (b1.base, b1.deducted, b1.score, b1.rank, b1.deductions) == (D("100.00"), 0, D("100.00"), 1, [])
    assert (a2.base, a2.deducted, a2.score, a2.rank) == (D("0.00"), D("2.00"), D("0.00"), 3)
    assert [e.position for e in (b1, a1, a2)] == [1, 2, 3]


def test_a_region_uses_its_own_scheme_or_the_nearest_above(district):
    w = district
    admin = w.users["admin"]
    only_satisfaction = rules.Scheme(weights={"satisfaction_rate": D(1)}, deductions={"late_close": D(5)}, floor=D(0))
    services.scheme_set(user=admin, region=w.district.pk, scheme=only_satisfaction, version=None)
    entries = {e.name: e for e in issue(w, region=w.street_a).entries.all()}
    # 甲一: 满意 1/2 = 50.00 less 5; 甲二: no rating, so no score and no rank, its deduction still listed.
    assert (entries["甲一社区"].score, entries["甲一社区"].rank) == (D("45.00"), 1)
    assert (entries["甲二社区"].score, entries["甲二社区"].rank, entries["甲二社区"].deducted) == (
        None,
        None,
        D("10.00"),
    )
    street = rules.Scheme(weights={"close_rate": D(1)}, deductions={}, floor=D(0))
    row = services.scheme_set(user=w.users["street_staff"], region=w.street_a.pk, scheme=street, version=None)
    b = issue(w, region=w.street_a)
    assert b.scheme == {"weights": {"close_rate": "1"}, "deductions": {}, "floor": "0.00", "caps": {}}
    assert Bulletin.objects.filter(region=w.street_a, month=MARCH).count() == 1  # issued again: replaced
    with pytest.raises(Conflict):
        services.scheme_set(user=admin, region=w.street_a.pk, scheme=street, version=None)
    assert services.scheme_set(user=admin, region=w.street_a.pk, scheme=street, version=row.version).version == 2


@pytest.mark.parametrize(
    "persona, kw, error",
    [
        ("community_worker", {}, PermissionDenied),
        ("admin", {"month": date(2025, 4, 1)}, ValidationFailed),  # April has not ended on 04-02
        ("admin", {"group": "grid"}, ValidationFailed),
        ("admin", {"region": "community_a1"}, ValidationFailed),  # a community assesses no units below it
    ],
)
def test_refused_bulletins_change_nothing(w, persona, kw, error):
    if "region" in kw:
        kw["region"] = getattr(w, kw["region"])
    with pytest.raises(error):
        issue(w, persona, **kw)
    assert not Bulletin.objects.exists()


def test_a_bad_scheme_is_refused_naming_the_field(w):
    body = {"weights": {"close_rate": 0}, "deductions": {"nope": 1}, "floor": 0, "caps": {"nope": 1}}
    response = ApiClient(w.users["admin"]).request("PUT", f"/bulletins/schemes/{w.street_a.pk}", body)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"weights", "deductions", "caps"}
    assert not ScoringScheme.objects.exists()


def test_the_api_sets_and_reads_the_caps(w):
    api = ApiClient(w.users["street_staff"])
    body = {"weights": {"close_rate": 1}, "deductions": {"late_close": 1}, "caps": {"late_close": "7.5"}}
    assert api.request("PUT", f"/bulletins/schemes/{w.street_a.pk}", body).status_code == 200
    read = api.get(f"/bulletins/schemes/{w.community_a1.pk}").json()  # a community inherits its street's scheme
    assert (read["region_id"], read["caps"]) == (w.street_a.pk, {"late_close": "7.5"})


def test_the_document_is_a_gbt_9704_notice_with_the_ranking_annexed(march):
    w = march
    b = issue(w, issuer="沈河区城市运行管理中心", number="沈河考通〔2025〕3号")
    doc = Document(BytesIO(documents.bulletin_docx(b, list(b.entries.all()))))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "沈河区城市运行管理中心文件"
    assert "沈河考通〔2025〕3号" in texts
    assert documents.title(b) == "关于2025年3月沈河区社区案件办理考核情况的通报" and documents.title(b) in texts
    assert [t for t in texts if t[:2] in ("一、", "二、", "三、", "四、")] == [
        "一、总体情况", "二、扣分情况", "三、计分办法", "四、工作要求",
    ]  # fmt: skip
    assert "1.甲一社区：逾期结案 1 件，每件扣 1 分，计 1 分；返工 1 件，每件扣 0.5 分，计 0.5 分，共扣1.50分。" in texts
    assert "附件：2025年3月社区考核得分及排名" in texts
    portrait, annex = doc.sections
    assert [round(x.mm) for x in (portrait.page_width, portrait.top_margin, portrait.left_margin)] == [210, 37, 28]
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == documents.table_columns()
    assert [[c.text for c in row.cells][:2] for row in table.rows[1:]] == [
        ["1", "乙一社区"],
        ["2", "甲一社区"],
        ["3", "甲二社区"],
    ]
    assert table.rows[2].cells[-1].text == "51.84"


def test_the_workbook_holds_the_ranking_and_every_deduction(march):
    w = march
    b = issue(w)
    wb = load_workbook(BytesIO(documents.bulletin_xlsx(b, list(b.entries.all()))))
    ranking = [list(r) for r in wb["考核得分及排名"].iter_rows(values_only=True)]
    assert ranking[0] == documents.table_columns()
    assert [r[:2] for r in ranking[1:]] == [[1, "乙一社区"], [2, "甲一社区"], [3, "甲二社区"]]
    assert ranking[2][-1] == pytest.approx(51.84)
    details = list(wb["扣分明细"].iter_rows(values_only=True))[1:]
    assert [(r[0], r[1], r[2]) for r in details] == [
        ("甲一社区", "逾期结案", 1),
        ("甲一社区", "返工", 1),
        ("甲二社区", "逾期结案", 2),
    ]


@pytest.mark.parametrize("path", ["/bulletins", "/bulletins/{id}", "/bulletins/{id}/bulletin.docx"])
def test_reads_cost_the_same_queries_at_n_and_10n_units(w, path):
    api = ApiClient(w.users["street_staff"])

    def queries(units: int) -> int:
        scheme = {"weights": {"close_rate": "1"}, "deductions": {}, "floor": "0"}
        month = date(2025, units % 12 + 1, 1)
        b = Bulletin.objects.create(region=w.street_a, month=month, group="community", issuer="甲街道", scheme=scheme)
        Entry.objects.bulk_create(
            Entry(
                bulletin=b,
                position=n,
                name=f"单位{n}",
                counts={"cases": n},
                rates={"close_rate": "50.0"},
                deductions=[{"event": "late_close", "count": 1, "each": "1", "points": "1", "reason": "逾期结案 1 件"}],
            )  # fmt: skip
            for n in range(1, units + 1)
        )
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path.format(id=b.pk)).status_code == 200
        return len(captured)

    assert queries(3) == queries(30)


def test_issuing_costs_the_same_queries_at_n_and_10n_units(w):
    """Communities of one street, each with a case received in March: the units come from the indicator report's
    grouped counts and the entries are written in one statement, so the queries do not grow with them."""

    def queries(units: int) -> int:
        for n in range(units):
            code = f"{w.street_a.path}{units * 10 + n:03d}"
            community = factories.region(w.street_a, COMMUNITY, code, f"新{units}-{n}社区")
            grid = factories.region(community, GRID, f"{code}001", f"新{units}-{n}社区第一网格")
            receive(w, grid, now=at(2025, 3, 10, 9))
        Bulletin.objects.all().delete()  # issued afresh each time, not replacing the last one
        with CaptureQueriesContext(connection) as captured:
            b = issue(w, region=w.street_a)
        assert b.entries.count() >= units
        return len(captured)

    assert queries(2) == queries(20)


def test_the_monthly_job_continues_each_series_in_its_issuers_name(march):
    w = march
    FEBRUARY = date(2025, 2, 1)
    district = issue(w, month=FEBRUARY, issuer="沈河区12345热线办", number="沈河考通〔2025〕2号")
    issue(w, month=FEBRUARY, group="street")
    issue(w, month=MARCH, group="street", number="沈河考通〔2025〕9号")  # March's issued by hand already
    street = issue(w, "street_staff", region=w.street_a, month=FEBRUARY)
    street.issued_by.is_active = False
    street.issued_by.save()

    issued, skipped = services.monthly_bulletins(today=TODAY)

    assert (issued, skipped) == (1, [f"{w.street_a.name}社区考核通报：上一期的发文人已停用或删除，请手工发布"])
    march_ = Bulletin.objects.get(region=w.district, month=MARCH, group="community")
    assert (march_.issuer, march_.number, march_.issued_by) == ("沈河区12345热线办", "", district.issued_by)
    assert march_.entries.count() == 3
    assert Bulletin.objects.get(region=w.district, month=MARCH, group="street").number == "沈河考通〔2025〕9号"
    assert not Bulletin.objects.filter(region=w.street_a, month=MARCH).exists()
    assert services.monthly_bulletins(today=TODAY) == (0, skipped)  # run again (the scheduler's start): nothing new
