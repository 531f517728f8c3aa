"""hold() refuses where it could not hold anything; that it does hold is shown by the simultaneous-request tests of
the public intakes (cases/public, cases/open311), which fail on PostgreSQL without it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from linli.core.locks import hold


def test_outside_a_transaction_it_refuses():
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match="transaction"):
        hold("anything")


@pytest.mark.django_db
def test_sqlite_without_immediate_transactions_is_refused(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {})
    with transaction.atomic(), pytest.raises(ImproperlyConfigured, match="IMMEDIATE"):
        hold("anything")


@pytest.mark.django_db
def test_inside_a_transaction_it_holds_any_number_of_names():
    with transaction.atomic():
        hold("a", "b", "a")
        hold()
