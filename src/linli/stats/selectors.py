"""Dashboard figures for the user's scope, read from the summaries of linli.stats.models (kept current by
services), never by counting the registry per request.

Every function costs a fixed number of queries whatever the size of the registry.
"""

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from linli.accounts.scope import enclosing_paths, in_subtree, registry_path, scope_roots, subtree
from linli.people.models import Person
from linli.people.rules import age_band
from linli.people.selectors import (
    estate_queryset,
    house_queryset,
    household_queryset,
    person_queryset,
    tag_rows,
)
from linli.regions.models import Region
from linli.regions.selectors import region_get, region_queryset, scope_nodes

from . import services
from .models import CASE_COUNTS, BirthDay, BirthMonth, CaseDay, Tally

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


@dataclass
class Summary:
    """What the figures of one scope read first, once per overview: the regions whose summaries add up to the
    scope, their tallies but the tags ((kind, code) → count), and the grids of the scope."""

    roots: list[Region]
    tallies: Counter
    grids: list[Region]


def summary(user, node: Region | None) -> Summary:
    """The scope's Summary, after folding in the changes logged so far."""
    services.apply_changes(wait=False)
    roots = [node] if node is not None else list(scope_roots(registry_path(user)).only("pk", "level"))
    rows = (
        Tally.objects.filter(region__in=roots)
        .exclude(kind=Tally.Kind.TAG)
        .values("kind", "code")
        .annotate(sum=Sum("n"))
        .values_list("kind", "code", "sum")
    )
    grids = _under(region_queryset(user=user).filter(level=Region.Level.GRID), node, "").order_by("path")
    return Summary(roots, Counter({(kind, code): n for kind, code, n in rows}), list(grids.only("pk", "name")))


def _had_birthday_by(today: date, years: set[int], places: list[int]) -> Q:
    """Persons of `places` born in `years` in today's month up to today: those whose birthday has come this month.
    The places as a list, not a subquery, so that the database reads the (grid, birth date) index a few entries
    per place and year rather than every person of the places."""
    last = calendar.monthrange
    q = Q(pk__in=[])
    for year in years:
        day = min(today.day, last(year, today.month)[1])
        q |= Q(grid_id__in=places, birth_date__range=(date(year, today.month, 1), date(year, today.month, day)))
    return q


def population_pyramid(*, user, node: Region | None = None, today: date | None = None, scope=None) -> dict:
    """Persons by 5-year age band (people.rules.age_band) and sex, ages exact on `today`.

    From the summary by birth year and month: a birthday in an earlier month has come, one in a later month not.
    Only the birth years where the birthday moves someone to the next band need today's month by the day: from
    BirthDay for a street or more, from the registry (its (grid, birth date) index) for a community or a grid.
    """
    today = today or date.today()
    roots = (scope or summary(user, node)).roots
    rows = (
        BirthMonth.objects.filter(region__in=roots)
        .values("year", "gender")
        .annotate(total=Sum("n"), before=Sum("n", filter=Q(month__lt=today.month), default=0))
        .order_by()
    )

    def band(age):
        return None if age < 0 else age_band(age, BAND_WIDTH, TOP_AGE)

    male, female = dict.fromkeys(BANDS, 0), dict.fromkeys(BANDS, 0)
    unknown = 0
    rows = [r for r in rows if r["total"]]
    edges = {r["year"] for r in rows if r["year"] and band(today.year - r["year"]) != band(today.year - r["year"] - 1)}
    this_month = Counter()
    if edges and all(root.level <= BirthDay.LEVELS for root in roots):
        days = BirthDay.objects.filter(region__in=roots, month=today.month, day__lte=today.day, year__in=edges)
        for row in days.values("year", "gender").annotate(sum=Sum("n")).order_by():
            this_month[row["year"], row["gender"]] = row["sum"]
    elif edges:
        places = list(_under(region_queryset(user=user), node, "").values_list("pk", flat=True))
        for row in (
            Person.objects.filter(_had_birthday_by(today, edges, places))
            .values("gender", year=ExtractYear("birth_date"))
            .annotate(n=Count("id"))
            .order_by()
        ):
            this_month[row["year"], row["gender"]] = row["n"]
    for row in rows:
        if not row["year"]:
            unknown += row["total"]
            continue
        side = male if row["gender"] == Person.Gender.MALE else female
        age = today.year - row["year"]
        if row["year"] not in edges:
            if band(age) is not None:
                side[band(age)] += row["total"]
            continue
        had = row["before"] + this_month[row["year"], row["gender"]]
        for n, reached in ((had, age), (row["total"] - had, age - 1)):
            if band(reached) is not None:
                side[band(reached)] += n
    return {"bands": BANDS, "male": list(male.values()), "female": list(female.values()), "unknown_age": unknown}


def residence_types(*, user, node: Region | None = None, scope=None) -> list[dict]:
    counts = (scope or summary(user, node)).tallies
    return [
        {"code": code, "label": str(label), "count": counts[Tally.Kind.RESIDENCE, code]}
        for code, label in Person.ResidenceType.choices
    ]


def tagged_by_grid(*, user, node: Region | None = None, scope=None) -> dict:
    """Tagged persons per grid and tag; sensitive tags only for users allowed to see them."""
    tags = tag_rows(user)
    grids = (scope or summary(user, node)).grids
    counts = {
        (region, code): n
        for region, code, n in Tally.objects.filter(
            region__in=[grid.pk for grid in grids], kind=Tally.Kind.TAG, code__in=[str(t.pk) for t in tags]
        ).values_list("region_id", "code", "n")
    }
    series = [
        {
            "code": tag.code,
            "name": tag.name,
            "sensitive": tag.sensitive,
            "counts": [counts.get((grid.pk, str(tag.pk)), 0) for grid in grids],
        }
        for tag in tags
    ]
    return {
        "grids": [{"id": grid.pk, "name": grid.name} for grid in grids],
        "series": [s for s in series if any(s["counts"])],
    }


def headline(*, user, node: Region | None = None, scope=None) -> dict:
    scope = scope or summary(user, node)
    area = node or user.region  # a grid worker's whole scope is a grid too
    if area is not None and area.level == Region.Level.GRID:
        houses = _under(house_queryset(user=user), area, "grid")
        estates = houses.values("unit__building__estate").distinct().count()  # estates belong to communities
    else:
        estates = _under(estate_queryset(user=user), node, "region").count()
    counts = scope.tallies
    return {
        "persons": sum(n for (kind, _), n in counts.items() if kind == Tally.Kind.RESIDENCE),
        "households": counts[Tally.Kind.HOUSEHOLD, ""],
        "houses": counts[Tally.Kind.HOUSE, ""],
        "estates": estates,
        "grids": len(scope.grids),
    }


# The most grids the choice of region offers: a community's grids, not a street's or a district's (thousands at
# district size, an option each on every request); a grid's figures stay one link away (?region=, the region tree).
GRIDS_OFFERED = 60


def region_options(*, user, chosen: int | None = None) -> list[tuple[int, str]]:
    """The regions of the user's scope for the page's choice of region, indented by their depth below a district: the
    streets and communities, their grids when there are at most GRIDS_OFFERED, and the region `chosen` in any case."""
    nodes = scope_nodes(user=user)
    rows = [n for n in nodes if n.level != Region.Level.GRID]
    grids = [n for n in nodes if n.level == Region.Level.GRID]
    if len(grids) <= GRIDS_OFFERED:
        rows += grids
    elif chosen is not None and chosen not in {n.pk for n in rows}:
        rows += [n for n in grids if n.pk == chosen]
    rows.sort(key=lambda n: n.path)
    return [(n.pk, "\u3000" * max(n.level - Region.Level.DISTRICT, 0) + n.name) for n in rows]


def population_overview(*, user, region: int | None = None, today: date | None = None) -> dict:
    """Everything the statistics page and /api/v1/stats/population show, for one scope."""
    node = scope_node(user=user, region=region)
    scope = summary(user, node)
    return {
        "region": {"id": node.pk, "name": node.name} if node else None,
        "headline": headline(user=user, node=node, scope=scope),
        "pyramid": population_pyramid(user=user, node=node, today=today, scope=scope),
        "residence_types": residence_types(user=user, node=node, scope=scope),
        "tagged_by_grid": tagged_by_grid(user=user, node=node, scope=scope),
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


def _period(start: date, end: date) -> list[Q]:
    """The CaseDay rows of the local days from `start` to `end` (excluded): the whole months between from month
    rows, the days before and after them from day rows. One range of the key's index each, read apart: SQLite
    reads the three ranges OR-ed together by scanning every day of the region."""
    whole_from = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    whole_to = end.replace(day=1)
    if whole_from >= whole_to:
        return [Q(month=False, day__gte=start, day__lt=end)]
    ranges = [Q(month=True, day__gte=whole_from, day__lt=whole_to)]
    ranges += [Q(month=False, day__gte=a, day__lt=b) for a, b in ((start, whole_from), (whole_to, end)) if a < b]
    return ranges


def case_days(*, roots: Iterable[Region], kind: str, start: date, end: date) -> dict[int | None, dict[str, int]]:
    """What the counted cases received on the local days from `start` to `end` (excluded) in the subtrees of
    `roots` count for (models.CASE_COUNTS), per department, street or community (`kind`; None: none), after
    folding in the changes logged so far. Groups with nothing counted are absent; a department that only returned
    cases it was sent is present, with its dispatches and no cases."""
    services.apply_changes(wait=False)
    roots, sums = list(roots), {}
    for period in _period(start, end):
        rows = (
            CaseDay.objects.filter(period, region__in=roots, kind=kind)
            .values_list("key")
            .annotate(*(Sum(name) for name in CASE_COUNTS))
            .order_by()
        )
        for key, *counts in rows:
            sums[key] = [a + b for a, b in zip(sums.get(key, [0] * len(counts)), counts, strict=True)]
    return {key or None: dict(zip(CASE_COUNTS, counts, strict=True)) for key, counts in sums.items() if any(counts)}


def cases_by_month(*, roots: Iterable[Region], start: date, end: date) -> dict[date, int]:
    """{first day of a month: counted cases received in it} for the local days from `start` to `end` (excluded)
    in the subtrees of `roots`, after folding in the changes logged so far; months without cases are absent."""
    services.apply_changes(wait=False)
    roots, months = list(roots), Counter()
    for period in _period(start, end):
        days = CaseDay.objects.filter(period, region__in=roots, kind=CaseDay.Kind.DEPARTMENT)
        rows = days.annotate(first=TruncMonth("day")).values_list("first").annotate(Sum("cases")).order_by()
        months.update(dict(rows))
    return {month: months[month] for month in sorted(months) if months[month]}


def persons_of(regions: Iterable[Region]) -> int:
    """Persons living in the subtrees of `regions` (disjoint), from the summaries: the denominator of shares of the
    population elsewhere (volunteers' statistics, campaign targets). Reads no user scope: callers pass the regions
    their own scope allows. One query after folding in the changes logged so far."""
    services.apply_changes(wait=False)
    rows = Tally.objects.filter(region__in=list(regions), kind=Tally.Kind.RESIDENCE)
    return rows.aggregate(n=Sum("n"))["n"] or 0
