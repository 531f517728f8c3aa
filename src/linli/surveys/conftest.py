"""The default forms are migration data. A transactional test elsewhere on the worker empties every table when it
ends; the next transactional test with `serialized_rollback` gets them back from Django, but a plain test would run
without them. So the surveys' plain database tests put them back first, inside the test's own transaction (rolled
back with it, so a later serialized restore finds no copy in its way)."""

from importlib import import_module

import pytest
from django.apps import apps

from linli.surveys.models import FormVersion
from linli.surveys.rules import DEFAULT_FORMS

_CODES = {code for forms in DEFAULT_FORMS.values() for code in forms.values()}


@pytest.fixture(autouse=True)
def _default_forms(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction"))
    if transactional or not (marker or "db" in request.fixturenames):
        return
    request.getfixturevalue("db")
    if FormVersion.objects.filter(form__code__in=_CODES, number=1).count() < len(_CODES):
        import_module("linli.surveys.migrations.0002_default_forms").load(apps, None)
