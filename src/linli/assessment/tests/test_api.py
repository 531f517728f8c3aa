"""The JSON API: a round played through, bad scores answered 400 naming the item with nothing saved, stale 409."""

from linli.assessment import rules
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
