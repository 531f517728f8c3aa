"""Writes of 覆盖核查: computing a census's clean-up lists, and turning a finding into a registry correction (through
the people services, which check the registry's own rules and scope) or dismissing it with a reason."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from linli.core.errors import Conflict, DomainError, FieldError, PermissionDenied, ValidationFailed
from linli.people import services as people
from linli.people.selectors import can_edit_registry

from .. import rules as survey_rules
from ..models import Finding, Survey
from . import rules, selectors

NOTE_MAX = 200
# What a recomputation refreshes of a pending finding; its decision fields stay.
FOUND_FIELDS = ["kind", "unit", "person", "reason", "data", "change"]
BATCH = 500


def _census(user, survey_id: int) -> Survey:
    survey = selectors.runnable_survey(user, survey_id)
    if survey.kind != survey_rules.CENSUS:
        raise DomainError(gettext("覆盖核查只适用于人口普查"))
    return survey


@transaction.atomic
def findings_compute(*, user, survey_id: int) -> dict[str, dict[str, int]]:
    """Compare the returned forms with the registry at the standard moment and store the lists. Rerunnable: a
    finding found again keeps its decision; a pending one no longer found goes; applied and dismissed ones stay as
    the record of what was done."""
    survey = _census(user, survey_id)
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # one computation of a survey at a time
    if not hasattr(survey, "frame"):
        raise DomainError(gettext("普查尚未开始（调查名录未冻结），还没有可核查的普查表"))
    households, outside = selectors.census_households(survey)
    found = {f.key: f for f in rules.findings(households, outside)}
    now = timezone.now()
    existing = {f.key: f for f in Finding.objects.filter(survey=survey)}
    gone = [f.pk for key, f in existing.items() if f.state == rules.PENDING and key not in found]
    fresh, changed = [], []
    for key, f in found.items():
        values = {"kind": f.kind, "unit_id": f.unit, "person_id": f.person, "reason": f.reason[:200],
                  "data": f.row.shown() if f.row else {}, "change": f.change}  # fmt: skip
        finding = existing.get(key)
        if finding is None:
            fresh.append(Finding(survey=survey, key=key, found_at=now, **values))
        elif finding.state == rules.PENDING and any(getattr(finding, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(finding, name, value)
            finding.version += 1  # what the reviewer saw has changed: a decision on the old entry answers 409
            changed.append(finding)
    for chunk in range(0, len(gone), BATCH):
        Finding.objects.filter(pk__in=gone[chunk : chunk + BATCH]).delete()
    Finding.objects.bulk_create(fresh, batch_size=BATCH)
    Finding.objects.bulk_update(changed, [*FOUND_FIELDS, "version"], batch_size=BATCH)
    Finding.objects.filter(survey=survey, state=rules.PENDING).update(found_at=now)
    return selectors.finding_counts(survey)


def _locked(user, survey_id: int, finding_id: int, version: int) -> tuple[Survey, Finding]:
    survey = _census(user, survey_id)
    finding = Finding.objects.select_for_update().get(pk=selectors.finding_get(survey, finding_id).pk)
    if finding.version != version:
        raise Conflict()
    if finding.state != rules.PENDING:
        raise DomainError(gettext("该核查结果已%(STATES)s，不能再处理") % {"STATES": rules.STATES[finding.state]})
    return survey, finding


def _decided(user, finding: Finding, state: str, note: str) -> Finding:
    finding.state, finding.note = state, note[:NOTE_MAX]
    finding.reviewed_by, finding.reviewed_at = user, timezone.now()
    finding.version += 1
    finding.save()
    return finding


@transaction.atomic
def finding_apply(
    *, user, survey_id: int, finding_id: int, version: int, id_type: str = "", id_number: str = ""
) -> Finding:
    """Turn a finding into its registry correction (rules.ACTIONS) through people.services. Registering an
    enumerated person needs its ID number, which the census form does not hold: the reviewer types it from the
    person's document; it goes to the registry (encrypted there) and nowhere else."""
    survey, finding = _locked(user, survey_id, finding_id, version)
    if not can_edit_registry(user):
        raise PermissionDenied(gettext("您的角色不能更正人口信息"))
    action = finding.change.get("action")
    if action == rules.ADD:
        person = people.person_create(user=user, data=_new_person(finding, id_type, id_number))
        finding.person = person
    else:
        if finding.person_id is None:
            raise DomainError(gettext("户籍中已无此人，请重新核查"))
        people.person_update(
            user=user, pk=finding.person_id, version=finding.person.version, data=_correction(finding, action)
        )
    return _decided(user, finding, rules.APPLIED, rules.ACTIONS[action])


def _correction(finding: Finding, action: str) -> dict[str, Any]:
    person, change = finding.person, finding.change
    if action == rules.SET_RESIDENCE:
        return {"residence_type": change["residence_type"]}
    if action == rules.MOVE_IN:
        relation = rules.RELATIONSHIPS.get(finding.data.get("relation", ""), "")
        return {
            "household_id": finding.unit.household_id,
            "residence_type": change["residence_type"],
            "relationship": relation,
        }
    if action == rules.MOVE_OUT:
        return {"household_id": None, "grid_id": person.grid_id, "relationship": ""}
    if action == rules.NOTE:
        note = change["note"] if not person.note else f"{person.note}；{change['note']}"
        return {"note": note[:NOTE_MAX]}
    raise DomainError(gettext("无法识别的更正方式，请重新核查"))


def _new_person(finding: Finding, id_type: str, id_number: str) -> dict[str, Any]:
    if not (id_number or "").strip():
        message = gettext("登记为本户成员须填写证件号码（普查表不含证件号码，请核对本人证件）")
        raise ValidationFailed([FieldError("id_number", message)])
    row = finding.data
    data = {
        "name": row.get("name", ""),
        "gender": row.get("sex", ""),
        "id_number": id_number,
        "id_type": id_type or "",
        "household_id": finding.unit.household_id,
        "relationship": rules.RELATIONSHIPS.get(row.get("relation", ""), ""),
        "residence_type": finding.change.get("residence_type", ""),
        "ethnicity": row.get("ethnicity", ""),
    }
    birth = rules.birth_parts(row.get("birth"))
    if birth and birth[2]:  # a birth month alone is left to the ID number
        data["birth_date"] = f"{birth[0]:04d}-{birth[1]:02d}-{birth[2]:02d}"
    return data


@transaction.atomic
def finding_dismiss(*, user, survey_id: int, finding_id: int, version: int, reason: str) -> Finding:
    """核销: the finding needs no correction (e.g. the enumeration missed the person); the reason is kept."""
    _, finding = _locked(user, survey_id, finding_id, version)
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= NOTE_MAX:
        raise ValidationFailed(
            [
                FieldError(
                    "reason", gettext("核销理由：请填写2至%(NOTE_MAX)s个字，说明为何无需更正") % {"NOTE_MAX": NOTE_MAX}
                )
            ]
        )
    return _decided(user, finding, rules.DISMISSED, reason)
