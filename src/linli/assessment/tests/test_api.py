"""The JSON API: a round played through, bad scores answered 400 naming the item with nothing saved, stale 409."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.assessment import rules, services, standard
from linli.assessment.models import Score
from linli.testing.apiclient import ApiClient, field_errors

from .conftest import star_scores


def test_self_assessment_through_the_api(a):
    api = ApiClient(a.users["community_worker"])
    url = f"/assessment/units/{a.a1.pk}/sheets/self"
    sheet = api.get(url).json()
    assert (sheet["version"], sheet["can_score"], sheet["items"]) == (1, True, 10)
    saved = api.request("put", url, {"version": 1, "scores": star_scores(a.star, [9] * 7 + [8] * 3), "note": "自评"})
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert (body["total"], body["stars"], body["scored"], body["version"]) == ("87.00", 7, 10, 2)
    submitted = api.post(f"{url}/submit", {"version": 2})
    assert submitted.status_code == 200 and submitted.json()["submitted_at"]
    detail = ApiClient(a.users["street_staff"]).get(f"/assessment/rounds/{a.round.pk}").json()
    row = next(u for u in detail["units"] if u["id"] == a.a1.pk)
    assert (row["stage"], row["final_stage"], row["stars"], row["level"], row["rank"]) == (
        rules.FIRST, rules.SELF, 7, "达标社区", 1
    )  # fmt: skip


def test_save_and_submit_in_one_call(a):
    api = ApiClient(a.users["community_worker"])
    url = f"/assessment/units/{a.a1.pk}/sheets/self"
    missing = api.request("put", url, {"version": 1, "scores": star_scores(a.star, 9)[:9], "submit": True})
    assert missing.status_code == 400 and api.get(url).json()["scored"] == 0  # not submitted, nothing saved
    done = api.request("put", url, {"version": 1, "scores": star_scores(a.star, 9), "submit": True})
    assert done.status_code == 200 and done.json()["submitted_at"] and done.json()["total"] == "90.00"
    a.a1.refresh_from_db()
    assert a.a1.stage == rules.FIRST


@pytest.mark.parametrize("url, table", [("/assessment/schemes", "scheme"), ("/assessment/rounds", "round")])
def test_lists_page_in_the_database(a, url, table):
    for n in range(25):
        services.round_create(user=a.users["district_staff"], scheme_id=a.star.pk, name=f"第{n}轮", period="2026年度",
                              unit_ids=[a.a1.region_id])  # fmt: skip
        services.scheme_create(user=a.users["district_staff"], data={**standard.keypoint_scheme(), "key": ""})
    with CaptureQueriesContext(connection) as ctx:
        body = ApiClient(a.users["district_staff"]).get(url).json()
    assert len(body["items"]) == 20 and body["count"] > 20
    listed = [q["sql"] for q in ctx.captured_queries if f'FROM "assessment_{table}"' in q["sql"]]
    rows = [sql for sql in listed if "COUNT(" not in sql]
    assert rows and all("LIMIT 20" in sql for sql in rows)


def test_bad_score_is_400_naming_the_item_and_nothing_is_saved(a):
    api = ApiClient(a.users["community_worker"])
    scores = star_scores(a.star, 9)
    scores[3]["points"] = "12"
    response = api.request("put", f"/assessment/units/{a.a1.pk}/sheets/self", {"version": 1, "scores": scores})
    assert response.status_code == 400
    errors = field_errors(response)
    assert list(errors) == [f"items.{scores[3]['item_id']}"]
    assert "得分不能超过分值10分" in errors[f"items.{scores[3]['item_id']}"]
    assert Score.objects.count() == 0


def test_stale_version_is_409(a):
    api = ApiClient(a.users["community_worker"])
    url = f"/assessment/units/{a.a1.pk}/sheets/self"
    assert api.request("put", url, {"version": 1, "scores": star_scores(a.star, 9)}).status_code == 200
    response = api.request("put", url, {"version": 1, "scores": star_scores(a.star, 5)})
    assert response.status_code == 409
    assert api.get(url).json()["total"] == "90.00"


def test_scheme_tree_through_the_api(a):
    body = ApiClient(a.users["grid_worker"]).get(f"/assessment/schemes/{a.keypoint.pk}").json()
    assert [i["name"] for i in body["indicators"]][:2] == ["环境卫生", "公益广告"]
    assert body["indicators"][0]["children"][0]["items"][0]["method"] == rules.DEDUCTION
    assert sum(float(i["points"]) for i in body["indicators"]) == 100
