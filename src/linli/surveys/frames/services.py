"""Freezing a survey's frame from the registry, and the recorded draws (long form, re-check).

The census frame is read from the registry's history as it stood at the standard moment: a household created
after the moment is out, one moved since is where it lived then, one deleted since is in (its key and persons from
the history), and each household's persons are those whose latest history row up to the moment puts them in it.
At half a million households this is one INSERT … SELECT in the database, not a loop in Python.
"""

import secrets

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.core import text
from linli.core.errors import DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.organizations.models import Organization
from linli.people.models import Building, Estate, House, Household, Person, Unit

from .. import rules as survey_rules
from ..areas.selectors import building_areas
from ..models import Area, Draw, DrawPick, Frame, FrameUnit, Response, Survey
from ..selectors import can_run, survey_get
from . import rules, selectors

ENTERPRISE = Organization.Kind.ENTERPRISE
SEED_MAX = 64  # Draw.seed's length


def _runnable(user, survey_id: int) -> Survey:
    survey = survey_get(user, survey_id)
    if not can_run(user, survey):
        raise PermissionDenied(_("只有组织本次调查的区、街道工作人员可以操作调查名录和随机抽取"))
    return Survey.objects.select_for_update().select_related("plan__region").get(pk=survey.pk)


def _sql_ids(qs) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


# building_areas' answer, loaded into a temporary table keyed by building: the frame's SELECT joins it by index
# (an inline VALUES list has none, and SQLite then scans it once per household). Dropped with the transaction's
# rollback, or after the insert.
BUILDING_AREAS = "surveys_frame_building_areas"


def _load_building_areas(cursor, survey: Survey) -> None:
    cursor.execute(f"CREATE TEMPORARY TABLE {BUILDING_AREAS} (building_id bigint PRIMARY KEY, area_id bigint NOT NULL)")
    cursor.executemany(f"INSERT INTO {BUILDING_AREAS} (building_id, area_id) VALUES (%s, %s)",
                       list(building_areas(survey).items()))  # fmt: skip


def _natural(column: str) -> str:
    # Numbers as people count them (2 before 10) for the usual all-digit numbers; others still in a fixed order.
    return f"LENGTH({column}), {column}"


def census_frame_sql(survey: Survey, frame_id: int) -> tuple[str, tuple]:
    """The SELECT of a census frame's rows (INSERT_COLUMNS), in frame order."""
    hh, hp = Household.history.model._meta.db_table, Person.history.model._meta.db_table
    region_sql, region_params = _sql_ids(scope.subtree(survey.plan.region.path).values("pk"))
    moment = connection.ops.adapt_datetimefield_value(survey.standard_moment)
    label = "b.number || '-' || u.number || '-' || ho.number || ' ' || h.number"
    sql = f"""
WITH h AS (
    SELECT id, number, house_id, grid_id, history_type,
           ROW_NUMBER() OVER (PARTITION BY id ORDER BY history_date DESC, history_id DESC) AS latest
    FROM {hh} WHERE history_date <= %s
), p AS (
    SELECT household_id, history_type,
           ROW_NUMBER() OVER (PARTITION BY id ORDER BY history_date DESC, history_id DESC) AS latest
    FROM {hp} WHERE history_date <= %s
), counts AS (
    SELECT household_id, COUNT(*) AS persons FROM p
    WHERE latest = 1 AND history_type <> '-' AND household_id IS NOT NULL GROUP BY household_id
)
SELECT %s, ROW_NUMBER() OVER (ORDER BY a.code IS NULL, a.code, e.name, e.id, {_natural("b.number")}, b.id,
           {_natural("u.number")}, {_natural("ho.number")}, h.number),
       CASE WHEN cur.id IS NULL THEN NULL ELSE h.id END, h.number, b.id, a.id, COALESCE(c.persons, 0), {label}
FROM h
JOIN {House._meta.db_table} ho ON ho.id = h.house_id
JOIN {Unit._meta.db_table} u ON u.id = ho.unit_id
JOIN {Building._meta.db_table} b ON b.id = u.building_id
JOIN {Estate._meta.db_table} e ON e.id = b.estate_id
LEFT JOIN {Household._meta.db_table} cur ON cur.id = h.id
LEFT JOIN counts c ON c.household_id = h.id
LEFT JOIN {BUILDING_AREAS} ba ON ba.building_id = b.id
LEFT JOIN {Area._meta.db_table} a ON a.id = ba.area_id
WHERE h.latest = 1 AND h.history_type <> '-' AND h.grid_id IN ({region_sql})
"""
    return sql, (moment, moment, frame_id, *region_params)


INSERT_COLUMNS = 'frame_id, position, household_id, "key", building_id, area_id, persons, label'


def _insert_census(frame: Frame) -> None:
    select, params = census_frame_sql(frame.survey, frame.pk)
    defaults = {"form_role": survey_rules.SHORT, "state": survey_rules.NOT_VISITED, "state_note": "", "version": 1}
    columns = INSERT_COLUMNS + ", " + ", ".join(defaults)
    values = ", ".join(["%s"] * len(defaults))
    # The WITH clause goes first on both databases: INSERT … SELECT wraps it as a subquery.
    sql = f"INSERT INTO {FrameUnit._meta.db_table} ({columns}) SELECT *, {values} FROM ({select}) rows"
    with connection.cursor() as cursor:
        _load_building_areas(cursor, frame.survey)
        cursor.execute(sql, (*defaults.values(), *params))
        cursor.execute(f"DROP TABLE {BUILDING_AREAS}")


def _insert_units(frame: Frame) -> None:
    survey = frame.survey
    orgs = scope.within(Organization.objects.filter(kind=ENTERPRISE), survey.plan.region.path, "region").filter(
        registered_on__lt=survey.registered_before
    )
    if survey.hazard_only:
        orgs = orgs.filter(occupational_hazard=True)
    # Organisations without a credit code sort after those with one, by id.
    orgs = sorted(orgs.only("pk", "name", "credit_code"), key=lambda o: (o.credit_code == "", o.credit_code, o.pk))
    FrameUnit.objects.bulk_create(
        [
            FrameUnit(
                frame=frame,
                position=i,
                organization=o,
                key=o.credit_code or f"org-{o.pk}",
                label=o.name,
                form_role=survey_rules.UNIT,
            )
            for i, o in enumerate(orgs, start=1)
        ],
        batch_size=2000,
    )


def frame_keys(frame: Frame) -> list[str]:
    return list(FrameUnit.objects.filter(frame=frame).order_by("position").values_list("key", flat=True))


@transaction.atomic
def frame_freeze(*, user, survey_id: int) -> Frame:
    """Freeze the survey's frame from the registry: once, while the survey is in preparation."""
    survey = _runnable(user, survey_id)
    if survey.state != survey_rules.DRAFT:
        raise DomainError(_("调查已开始，名录不能再冻结"))
    if Frame.objects.filter(survey=survey).exists():
        raise DomainError(_("本次调查的名录已经冻结"))
    census = survey.kind == survey_rules.CENSUS
    frame = Frame.objects.create(
        survey=survey, moment=survey.standard_moment if census else timezone.now(), digest="", frozen_by=user
    )
    (_insert_census if census else _insert_units)(frame)
    counts = FrameUnit.objects.filter(frame=frame).aggregate(units=Count("pk"), persons=Sum("persons"))
    frame.units, frame.persons = counts["units"], counts["persons"] or 0
    frame.digest = rules.digest(frame_keys(frame))
    frame.save(update_fields=["units", "persons", "digest"])
    return frame


def _seed(seed: str | None) -> str:
    """The published seed: given (e.g. a lottery draw's numbers) or, when none is, 16 random hex digits."""
    seed = (seed or "").strip()
    if not seed:
        return secrets.token_hex(8)
    # A seed is retyped by whoever checks the draw: one line of visible characters.
    problem = text.check(seed, text.Kind.NAME)
    if problem:
        raise ValidationFailed([FieldError("seed", _("随机种子%(message)s") % {"message": problem.message})])
    if len(seed) > SEED_MAX:
        raise ValidationFailed([FieldError("seed", _("随机种子不能超过%(SEED_MAX)s个字符") % {"SEED_MAX": SEED_MAX})])
    return seed


def _record(survey, user, purpose, seed, percent, units, strata=None, at=None) -> Draw:
    keys = [u.key for u in units]
    picked = rules.draw(keys, percent, seed, strata)
    draw = Draw.objects.create(
        survey=survey, purpose=purpose, seed=seed, percent=percent, population=len(keys),
        population_digest=rules.digest(keys), drawn=len(picked),
        strata=rules.strata_table(strata, picked) if strata is not None else {},
        method=rules.METHOD_STRATIFIED if strata is not None else rules.METHOD_SIMPLE, drawn_by=user,
    )  # fmt: skip
    DrawPick.objects.bulk_create([DrawPick(draw=draw, unit_id=units[i].pk) for i in picked], batch_size=5000)
    if at is not None:
        # The time the population was read at, not a moment later: verification reads it again as of then.
        Draw.objects.filter(pk=draw.pk).update(drawn_at=at)
        draw.drawn_at = at
    return draw


def _not_drawn(survey: Survey, purpose: str) -> None:
    if Draw.objects.filter(survey=survey, purpose=purpose).exists():
        raise DomainError(
            _("本次调查已进行过%(DRAW_PURPOSES)s，不能重抽") % {"DRAW_PURPOSES": survey_rules.DRAW_PURPOSES[purpose]}
        )


@transaction.atomic
def long_form_draw(*, user, survey_id: int, seed: str | None = None) -> Draw:
    """Draw the census households that fill in the long form, stratified by 普查小区; before any entry."""
    survey = _runnable(user, survey_id)
    if survey.kind != survey_rules.CENSUS:
        raise DomainError(_("只有人口普查抽取长表户"))
    frame = selectors.frame_of(survey)
    if frame is None:
        raise DomainError(_("请先冻结调查名录"))
    _not_drawn(survey, survey_rules.DRAW_LONG_FORM)
    if Response.objects.filter(unit__frame=frame).exists():
        raise DomainError(_("已有住户登记了普查表，不能再抽取长表户"))
    units, strata = selectors.long_form_population(frame)
    draw = _record(survey, user, survey_rules.DRAW_LONG_FORM, _seed(seed), survey.long_form_percent, units, strata)
    FrameUnit.objects.filter(pk__in=draw.picks.values("unit_id")).update(form_role=survey_rules.LONG)
    return draw


@transaction.atomic
def recheck_draw(*, user, survey_id: int, seed: str | None = None) -> Draw:
    """Draw the returned forms re-checked on site (质量控制): units whose main form had been received."""
    survey = _runnable(user, survey_id)
    _not_drawn(survey, survey_rules.DRAW_RECHECK)
    # The population is what had been received before the draw's time, so that it can be read again to verify.
    now = timezone.now()
    units = selectors.recheck_population(survey, now)
    if not units:
        raise DomainError(_("还没有收回的调查表，无法抽取复核样本"))
    return _record(survey, user, survey_rules.DRAW_RECHECK, _seed(seed), survey.recheck_percent, units, at=now)
