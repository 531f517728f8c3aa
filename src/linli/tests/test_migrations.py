"""The models and the migrations agree: a model change without its migration (a new field, new choices) would
leave the database behind the code on every installation that migrates."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration():
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)
