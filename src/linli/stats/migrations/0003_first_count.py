"""Once counted the registry that was there before the triggers; 0005 now does, with the cases, once their tables
exist (a recount here would run before them on a new database)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_triggers")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
