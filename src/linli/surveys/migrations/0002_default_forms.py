"""The default forms, published as version 1: the 6th census's short, long and death forms and the
occupational-health survey's unit form and its quality-control record (surveys/forms/defaults/*.json).

The files are what version 1 was: a later change to a default form ships as a new version (a migration publishing
version 2 from a new file, or a clerk's draft through the forms' pages), never as an edit of these files, so every
database holds the same version 1."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DEFAULTS = Path(__file__).resolve().parents[1] / "forms" / "defaults"
CODES = ("census-short", "census-long", "census-death", "ohs-unit", "ohs-recheck")


def load(apps, schema_editor):
    Form = apps.get_model("surveys", "Form")
    FormVersion = apps.get_model("surveys", "FormVersion")
    now = timezone.now()
    for code in CODES:
        data = json.loads((DEFAULTS / f"{code}.json").read_text(encoding="utf-8"))
        form, _ = Form.objects.get_or_create(code=code, defaults={"name": data["name"]})
        FormVersion.objects.get_or_create(
            form=form, number=1,
            defaults={"definition": data["definition"], "note": data["note"], "published_at": now},
        )  # fmt: skip


def unload(apps, schema_editor):
    Form = apps.get_model("surveys", "Form")
    apps.get_model("surveys", "FormVersion").objects.filter(form__code__in=CODES).delete()
    Form.objects.filter(code__in=CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
