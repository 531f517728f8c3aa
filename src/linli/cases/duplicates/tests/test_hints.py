"""Duplicate hints: which open cases are hinted at (category, distance, building, grid, time, scope), at what cost,
on the intake and report forms (page fragments and the API), and the one-click merge on the case page.

Points are laid out north of HERE in 沈河区: 0.0009° of latitude is 100 m. LINLI_DUPLICATE_METRES is 150 here."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases import rules, services
from linli.cases.duplicates import selectors
from linli.cases.duplicates.selectors import Place
from linli.cases.models import Case, Category
from linli.people.models import Estate
from linli.testing import factories
from linli.testing.apiclient import ApiClient
from linli.testing.queries import page_queries

HERE = (41.796800, 123.451000)
M100 = 0.0009  # degrees of latitude in 100 m


@pytest.fixture(autouse=True)
def window(settings):
    settings.DUPLICATE_METRES, settings.DUPLICATE_DAYS = 150, 30


def north(metres: float) -> dict:
    return {"latitude": f"{HERE[0] + M100 * metres / 100:.6f}", "longitude": f"{HERE[1]:.6f}"}


def case_at(w, metres=None, *, grid=None, category="0401", **data) -> Case:
    point = north(metres) if metres is not None else {}
    return factories.case(grid or w.grid_a1, category=category, **point, **data)


def category(code="0401") -> int:
    return Category.objects.get(code=code).pk


def hinted(w, persona="street_staff", *, place=None, code="0401") -> list[str]:
    found = selectors.similar(user=w.users[persona], category_id=category(code), place=place or Place(*HERE))
    return [h.case.description for h in found]


def test_open_cases_of_the_category_within_reach_nearest_first(w):
    case_at(w, 120, description="路灯不亮一百二十米")
    case_at(w, 10, description="路灯不亮十米处")
    case_at(w, 200, description="路灯不亮两百米")
    case_at(w, 10, category="0101", description="另一类问题")
    assert hinted(w) == ["路灯不亮十米处", "路灯不亮一百二十米"]


def test_resolved_merged_rejected_and_old_cases_are_not_hinted(w):
    closed = case_at(w, 10, description="已经结案的")
    Case.objects.filter(pk=closed.pk).update(state=rules.CLOSED)
    rejected = case_at(w, 10, description="不予受理的")
    services.case_act(user=w.users["street_staff"], case_id=rejected.pk, action="reject", version=1, note="重复")
    old = case_at(w, 10, description="四十天前的")
    Case.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=40))
    deferred = case_at(w, 10, description="缓办中的路灯")
    Case.objects.filter(pk=deferred.pk).update(state=rules.DEFERRED)
    assert hinted(w) == ["缓办中的路灯"]


def test_hints_stay_within_the_users_scope(w):
    case_at(w, 10, grid=w.grid_b1, description="乙街道的路灯")
    case_at(w, 20, grid=w.grid_a2, description="甲二社区的路灯")
    assert hinted(w, "district_staff") == ["乙街道的路灯", "甲二社区的路灯"]
    assert hinted(w, "street_staff") == ["甲二社区的路灯"]
    assert hinted(w, "community_worker") == []


def buildings_seven_and_eight(w):
    """A house in building 7, with a case at another house of building 7 and one at a house of building 8."""
    estate = Estate.objects.create(region=w.community_a1, name="幸福里")
    house = factories.house(w.grid_a1, estate, building="7", unit="1", number="101")
    neighbour = factories.house(w.grid_a1, estate, building="7", unit="2", number="502")
    elsewhere = factories.house(w.grid_a1, estate, building="8", unit="1", number="101")
    case_at(w, house_id=neighbour.pk, description="七号楼二单元")
    case_at(w, house_id=elsewhere.pk, description="八号楼路灯坏")
    return house, elsewhere


def test_without_a_point_the_same_building_or_else_the_same_grid(w):
    house, _ = buildings_seven_and_eight(w)
    case_at(w, 500, description="五百米外，同一网格")
    assert hinted(w, place=Place(house_id=house.pk)) == ["七号楼二单元"]
    assert hinted(w, place=Place(region_id=w.grid_a1.pk)) == ["七号楼二单元", "八号楼路灯坏", "五百米外，同一网格"]
    # a point and a house: near the point or in the building
    assert hinted(w, place=Place(*HERE, house_id=house.pk)) == ["七号楼二单元"]


def test_a_case_taken_in_at_a_house_keeps_its_building_and_its_page_hints_at_the_buildings_cases(w):
    house, elsewhere = buildings_seven_and_eight(w)
    case = case_at(w, house_id=house.pk, description="七号楼一单元")
    assert case.building_id == house.unit.building_id != elsewhere.unit.building_id
    found = selectors.similar_to(user=w.users["street_staff"], case=case)
    assert [h.case.description for h in found] == ["七号楼二单元"]


def test_nothing_is_hinted_without_a_category_or_a_place(w):
    case_at(w, 10)
    user = w.users["street_staff"]
    assert selectors.similar(user=user, category_id=None, place=Place(*HERE)) == []
    assert selectors.similar(user=user, category_id=category(), place=Place()) == []
    assert selectors.similar(user=user, category_id=category(), place=Place(89.5, 10)) == []


def test_departments_and_companies_are_refused(w):
    for persona in ("dept_handler", "company_staff"):
        with pytest.raises(selectors.PermissionDenied):
            selectors.similar(user=w.users[persona], category_id=category(), place=Place(*HERE))


# ---------------------------------------------------------------- cost

N = 3


def test_hints_cost_the_same_queries_at_ten_times_the_cases(client, w):
    estate = Estate.objects.create(region=w.community_a1, name="幸福里")
    house = factories.house(w.grid_a1, estate, building="7")

    def populate(n):
        for i in range(n):
            case_at(w, 10 + i % 100, house_id=house.pk if i % 2 else None)

    client.force_login(w.users["street_staff"])
    lat, lng = HERE
    urls = [
        f"/cases/similar/?category={category()}&latitude={lat}&longitude={lng}&house={house.pk}",
        f"/report/similar/?category_id={category()}&latitude={lat}&longitude={lng}",
    ]
    first = case_at(w, 5)  # first on the desk: the next case is read by one query at both sizes
    populate(N)
    small = [page_queries(client, url) for url in [*urls, f"/cases/{first.pk}/"]]
    populate(9 * N)
    large = [page_queries(client, url) for url in [*urls, f"/cases/{first.pk}/"]]
    assert large == small


# ---------------------------------------------------------------- the intake form and the API


def test_the_intake_fragment_lists_the_hints_with_links(client, w):
    near = case_at(w, 30, description="东门路灯坏了")
    client.force_login(w.users["community_worker"])
    lat, lng = HERE
    page = client.get(f"/cases/similar/?category={category()}&latitude={lat}&longitude={lng}").content.decode()
    assert "疑似重复件" in page and near.number in page and "东门路灯坏了" in page and "约30米" in page
    assert "并入此案件" not in page  # the case does not exist yet: merging is on its page once taken in
    assert "已上报的重复件由调度人员合并" in page  # a community worker does not merge
    client.force_login(w.users["street_staff"])
    page = client.get(f"/cases/similar/?category={category()}&latitude={lat}&longitude={lng}").content.decode()
    assert near.number in page and "受理后在案件页面一键并入原案件" in page
    assert client.get(f"/cases/similar/?category={category()}&latitude=abc").content.decode().strip() == ""


@pytest.mark.parametrize(("persona", "url"), [("street_staff", "/cases/new/"), ("grid_worker", "/cases/m/report/")])
def test_the_intake_pages_ask_for_hints_as_the_form_changes(client, w, persona, url):
    client.force_login(w.users[persona])
    page = client.get(url).content.decode()
    assert 'data-similar-url="/cases/similar/"' in page and "linli/duplicates.js" in page


def test_departments_get_403_on_the_fragment(client, w):
    client.force_login(w.users["dept_handler"])
    assert client.get(f"/cases/similar/?category={category()}").status_code == 403


def test_the_api_answers_the_same_hints(w):
    near = case_at(w, 60, description="东门路灯坏了")
    lat, lng = HERE
    body = ApiClient(w.users["street_staff"]).get(
        "/cases/similar", {"category_id": category(), "latitude": lat, "longitude": lng}
    )
    assert body.status_code == 200
    data = body.json()
    assert (data["metres"], data["days"]) == (150, 30)
    [item] = data["items"]
    assert item["case"]["number"] == near.number and item["distance_label"] == "约60米"
    assert item["metres"] == pytest.approx(60, abs=1)
    assert item["case"]["reporter_phone"] == "139****5678"


# ---------------------------------------------------------------- the residents' form


def test_residents_see_only_cases_residents_reported_and_no_contact(client, w):
    online = case_at(w, 40, description="小区东门路灯坏了一周")
    Case.objects.filter(pk=online.pk).update(channel=Case.Channel.ONLINE)
    case_at(w, 20, description="热线反映的邻居纠纷")  # taken in by staff: never shown to the public
    lat, lng = HERE
    page = client.get(f"/report/similar/?category_id={category()}&latitude={lat}&longitude={lng}").content.decode()
    assert "附近已有1件同类问题正在处理" in page and "小区东门路灯坏了一周" in page and "约40米" in page
    assert "热线反映的邻居纠纷" not in page and online.number not in page and "139" not in page


def test_the_report_form_carries_the_hint_box(client, w):
    page = client.get("/report/").content.decode()
    assert 'data-similar-url="/report/similar/"' in page
    assert 'data-similar-fields="category_id latitude longitude"' in page


# ---------------------------------------------------------------- the case page: one-click merge


def test_a_new_case_shows_its_hints_and_merges_with_one_click(client, w):
    original = case_at(w, 80, description="东门路灯坏了")
    duplicate = case_at(w, 0, description="东门的路灯不亮")
    client.force_login(w.users["street_staff"])
    page = client.get(f"/cases/{duplicate.pk}/").content.decode()
    assert "疑似重复件" in page and original.number in page and "并入此案件" in page
    assert f'name="original" value="{original.number}"' in page
    post = {"version": duplicate.version, "original": original.number}
    response = client.post(f"/cases/{duplicate.pk}/act/merge/", post)
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.state == rules.MERGED and duplicate.merged_into == original


def test_hints_are_not_shown_once_the_case_has_left_the_desk(client, w):
    case_at(w, 80)
    case = case_at(w, 0)
    services.case_register_and_dispatch(user=w.users["street_staff"], case_id=case.pk, version=case.version)
    client.force_login(w.users["street_staff"])
    assert "疑似重复件" not in client.get(f"/cases/{case.pk}/").content.decode()
