"""The projects' API and pages call the same services and checks: set-up, the survey's page with its phases,
forms, checks and parts, editing with a version, starting."""

import pytest

from linli.surveys import rules
from linli.surveys.models import Survey
from linli.testing.apiclient import ApiClient, field_errors

from .projects import census, default_forms, staffed_area, unit_survey

pytestmark = pytest.mark.django_db


def test_the_api_sets_up_a_census_and_shows_what_it_lacks_to_start(world):
    default_forms()
    api = ApiClient(world.users["street_staff"])
    created = api.post("/surveys", {"kind": "census", "title": "第七次人口普查", "region_id": world.street_a.pk,
                                    "standard_day": "2026-11-01", "long_form_percent": "10"})  # fmt: skip
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "draft" and body["region"]["name"] == "甲街道" and body["units"] is None
    assert [p["name"] for p in body["phases"]][2] == "入户登记" and body["phases"][2]["starts_on"] == "2026-11-01"
    assert {f["role"] for f in body["forms"]} == {"short", "long", "death"}
    assert body["start_problems"] == ["尚未划分普查小区"] and body["may_run"]
    refused = api.post(f"/surveys/{body['id']}/start", {"version": body["version"]})
    assert refused.status_code == 400 and refused.json()["errors"][0]["message"] == "尚未划分普查小区"
    stale = api.patch(f"/surveys/{body['id']}", {"version": body["version"] + 1, "title": "改名"})
    assert stale.status_code == 409


def test_the_api_names_the_field_it_refuses(world):
    api = ApiClient(world.users["district_staff"])
    refused = api.post("/surveys", {"kind": "units", "title": "职业健康状况调查", "region_id": world.district.pk})
    assert refused.status_code == 400
    assert field_errors(refused) == {"registered_before": "请填写调查对象的注册截止日期"}


def test_the_list_shows_each_survey_with_its_progress(world):
    survey = unit_survey(world)
    rows = ApiClient(world.users["district_staff"]).get("/surveys").json()["items"]
    assert [(r["id"], r["kind_label"], r["progress"]) for r in rows] == [(survey.pk, "单位调查", None)]
    assert ApiClient(world.users["street_staff"]).get("/surveys", {"kind": "census"}).json()["items"] == []


def test_a_street_office_sets_up_a_census_on_the_page(world, client):
    default_forms()
    client.force_login(world.users["street_staff"])
    form = client.get("/surveys/new/").content.decode()
    assert "甲一社区" in form and "乙街道" not in form
    response = client.post("/surveys/new/", {"kind": "census", "title": "第七次人口普查", "region": world.street_a.pk,
                                             "standard_day": "2026-11-01"})  # fmt: skip
    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == f"/surveys/{survey.pk}/"
    assert (survey.area_people, survey.long_form_percent) == (300, 10)
    page = client.get(response.url).content.decode()
    assert "调查已建立" in page and "2026年11月1日零时" in page and "尚未划分普查小区" in page
    assert "11月1日至11月10日" in page and f"/surveys/areas/{survey.pk}/" in page and "普查表短表" in page


def test_the_page_refuses_a_census_without_its_standard_time_beside_the_field(world, client):
    client.force_login(world.users["street_staff"])
    response = client.post("/surveys/new/", {"kind": "census", "title": "普查", "region": world.street_a.pk})
    assert response.status_code == 400 and "请填写普查标准时间（该日零时）" in response.content.decode()


def test_a_census_is_edited_and_started_from_its_page(world, client):
    survey = census(world)
    staffed_area(world, survey)
    client.force_login(world.users["street_staff"])
    response = client.post(f"/surveys/{survey.pk}/edit/", {"title": "第七次全国人口普查", "standard_day": "2026-11-01",
                                                           "area_people": 280, "version": survey.version})  # fmt: skip
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.area_people, survey.long_form_percent) == ("第七次全国人口普查", 280, 10)
    stale = client.post(f"/surveys/{survey.pk}/edit/", {"title": "再改", "version": survey.version - 1})
    assert "数据已被他人修改" in stale.content.decode()
    client.post(f"/surveys/{survey.pk}/start/", {"version": survey.version})
    survey.refresh_from_db()
    assert survey.state == rules.RUNNING
    page = client.get(f"/surveys/{survey.pk}/").content.decode()
    assert "调查已开始" in page and "结束调查" in page and "开始调查" not in page
