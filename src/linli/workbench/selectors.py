"""工作台: what is late and what awaits the user's office, read through the selectors of the pages it links to, so
a figure here is the length of the list its link opens. A constant number of queries whatever the district's size."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.campaigns.progress import selectors as progress
from linli.cases import selectors as cases
from linli.cases.supervision import selectors as supervision
from linli.core.errors import PermissionDenied

SHOWN = 5  # rows of each list; the link opens the whole of it


@dataclass
class Listed:
    """A count and its first rows."""

    count: int
    rows: list = field(default_factory=list)


def _listed(qs) -> Listed:
    count = qs.count()
    return Listed(count, list(qs[:SHOWN]) if count else [])


@dataclass
class Summary:
    queue: Listed | None = None  # received, registered and returned cases to dispatch
    overdue: Listed | None = None  # open cases past their deadline
    yellow: Listed | None = None  # open cases close to it
    todo: Listed | None = None  # cases waiting for the user's on-site check
    tasks: list = field(default_factory=list)  # the progress reports the user's unit owes, most urgent first
    tasks_late: int = 0  # of them, those with a report missing
    tasks_due: int = 0  # those owing this period's report

    @property
    def empty(self) -> bool:
        lists = (self.queue, self.overdue, self.yellow, self.todo)
        return not self.tasks and not any(x and x.count for x in lists)


def summary(*, user, now: datetime) -> Summary:
    offered = roles.menu(user)
    if roles.WORKBENCH not in offered:
        raise PermissionDenied(_("工作台只对区、街道和社区的工作人员开放"))
    s = Summary()
    if "dispatch" in offered:
        s.queue = _listed(cases.dispatch_queue(user=user))
    if "supervise" in offered:
        s.overdue = _listed(supervision.watch_list(user=user, tab="overdue", now=now))
        s.yellow = _listed(supervision.watch_list(user=user, tab="yellow", now=now))
    if "todo" in offered:
        s.todo = _listed(cases.todo(user=user))
    if "tasks" in offered:
        obligations = progress.obligations(user=user, now=now)
        s.tasks_late = sum(1 for ob in obligations if ob.missing)
        s.tasks_due = sum(1 for ob in obligations if ob.current_reportable)
        s.tasks = [ob for ob in obligations if ob.missing or ob.current_reportable][:SHOWN]
    return s
