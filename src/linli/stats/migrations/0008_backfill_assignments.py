"""Dispatches (Assignment rows) for the cases dispatched before 0007 kept them, rebuilt from the timeline so that
响应率 and the returns per returning department count them too (the stats triggers count each row inserted).

The timeline names each dispatch's department and when it was signed for or returned; it does not keep the response
deadline. So the case's current dispatch gets the case's own response deadline and department, and an earlier,
returned dispatch gets none: it is counted as a dispatch and, if returned, against its department, but not in
响应率. A department named by more than one organization is not guessed: that earlier dispatch is left out.

It lives here, not among cases' migrations, because it must run after the triggers that count the rows it inserts,
and on SQLite a cases migration ordered after those triggers could no longer rebuild cases_case.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

CHUNK = 2000
ANSWERS = ("dispatch", "accept", "return")


def dispatches(events, *, by_name: dict, department_id, response_due) -> list[dict]:
    """The case's dispatches from its timeline entries (action, at, data) in order, as services.case_act would have
    written them; `department_id` and `response_due` are the case's own, true of its last dispatch unless returned."""
    rows, current = [], None
    for action, at, data in events:
        if action == "dispatch":
            current = {"department_id": by_name.get(data.get("department")), "dispatched_at": at,
                       "response_due": None, "answered_at": None, "returned_at": None}  # fmt: skip
            rows.append(current)
        elif current is not None and current["returned_at"] is None:
            current["answered_at"] = current["answered_at"] or at
            if action == "return":
                current["returned_at"] = at
    if rows and rows[-1]["returned_at"] is None and department_id is not None:
        rows[-1].update(department_id=department_id, response_due=response_due)
    return [r for r in rows if r["department_id"] is not None]


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Assignment = apps.get_model("cases", "Assignment")
    Organization = apps.get_model("organizations", "Organization")
    by_name: dict[str, int | None] = {}
    for pk, name in Organization.objects.values_list("pk", "name"):
        by_name[name] = None if name in by_name else pk
    missing = (
        Case.objects.filter(dispatched_at__isnull=False)
        .filter(~Exists(Assignment.objects.filter(case=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "lead_department_id", "response_due")
    )
    after = 0
    while chunk := list(missing.filter(pk__gt=after)[:CHUNK]):
        after = chunk[-1][0]
        timelines: dict[int, list] = {}
        events = CaseEvent.objects.filter(case_id__in=[c[0] for c in chunk], action__in=ANSWERS).order_by("case", "seq")
        for case_id, action, at, data in events.values_list("case_id", "action", "at", "data"):
            timelines.setdefault(case_id, []).append((action, at, data))
        Assignment.objects.bulk_create(
            Assignment(case_id=pk, **row)
            for pk, department_id, response_due in chunk
            for row in dispatches(
                timelines.get(pk, []), by_name=by_name, department_id=department_id, response_due=response_due
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0007_case_visit_counts"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
