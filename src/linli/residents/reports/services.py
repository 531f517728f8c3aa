"""Writes of 我的反映: the resident's rating of their own report, read marks, and telling the reporter of a case's
progress (派遣, 处置反馈, 办结 with a request to rate) through the notification service."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.cases import rules as case_rules
from linli.cases import services as cases
from linli.cases.models import Case, CaseEvent
from linli.notifications.services import notify, subject_read

from ..models import Resident
from . import selectors

log = logging.getLogger(__name__)


def report_rate(*, resident: Resident, pk: int, rating: str, note: str = "") -> Case:
    """回访评价 of one of the resident's own reports, as the tracking page takes it (不满意 reopens it once)."""
    case = selectors.my_report(resident, pk)
    return cases.public_rate(tracking_code=case.tracking_code, rating=rating, note=note)


def report_opened(*, resident: Resident, case: Case) -> None:
    """The resident has opened the report: their messages about it are read."""
    subject_read(user=resident.user, subject=cases.subject(case.pk))


def message(case: Case, event: CaseEvent) -> tuple[str, dict] | None:
    """(template, context) of what the reporter is told of `event`, or None for a step they are not told of
    (cases.rules.REPORTER_MESSAGES). The case comes with its lead_department."""
    template = case_rules.REPORTER_MESSAGES.get(event.action)
    if template is None:
        return None
    context = {"case_number": case.number}
    if template == "cases.dispatched":
        context["department"] = case.lead_department.name if case.lead_department_id else _("承办单位")
    elif template == "cases.feedback":
        context["text"] = event.note
    return template, context


@transaction.atomic
def tell_reporter(*, case_id: int, action: str, event_id: int) -> list:
    """Tells the resident who reported the case of the step `action` took, if it is one they are told of; the
    deliveries logged."""
    if action not in case_rules.REPORTER_MESSAGES:
        return []
    case = Case.objects.select_related("lead_department").filter(pk=case_id).first()
    event = CaseEvent.objects.filter(pk=event_id, case_id=case_id).first()
    users = selectors.reporters(case) if case and event else []
    if not users:
        return []
    template, context = message(case, event)
    return notify(users, template, context, link=link(case), subject=cases.subject(case.pk), now=event.at)


def link(case: Case) -> str:
    return reverse("portal:report", args=[case.pk])


def on_case_changed(sender, case_id: int, action: str = "", event_id: int | None = None, **kwargs) -> None:
    # The case's own transaction has committed: a failure to tell the reporter must not fail the step staff took.
    try:
        tell_reporter(case_id=case_id, action=action, event_id=event_id)
    except Exception:  # noqa: BLE001
        log.exception("telling the reporter of case %s (%s) failed", case_id, action)
