"""The default forms are migration data. A transactional test (a browser journey's live server, a test of
simultaneous requests) empties every table when it ends, and the worker runs the next tests on what is left: the
surveys' tests that touch the database put the default forms back first, as the migration loads them."""

from importlib import import_module

import pytest
from django.apps import apps

from linli.surveys.models import FormVersion
from linli.surveys.rules import DEFAULT_FORMS

_CODES = {code for forms in DEFAULT_FORMS.values() for code in forms.values()}


@pytest.fixture(autouse=True)
def _default_forms(request, django_db_blocker):
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    with django_db_blocker.unblock():
        if FormVersion.objects.filter(form__code__in=_CODES, number=1).count() < len(_CODES):
            import_module("linli.surveys.migrations.0002_default_forms").load(apps, None)
