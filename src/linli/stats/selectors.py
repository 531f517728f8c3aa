"""Dashboard figures for the user's scope, aggregated in the database (GROUP BY), never row by row.

Every function costs a fixed number of queries whatever the size of the registry.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear

from linli.accounts.scope import enclosing_paths, in_subtree, registry_path, subtree, within
from linli.people.models import Person, PersonTag
from linli.people.rules import age_band
from linli.people.selectors import (
    estate_queryset,
    house_queryset,
    household_queryset,
    person_queryset,
    visible_tags,
)
from linli.regions.models import Region
from linli.regions.selectors import region_get, region_list, region_queryset

BAND_WIDTH, TOP_AGE = 5, 85
BANDS = [age_band(age, BAND_WIDTH, TOP_AGE) for age in range(0, TOP_AGE + 1, BAND_WIDTH)]


def scope_node(*, user, region: int | None) -> Region | None:
    """The region filter within the user's scope; out of scope answers 404 like any other read."""
    return region_get(user=user, pk=region) if region else None


def _under(qs, node: Region | None, region_field: str):
    """Narrow a scoped queryset to the subtree of `node`; region_field "" means the rows are regions."""
    if node is None:
        return qs
    return qs.filter(in_subtree(region_field, node.path)) if region_field else subtree(node.path, qs)


def _persons(user, node):
    return _under(person_queryset(user=user), node, "grid")


def population_pyramid(*, user, node: Region | None = None, today: date | None = None) -> dict:
    """Persons by 5-year age band (people.rules.age_band) and sex, ages exact on `today`.

    One query grouped by birth year, sex and whether the birthday has come this year: that pair
    fixes the age exactly, so the bands are right without reading a row per person.
    """
    today = today or date.today()
    had_birthday = Case(
        When(
            Q(birth_date__month__lt=today.month) | Q(birth_date__month=today.month, birth_date__day__lte=today.day),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        _persons(user, node)
        .annotate(year=ExtractYear("birth_date"), had_birthday=had_birthday)
        .values("year", "had_birthday", "gender")
        .annotate(n=Count("id"))
        .order_by()
    )
    male, female = dict.fromkeys(BANDS, 0), dict.fromkeys(BANDS, 0)
    unknown = 0
    for row in rows:
        if row["year"] is None:
            unknown += row["n"]
            continue
        age = today.year - row["year"] - (0 if row["had_birthday"] else 1)
        if age < 0:
            continue
        band = age_band(age, BAND_WIDTH, TOP_AGE)
        (male if row["gender"] == Person.Gender.MALE else female)[band] += row["n"]
    return {"bands": BANDS, "male": list(male.values()), "female": list(female.values()), "unknown_age": unknown}


def residence_types(*, user, node: Region | None = None) -> list[dict]:
    counts = dict(
        _persons(user, node)
        .values("residence_type")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("residence_type", "n")
    )
    return [
        {"code": code, "label": str(label), "count": counts.get(code, 0)}
        for code, label in Person.ResidenceType.choices
    ]


def tagged_by_grid(*, user, node: Region | None = None) -> dict:
    """Tagged persons per grid and tag; sensitive tags only for users allowed to see them."""
    tags = list(visible_tags(user))
    grids = list(_under(region_queryset(user=user).filter(level=Region.Level.GRID), node, "").order_by("path"))
    links = within(PersonTag.objects.filter(tag__in=[t.pk for t in tags]), registry_path(user), "person__grid")
    counts = {
        (row["person__grid_id"], row["tag_id"]): row["n"]
        for row in _under(links, node, "person__grid")
        .values("person__grid_id", "tag_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    series = [
        {
            "code": tag.code,
            "name": tag.name,
            "sensitive": tag.sensitive,
            "counts": [counts.get((grid.pk, tag.pk), 0) for grid in grids],
        }
        for tag in tags
    ]
    return {
        "grids": [{"id": grid.pk, "name": grid.name} for grid in grids],
        "series": [s for s in series if any(s["counts"])],
    }


def headline(*, user, node: Region | None = None) -> dict:
    houses = _under(house_queryset(user=user), node, "grid")
    if node is not None and node.level == Region.Level.GRID:
        estates = houses.values("unit__building__estate").distinct().count()  # estates belong to communities
    else:
        estates = _under(estate_queryset(user=user), node, "region").count()
    return {
        "persons": _persons(user, node).count(),
        "households": _under(household_queryset(user=user), node, "house__grid").count(),
        "houses": houses.count(),
        "estates": estates,
        "grids": _under(region_queryset(user=user).filter(level=Region.Level.GRID), node, "").count(),
    }


def region_options(*, user) -> list[tuple[int, str]]:
    """The regions of the user's scope for the page's choice of region, indented by their depth below a district."""
    return [
        (node.pk, "\u3000" * max(node.level - Region.Level.DISTRICT, 0) + node.name)
        for node in region_list(user=user)
    ]


def population_overview(*, user, region: int | None = None, today: date | None = None) -> dict:
    """Everything the statistics page and /api/v1/stats/population show, for one scope."""
    node = scope_node(user=user, region=region)
    return {
        "region": {"id": node.pk, "name": node.name} if node else None,
        "headline": headline(user=user, node=node),
        "pyramid": population_pyramid(user=user, node=node, today=today),
        "residence_types": residence_types(user=user, node=node),
        "tagged_by_grid": tagged_by_grid(user=user, node=node),
    }


def counts_by_grid(*, user) -> dict[int, dict]:
    """Households and persons per grid of the user's scope. Two queries."""
    counts: dict[int, dict] = {}
    households = household_queryset(user=user).values("house__grid_id").annotate(n=Count("id")).order_by()
    for grid_id, n in households.values_list("house__grid_id", "n"):
        counts.setdefault(grid_id, {"households": 0, "persons": 0})["households"] = n
    for grid_id, n in (
        person_queryset(user=user).values("grid_id").annotate(n=Count("id")).order_by().values_list("grid_id", "n")
    ):
        counts.setdefault(grid_id, {"households": 0, "persons": 0})["persons"] = n
    return counts


def population_by_region(*, user, regions: Iterable[Region]) -> dict[int, dict]:
    """Households and persons in the subtree of each of `regions`, as far as the user's scope reaches: the figures
    of the region pages. Three queries whatever the number of regions."""
    totals = {region.path: {"households": 0, "persons": 0} for region in regions}
    counts = counts_by_grid(user=user)
    for grid_id, path in region_queryset(user=user).values_list("pk", "path").iterator(2000):
        if grid_id not in counts:
            continue
        for enclosing in enclosing_paths(path):
            if enclosing in totals:
                totals[enclosing]["households"] += counts[grid_id]["households"]
                totals[enclosing]["persons"] += counts[grid_id]["persons"]
    return {region.pk: totals[region.path] for region in regions}
