"""Helpers for the case engine's service tests: cases received and acted on at chosen moments."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.forms.models import model_to_dict

from linli.cases import services
from linli.cases.models import Attachment, Case, CaseCounter, CaseEvent, Category

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    """A Beijing wall-clock moment."""
    return datetime(*args, tzinfo=SHANGHAI)


def receive(w, grid=None, *, category="0401", now=None, user="admin", channel="window", **data) -> Case:
    """A case received at a grid's front desk at `now`."""
    data = {
        "category_id": Category.objects.get(code=category).pk,
        "description": "小区门口路灯不亮三天了",
        "region_id": (grid or w.grid_a1).pk,
        "reporter_name": "王女士",
        "reporter_phone": "13912345678",
        **data,
    }
    return services.case_create(user=w.users[user], channel=channel, data=data, now=now)


def act(w, persona, case: Case, action: str, now=None, **kw) -> Case:
    user = w.users[persona] if isinstance(persona, str) else persona
    kw.setdefault("version", case.version)
    return services.case_act(user=user, case_id=case.pk, action=action, now=now, **kw)


def state_of(case: Case) -> dict:
    """Everything stored about one case, to compare before and after a refused action."""
    fresh = Case.objects.get(pk=case.pk)
    return {
        "row": model_to_dict(fresh) | {"updated_at": fresh.updated_at},
        "events": list(fresh.events.values_list("seq", "action", "from_state", "to_state", "at")),
        "attachments": list(fresh.attachments.values_list("pk", flat=True)),
    }


def totals() -> tuple[int, int, int, list]:
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        Attachment.objects.count(),
        list(CaseCounter.objects.values_list("year", "last")),
    )
