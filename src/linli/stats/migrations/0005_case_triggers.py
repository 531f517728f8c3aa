"""Triggers that log every change of a case the indicators count, like 0002 for the registry (same SQL on SQLite
and PostgreSQL, paused by services.bulk_load); 0006 replaces them and counts the registry and the cases.

A case counts while it is neither rejected nor merged (cases.rules.NOT_COUNTED); what it counts for follows
cases.selectors.counts_query, restated here in SQL."""

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


def case(row, sign):
    values = ", ".join(v.format(row=row) for v in COUNTS.values())
    return (f"INSERT INTO stats_casechange (region_id, street_id, community_id, department_id, received_at, "
            f"{', '.join(COUNTS)}, sign) SELECT {row}.region_id, {row}.street_id, {row}.community_id, "
            f"{row}.lead_department_id, {row}.received_at, {values}, {sign} "
            f"WHERE {row}.state NOT IN ('rejected', 'merged')")  # fmt: skip


TRIGGERS = [
    ("cases_case", "INSERT", None, [case("NEW", 1)]),
    ("cases_case", "DELETE", None, [case("OLD", -1)]),
    ("cases_case", "UPDATE", registry.changed(
        "state", "region_id", "street_id", "community_id", "lead_department_id", "received_at", "dispatched_at",
        "on_time", "rework_count", "return_count", "rating", "handling_seconds",
    ), registry.both(case)),
]  # fmt: skip


def create(apps, schema_editor):
    registry.install(schema_editor, TRIGGERS)


def drop(apps, schema_editor):
    registry.uninstall(schema_editor, TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [("stats", "0004_case_summaries"), ("cases", "0004_public_tokens_and_tracking_failures")]
    # The first count of the registry and the cases is 0006's now: a recount here runs the code of today, which
    # counts columns 0006 adds.
    operations = [migrations.RunPython(create, drop), migrations.RunPython(migrations.RunPython.noop)]
