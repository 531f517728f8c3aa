"""普查小区 pages: who reaches each, the coverage verdict as a clerk reads it, a move from the map, and the edits'
refusals."""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from linli.surveys.areas import services
from linli.surveys.models import Area
from linli.testing.authz import PERSONAS, expected

from .place import census


@pytest.fixture
def c(world):
    made = census(world)
    areas = services.areas_propose(user=world.users["admin"], survey_id=made.survey.pk)
    services.enumerator_assign(user=world.users["admin"], survey_id=made.survey.pk, area_id=areas[0].pk,
                               user_id=world.users["grid_worker"].pk)  # fmt: skip
    made.areas = areas
    return made


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def status(user, method: str, url: str, data=None) -> int:
    """The page's answer, rolled back so that every persona meets the same areas."""
    with transaction.atomic():
        answer = getattr(client(user), method)(url, data or {}).status_code
        transaction.set_rollback(True)
    return answer


# (url name, method, args of the survey and its first area, what each persona gets: adm dis str cw cw2 grd dep com)
# A refused POST from someone who sees the survey but does not run it is the 403 page; one who does not see the
# survey (or the area) gets 404; an accepted POST redirects.
# fmt: off
PAGES = [
    ("list",    "get",  False, "200 200 200 200 200 200 404 404"),
    ("map",     "get",  False, "200 200 200 200 200 200 404 404"),
    ("detail",  "get",  True,  "200 200 200 200 404 200 404 404"),
    ("propose", "post", False, "302 302 302 403 403 403 404 404"),
    ("rename",  "post", True,  "302 302 302 403 403 403 404 404"),
]
# fmt: on


@pytest.mark.parametrize("name, method, with_area, line", PAGES, ids=[p[0] for p in PAGES])
def test_who_reaches_each_page(world, c, name, method, with_area, line):
    args = [c.survey.pk, c.areas[0].pk] if with_area else [c.survey.pk]
    url = reverse(f"survey_areas:{name}", args=args)
    data = {"name": "北区", "version": 1} if method == "post" else None
    got = {p: status(world.users[p], method, url, data) for p in PERSONAS}
    assert got == expected(line)


def test_the_list_shows_the_coverage_verdict_and_what_is_wrong(world, c):
    user = world.users["street_staff"]
    url = reverse("survey_areas:list", args=[c.survey.pk])
    page = client(user).get(url).content.decode()
    assert "不重不漏核查：通过" in page and "001001-001" in page
    last = c.areas[-1]
    services.area_delete(user=user, survey_id=c.survey.pk, area_id=last.pk, version=last.version)
    page = client(user).get(url).content.decode()
    assert "不重不漏核查：未通过" in page
    assert "朝阳苑1号楼" in page and "遗漏 1 栋（2 户未划入）" in page


def test_a_move_from_the_map_lands_back_on_the_map(world, c):
    user = world.users["street_staff"]
    first = c.areas[0]
    page = client(user).get(reverse("survey_areas:map", args=[c.survey.pk])).content.decode()
    start = page.index('id="area-data"')
    data = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert data["editable"] is True
    assert data["move"] == f"/surveys/areas/{c.survey.pk}/{{area}}/move/"
    assert {f["properties"]["name"] for f in data["buildings"]["features"]} >= {"和平里3号楼", "朝阳苑1号楼"}
    response = client(user).post(
        data["move"].replace("{area}", str(first.pk)),
        {"building_id": c.buildings["a1-3"].pk, "version": first.version, "next": "map"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("survey_areas:map", args=[c.survey.pk])
    assert Area.objects.get(pk=first.pk).area_buildings.filter(building=c.buildings["a1-3"]).exists()
    # the same stale version again: refused with a message, nothing changed
    response = client(user).post(
        reverse("survey_areas:move", args=[c.survey.pk, first.pk]),
        {"building_id": c.buildings["a1-10"].pk, "version": first.version},
        follow=True,
    )
    assert "数据已被他人修改" in response.content.decode()
    assert not Area.objects.get(pk=first.pk).area_buildings.filter(building=c.buildings["a1-10"]).exists()


def test_the_area_page_offers_the_community_s_enumerators(world, c):
    user = world.users["street_staff"]
    url = reverse("survey_areas:detail", args=[c.survey.pk, c.areas[0].pk])
    page = client(user).get(url).content.decode()
    assert "grid_worker" in page and "普查员" in page
    response = client(user).post(reverse("survey_areas:assign", args=[c.survey.pk, c.areas[0].pk]),
                                 {"user_id": world.users["community_worker2"].pk}, follow=True)  # fmt: skip
    assert "普查员：应为甲一社区的街道、社区工作人员或其网格员" in response.content.decode()
