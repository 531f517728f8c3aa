import django.db.models.deletion
from django.db import migrations, models


def buildings_of_houses(apps, schema_editor):
    """The cases taken in before: the building of their house."""
    Case = apps.get_model("cases", "Case")
    House = apps.get_model("people", "House")
    building = House.objects.filter(pk=models.OuterRef("house_id")).values("unit__building_id")[:1]
    Case.objects.filter(house__isnull=False).update(building_id=models.Subquery(building))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_case_reporter_account"),
        ("people", "0013_estate_management"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="building",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.building",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    (
                        "state__in",
                        ["deferred", "dispatched", "feedback", "handling", "received", "registered", "returned"],
                    )
                ),
                fields=["category", "building"],
                name="case_open_building",
            ),
        ),
        migrations.RunPython(buildings_of_houses, migrations.RunPython.noop),
    ]
