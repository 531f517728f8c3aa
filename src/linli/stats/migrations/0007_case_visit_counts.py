"""The return visits' counts (回访: visited, solved, unreachable) in the case summaries: the triggers of 0006 again
with the new columns, then the first count of the registry and the cases."""

from importlib import import_module

from django.db import migrations, models

registry = import_module("linli.stats.migrations.0002_triggers")
before = import_module("linli.stats.migrations.0006_case_dispatch_counts")

CLOSED = before.CLOSED
VISITS = {
    "visited": f"CASE WHEN {CLOSED} AND {{row}}.visit_result IN ('solved', 'unsolved') THEN 1 ELSE 0 END",
    "solved": f"CASE WHEN {CLOSED} AND {{row}}.visit_result = 'solved' THEN 1 ELSE 0 END",
    "unreachable": f"CASE WHEN {CLOSED} AND {{row}}.visit_result = 'unreachable' THEN 1 ELSE 0 END",
}
TRIGGERS = before.triggers(
    {**before.COUNTS, **VISITS},
    {**before.DISPATCH, **dict.fromkeys(VISITS, "0")},  # a dispatch is never visited: its case is
    (*before.WATCHED, "visit_result"),
)


# The old triggers go first: SQLite rebuilds a table to add a column, and a trigger naming it stops the rebuild.
def drop_before(apps, schema_editor):
    registry.uninstall(schema_editor, before.TRIGGERS)


def create_before(apps, schema_editor):
    registry.install(schema_editor, before.TRIGGERS)


def create(apps, schema_editor):
    registry.install(schema_editor, TRIGGERS)


def drop(apps, schema_editor):
    registry.uninstall(schema_editor, TRIGGERS)


def count(apps, schema_editor):
    """The registry and the cases counted afresh (the first count on a new database); a later migration that
    changes what is counted moves this step there, as this one took it from 0006."""
    from linli.stats.services import refresh_all

    refresh_all()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0006_case_dispatch_counts"),
        ("cases", "0009_case_return_visits"),
    ]

    operations = [
        migrations.RunPython(drop_before, create_before),
        *(
            migrations.AddField(model_name=model, name=name, field=models.IntegerField(default=0))
            for model in ("casechange", "caseday")
            for name in VISITS
        ),
        migrations.RunPython(create, drop),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
