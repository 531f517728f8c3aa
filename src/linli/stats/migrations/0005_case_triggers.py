"""Triggers that log every change of a case the indicators count, like 0002 for the registry (same SQL on SQLite
and PostgreSQL, paused by services.bulk_load), then a first count of the registry and the cases.

A case counts while it is neither rejected nor merged (cases.rules.NOT_COUNTED); what it counts for follows
cases.selectors.counts_query, restated here in SQL. The first count, once here, is now 0006's: a recount runs with
today's columns, which a new database has only after 0006."""

from importlib import import_module

from django.db import migrations

registry = import_module("linli.stats.migrations.0002_triggers")

CLOSED = "{row}.state = 'closed'"
COUNTS = {
    "cases": "1",
    "dispatched": "CASE WHEN {row}.dispatched_at IS NOT NULL THEN 1 ELSE 0 END",
    "closed": f"CASE WHEN {CLOSED} THEN 1 ELSE 0 END",
    "on_time": f"CASE WHEN {CLOSED} AND {{row}}.on_time THEN 1 ELSE 0 END",
    "reworked": f"CASE WHEN {CLOSED} AND {{row}}.rework_count > 0 THEN 1 ELSE 0 END",
    "returned": "CASE WHEN {row}.dispatched_at IS NOT NULL AND {row}.return_count > 0 THEN 1 ELSE 0 END",
    "rated": f"CASE WHEN {CLOSED} AND {{row}}.rating <> '' THEN 1 ELSE 0 END",
    "satisfied": f"CASE WHEN {CLOSED} AND {{row}}.rating IN ('satisfied', 'basic') THEN 1 ELSE 0 END",
    "handling_seconds": f"CASE WHEN {CLOSED} THEN COALESCE({{row}}.handling_seconds, 0) ELSE 0 END",
}


# The case columns whose change can change what a case counts for.
WATCHED = ("state", "region_id", "street_id", "community_id", "lead_department_id", "received_at", "dispatched_at",
           "on_time", "rework_count", "return_count", "rating", "handling_seconds")  # fmt: skip


def triggers(counts: dict, watched: tuple) -> list:
    """The case triggers logging `counts` (column: SQL of what one case counts for) on a change of `watched`; later
    migrations that count more call this again with theirs."""

    def case(row, sign):
        values = ", ".join(v.format(row=row) for v in counts.values())
        return (f"INSERT INTO stats_casechange (region_id, street_id, community_id, department_id, received_at, "
                f"{', '.join(counts)}, sign) SELECT {row}.region_id, {row}.street_id, {row}.community_id, "
                f"{row}.lead_department_id, {row}.received_at, {values}, {sign} "
                f"WHERE {row}.state NOT IN ('rejected', 'merged')")  # fmt: skip

    return [
        ("cases_case", "INSERT", None, [case("NEW", 1)]),
        ("cases_case", "DELETE", None, [case("OLD", -1)]),
        ("cases_case", "UPDATE", registry.changed(*watched), registry.both(case)),
    ]


TRIGGERS = triggers(COUNTS, WATCHED)


def create(apps, schema_editor):
    registry.install(schema_editor, TRIGGERS)


def drop(apps, schema_editor):
    registry.uninstall(schema_editor, TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [("stats", "0004_case_summaries"), ("cases", "0004_public_tokens_and_tracking_failures")]
    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
