"""Writes of progress reporting: a unit reports on a task for a period (report_submit), corrects it until its due
time (report_update); plan editors send 督办 and 通报 (notice_issue); a reader marks a notice read (notice_read).

Every write is all or nothing, in one transaction: out of scope → Http404, not the user's unit or not a plan
editor → PermissionDenied (403), bad input → ValidationFailed (400) naming the field, stale version → Conflict (409).
"""

from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.scope import get_or_404
from linli.core import uploads
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.notifications.services import notify, subject_read

from ..models import Notice, NoticeRead, Plan, ProgressReport, TaskUnit
from ..plans import rules as plan_rules
from ..plans import selectors as plan_selectors
from . import rules, selectors

TEXT_MAX = 2000
NOTE_MAX = 500
KIND_LABELS = dict(rules.NOTICE_LABELS)


# ---------------------------------------------------------------- input checks


def _attachment(f: UploadedFile | None) -> UploadedFile | None:
    """佐证材料: one file of the kinds core.uploads.EVIDENCE takes, checked by its content."""
    return None if f is None else uploads.check(f, uploads.EVIDENCE, field="attachment", label=_("佐证材料")).file


def _text(value, field: str, label: str, errors: list, *, required: bool) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors.append(FieldError(field, _("%(label)s应为文本") % {"label": label}))
        return ""
    if required and not text:
        errors.append(FieldError(field, _("请填写%(label)s") % {"label": label}))
    elif len(text) > TEXT_MAX:
        errors.append(
            FieldError(field, _("%(label)s不能超过%(TEXT_MAX)s个字") % {"label": label, "TEXT_MAX": TEXT_MAX})
        )
    return text


def _progress(value, errors: list) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        errors.append(FieldError("progress", _("完成进度应为0至100之间的整数")))
        return None
    return value


def _neighbours(task_unit: TaskUnit, period: date) -> tuple[ProgressReport | None, ProgressReport | None]:
    """The unit's reports just before and just after `period`."""
    qs = ProgressReport.objects.filter(task_unit=task_unit).only("period", "progress")
    return (
        qs.filter(period__lt=period).order_by("-period").first(),
        qs.filter(period__gt=period).order_by("period").first(),
    )


def _check_order(task_unit: TaskUnit, period: date, progress: int | None, problems: str, errors: list) -> None:
    """Cumulative progress keeps between the unit's other periods unless 存在问题 says why (rules.needs_reason)."""
    if progress is None:
        return
    earlier, later = _neighbours(task_unit, period)
    before, after = (r.progress if r else None for r in (earlier, later))
    if not rules.needs_reason(before, after, progress, problems):
        return
    cycle = task_unit.task.plan.report_cycle
    if rules.out_of_order(before, after, progress) == rules.BELOW_EARLIER:
        what = _("低于%(period_label)s报送的%(before)s%%（累计进度不应回退）") % {
            "period_label": rules.period_label(earlier.period, cycle),
            "before": before,
        }
    else:
        what = _("高于%(period_label)s已报送的%(after)s%%（累计进度不应超过之后各期）") % {
            "period_label": rules.period_label(later.period, cycle),
            "after": after,
        }
    errors.append(FieldError("progress", _("完成进度%(what)s，请在“存在问题”中说明原因") % {"what": what}))


# ---------------------------------------------------------------- reports


def _task_unit_for(user, task_unit_id) -> TaskUnit:
    """A task unit of a plan the user sees (404), of the user's own unit (403), that reports (400)."""
    qs = selectors.with_reporting(selectors.task_unit_queryset(user))
    tu = get_or_404(qs.select_related("task", "task__plan", "organization", "region"), pk=task_unit_id)
    if not selectors.unit_of(user).owns(tu):
        raise PermissionDenied(_("只有%(unit)s的工作人员可以报送该单位的进度") % {"unit": tu.unit})
    if tu.task.plan.status != plan_rules.ISSUED:
        raise ValidationFailed([FieldError("task_unit", _("方案尚未印发或已结束，不能报送进度"))])
    if tu.task.children.exists():
        raise ValidationFailed([FieldError("task_unit", _("该任务下有子任务，请在子任务上报送进度"))])
    if not selectors.reports(tu):
        raise ValidationFailed([FieldError("task_unit", _("该任务由责任单位报送进度，牵头单位无需报送"))])
    return tu


def _period(value, tu: TaskUnit, now: datetime) -> date:
    plan = tu.task.plan
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed([FieldError("period", _("报送期格式应为YYYY-MM-DD，如2026-03-01"))]) from None
    if not isinstance(value, date):
        raise ValidationFailed([FieldError("period", _("请选择报送期"))])
    span = selectors.spans({plan.pk: plan})[plan.pk]
    today = timezone.localdate(now)
    period = rules.period_start(value, plan.report_cycle)
    if not rules.can_report_for(period, span.owed(tu.task.due_on, today), plan.report_cycle, today):
        label = rules.period_label(period, plan.report_cycle)
        raise ValidationFailed(
            [
                FieldError(
                    "period", _("%(label)s不是该任务可以报送的报送期（未开始或不在任务期限内）") % {"label": label}
                )
            ]
        )
    return period


@transaction.atomic
def report_submit(
    *,
    user,
    task_unit_id: int,
    period,
    progress,
    content,
    problems="",
    attachment: UploadedFile | None = None,
    now: datetime | None = None,
) -> ProgressReport:
    """A unit's report on a task for a period: the current one, or a past one late (stored, shown as 逾期报送 and
    still not done). One report per period: a second one is a conflict (correct the first instead)."""
    now = now or timezone.now()
    tu = _task_unit_for(user, task_unit_id)
    period = _period(period, tu, now)
    errors: list[FieldError] = []
    progress = _progress(progress, errors)
    content = _text(content, "content", _("工作进展"), errors, required=True)
    problems = _text(problems, "problems", _("存在问题"), errors, required=False)
    _check_order(tu, period, progress, problems, errors)
    if errors:
        raise ValidationFailed(errors)
    attachment = _attachment(attachment)
    label = rules.period_label(period, tu.task.plan.report_cycle)
    if ProgressReport.objects.filter(task_unit=tu, period=period).exists():
        raise Conflict(_("%(label)s的进度已经报送过，请修改已报送的报告") % {"label": label})
    report = ProgressReport(
        task_unit=tu,
        period=period,
        due_at=rules.report_due(period, tu.task.plan.report_cycle, timezone.get_current_timezone()),
        submitted_at=now,
        submitted_by=user,
        progress=progress,
        content=content,
        problems=problems,
    )
    if attachment is not None:
        report.attachment.save(attachment.name, attachment, save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # someone of the same unit submitted the same period a moment earlier
        raise Conflict(_("%(label)s的进度已经报送过，请刷新后修改已报送的报告") % {"label": label}) from None
    return report


@transaction.atomic
def report_update(
    *,
    user,
    report_id: int,
    version,
    progress,
    content,
    problems="",
    attachment: UploadedFile | None = None,
    now: datetime | None = None,
) -> ProgressReport:
    """Correct a report before its due time; after it the report is locked. A new attachment replaces the old."""
    now = now or timezone.now()
    report = selectors.report_get(user=user, pk=report_id)
    report = ProgressReport.objects.select_for_update().select_related("task_unit__task__plan").get(pk=report.pk)
    tu = _task_unit_for(user, report.task_unit_id)
    if not rules.editable(report.due_at, now):
        raise ValidationFailed(
            [FieldError("period", _("已过报送时限，报告已锁定，不能再修改"))], detail=_("报告已锁定")
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationFailed([FieldError("version", _("缺少版本号，请刷新后重试"))])
    if version != report.version:
        raise Conflict(_("该报告已被本单位其他人修改，请刷新后重试"))
    errors: list[FieldError] = []
    progress = _progress(progress, errors)
    content = _text(content, "content", _("工作进展"), errors, required=True)
    problems = _text(problems, "problems", _("存在问题"), errors, required=False)
    _check_order(tu, report.period, progress, problems, errors)
    if errors:
        raise ValidationFailed(errors)
    attachment = _attachment(attachment)
    report.progress, report.content, report.problems = progress, content, problems
    report.submitted_by = user
    report.version += 1
    if attachment is not None:
        report.attachment.save(attachment.name, attachment, save=False)
    report.save()
    return report


# ---------------------------------------------------------------- notices


def _plan_for_editor(user, plan_id) -> Plan:
    plan = plan_selectors.plan_get(user, plan_id)
    if not plan_selectors.can_edit_plan(user, plan):
        raise PermissionDenied(_("只有方案的印发单位（所在街道、区级工作人员）可以发督办、通报"))
    if plan.status == plan_rules.DRAFT:
        raise ValidationFailed([FieldError("plan", _("方案尚未印发"))])
    return plan


def _due_period(value, status: selectors.PlanStatus) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed([FieldError("period", _("报送期格式应为YYYY-MM-DD，如2026-03-01"))]) from None
    if not isinstance(value, date) or value not in status.due_periods():
        raise ValidationFailed([FieldError("period", _("请选择已过报送时限的报送期"))])
    return value


def supervise_text(task_title: str, unit: str, period_label: str, status: str, note: str) -> str:
    what = _("进度报送逾期") if status == rules.LATE else _("进度未报送")
    text = _(
        "%(unit)s：《%(task_title)s》%(period_label)s%(what)s，按规定视为未完成。请抓紧落实，及时报送工作进展。"
    ) % {"unit": unit, "task_title": task_title, "period_label": period_label, "what": what}
    return f"{text}{note}" if note else text


def circular_text(plan_title: str, period_label: str, late: dict[str, list[str]], note: str) -> str:
    """通报 naming each late unit with the tasks it did not report on time."""
    parts = "；".join(f"{unit}（{'、'.join(tasks)}）" for unit, tasks in late.items())
    text = _(
        "《%(plan_title)s》%(period_label)s工作进展报送情况通报：以下单位未按时报送，视为未完成：%(parts)s。请上述单位高度重视，立即整改。"
    ) % {"plan_title": plan_title, "period_label": period_label, "parts": parts}
    return f"{text}{note}" if note else text


NOTICE_SUBJECT = "campaigns.notice:"


def _subject(notice_id: int) -> str:
    return f"{NOTICE_SUBJECT}{notice_id}"


def notices_read_in_inbox(sender, *, user, subjects: set[str], at: datetime, **kwargs) -> None:
    """A 督办/通报 opened from 我的消息 counts as read on 我的任务 too (notifications.signals.messages_read)."""
    ids = [int(s.removeprefix(NOTICE_SUBJECT)) for s in subjects if s.startswith(NOTICE_SUBJECT)]
    if ids:
        NoticeRead.objects.bulk_create(
            [NoticeRead(notice=n, user=user, read_at=at) for n in selectors.notice_queryset(user).filter(pk__in=ids)],
            ignore_conflicts=True,
        )


def _tell(notice: Notice, about: str) -> Notice:
    """Sends the notice to its recipients' inboxes (and phones, as each chose) through the notification service."""
    template = "campaigns.supervise" if notice.kind == "supervise" else "campaigns.circular"
    issuer = notice.issued_by.display_name
    context = {"text": notice.text, "issuer": issuer, "issued": f"{timezone.localtime(notice.issued_at):%Y-%m-%d}"}
    context["task" if notice.kind == "supervise" else "plan"] = about
    notify(
        selectors.notice_recipients(notice), template, context,
        link=reverse("progress:mine"), subject=_subject(notice.pk), now=notice.issued_at,
    )  # fmt: skip
    return notice


@transaction.atomic
def notice_issue(
    *, user, plan_id: int, kind: str, period, task_unit_ids=(), note: str = "", now: datetime | None = None
) -> list[Notice]:
    """督办 (kind "supervise"): one notice to each selected task unit whose report for `period` is missing or
    late. 通报 (kind "circular"): one notice naming every late unit of `period`, seen by all units of the plan."""
    now = now or timezone.now()
    plan = _plan_for_editor(user, plan_id)
    if kind not in rules.NOTICE_LABELS:
        raise ValidationFailed([FieldError("kind", _("类型应为督办（supervise）或通报（circular）"))])
    note = (note or "").strip() if isinstance(note, str) else ""
    if len(note) > NOTE_MAX:
        raise ValidationFailed([FieldError("note", _("补充说明不能超过%(NOTE_MAX)s个字") % {"NOTE_MAX": NOTE_MAX})])
    status = selectors.plan_status(plan=plan, now=now)
    period = _due_period(period, status)
    label = status.label(period)
    late = status.late(period)
    if kind == "circular":
        if not late:
            raise ValidationFailed(
                [FieldError("period", _("%(label)s没有未按时报送的单位，无需通报") % {"label": label})]
            )
        named: dict[str, list[str]] = {}
        for line in late:
            named.setdefault(line.unit_name, []).append(line.task_title)
        text = circular_text(plan.title, label, named, note)
        notice = Notice.objects.create(plan=plan, kind=kind, period=period, text=text, issued_by=user, issued_at=now)
        return [_tell(notice, plan.title)]
    ids = list(task_unit_ids or [])
    if not ids or any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise ValidationFailed([FieldError("task_units", _("请勾选要督办的单位"))])
    late_by_id = {line.task_unit_id: line for line in late}
    wrong = [i for i in dict.fromkeys(ids) if i not in late_by_id]
    if wrong:
        raise ValidationFailed(
            [
                FieldError(
                    "task_units",
                    _("所选的%(len)s个单位%(label)s不是未报送或逾期报送，不能督办")
                    % {"len": len(wrong), "label": label},
                )
            ]
        )
    out = []
    for i in dict.fromkeys(ids):
        line = late_by_id[i]
        text = supervise_text(line.task_title, line.unit_name, label, line.statuses[period], note)
        notice = Notice.objects.create(
            plan=plan,
            kind=kind,
            task_unit_id=line.task_unit_id,
            period=period,
            text=text,
            issued_by=user,
            issued_at=now,
        )
        out.append(_tell(notice, line.task_title))
    return out


@transaction.atomic
def notice_read(*, user, notice_id: int, now: datetime | None = None) -> Notice:
    notice = get_or_404(selectors.notice_queryset(user), pk=notice_id)
    now = now or timezone.now()
    NoticeRead.objects.get_or_create(notice=notice, user=user, defaults={"read_at": now})
    subject_read(user=user, subject=_subject(notice.pk), now=now)
    return notice
