"""The return visits' counts (回访: visited, solved, unreachable) in the case summaries: the case triggers of 0005
again with the new columns, then a recount of the registry and the cases."""

from importlib import import_module

from django.db import migrations, models

registry = import_module("linli.stats.migrations.0002_triggers")
before = import_module("linli.stats.migrations.0005_case_triggers")

CLOSED = before.CLOSED
COUNTS = {
    **before.COUNTS,
    "visited": f"CASE WHEN {CLOSED} AND {{row}}.visit_result IN ('solved', 'unsolved') THEN 1 ELSE 0 END",
    "solved": f"CASE WHEN {CLOSED} AND {{row}}.visit_result = 'solved' THEN 1 ELSE 0 END",
    "unreachable": f"CASE WHEN {CLOSED} AND {{row}}.visit_result = 'unreachable' THEN 1 ELSE 0 END",
}


TRIGGERS = before.triggers(COUNTS, (*before.WATCHED, "visit_result"))


# The old triggers go before the columns are added: SQLite adds a column by rebuilding the table, which a trigger
# naming it refuses.
def drop_before(apps, schema_editor):
    registry.uninstall(schema_editor, before.TRIGGERS)


def restore_before(apps, schema_editor):
    registry.install(schema_editor, before.TRIGGERS)


def create(apps, schema_editor):
    registry.install(schema_editor, TRIGGERS)


def drop(apps, schema_editor):
    registry.uninstall(schema_editor, TRIGGERS)


def count(apps, schema_editor):
    """The registry and the cases counted afresh (the first count on a new database); a later migration that
    changes what is counted moves this step there, as this one took it from 0005."""
    from linli.stats.services import refresh_all

    refresh_all()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0005_case_triggers"),
        ("cases", "0007_case_return_visits"),
    ]

    operations = [
        migrations.RunPython(drop_before, restore_before),
        migrations.AddField(
            model_name="casechange",
            name="solved",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="casechange",
            name="unreachable",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="casechange",
            name="visited",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="caseday",
            name="solved",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="caseday",
            name="unreachable",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="caseday",
            name="visited",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(create, drop),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
