"""Statistics selectors on hand-built data: exact counts per age band and sex, scope and permissions."""

from datetime import date

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from linli.people.models import Estate, Household, Person, PersonTag, Tag
from linli.stats import selectors, services
from linli.testing import factories

TODAY = date(2026, 6, 15)


def band(pyramid: dict, name: str) -> tuple[int, int]:
    i = pyramid["bands"].index(name)
    return pyramid["male"][i], pyramid["female"][i]


@pytest.fixture
def people(world):
    """Ages on TODAY sit on both sides of band edges; one person in 乙街道 is outside street_staff's scope."""
    p = factories.person
    born = {
        "newborn": p(world.grid_a1, birth=date(2026, 6, 15), female=True),  # 0 today
        "four": p(world.grid_a1, birth=date(2021, 6, 16)),  # 4: fifth birthday is tomorrow
        "five": p(world.grid_a1, birth=date(2021, 6, 15)),  # 5 today
        "five_b": p(world.grid_a1b, birth=date(2020, 12, 31), female=True),  # 5
        "nine": p(world.grid_a2, birth=date(2016, 6, 16), female=True),  # 9
        "eightyfour": p(world.grid_a2, birth=date(1941, 6, 16)),  # 84
        "eightyfive": p(world.grid_a2, birth=date(1941, 6, 15), female=True),  # 85 → 85+
        "old": p(world.grid_a1, birth=date(1920, 1, 1)),  # 106 → 85+
        "outside": p(world.grid_b1, birth=date(1990, 1, 1)),
    }
    unknown = p(world.grid_a1, birth=date(1990, 1, 1), residence_type="overseas")
    Person.objects.filter(pk=unknown.pk).update(birth_date=None)
    Person.objects.filter(pk__in=[born["five"].pk, born["nine"].pk]).update(residence_type="floating")
    veteran, mental = Tag.objects.get(code="veteran"), Tag.objects.get(code="mental_disorder")
    for person, tag in (
        (born["eightyfour"], veteran),
        (born["old"], veteran),
        (born["four"], mental),
        (born["outside"], veteran),
    ):
        PersonTag.objects.create(person=person, tag=tag)
    return born


def test_the_pyramid_counts_exact_ages_per_band_and_sex(world, people):
    pyramid = selectors.population_pyramid(user=world.users["street_staff"], today=TODAY)
    assert pyramid["bands"][:3] == ["0-4", "5-9", "10-14"] and pyramid["bands"][-1] == "85+"
    assert len(pyramid["bands"]) == 18
    assert band(pyramid, "0-4") == (1, 1)
    assert band(pyramid, "5-9") == (1, 2)
    assert band(pyramid, "80-84") == (1, 0)
    assert band(pyramid, "85+") == (1, 1)
    assert sum(pyramid["male"]) + sum(pyramid["female"]) == 8  # "outside" is in 乙街道
    assert pyramid["unknown_age"] == 1


def test_a_leap_day_birthday_counts_from_the_first_of_march(world):
    factories.person(world.grid_a1, birth=date(2000, 2, 29))
    user = world.users["community_worker"]
    assert band(selectors.population_pyramid(user=user, today=date(2025, 2, 28)), "20-24") == (1, 0)
    assert band(selectors.population_pyramid(user=user, today=date(2025, 3, 1)), "25-29") == (1, 0)


def test_the_pyramid_follows_the_users_scope_and_the_region_filter(world, people):
    district = selectors.population_pyramid(user=world.users["district_staff"], today=TODAY)
    assert sum(district["male"]) + sum(district["female"]) == 9
    community = selectors.population_pyramid(user=world.users["community_worker"], today=TODAY)
    assert sum(community["male"]) + sum(community["female"]) == 5
    overview = selectors.population_overview(user=world.users["street_staff"], region=world.community_a2.pk)
    assert overview["region"] == {"id": world.community_a2.pk, "name": "甲二社区"}
    assert overview["headline"]["persons"] == 3
    with pytest.raises(Http404):
        selectors.population_overview(user=world.users["community_worker"], region=world.community_a2.pk)


def test_residence_types_are_counted_with_their_labels(world, people):
    rows = selectors.residence_types(user=world.users["street_staff"])
    assert [(r["label"], r["count"]) for r in rows] == [
        ("户籍人口", 6),
        ("常住人口", 0),
        ("流动人口", 2),
        ("人户分离", 0),
        ("境外人员", 1),
    ]


def test_tagged_groups_by_grid_hide_sensitive_tags_without_the_permission(world, people):
    with_perm = selectors.tagged_by_grid(user=world.users["street_staff"])
    assert [g["name"] for g in with_perm["grids"]] == ["甲一1号网格", "甲一2号网格", "甲二1号网格"]
    assert [(s["name"], s["sensitive"], s["counts"]) for s in with_perm["series"]] == [
        ("精神障碍患者", True, [1, 0, 0]),
        ("退役军人", False, [1, 0, 1]),
    ]
    without = selectors.tagged_by_grid(user=world.users["community_worker"])
    assert [(s["name"], s["counts"]) for s in without["series"]] == [("退役军人", [1, 0])]


def test_headline_counts(world, people):
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    Estate.objects.create(region=world.community_b1, name="外区小区")
    for number in ("101", "102"):
        Household.objects.create(number=f"H{number}", house=factories.house(world.grid_a1, estate, number=number))
    factories.house(world.grid_a1b, estate, building="2", number="201")
    assert selectors.headline(user=world.users["street_staff"]) == {
        "persons": 9,
        "households": 2,
        "houses": 3,
        "estates": 1,
        "grids": 3,
    }
    grid = selectors.headline(user=world.users["street_staff"], node=world.grid_a1b)
    assert grid == {"persons": 1, "households": 0, "houses": 1, "estates": 1, "grids": 1}
    # A grid worker's whole scope is the grid: the estates its houses stand in, not the community's list (none).
    assert selectors.headline(user=world.users["grid_worker"])["estates"] == 1


def test_people_outside_the_registry_roles_get_empty_figures(world, people):
    overview = selectors.population_overview(user=world.users["dept_handler"])
    assert overview["headline"]["persons"] == 0 and sum(overview["pyramid"]["male"]) == 0


def test_the_overview_costs_the_same_queries_at_ten_times_the_people(world, people):
    user = world.users["street_staff"]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.population_overview(user=user, today=TODAY)
        return len(ctx.captured_queries)

    count()  # the first call also loads the user's region and permissions
    small = count()
    tag = Tag.objects.get(code="empty_nest")
    for i in range(80):
        person = factories.person(world.grid_a1b, birth=date(1940 + i % 60, 1 + i % 12, 1 + i % 28), female=i % 2)
        PersonTag.objects.create(person=person, tag=tag)
    services.apply_changes()  # folding the log in costs its own fixed number of queries (test_summaries)
    assert count() == small


def test_population_by_region_rolls_each_subtree_up_within_the_scope(world, people):
    """The figures of the region pages: persons of every grid below a node (here without households)."""
    regions = [world.district, world.street_a, world.community_a1, world.community_a2, world.grid_a1, world.grid_b1]
    got = selectors.population_by_region(user=world.users["street_staff"], regions=regions)
    persons = {region.name: got[region.pk]["persons"] for region in regions}
    assert persons == {
        world.district.name: 9,  # everyone in 甲街道, none of 乙街道: out of street_staff's scope
        world.street_a.name: 9,
        world.community_a1.name: 6,
        world.community_a2.name: 3,
        world.grid_a1.name: 5,
        world.grid_b1.name: 0,
    }
    assert all(got[region.pk]["households"] == 0 for region in regions)
    with CaptureQueriesContext(connection) as ctx:
        selectors.population_by_region(user=world.users["street_staff"], regions=regions * 10)
    assert len(ctx.captured_queries) == 3


def test_the_choice_of_region_offers_grids_only_up_to_the_bound_and_always_the_chosen_one(world, monkeypatch):
    """A district has thousands of grids at full size: an option each on every page was most of /stats/'s time."""
    street = world.users["street_staff"]
    labels = lambda **kw: [label.strip("\u3000") for _, label in selectors.region_options(user=street, **kw)]  # noqa: E731
    everything = labels()
    assert world.grid_a1.name in everything and world.community_a1.name in everything
    monkeypatch.setattr(selectors, "GRIDS_OFFERED", 2)  # the street has three grids
    assert labels() == [n for n in everything if n not in {world.grid_a1.name, world.grid_a1b.name, world.grid_a2.name}]
    chosen = labels(chosen=world.grid_a2.pk)
    assert world.grid_a2.name in chosen and world.grid_a1.name not in chosen
    assert chosen.index(world.grid_a2.name) == chosen.index(world.community_a2.name) + 1  # in its place in the tree
    assert world.grid_b1.name not in labels(chosen=world.grid_b1.pk)  # outside the scope
