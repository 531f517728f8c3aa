"""Writers that must take turns per key: a rate limit counts rows and then inserts one, and two requests counting
at the same moment would both see room for one more. Holding the key from the count to the commit makes the
count and the insert one step."""

import hashlib

from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def _key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def hold(*names: str) -> None:
    """Hold each of `names` until the current transaction ends; a transaction asking for one of them meanwhile
    waits. Call it inside transaction.atomic(), before the reads that the transaction's writes depend on.

    PostgreSQL: transaction-level advisory locks, taken in one order so that two holders never deadlock (two
    names hashing alike only make their holders take turns). SQLite: nothing to take, as long as transactions
    begin IMMEDIATE (settings.py): each one then waits for the database's single write lock, so writers already
    take turns, and reads inside the transaction see every write committed before it."""
    if not connection.in_atomic_block:
        raise RuntimeError("hold() needs a transaction: outside one the lock would be released at once")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for key in sorted({_key(name) for name in names}):
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    elif connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
        raise ImproperlyConfigured("hold() needs PostgreSQL, or SQLite with transaction_mode IMMEDIATE")
