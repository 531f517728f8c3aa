"""Reads of 覆盖核查: what a census's returned forms and the registry at its standard moment say, for the rules, and
the findings a survey's runner reviews."""

from collections import defaultdict

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.core.errors import PermissionDenied
from linli.people.models import Person
from linli.people.rules import ID_TYPE_LABELS

from .. import rules as survey_rules
from .. import selectors as survey_selectors
from ..models import Finding, FormVersion, FrameUnit, Response, Survey
from . import rules

# Where the census forms keep their persons: the P table of the short and long forms (R1 姓名, R2 与户主关系, R3 性别,
# R4 出生日期, R5 民族, R6 户口登记地) and the D table of the death form (D1 姓名, D2 性别, D3 出生日期).
PERSON_TABLE = "P"
PERSON_CELLS = {"name": "R1", "relation": "R2", "sex": "R3", "birth": "R4", "ethnicity": "R5", "hukou": "R6"}
DEATH_TABLE = "D"
DEATH_CELLS = {"name": "D1", "sex": "D2", "birth": "D3"}
ID_TYPES = list(ID_TYPE_LABELS.items())
SEX_LABELS = dict(Person.Gender.choices)
RESIDENCE_LABELS = dict(Person.ResidenceType.choices)


def runnable_survey(user, survey_id: int) -> Survey:
    """The survey, when the user runs it (404 out of scope, 403 seen but not run)."""
    survey = survey_selectors.survey_get(user, survey_id)
    if not survey_selectors.can_run(user, survey):
        raise PermissionDenied(_("只有调查项目的组织单位可以进行覆盖核查"))
    return survey


def _labels(definition: dict, key: str) -> dict[str, str]:
    """Option value → label of a column of the person table (民族 is kept by its name in the registry)."""
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            for column in question.get("columns", []) if question.get("key") == PERSON_TABLE else []:
                if column.get("key") == key:
                    return {str(o["value"]): o["label"] for o in column.get("options", [])}
    return {}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _rows(response: Response, table: str, cells: dict[str, str], ethnic: dict[str, str]) -> list[rules.Row]:
    rows = []
    for number, cell in enumerate(response.answers.get(table) or [], start=1):
        if not isinstance(cell, dict):
            continue
        value = {name: _text(cell.get(key)) for name, key in cells.items()}
        extra = {"ethnicity": ethnic.get(value["ethnicity"], value["ethnicity"])} if value.get("ethnicity") else {}
        rows.append(
            rules.Row(
                unit=response.unit_id,
                role=response.role,
                number=number,
                name=value["name"],
                sex=rules.SEXES.get(value["sex"], ""),
                birth=value["birth"],
                hukou=value.get("hukou", ""),
                relation=value.get("relation", ""),
                extra=extra,
            )
        )
    return rows


def _birth(day) -> str:
    return day.isoformat() if day else ""


def census_households(survey: Survey) -> tuple[list[rules.Household], list[rules.Registered]]:
    """The frame's households that returned a form, each with its rows, its death rows and its registry persons
    as of the standard moment; and the registry persons of the survey's region outside those households who bear
    the name of an enumerated row (where a row not found at home may be registered)."""
    returned = Response.objects.filter(unit__frame__survey=survey).only("unit_id", "role", "form_version_id", "answers")
    main = returned.filter(role__in=[survey_rules.SHORT, survey_rules.LONG]).order_by("unit__position")
    # Each version's definition is read once, not with every response.
    ethnic = {
        pk: _labels(definition, PERSON_CELLS["ethnicity"])
        for pk, definition in FormVersion.objects.filter(pk__in=main.values("form_version_id")).values_list(
            "pk", "definition"
        )
    }
    rows: dict[int, list[rules.Row]] = defaultdict(list)
    for response in main:
        rows[response.unit_id] += _rows(response, PERSON_TABLE, PERSON_CELLS, ethnic[response.form_version_id])
    deaths: dict[int, list[rules.Row]] = defaultdict(list)
    for response in returned.filter(role=survey_rules.DEATH):
        deaths[response.unit_id] += _rows(response, DEATH_TABLE, DEATH_CELLS, {})
    # Lookups go by subquery, never by a list of ids: a street's thousands of households would make the query
    # slow to build and pass SQLite's limit on parameters.
    frame_units = FrameUnit.objects.filter(frame__survey=survey, household__isnull=False)
    # A household found empty (空户) and without a form is compared as one that returned a form without persons.
    units: dict[int, int] = {}  # household → frame unit
    empty: set[int] = set()
    for unit, household, state in frame_units.values_list("pk", "household_id", "state"):
        if unit in rows or state == survey_rules.EMPTY:
            units[household] = unit
            if unit not in rows:
                empty.add(unit)
    moment = survey.standard_moment
    persons: dict[int, list[rules.Registered]] = defaultdict(list)
    for p in _as_of(moment).filter(household_id__in=frame_units.values("household_id")):
        unit = units.get(p["household_id"])
        if unit is not None:
            persons[unit].append(_registered(p, unit))
    households = [
        rules.Household(unit, tuple(rows[unit]), tuple(deaths[unit]), tuple(persons[unit]), unit in empty)
        for unit in units.values()
    ]
    names = {rules.normal_name(r.name) for unit_rows in rows.values() for r in unit_rows}
    responding = frame_units.filter(Q(pk__in=main.values("unit_id")) | Q(state=survey_rules.EMPTY)).values(
        "household_id"
    )
    outside = (
        _as_of(moment).filter(scope.region_q(survey.plan.region.path, "grid")).exclude(household_id__in=responding)
    )
    return households, [_registered(p, None) for p in outside.iterator(chunk_size=2000)
                        if rules.normal_name(p["name"]) in names]  # fmt: skip


def _as_of(moment) -> QuerySet:
    """Registry persons as the registry's history holds them at `moment`."""
    fields = ("id", "household_id", "name", "gender", "birth_date", "residence_type")
    return Person.history.as_of(moment).values(*fields).order_by("id")


def _registered(p: dict, unit: int | None) -> rules.Registered:
    return rules.Registered(p["id"], unit, p["name"], p["gender"], _birth(p["birth_date"]), p["residence_type"])


def finding_list(survey: Survey, *, kind: str | None = None, state: str | None = None) -> QuerySet:
    qs = Finding.objects.filter(survey=survey).select_related("unit", "person", "reviewed_by")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs


def finding_counts(survey: Survey) -> dict[str, dict[str, int]]:
    """{kind: {state: n, "total": n}} with every kind and state present, in the page's order."""
    tally = {kind: dict.fromkeys([*rules.STATES, "total"], 0) for kind in rules.KINDS}
    grouped = Finding.objects.filter(survey=survey).order_by().values_list("kind", "state").annotate(n=Count("id"))
    for kind, state, n in grouped:
        tally[kind][state] += n
        tally[kind]["total"] += n
    return tally


def finding_get(survey: Survey, pk: int) -> Finding:
    return scope.get_or_404(finding_list(survey), pk=pk)


def computed_at(survey: Survey):
    """When the lists were last computed (None: never)."""
    return Finding.objects.filter(survey=survey).aggregate(at=Max("found_at"))["at"]


def shown(findings) -> list[dict]:
    """The findings of a page with what a reviewer reads: the row as enumerated and the registry person in words,
    and the correction applying makes."""
    rows = []
    for f in findings:
        data, change, person = f.data, f.change, f.person
        correction = rules.ACTIONS.get(change.get("action"), "")
        if change.get("residence_type"):
            correction += _("（人口类型：%(get)s）") % {"get": RESIDENCE_LABELS.get(change["residence_type"], "")}
        rows.append({
            "finding": f, "correction": correction,
            "enumerated": data and {"name": data.get("name"), "sex": SEX_LABELS.get(data.get("sex"), ""),
                                    "birth": data.get("birth"), "hukou": rules.HUKOU_LABELS.get(data.get("hukou"), ""),
                                    "form": survey_rules.FORM_ROLES.get(data.get("role"), ""), "row": data.get("row")},
            "registered": person and {"name": person.name, "sex": person.get_gender_display(),
                                      "birth": person.birth_date, "residence": person.get_residence_type_display()},
            "needs_id": change.get("action") == rules.ADD,
        })  # fmt: skip
    return rows
