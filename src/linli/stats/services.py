"""Keeping the statistics' summaries current. The triggers of migrations/0002 log every registry change in its own
transaction; apply_changes folds that log into the summaries (before each read of them, and by the scheduler), and
refresh_all recounts everything from the registry (after bulk loads, and nightly as a check). docs/performance.md,
统计汇总."""

from collections import Counter

from django.db import OperationalError, connection, transaction
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from linli.accounts.scope import enclosing_paths
from linli.people.models import House, Household, Person, PersonTag
from linli.regions.models import Region

from .models import BirthMonth, Change, Refresh, Tally

BIRTH_KEY = ("region_id", "gender", "year", "month")
TALLY_KEY = ("region_id", "kind", "code")


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
            cursor.execute("LOCK TABLE stats_change IN EXCLUSIVE MODE")
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    except OperationalError:
        return False
    return True


def apply_changes(*, wait: bool = True) -> int:
    """Fold the logged registry changes into the summaries; the number of log rows folded."""
    if not Change.objects.exists():
        return 0
    with transaction.atomic():
        if not _lock(wait=wait):
            return 0
        rows = list(Change.objects.values_list("kind", "grid_id", "gender", "birth_date", "code", "sign"))
        Change.objects.all().delete()
        births, tallies = Counter(), Counter()
        for kind, grid, gender, born, code, sign in rows:
            if kind == "person":
                births[grid, gender, born.year if born else 0, born.month if born else 0] += sign
                tallies[grid, Tally.Kind.RESIDENCE, code] += sign
            else:
                tallies[grid, kind, code] += sign
        _add(births, tallies)
    return len(rows)


def refresh_all() -> None:
    """Recount every summary from the registry: after bulk loads that bypass nothing but are faster counted once
    (demo_build), after a restore, nightly as a check, and by `manage.py stats_refresh`."""
    with transaction.atomic():
        _lock(wait=True)
        for model in (Change, BirthMonth, Tally):
            model.objects.all().delete()
        born = {"year": ExtractYear("birth_date"), "month": ExtractMonth("birth_date")}
        births = Counter(
            {
                (r["grid_id"], r["gender"], r["year"] or 0, r["month"] or 0): r["n"]
                for r in Person.objects.values("grid_id", "gender", **born).annotate(n=Count("id")).order_by()
            }
        )
        tallies = Counter()
        for kind, qs, grid, code in (
            (Tally.Kind.RESIDENCE, Person.objects, "grid_id", "residence_type"),
            (Tally.Kind.TAG, PersonTag.objects, "person__grid_id", "tag_id"),
            (Tally.Kind.HOUSEHOLD, Household.objects, "house__grid_id", None),
            (Tally.Kind.HOUSE, House.objects, "grid_id", None),
        ):
            fields = (grid, code) if code else (grid,)
            for row in qs.values_list(*fields).annotate(n=Count("id")).order_by():
                tallies[row[0], kind, str(row[1]) if code else ""] += row[-1]
        _add(births, tallies)
        Refresh.objects.update_or_create(pk=1, defaults={"at": timezone.now()})


def _add(births: Counter, tallies: Counter) -> None:
    """Add counts keyed by grid to that grid and every region above it; tags to the grid only."""
    paths = dict(Region.objects.values_list("path", "pk"))
    above = {pk: [paths[p] for p in enclosing_paths(path) if p in paths] for path, pk in paths.items()}
    months, counts = Counter(), Counter()
    for (grid, *key), n in births.items():
        for region in above.get(grid, ()):
            months[region, *key] += n
    for (grid, kind, code), n in tallies.items():
        for region in [grid] if kind == Tally.Kind.TAG else above.get(grid, ()):
            counts[region, kind, code] += n
    _upsert(BirthMonth, BIRTH_KEY, months)
    _upsert(Tally, TALLY_KEY, counts)


def _upsert(model, key: tuple[str, ...], counts: Counter) -> None:
    """Add to the counts in place: INSERT … ON CONFLICT DO UPDATE, the same text on SQLite and PostgreSQL (Django's
    bulk_create can only overwrite a conflicting row, not add to it)."""
    rows = [(*k, n) for k, n in counts.items() if n]
    if not rows:
        return
    table, columns = model._meta.db_table, ", ".join(key)
    values = ", ".join(["%s"] * (len(key) + 1))
    sql = (f"INSERT INTO {table} ({columns}, n) VALUES ({values}) "
           f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
