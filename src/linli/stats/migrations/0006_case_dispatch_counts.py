"""Triggers of 0005 again with what issue 13 added to the indicators: 缓办 (deferred) per case, and per dispatch
(cases' Assignment rows) the dispatches, the returns counted against the department that returned the case, and the
dispatches answered (signed for or returned) in time or at all. A dispatch counts under its own department and the
case's street, community and day of receipt; when a case moves, its dispatches move with it."""

from importlib import import_module

from django.db import migrations, models

registry = import_module("linli.stats.migrations.0002_triggers")
before = import_module("linli.stats.migrations.0005_case_triggers")

CLOSED = before.CLOSED
# Per case: as 0005, but `returned`, which is per dispatch now.
COUNTS = {
    **before.COUNTS,
    "returned": "0",
    "deferred": "CASE WHEN {row}.state = 'deferred' THEN 1 ELSE 0 END",
    "assigned": "0",
    "answered": "0",
    "responded": "0",
}
# Per dispatch, `{row}` an Assignment row.
DISPATCH = {
    **dict.fromkeys(COUNTS, "0"),
    "returned": "CASE WHEN {row}.returned_at IS NOT NULL THEN 1 ELSE 0 END",
    "assigned": "1",
    "answered": "CASE WHEN {row}.answered_at IS NOT NULL THEN 1 ELSE 0 END",
    "responded": "CASE WHEN {row}.answered_at IS NOT NULL AND ({row}.response_due IS NULL "
    "OR {row}.answered_at <= {row}.response_due) THEN 1 ELSE 0 END",
}
LOCATION = ("region_id", "street_id", "community_id", "received_at")
# The case columns whose change can change what a case counts for.
WATCHED = ("state", "region_id", "street_id", "community_id", "lead_department_id", "received_at", "dispatched_at",
           "on_time", "rework_count", "rating", "handling_seconds")  # fmt: skip


def triggers(counts: dict, dispatch_counts: dict, watched: tuple) -> list:
    """The triggers logging `counts` per case and `dispatch_counts` per dispatch (column: SQL of what one row counts
    for, the same columns in the same order) on a change of the case's `watched` columns; a later migration that
    counts more calls this again with its own."""
    columns = f"region_id, street_id, community_id, department_id, received_at, {', '.join(counts)}, sign"

    def case(row, sign):
        values = ", ".join(v.format(row=row) for v in counts.values())
        return (f"INSERT INTO stats_casechange ({columns}) SELECT {row}.region_id, {row}.street_id, "
                f"{row}.community_id, {row}.lead_department_id, {row}.received_at, {values}, {sign} "
                f"WHERE {row}.state NOT IN ('rejected', 'merged')")  # fmt: skip

    def dispatch(row, sign):
        values = ", ".join(v.format(row=row) for v in dispatch_counts.values())
        return (f"INSERT INTO stats_casechange ({columns}) SELECT c.region_id, c.street_id, c.community_id, "
                f"{row}.department_id, c.received_at, {values}, {sign} FROM cases_case c WHERE c.id = {row}.case_id")  # fmt: skip

    def moved(row, sign):
        """A case's dispatches, leaving its old place (OLD, -1) or entering the new one (NEW, 1)."""
        values = ", ".join(v.format(row="a") for v in dispatch_counts.values())
        return (f"INSERT INTO stats_casechange ({columns}) SELECT {row}.region_id, {row}.street_id, "
                f"{row}.community_id, a.department_id, {row}.received_at, {values}, {sign} FROM cases_assignment a "
                f"WHERE a.case_id = {row}.id AND ({registry.changed(*LOCATION)})")  # fmt: skip

    return [
        ("cases_case", "INSERT", None, [case("NEW", 1)]),
        ("cases_case", "DELETE", None, [case("OLD", -1)]),
        ("cases_case", "UPDATE", registry.changed(*watched), registry.both(case, [moved("OLD", -1), moved("NEW", 1)])),
        ("cases_assignment", "INSERT", None, [dispatch("NEW", 1)]),
        ("cases_assignment", "DELETE", None, [dispatch("OLD", -1)]),
        ("cases_assignment", "UPDATE", registry.changed(
            "case_id", "department_id", "response_due", "answered_at", "returned_at"
        ), registry.both(dispatch)),
    ]  # fmt: skip


TRIGGERS = triggers(COUNTS, DISPATCH, WATCHED)


# The old triggers go first: SQLite rebuilds a table to add a column, and a trigger naming it stops the rebuild.
def drop_before(apps, schema_editor):
    registry.uninstall(schema_editor, before.TRIGGERS)


def create_before(apps, schema_editor):
    registry.install(schema_editor, before.TRIGGERS)


def create(apps, schema_editor):
    registry.install(schema_editor, TRIGGERS)


def drop(apps, schema_editor):
    registry.uninstall(schema_editor, TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0005_case_triggers"),
        ("cases", "0007_deferral_and_assignments"),
    ]

    operations = [
        migrations.RunPython(drop_before, create_before),
        migrations.AddField(
            model_name="casechange",
            name="answered",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="casechange",
            name="assigned",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="casechange",
            name="deferred",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="casechange",
            name="responded",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="caseday",
            name="answered",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="caseday",
            name="assigned",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="caseday",
            name="deferred",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="caseday",
            name="responded",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(create, drop),
        # The first count is 0007's now: a recount runs today's code, which counts the columns 0007 adds.
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
