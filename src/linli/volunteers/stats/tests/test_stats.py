"""The volunteers' statistics: the figures of a known small world, each persona's scope, the page, and the campaign
plans' measured 志愿服务 targets."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.campaigns.models import Plan, Target
from linli.campaigns.plans.selectors import plan_targets
from linli.testing import factories
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, anonymous_status, answers, matrix_cases, uncovered
from linli.volunteers.stats import selectors

from . import data


@pytest.fixture
def small(world):
    return data.build(world)


def test_a_community_sees_its_own_figures(world, small):
    got = selectors.overview(user=world.users["community_worker"])
    h = got["headline"]
    assert (h["persons"], h["volunteers"], h["hours"], h["teams"]) == (4, 2, Decimal("4.5"), 1)
    assert (h["volunteer_share"], h["volunteer_hours_per_capita"]) == (Decimal("50.00"), Decimal("1.13"))
    assert sum(got["hours_by_month"]) == Decimal("4.5") and len(got["months"]) == 12
    assert got["hours_by_team"] == [{"team": "甲一党员志愿服务队", "hours": Decimal("4.5")}]
    a = got["activities"]
    assert (a["total"], sum(a["held"]), sum(a["cancelled"]), a["with_waiting_list"]) == (3, 2, 1, 1)
    assert a["fill_rate"] == Decimal("66.67")  # (2 + 2) / (4 + 2) places; the cancelled one not counted
    assert a["bands"]["counts"] == [0, 1, 0, 1]  # half full, full
    assert got["stars"]["counts"] == [2, 0, 0, 0, 0, 0] and got["stars"]["thresholds"] == [100, 300, 600, 1000, 1500]


def test_the_district_sums_its_communities_and_names_hours_without_a_team(world, small):
    got = selectors.overview(user=world.users["district_staff"])
    h = got["headline"]
    assert (h["persons"], h["volunteers"], h["hours"]) == (6, 3, Decimal("7.5"))
    assert (h["volunteer_share"], h["volunteer_hours_per_capita"]) == (Decimal("50.00"), Decimal("1.25"))
    assert got["hours_by_team"] == [
        {"team": "甲一党员志愿服务队", "hours": Decimal("4.5")},
        {"team": "未指定服务队", "hours": Decimal("3.0")},
    ]
    one = selectors.overview(user=world.users["district_staff"], region=world.community_b1.pk)
    assert (one["region"]["name"], one["headline"]["volunteers"], one["headline"]["hours"]) == ("乙一社区", 1, 3)


def test_a_district_star_scheme_sets_the_levels(world, small):
    from linli.volunteers.models import StarScheme

    StarScheme.objects.create(region=world.district, thresholds=[2, 4, 6, 8, 10])  # 甲一's two have 2.5 h and 2.0 h
    got = selectors.overview(user=world.users["community_worker"])
    assert got["stars"]["thresholds"] == [2, 4, 6, 8, 10] and got["stars"]["counts"] == [0, 2, 0, 0, 0, 0]


@dataclass
class Ctx:
    region: int


# fmt: off
ENDPOINTS = [
    #                                                   adm dis str cw  cw2 grd dep com
    Endpoint("GET", "/volunteers/stats",                "200 200 200 200 200 403 403 403"),
    Endpoint("GET", "/volunteers/stats?region={region}", "200 200 200 200 404 403 403 403",
             out_of_scope="200 200 404 404 404 403 403 403"),
]
# fmt: on


def test_each_persona_gets_what_the_table_says(world, small):
    ctx = {"in": Ctx(world.community_a1.pk), "out": Ctx(world.community_b1.pk)}
    got, table = answers(world.users, matrix_cases(ENDPOINTS), ctx)
    assert got == table
    assert anonymous_status(ENDPOINTS[0], ctx["in"]) == 401


def test_a_resident_gets_no_statistics(world, small):
    person = factories.person(world.grid_a1, name="居民", phone="13800001111")
    resident = factories.resident("13800001111", person)
    assert ApiClient(resident.user).get("/volunteers/stats").status_code == 403
    assert anonymous_status(ENDPOINTS[0], Ctx(world.community_a1.pk)) == 401


def test_the_table_covers_every_endpoint():
    assert uncovered(ENDPOINTS, "/volunteers/stats") == (set(), set())


def test_the_api_answers_the_selectors_figures(world, small):
    body = ApiClient(world.users["community_worker"]).get("/volunteers/stats").json()
    assert body["headline"]["volunteer_share"] == "50.00" and body["activities"]["fill_rate"] == "66.67"


def test_the_page_draws_the_charts_and_refuses_roles_without_the_table(client, world, small):
    client.force_login(world.users["street_staff"])
    page = client.get(reverse("volunteer_stats:overview"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "志愿服务统计" in text and 'id="volunteer-stats-data"' in text and "volunteer-stats.js" in text
    assert "50.00%" in text and "66.67%" in text
    client.force_login(world.users["grid_worker"])
    assert client.get(reverse("volunteer_stats:overview")).status_code == 403
    client.force_login(world.users["community_worker"])
    assert client.get(reverse("volunteer_stats:overview"), {"region": world.community_b1.pk}).status_code == 404


def test_a_plan_target_reads_the_volunteer_share_and_hours_per_capita(world, small):
    plan = Plan.objects.create(region=world.street_a, title="志愿服务提升行动", issuer="甲街道办事处",
                               issued_on=timezone.localdate() - timedelta(days=30))  # fmt: skip
    Target.objects.create(plan=plan, indicator="注册志愿者占常住人口比例", value=10, measure="volunteer_share")
    Target.objects.create(plan=plan, indicator="人均志愿服务时长", value=2, unit="小时/人",
                          measure="volunteer_hours_per_capita")  # fmt: skip
    rows = {r.target.measure: r for r in plan_targets(plan)}
    assert (rows["volunteer_share"].actual, rows["volunteer_share"].met) == (Decimal("50.00"), True)
    per_capita = rows["volunteer_hours_per_capita"]
    assert (per_capita.actual, per_capita.met, per_capita.label) == (
        Decimal("1.13"),
        False,
        "人均志愿服务时长≥2小时/人",
    )


def test_an_assessment_item_naming_the_volunteer_share_cites_the_units_figure(world, small):
    from linli.assessment import rules as assessment_rules
    from linli.assessment.models import Indicator, Item, Round, RoundUnit, Scheme
    from linli.assessment.selectors import measured_citations

    assert assessment_rules.cited_measure("注册志愿者人数达到社区常住人口的13%以上") == "volunteer_share"
    assert assessment_rules.cited_measure("志愿服务活动每月不少于2次，有图文记录") is None
    scheme = Scheme.objects.create(region=world.district, name="文明社区测评")
    top = Indicator.objects.create(scheme=scheme, name="志愿服务站")
    share, other = Item.objects.bulk_create(
        Item(scheme=scheme, indicator=top, aspect=top, content=c, max_points=5, method="passfail")
        for c in ("注册志愿者人数达到社区常住人口的13%以上", "设有社区志愿服务站")
    )
    rnd = Round.objects.create(scheme=scheme, region=world.district, name="2026年度", period="2026年度")
    unit = RoundUnit.objects.create(round=rnd, region=world.community_a1)
    cited = measured_citations(unit, [share, other])
    assert cited == {share.pk: "系统测得：注册志愿者占常住人口比例 50.00%（在册志愿者2人，辖区人员4人）"}
