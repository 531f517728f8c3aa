"""社区工作准入 on surveys: a community given a survey's areas is given its forms against the district's lists; while
they are held (待准入) the community does not see the survey's areas there, the street that runs it does."""

import pytest

from linli.burden.models import WorkRequest
from linli.burden.work.tests.conftest import application, lists_for
from linli.core.errors import ValidationFailed
from linli.surveys import selectors as survey_selectors
from linli.surveys.areas import services
from linli.testing.apiclient import ApiClient

from .place import census


@pytest.fixture
def c(world):
    return census(world)


def seen(user, survey) -> set[str]:
    return {a.community.name for a in survey_selectors.area_queryset(user, survey).select_related("community")}


def test_held_forms_keep_the_areas_from_the_community(world, c):
    lists_for(world.district)
    street = world.users["street_staff"]
    services.areas_propose(user=street, survey_id=c.survey.pk)  # no basis: 待准入
    rows = WorkRequest.objects.order_by("community__path")
    assert [(w.community.name, w.kind, w.state, w.requester) for w in rows] == [
        ("甲一社区", "form", "held", "甲街道"), ("甲二社区", "form", "held", "甲街道"),
    ]  # fmt: skip
    assert seen(world.users["community_worker"], c.survey) == set()
    assert seen(street, c.survey) == {"甲一社区", "甲二社区"}
    # approved for 甲一 (the rows as the decision's settle_work leaves them): 甲一 sees its areas, 甲二 still not
    app = application(world, communities=[world.community_a1])
    WorkRequest.objects.filter(community=world.community_a1).update(access=app, state="admitted")
    assert seen(world.users["community_worker"], c.survey) == {"甲一社区"}
    assert seen(world.users["community_worker2"], c.survey) == set()


def test_a_listed_basis_lets_the_forms_through_and_empty_communities_lose_theirs(world, c):
    lists = lists_for(world.district)
    street = world.users["street_staff"]
    made = services.areas_propose(user=street, survey_id=c.survey.pk, basis=f"item:{lists.assist.pk}")
    assert set(WorkRequest.objects.values_list("state", flat=True)) == {"listed"}
    assert seen(world.users["community_worker2"], c.survey) == {"甲二社区"}
    a2 = next(a for a in made if a.community_id == world.community_a2.pk)
    services.area_delete(user=street, survey_id=c.survey.pk, area_id=a2.pk, version=a2.version)
    assert list(WorkRequest.objects.values_list("community__name", flat=True)) == ["甲一社区"]
    # a new area keeps its community's basis unless another is given
    services.area_create(user=street, survey_id=c.survey.pk, community_id=world.community_a1.pk)
    assert WorkRequest.objects.get().state == "listed"
    with pytest.raises(ValidationFailed):
        services.area_create(user=street, survey_id=c.survey.pk, community_id=world.community_a2.pk, basis="x:1")


def test_the_api_and_the_page_take_the_basis(world, c, client):
    lists = lists_for(world.district)
    street = world.users["street_staff"]
    api = ApiClient(street)
    made = api.post(f"/surveys/areas/{c.survey.pk}", {"community_id": world.community_a2.pk, "basis": ""})
    assert made.status_code == 201, made.content
    assert WorkRequest.objects.get().state == "held"
    client.force_login(street)
    page = client.get(f"/surveys/areas/{c.survey.pk}/").content.decode()
    assert "待准入" in page and "申请准入" in page and lists.assist.title in page
    client.post(f"/surveys/areas/{c.survey.pk}/propose/", {"basis": f"item:{lists.duty.pk}"})
    assert set(WorkRequest.objects.values_list("state", flat=True)) == {"listed"}
