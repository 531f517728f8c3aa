"""Households get the grid of their house (selectors.household_list starts a region's 户号 walk from it).

Added nullable and filled from the houses here; 0010 makes it required. Two migrations, two transactions: on
PostgreSQL a table cannot be altered in the transaction that updated its rows while their foreign-key checks wait.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "people_household"

# UPDATE … FROM: PostgreSQL, and SQLite since 3.33.
BACKFILL = [
    f"UPDATE {table} SET grid_id = people_house.grid_id FROM people_house WHERE people_house.id = {table}.house_id"
    for table in (TABLE, "people_historicalhousehold")
]


class KeepingSQLiteTriggers:
    """SQLite changes a foreign-key column (made required, or dropped) by building a new table and renaming it: the
    statistics' triggers (stats 0002) on the old table go with it, and the rename is refused while a trigger of
    another table names it. They are dropped first and created again from their own SQL. PostgreSQL alters the
    table in place and keeps them."""

    def _keeping_triggers(self, schema_editor, change):
        if schema_editor.connection.vendor != "sqlite":
            return change()
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (tbl_name = ? OR sql LIKE ?)",
                [TABLE, f"%{TABLE}%"],
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            change()
            for _, sql in triggers:
                cursor.execute(sql)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        forwards = super().database_forwards
        self._keeping_triggers(schema_editor, lambda: forwards(app_label, schema_editor, from_state, to_state))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        backwards = super().database_backwards
        self._keeping_triggers(schema_editor, lambda: backwards(app_label, schema_editor, from_state, to_state))


class AddFieldKeepingTriggers(KeepingSQLiteTriggers, migrations.AddField):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_house_grid_id"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalhousehold",
            name="grid",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="regions.region",
            ),
        ),
        AddFieldKeepingTriggers(
            model_name="household",
            name="grid",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="households",
                to="regions.region",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
