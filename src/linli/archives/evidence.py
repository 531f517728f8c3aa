"""The targets an archive item may be attached to as evidence, and who may read or attach to each.

Each target is read through its own module's selectors, so the archive never decides who sees a campaign report or
an assessed unit:
- "campaigns.report": a progress report. Readers: whoever reads the report (campaigns.progress.selectors.report_get,
  the lead units and the plan's issuer among them). Attachers: the reporting unit's staff.
- "assessment.unit": an assessed unit, `part_id` the assessment item. Readers: whoever reads the unit's sheets
  (assessment.selectors.unit_get). Attachers: whoever scores the unit at its current stage while the round is open.
Out of reach and missing look the same (404).
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.assessment import selectors as assessment
from linli.campaigns.progress import selectors as progress
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed

from . import rules


@dataclass(frozen=True)
class Target:
    source: str
    source_id: int
    title: str  # what the page calls it: 《task》 2026年5月进度报送
    url: str  # the target's page
    parts: dict[int, str]  # part id → label (assessment items); {} when the target has no parts
    may_attach: bool


def _report(user, pk: int) -> Target:
    report = progress.report_get(user=user, pk=pk)
    tu = report.task_unit
    owns = progress.unit_of(user).owns(tu)
    title = _("《%(title)s》%(period)s进度报送（%(unit)s）") % {
        "title": tu.task.title,
        "period": format(report.period, "%Y年%m月"),
        "unit": tu.unit,
    }
    return Target(rules.CAMPAIGN_REPORT, pk, title, reverse("progress:report", args=[tu.pk]), {}, owns)


def _unit(user, pk: int) -> Target:
    unit = assessment.unit_get(user=user, pk=pk)
    items = assessment.items_of(unit.round.scheme)
    parts = {i.pk: f"{i.indicator.name}：{i.content[:30]}" for i in items}
    may = assessment.can_score(user, unit, unit.stage)
    title = f"{unit.round.name} · {unit.region.name}"
    return Target(rules.ASSESSMENT_UNIT, pk, title, reverse("assessment:sheet", args=[pk, unit.stage]), parts, may)


READERS = {rules.CAMPAIGN_REPORT: _report, rules.ASSESSMENT_UNIT: _unit}


def target(user, source: str, source_id: int) -> Target:
    """The target as the user may read it; Http404 when it is missing, out of reach or of an unknown kind."""
    reader = READERS.get(source)
    if reader is None:
        raise Http404(_("未找到该记录或无权访问"))
    return reader(user, source_id)


def target_to_attach(user, source: str, source_id: int, part_id: int) -> Target:
    """The target, when the user may attach evidence to it (403 otherwise) and `part_id` names one of its parts."""
    found = target(user, source, source_id)
    if not found.may_attach:
        raise PermissionDenied(_("您不能为此添加佐证材料"))
    if found.parts and part_id not in found.parts:
        raise ValidationFailed([FieldError("part_id", _("请选择佐证的测评内容"))])
    if not found.parts and part_id:
        raise ValidationFailed([FieldError("part_id", _("该对象不分测评内容"))])
    return found
