"""Count the registry that was there before the triggers."""

from django.db import migrations


def count(apps, schema_editor):
    from linli.stats.services import refresh_all

    refresh_all()


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_triggers")]
    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
