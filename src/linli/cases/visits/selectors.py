"""The return visits' call list (回访): closed cases in the caller's scope whose reporter left a phone and has not
yet been visited since the last close, oldest close first (index case_visit_due)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, rules
from ..models import Case
from ..selectors import case_queryset
from . import rules as visit_rules


def call_list(*, user) -> QuerySet:
    access.check_visitor(user)
    due = case_queryset(user=user).filter(state=rules.CLOSED, visit_result="").exclude(reporter_phone_hash="")
    return due.select_related("category", "lead_department").order_by("closed_at", "id")


@dataclass
class Call:
    case: Case
    script: list[str]
    tries: str  # the earlier unanswered calls, or ""


def office(user) -> str:
    """The caller's unit as the reporter hears it."""
    unit = user.organization or user.region
    return str(unit) if unit else _("热线")


def calls(*, user, cases) -> list[Call]:
    """The call list's rows (a page of call_list, or the one case whose page shows the 回访 form) with their
    scripts."""
    caller = office(user)
    return [
        Call(
            case,
            visit_rules.script(
                visit_rules.CallFacts(
                    office=caller,
                    received=timezone.localdate(case.received_at),
                    category=case.category.name,
                    department=case.lead_department.name if case.lead_department_id else "",
                    closed=timezone.localdate(case.closed_at),
                    rated=bool(case.rating),
                )
            ),
            visit_rules.tries_left(case.visit_tries, settings.VISIT_TRIES),
        )
        for case in cases
    ]
