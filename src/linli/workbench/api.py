from django.utils import timezone
from ninja import Router

from linli.core.schemas import Schema

from . import selectors

router = Router(tags=["workbench"])


class Summary(Schema):
    """The 工作台's figures; null where the user's role has no such list (a community worker dispatches nothing)."""

    queue: int | None  # cases to register and dispatch
    overdue: int | None  # open cases past their deadline
    yellow: int | None  # open cases close to it
    todo: int | None  # cases waiting for the user's on-site check
    tasks_late: int  # tasks of the user's unit with a progress report missing
    tasks_due: int  # tasks owing this period's report


def _count(listed: selectors.Listed | None) -> int | None:
    return None if listed is None else listed.count


@router.get("", response=Summary)
def summary(request):
    s = selectors.summary(user=request.user, now=timezone.now())
    return {"queue": _count(s.queue), "overdue": _count(s.overdue), "yellow": _count(s.yellow),
            "todo": _count(s.todo), "tasks_late": s.tasks_late, "tasks_due": s.tasks_due}  # fmt: skip
