import importlib

import django.db.models.deletion
from django.db import migrations, models

KeepingSQLiteTriggers = importlib.import_module("linli.people.migrations.0009_household_grid").KeepingSQLiteTriggers


class AlterFieldKeepingTriggers(KeepingSQLiteTriggers, migrations.AlterField):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_household_grid"),
    ]

    operations = [
        AlterFieldKeepingTriggers(
            model_name="household",
            name="grid",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="households",
                to="regions.region",
            ),
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["grid", "number"], name="household_grid_number"),
        ),
    ]
