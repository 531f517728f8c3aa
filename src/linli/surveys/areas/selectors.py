"""Reads of 普查小区: the survey's place (its buildings in walking order, with the registry's households and people),
which area holds each building, the coverage check's report, the map's buildings coloured by area, and the users
who may be assigned to an area. Which survey and area a user sees is linli.surveys.selectors'."""

import re
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.maps.rules import building_label
from linli.people.models import Building, Household, Person
from linli.regions.rules import COMMUNITY

from .. import selectors as survey_selectors
from ..models import Area, AreaBuilding, AreaEnumerator, Survey
from . import rules


def _natural(text: str) -> tuple:
    """Building numbers as people count them: 2 before 10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def building_name(building: Building) -> str:
    """A building as a street sign names it: "金域花园7号楼"."""
    return building.estate.name + building_label(building.number)


def communities(survey: Survey) -> list:
    """The 普查区 of the survey's place: the communities in its region's subtree (or the one holding it)."""
    path = survey.plan.region.path
    regions = scope.subtree(path) | scope.ancestors_or_self(path)
    return list(regions.filter(level=COMMUNITY).order_by("path"))


@dataclass
class Place:
    """The buildings of a survey's place in walking order (community, estate, building number), each with its
    community, and the registry's households and people per building."""

    buildings: list[Building]
    community: dict[int, object]  # building id → its community (Region)
    households: dict[int, int] = field(default_factory=dict)
    people: dict[int, int] = field(default_factory=dict)


def place(survey: Survey) -> Place:
    by_path = {c.path: c for c in communities(survey)}
    qs = scope.within(Building.objects.all(), survey.plan.region.path, "grid").select_related("estate", "grid")
    community = {}
    for b in qs:
        found = [by_path[p] for p in scope.enclosing_paths(b.grid.path) if p in by_path]
        if found:
            community[b.pk] = found[-1]
    buildings = sorted(
        (b for b in qs if b.pk in community),
        key=lambda b: (community[b.pk].path, b.estate.name, b.estate_id, _natural(b.number), b.pk),
    )
    ids = [b.pk for b in buildings]
    households = dict(
        Household.objects.filter(house__unit__building__in=ids)
        .values_list("house__unit__building")
        .annotate(n=Count("pk"))
        .order_by()
    )
    people = dict(
        Person.objects.filter(household__house__unit__building__in=ids)
        .values_list("household__house__unit__building")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Place(buildings, community, households, people)


def area_buildings(survey: Survey) -> dict[int, list[int]]:
    """Each area's buildings in its walking order."""
    held: dict[int, list[int]] = {a: [] for a in survey.areas.values_list("pk", flat=True)}
    rows = AreaBuilding.objects.filter(area__survey=survey).order_by("area_id", "order", "pk")
    for area_id, building_id in rows.values_list("area_id", "building_id"):
        held[area_id].append(building_id)
    return held


def building_areas(survey: Survey) -> dict[int, int]:
    """building id → the area holding it. A building the areas still hold twice (the coverage check refuses to
    start such a survey) goes to the area of the lowest code."""
    rows = AreaBuilding.objects.filter(area__survey=survey).order_by("-area__code")
    return dict(rows.values_list("building_id", "area_id"))


@dataclass
class AreaRow:
    area: Area
    buildings: list[str]
    households: int
    people: int
    enumerators: list[dict]  # id, name, duty, duty_label


@dataclass
class Problem:
    """A building counted twice, left out, or lying outside the place, with the areas concerned (codes) and its
    households (numbers)."""

    building: str
    community: str
    areas: list[str]
    households: list[str]


@dataclass
class CoverageReport:
    """The check over the whole survey; `areas` may be narrowed to those a reader sees (visible_to)."""

    survey: Survey
    areas: list[AreaRow]
    overlaps: list[Problem]
    gaps: list[Problem]
    outside: list[Problem]
    buildings: int
    households: int
    people: int
    households_twice: int
    households_left_out: int

    @property
    def ok(self) -> bool:
        return not (self.overlaps or self.gaps or self.outside)

    def visible_to(self, user) -> "CoverageReport":
        """The report with only the areas `user` sees (linli.surveys.selectors.area_queryset)."""
        seen = set(survey_selectors.area_queryset(user, self.survey).values_list("pk", flat=True))
        return replace(self, areas=[r for r in self.areas if r.area.pk in seen])

    @property
    def errors(self) -> list[str]:
        """The check's findings in a sentence each, as survey_start reports them."""
        said = [
            _("%(building)s同时划入%(join)s") % {"building": p.building, "join": "、".join(p.areas)}
            for p in self.overlaps
        ]
        said += [_("%(building)s未划入任何普查小区") % {"building": p.building} for p in self.gaps]
        said += [
            _("%(building)s不在本次调查范围内，却划入了%(join)s") % {"building": p.building, "join": "、".join(p.areas)}
            for p in self.outside
        ]
        return said


def coverage_report(survey: Survey) -> CoverageReport:
    """The areas of the survey with their people (from the registry) and the 不重不漏 check: buildings and households
    counted twice, left out, or outside the survey's place."""
    where = place(survey)
    held = area_buildings(survey)
    areas = {
        a.pk: a
        for a in survey.areas.select_related("community").prefetch_related(
            Prefetch("assignments", AreaEnumerator.objects.select_related("user").order_by("duty", "pk"))
        )
    }
    check = rules.coverage(held, [b.pk for b in where.buildings], {})
    flagged = set(check.overlaps) | set(check.gaps) | set(check.outside)
    numbers: dict[int, list[str]] = {}
    for building_id, number in (
        Household.objects.filter(house__unit__building__in=flagged)
        .order_by("number")
        .values_list("house__unit__building", "number")
    ):
        numbers.setdefault(building_id, []).append(number)
    names = {b.pk: b for b in where.buildings}
    strays = {b.pk: b for b in Building.objects.filter(pk__in=check.outside).select_related("estate")}

    def problem(building_id: int, area_ids) -> Problem:
        b = names.get(building_id) or strays[building_id]
        c = where.community.get(building_id)
        return Problem(building_name(b), c.name if c else "", [areas[a].code for a in area_ids],
                       numbers.get(building_id, []))  # fmt: skip

    rows = [
        AreaRow(
            area=a,
            buildings=[building_name(names[b]) if b in names else building_name(strays[b]) for b in held[a.pk]],
            households=sum(where.households.get(b, 0) for b in held[a.pk]),
            people=sum(where.people.get(b, 0) for b in held[a.pk]),
            enumerators=[
                {
                    "id": s.user_id,
                    "name": s.user.get_full_name() or s.user.username,
                    "duty": s.duty,
                    "duty_label": s.get_duty_display(),
                }
                for s in a.assignments.all()
            ],  # fmt: skip
        )  # fmt: skip
        for a in sorted(areas.values(), key=lambda a: a.code)
    ]
    return CoverageReport(
        survey=survey,
        areas=rows,
        overlaps=[problem(b, a) for b, a in check.overlaps.items()],
        gaps=[problem(b, ()) for b in check.gaps],
        outside=[problem(b, a) for b, a in check.outside.items()],
        buildings=len(where.buildings),
        households=sum(where.households.values()),
        people=sum(where.people.values()),
        households_twice=sum(len(numbers.get(b, ())) * (len(a) - 1) for b, a in check.overlaps.items()),
        households_left_out=sum(len(numbers.get(b, ())) for b in check.gaps),
    )


def area_map(survey: Survey) -> dict:
    """The place's buildings as GeoJSON points with the area holding each (null when none, the first of several),
    and the areas to colour them by."""
    where = place(survey)
    held = building_areas(survey)
    areas = list(survey.areas.order_by("code").values("pk", "code", "name", "version", "community_id"))
    return {
        "areas": [
            {
                "id": a["pk"],
                "code": a["code"],
                "name": a["name"],
                "version": a["version"],
                "community": a["community_id"],
            }
            for a in areas
        ],  # fmt: skip
        "buildings": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [float(b.longitude), float(b.latitude)]},
                    "properties": {
                        "id": b.pk,
                        "name": building_name(b),
                        "community": where.community[b.pk].pk,
                        "area": held.get(b.pk),
                        "people": where.people.get(b.pk, 0),
                    },
                }
                for b in where.buildings
                if b.latitude is not None and b.longitude is not None
            ],
        },
    }


def enumerator_choices(user, survey: Survey, area_id: int) -> list:
    """The candidates for an area, for those who run the survey (PermissionDenied otherwise)."""
    if not survey_selectors.can_run(user, survey):
        raise PermissionDenied(_("只有组织本次调查的街道或区级工作人员可以分配普查员"))
    return enumerator_candidates(survey_selectors.area_get(user, survey, area_id))


def enumerator_candidates(area: Area):
    """Active users who may enumerate in `area`: a role with ENUMERATE whose region subtree holds the area's
    community (its grid workers, community workers and the street's staff)."""
    path = area.community.path
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(scope.subtree_or_above_q(path, "region"))
        .select_related("region")
        .order_by("region__path", "username")
    )
    return [u for u in users if may_enumerate(u, area)]


def may_enumerate(user, area: Area) -> bool:
    """A role with ENUMERATE, working in the area's community: its office holds the community (street staff,
    community workers) or lies in it (its grid workers)."""
    if not roles.can(user, roles.SURVEYS, roles.ENUMERATE):
        return False
    path = scope.region_path(user)
    return scope.covers(user, area.community) or (path is not None and scope.contains(area.community.path, path))
