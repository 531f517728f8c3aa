"""Keeping the statistics' summaries current. The triggers of migrations/0002 log every registry change in its own
transaction; apply_changes folds that log into the summaries (before each read of them, and by the scheduler), and
refresh_all recounts everything from the registry (after bulk loads, and nightly as a check). docs/performance.md,
统计汇总."""

import itertools
from collections import Counter
from contextlib import contextmanager

from django.apps import apps
from django.db import OperationalError, connection, transaction
from django.db.models import CharField, Count, DateField, F, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, ExtractYear, TruncDate, TruncMonth
from django.utils import timezone

from linli.accounts.scope import enclosing_paths
from linli.people.models import House, Household, Person, PersonTag
from linli.regions.models import Region

from .models import CASE_COUNTS, BirthDay, BirthMonth, CaseChange, CaseDay, Change, Tally

BIRTH_KEY = ("region_id", "gender", "year", "month")
DAY_KEY = ("region_id", "month", "day", "gender", "year")
# A log longer than this (a bulk load outside bulk_load) is cheaper recounted than folded row by row in Python.
RECOUNT = 50_000
CHUNK = 2000  # rows per statement: at most 12,000 parameters, inside SQLite's 32,766
TALLY_KEY = ("region_id", "kind", "code")
CASE_DAY_KEY = ("region_id", "kind", "month", "day", "key")
# The group of each CaseDay kind: the CaseChange column and the Case field.
CASE_GROUPS = {CaseDay.Kind.DEPARTMENT: "department_id", CaseDay.Kind.STREET: "street_id",
               CaseDay.Kind.COMMUNITY: "community_id"}  # fmt: skip
CASE_FIELDS = {CaseDay.Kind.DEPARTMENT: "lead_department_id", CaseDay.Kind.STREET: "street_id",
               CaseDay.Kind.COMMUNITY: "community_id"}  # fmt: skip


def _lock(*, wait: bool) -> bool:
    """Hold the change log for the rest of the transaction. On PostgreSQL an EXCLUSIVE lock waits for every
    transaction that has logged a change and not committed, so what the log then holds is committed and can be read
    and emptied whole; registry writes wait meanwhile (milliseconds). A reader does not wait behind a long import:
    it gives up and reads the summaries as they are. SQLite runs one writer at a time anyway."""
    if connection.vendor != "postgresql":
        return True
    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint: giving up keeps the transaction
            if not wait:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            cursor.execute("LOCK TABLE stats_change, stats_casechange IN EXCLUSIVE MODE")
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    except OperationalError:
        return False
    return True


def apply_changes(*, wait: bool = True) -> int:
    """Fold the logged registry changes into the summaries; the number of log rows folded. A read (`wait` False)
    that finds the log held by a long write gives up and shows the summaries as they are: on PostgreSQL after
    200 ms (_lock), on SQLite when its busy timeout ends ("database is locked")."""
    if not Change.objects.exists() and not CaseChange.objects.exists():
        return 0
    try:
        return _fold(wait)
    except OperationalError:
        if wait or connection.vendor != "sqlite":
            raise
        return 0


def _fold(wait: bool) -> int:
    with transaction.atomic():
        if not _lock(wait=wait):
            return 0
        columns = ("kind", "grid_id", "gender", "birth_date", "code", "sign")
        rows = list(Change.objects.values_list(*columns)[: RECOUNT + 1])
        columns = ("region_id", "received_at", "sign", *CASE_GROUPS.values(), *CASE_COUNTS)
        cases = list(CaseChange.objects.values_list(*columns)[: RECOUNT + 1])
        # A region deleted since its changes were logged (emptied, then removed) no longer says which regions
        # above it the changes belong to: only a recount gets those right.
        regions = {row[1] for row in rows} | {row[0] for row in cases}
        gone = regions - {None} - set(Region.objects.filter(pk__in=regions).values_list("pk", flat=True))
        if len(rows) > RECOUNT or len(cases) > RECOUNT or gone:
            _recount()
            return len(rows) + len(cases)
        Change.objects.all().delete()
        CaseChange.objects.all().delete()
        births, tallies = Counter(), Counter()
        for kind, grid, gender, born, code, sign in rows:
            if kind == "person":
                births[grid, gender, born] += sign
                tallies[grid, Tally.Kind.RESIDENCE, code] += sign
            else:
                tallies[grid, kind, code] += sign
        _add(births, tallies)
        _add_cases(cases)
    return len(rows) + len(cases)


@contextmanager
def bulk_load():
    """For loaders that write much of the registry at once (demo_build): on PostgreSQL the triggers log nothing
    for this session meanwhile, and the summaries are recounted once at the end. On SQLite the log fills and the
    recount empties it."""
    paused = connection.vendor == "postgresql"
    if paused:
        with connection.cursor() as cursor:
            cursor.execute("SET linli.stats_paused = 'on'")
    try:
        yield
    finally:
        if paused:
            with connection.cursor() as cursor:
                cursor.execute("RESET linli.stats_paused")
    refresh_all()


def refresh_all() -> None:
    """Recount every summary from the registry: after bulk loads that are faster counted once than logged
    (demo_build), after a restore, nightly as a check, and by `manage.py stats_refresh`. All in the database: the
    registry grouped by grid (Django writes those queries for either database), joined to a table of the regions
    above each grid."""
    with transaction.atomic():
        _lock(wait=True)
        _recount()


def _recount() -> None:
    """Everything refresh_all does once it holds the log."""
    for model in (Change, BirthMonth, BirthDay, Tally, CaseChange, CaseDay):
        model.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE stats_above (grid_id BIGINT, region_id BIGINT, by_day BOOLEAN)")
        rows = [(grid, region, level <= BirthDay.LEVELS) for grid, ups in _above().items() for region, level in ups]
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(
                f"INSERT INTO stats_above VALUES {', '.join(['(%s, %s, %s)'] * len(chunk))}",
                [value for row in chunk for value in row],
            )
        persons = Person.objects.values(at=F("grid_id"), g=F("gender")).order_by()
        born = persons.annotate(y=ExtractYear("birth_date"), m=ExtractMonth("birth_date"))
        _insert(cursor, BirthMonth, BIRTH_KEY, "g, COALESCE(y, 0), COALESCE(m, 0)", "g, y, m",
                born.annotate(n=Count("id")))  # fmt: skip
        days = born.filter(birth_date__isnull=False).annotate(d=ExtractDay("birth_date"), n=Count("id"))
        _insert(cursor, BirthDay, DAY_KEY, "m, d, g, y", "m, d, g, y", days, by_day=True)
        for kind, qs, grid, code in (
            (Tally.Kind.RESIDENCE, Person.objects, "grid_id", "residence_type"),
            (Tally.Kind.TAG, PersonTag.objects, "person__grid_id", "tag_id"),
            (Tally.Kind.HOUSEHOLD, Household.objects, "house__grid_id", None),
            (Tally.Kind.HOUSE, House.objects, "grid_id", None),
        ):
            code = Cast(code, CharField()) if code else Value("")
            grouped = qs.values(at=F(grid), code=code).annotate(n=Count("id")).order_by()
            _insert(cursor, Tally, TALLY_KEY, f"'{kind.value}', code", "code", grouped, own=kind == Tally.Kind.TAG)
        _count_cases(cursor)
        cursor.execute("DROP TABLE stats_above")


def _insert(cursor, model, key, columns: str, group: str, grouped, *, by_day=False, own=False) -> None:
    """Add the rows of `grouped` (counts `n` per grid `at`) to the regions above each grid (`by_day`: those that
    keep BirthDay), or to the grid itself (`own`), as the `columns` of `key` after the region."""
    sql, params = grouped.query.sql_with_params()
    into = f"INSERT INTO {model._meta.db_table} ({', '.join(key)}, n)"
    if own:
        cursor.execute(f"{into} SELECT at, {columns}, n FROM ({sql}) g", params)
        return
    where = " WHERE a.by_day" if by_day else ""
    cursor.execute(
        f"{into} SELECT a.region_id, {columns}, SUM(n) FROM ({sql}) g JOIN stats_above a ON a.grid_id = g.at"
        f"{where} GROUP BY a.region_id, {group}",
        params,
    )


def _count_cases(cursor) -> None:
    """CaseDay from the cases and their dispatches, as the triggers of migrations/0006 would log them. The case
    models by their labels: stats sits below the case engine (docs/architecture.md) and only their tables are
    read here."""
    closed = Q(state="closed")
    zero = Value(0)
    per_case = {
        "cases": Count("id"),
        "dispatched": Count("id", filter=Q(dispatched_at__isnull=False)),
        "closed": Count("id", filter=closed),
        "on_time": Count("id", filter=closed & Q(on_time=True)),
        "reworked": Count("id", filter=closed & Q(rework_count__gt=0)),
        "returned": zero,
        "rated": Count("id", filter=closed & ~Q(rating="")),
        "satisfied": Count("id", filter=closed & Q(rating__in=("satisfied", "basic"))),
        "handling_seconds": Sum("handling_seconds", filter=closed, default=0),
        "deferred": Count("id", filter=Q(state="deferred")),
        **dict.fromkeys(("assigned", "answered", "responded"), zero),
        "visited": Count("id", filter=closed & Q(visit_result__in=("solved", "unsolved"))),
        "solved": Count("id", filter=closed & Q(visit_result="solved")),
        "unreachable": Count("id", filter=closed & Q(visit_result="unreachable")),
    }
    answered = Q(answered_at__isnull=False)
    per_dispatch = {
        **dict.fromkeys(CASE_COUNTS, zero),
        "returned": Count("id", filter=Q(returned_at__isnull=False)),
        "assigned": Count("id"),
        "answered": Count("id", filter=answered),
        "responded": Count(
            "id", filter=answered & (Q(response_due__isnull=True) | Q(answered_at__lte=F("response_due")))
        ),
    }
    cases = apps.get_model("cases", "Case").objects.exclude(state__in=("rejected", "merged"))
    dispatches = apps.get_model("cases", "Assignment").objects.all()
    tz = timezone.get_current_timezone()
    sums = ", ".join(f"SUM({name})" for name in CASE_COUNTS)
    into = f"INSERT INTO {CaseDay._meta.db_table} ({', '.join(CASE_DAY_KEY)}, {', '.join(CASE_COUNTS)})"
    for (kind, field), month in itertools.product(CASE_FIELDS.items(), (False, True)):
        # A dispatch counts under its own department, and under the street, community and day of its case.
        spans = [
            TruncMonth(name, DateField(), tzinfo=tz) if month else TruncDate(name, tzinfo=tz)
            for name in ("received_at", "case__received_at")
        ]
        own = "department_id" if kind == CaseDay.Kind.DEPARTMENT else f"case__{field}"
        grouped = (
            cases.values(at=F("region_id"), d=spans[0], k=Coalesce(field, 0))
            .annotate(**{name: per_case[name] for name in CASE_COUNTS})
            .order_by()
            .union(
                dispatches.values(at=F("case__region_id"), d=spans[1], k=Coalesce(own, 0))
                .annotate(**{name: per_dispatch[name] for name in CASE_COUNTS})
                .order_by(),
                all=True,
            )
        )
        sql, params = grouped.query.sql_with_params()
        cursor.execute(
            f"{into} SELECT a.region_id, '{kind.value}', {'TRUE' if month else 'FALSE'}, d, k, {sums} "
            f"FROM ({sql}) g JOIN stats_above a ON a.grid_id = g.at GROUP BY a.region_id, d, k",
            params,
        )


def _add_cases(rows) -> None:
    """Add logged case changes (CaseChange columns: region, received_at, sign, the groups, counts) to the day and
    the month of receipt of the case's node and every region above it, per department, street and community."""
    above, days = _above(), {}
    for region, received_at, sign, *values in rows:
        groups, counts = values[: len(CASE_GROUPS)], [sign * n for n in values[len(CASE_GROUPS) :]]
        day = timezone.localdate(received_at)
        for (up, _), (kind, key), (month, start) in itertools.product(
            above.get(region, ()), zip(CASE_GROUPS, groups, strict=True), ((False, day), (True, day.replace(day=1)))
        ):
            sums = days.setdefault((up, kind.value, month, start, key or 0), [0] * len(counts))
            sums[:] = [a + b for a, b in zip(sums, counts, strict=True)]
    _upsert(CaseDay, CASE_DAY_KEY, {k: tuple(v) for k, v in days.items()}, CASE_COUNTS)


def _above() -> dict[int, list[tuple[int, int]]]:
    """Each region's id → the ids and levels of the regions whose subtree holds it, itself included."""
    regions = {path: (pk, level) for pk, path, level in Region.objects.values_list("pk", "path", "level")}
    return {pk: [regions[p] for p in enclosing_paths(path) if p in regions] for path, (pk, _) in regions.items()}


def _add(births: Counter, tallies: Counter) -> None:
    """Add counts keyed by grid to that grid and every region above it; tags to the grid only. `births` is keyed
    by grid, sex and birth date (None: unknown)."""
    above = _above()
    months, days, counts = Counter(), Counter(), Counter()
    for (grid, gender, born), n in births.items():
        for region, level in above.get(grid, ()):
            months[region, gender, born.year if born else 0, born.month if born else 0] += n
            if born and level <= BirthDay.LEVELS:
                days[region, born.month, born.day, gender, born.year] += n
    for (grid, kind, code), n in tallies.items():
        for region in [grid] if kind == Tally.Kind.TAG else [pk for pk, _ in above.get(grid, ())]:
            counts[region, kind, code] += n
    _upsert(BirthMonth, BIRTH_KEY, months)
    _upsert(BirthDay, DAY_KEY, days)
    _upsert(Tally, TALLY_KEY, counts)


def _upsert(model, key: tuple[str, ...], counts: dict, values: tuple[str, ...] = ("n",)) -> None:
    """Add to the counts in place: INSERT … ON CONFLICT DO UPDATE, the same text on SQLite and PostgreSQL (Django's
    bulk_create can only overwrite a conflicting row, not add to it), in statements of at most CHUNK rows. Counts
    of several `values` come as tuples."""
    as_tuples = ((k, n if isinstance(n, tuple) else (n,)) for k, n in counts.items())
    rows = [(*k, *n) for k, n in as_tuples if any(n)]
    table, columns = model._meta.db_table, ", ".join(key)
    one = "(" + ", ".join(["%s"] * (len(key) + len(values))) + ")"
    chunk_rows = CHUNK * 6 // (len(key) + len(values))  # within the parameters of CHUNK rows of six
    add = ", ".join(f"{v} = {table}.{v} + excluded.{v}" for v in values)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk_rows):
            chunk = rows[start : start + chunk_rows]
            cursor.execute(
                f"INSERT INTO {table} ({columns}, {', '.join(values)}) VALUES {', '.join([one] * len(chunk))} "
                f"ON CONFLICT ({columns}) DO UPDATE SET {add}",
                [value for row in chunk for value in row],
            )
