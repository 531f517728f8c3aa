import json

import pytest

from linli.surveys import rules
from linli.surveys.models import FrameUnit

from .census import census, unit_survey


@pytest.fixture
def c(world):
    return census(world)


def as_(client, world, persona):
    client.force_login(world.users[persona])
    return client


def test_an_enumerator_finds_its_areas_and_households(client, world, c):
    grid = as_(client, world, "grid_worker")
    home = grid.get("/surveys/entry/").content.decode()
    assert "001 甲一社区001" in home and "002" not in home
    area = grid.get(f"/surveys/entry/{c.survey.pk}/areas/{c.area.pk}/?state=not_visited").content.decode()
    assert c.unit.label in area and c.unit2.label in area
    FrameUnit.objects.filter(pk=c.unit.pk).update(state=rules.DONE)
    area = grid.get(f"/surveys/entry/{c.survey.pk}/areas/{c.area.pk}/?state=done").content.decode()
    assert c.unit.label in area and c.unit2.label not in area
    assert grid.get(f"/surveys/entry/{c.survey.pk}/areas/{c.other.pk}/").status_code == 404


def test_the_unit_page_hands_the_forms_to_the_device_only_for_its_enumerators(client, world, c):
    page = as_(client, world, "grid_worker").get(f"/surveys/entry/units/{c.unit.pk}/")
    html = page.content.decode()
    device = json.loads(html.split('id="entry-data" type="application/json">')[1].split("</script>")[0])
    assert [f["role"] for f in device["forms"]] == [rules.SHORT, rules.DEATH]
    assert device["submit"] == f"/api/v1/surveys/entry/units/{c.unit.pk}/responses"
    assert device["needed"] == [rules.SHORT]
    street = as_(client, world, "street_staff").get(f"/surveys/entry/units/{c.unit.pk}/").content.decode()
    assert "只能查看" in street and "entry-data" not in street
    assert as_(client, world, "community_worker2").get(f"/surveys/entry/units/{c.unit.pk}/").status_code == 404
    assert as_(client, world, "dept_handler").get("/surveys/entry/").status_code == 403


def test_a_visit_recorded_on_the_page(client, world, c):
    grid = as_(client, world, "grid_worker")
    url = f"/surveys/entry/units/{c.unit.pk}/state/"
    refused = grid.post(url, {"state": rules.REFUSED, "note": "", "version": 1})
    assert refused.status_code == 400 and "情况说明：记为“拒访”时请写明情况" in refused.content.decode()
    done = grid.post(url, {"state": rules.REFUSED, "note": "户主拒绝开门", "version": 1})
    assert done.status_code == 302
    assert FrameUnit.objects.get(pk=c.unit.pk).state == rules.REFUSED
    stale = grid.post(url, {"state": rules.VISITED, "note": "", "version": 1})
    assert stale.status_code == 400 and "数据已被他人修改" in stale.content.decode()
    assert as_(client, world, "street_staff").post(url, {"state": rules.VISITED, "version": 2}).status_code == 403


def test_the_office_that_runs_a_unit_survey_finds_the_organisations_to_enter(client, world):
    unit = unit_survey(world)
    survey = unit.frame.survey
    page = as_(client, world, "street_staff").get(f"/surveys/entry/{survey.pk}/returns/?state=not_visited")
    assert unit.label in page.content.decode() and f"/surveys/entry/units/{unit.pk}/" in page.content.decode()
    assert unit.label not in client.get(f"/surveys/entry/{survey.pk}/returns/?state=done").content.decode()
    assert "回收录入" in client.get(f"/surveys/{survey.pk}/").content.decode()
    # The community follows the survey but does not run it; a grid worker does not see it.
    assert as_(client, world, "community_worker").get(f"/surveys/entry/{survey.pk}/returns/").status_code == 403
    assert as_(client, world, "grid_worker").get(f"/surveys/entry/{survey.pk}/returns/").status_code == 404
