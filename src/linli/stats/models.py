"""Summaries behind the statistics page: counts per region node kept current from a change log that database
triggers write in the same transaction as every registry change, whatever wrote it (a service, an import, the
admin, a queryset update). docs/performance.md, 统计汇总."""

from django.db import models

from linli.regions.models import Region


class Change(models.Model):
    """One row per registry row entering (+1) or leaving (-1) a count, written by the triggers of
    migrations/0002_triggers; services.apply_changes folds them into the summaries and deletes them."""

    kind = models.CharField(max_length=10)  # Tally.Kind, or "person" for BirthMonth and the residence tally
    grid_id = models.BigIntegerField(null=True)  # no foreign key: the log is written by triggers, read in bulk
    gender = models.CharField(max_length=1, blank=True)
    birth_date = models.DateField(null=True)
    code = models.CharField(max_length=30, blank=True)
    sign = models.SmallIntegerField()


class BirthMonth(models.Model):
    """Persons of a region's subtree by sex, birth year and month (year 0: birth date unknown). Exact ages on any
    day need the day only for the current month: BirthDay, or the registry for small regions."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_index=False)
    gender = models.CharField(max_length=1)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "gender", "year", "month"], name="birth_month_key")]
        # The pyramid sums a region's rows by year and sex: with every column it reads in the index, PostgreSQL
        # answers from the index alone, in the groups' order (a district's 2,400 rows were 235 pages of the table
        # apart). It also serves the region's foreign key. Other databases build it without INCLUDE.
        indexes = [models.Index(fields=["region", "year", "gender"], include=["month", "n"], name="birth_month_sum")]


class BirthDay(models.Model):
    """Persons of a district's or a street's subtree by sex and birth date, for the days of the current month in the
    pyramid (selectors.population_pyramid). Smaller regions read those few days from the registry instead: kept
    for every grid this table would hold a row per person."""

    LEVELS = Region.Level.STREET  # regions at this level or above

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    gender = models.CharField(max_length=1)
    year = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "month", "day", "gender", "year"], name="birth_day_key")
        ]
        # The pyramid reads this month's days up to today of the few birth years whose age band changes today: the
        # index reads those years' days alone and answers from itself on PostgreSQL (the key's order read the
        # month's every year, 1,551 rows on 975 pages of the table for 310 rows wanted, at the demo district).
        indexes = [
            models.Index(fields=["region", "month", "year", "day"], include=["gender", "n"], name="birth_day_sum")
        ]


class Tally(models.Model):
    """Counts of a region's subtree: persons by residence type, households, houses; and tagged persons by tag,
    for the grid itself only (the statistics page shows them per grid, nested grids apart)."""

    class Kind(models.TextChoices):
        RESIDENCE = "residence"
        HOUSEHOLD = "household"
        HOUSE = "house"
        TAG = "tag"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=30, blank=True)  # the residence type or the tag's id
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "kind", "code"], name="tally_key")]


# What the case indicators count per case, and per dispatch (assigned, returned, answered, responded: cases'
# Assignment rows): cases.rules.Counts but what depends on the time of reading, which cases.selectors.indicators
# counts live: the open cases past their deadline (`due`) and the dispatches still unsigned past their response
# deadline (`response_due` is `answered` and those). In the order of the columns below.
CASE_COUNTS = ("cases", "dispatched", "closed", "on_time", "reworked", "returned", "rated", "satisfied",
               "handling_seconds", "deferred", "assigned", "answered", "responded", "visited", "solved",
               "unreachable")  # fmt: skip


class CaseCounts(models.Model):
    cases = models.IntegerField(default=0)  # neither rejected nor merged (cases.rules.NOT_COUNTED)
    dispatched = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    handling_seconds = models.BigIntegerField(default=0)
    deferred = models.IntegerField(default=0)
    assigned = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    visited = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    unreachable = models.IntegerField(default=0)

    class Meta:
        abstract = True


class CaseChange(CaseCounts):
    """One row per counted case entering (+1) or leaving (-1) the indicators, written by the triggers of
    migrations/0005_case_triggers with what the case counts for; folded with Change by services.apply_changes."""

    region_id = models.BigIntegerField()  # the case's own node; no foreign keys, as in Change
    street_id = models.BigIntegerField(null=True)
    community_id = models.BigIntegerField(null=True)
    department_id = models.BigIntegerField(null=True)
    received_at = models.DateTimeField()
    sign = models.SmallIntegerField()


class CaseDay(CaseCounts):
    """The counted cases of a region's subtree received on one local day, or in the whole month starting on `day`
    (`month`), per department, street or community (`key` 0: none), for the indicators (cases.selectors.indicators).
    A period reads its whole months from month rows and the days before and after them from day rows: at most about
    62 rows per group for any period."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department"
        STREET = "street"
        COMMUNITY = "community"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    month = models.BooleanField(default=False)
    day = models.DateField()
    key = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "kind", "month", "day", "key"], name="case_day_key")]
