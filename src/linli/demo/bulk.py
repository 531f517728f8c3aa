"""Rows straight into tables, for a district of a million residents: COPY on PostgreSQL, executemany elsewhere.

The values are the ones the registry's services produce (person_clean's, the case rules' effects); what this
saves is the model instance per row and the round trip per batch. The builder chooses the ids itself, from past
the table's highest, so it links rows (a person to a household, an event to its case) without reading them back;
`finish` moves the sequences past them. A history row is written with the same values as its record, encrypted
ones included: the ciphertext is made once and decrypts the same in both tables.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, models

from linli.core.pii import EncryptedCharField, encrypt

# Fields whose Python values the driver takes only after the field's own conversion: SQLite keeps dates, times
# and decimals as text; JSON is serialised everywhere. psycopg's COPY takes aware datetimes, dates and decimals as
# they are, and converting them costs more than the rest of a row (DateTimeField checks the zone of each value).
CONVERTED = (models.DateField, models.DecimalField, models.JSONField, models.UUIDField)
CONVERTED_FOR_COPY = (models.JSONField,)


class Writer:
    def __init__(self, now: datetime, *, copy: bool | None = None):
        self.now = now
        self.copy = connection.vendor == "postgresql" if copy is None else copy
        self._next: dict[type[models.Model], int] = {}
        self.rows: dict[str, int] = {}  # rows written per table, for the build's report

    def ids(self, model: type[models.Model], n: int) -> range:
        """n fresh primary keys of `model`'s table."""
        if model not in self._next:
            meta = model._meta
            qn = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX({qn(meta.pk.column)}), 0) FROM {qn(meta.db_table)}")
                self._next[model] = cursor.fetchone()[0] + 1
        start = self._next[model]
        self._next[model] = start + n
        return range(start, start + n)

    @staticmethod
    def encrypted(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> list[tuple]:
        """The rows with their encrypted fields' values encrypted, as the fields would store them."""
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        secret = [i for i, c in enumerate(columns) if isinstance(by_name[c], EncryptedCharField)]
        if not secret:
            return list(rows)
        result = []
        for row in rows:
            row = list(row)
            for i in secret:
                if row[i]:
                    row[i] = encrypt(row[i])
            result.append(tuple(row))
        return result

    def insert(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: Iterable[tuple],
        *,
        encrypted: bool = False,
        **constants,
    ) -> None:
        """Rows of `columns` (attnames, in that order), then `constants` for every row; the model's other fields
        take their defaults, auto_now and auto_now_add fields the build's `now`. Values of encrypted fields are
        encrypted here unless the rows come `encrypted` already."""
        meta = model._meta
        by_name = {f.attname: f for f in meta.concrete_fields}
        fields = [by_name[c] for c in columns]
        if not encrypted:
            rows = self.encrypted(model, columns, rows)
        tail = []
        for f in meta.concrete_fields:
            if f.attname in columns:
                continue
            if f.attname in constants:
                value = constants[f.attname]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self.now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.primary_key:
                raise ValueError(f"{meta.label}: the rows need their ids")
            else:
                value = f.get_default()  # "" for text
            fields.append(f)
            tail.append(f.get_db_prep_save(value, connection) if value is not None else None)
        tail = tuple(tail)
        kinds = CONVERTED_FOR_COPY if self.copy else CONVERTED
        convert = [(i, f) for i, f in enumerate(fields[: len(columns)]) if isinstance(f, kinds)]

        def prepared(row: tuple) -> tuple:
            if convert:
                row = list(row)
                for i, f in convert:
                    if row[i] is not None:
                        row[i] = f.get_db_prep_save(row[i], connection)
            return (*row, *tail)

        qn = connection.ops.quote_name
        names = ", ".join(qn(f.column) for f in fields)
        table = qn(meta.db_table)
        count = 0
        with connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(prepared(row))
                        count += 1
            else:
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
                batch = []
                for row in rows:
                    batch.append(prepared(row))
                    if len(batch) == 5000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.rows[meta.db_table] = self.rows.get(meta.db_table, 0) + count

    def insert_with_history(
        self, model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple], *, history_type: str = "+"
    ) -> None:
        """The rows and their history rows, as simple_history's bulk_history_create writes them (no user)."""
        rows = self.encrypted(model, columns, rows)
        self.insert(model, columns, rows, encrypted=True)
        self.history(model, columns, rows, history_type=history_type, encrypted=True)

    def history(
        self, model, columns: Sequence[str], rows: Sequence[tuple], *, history_type: str, encrypted: bool = False
    ) -> None:
        historical = model.history.model
        tracked = {f.attname for f in historical.tracked_fields}
        keep = [i for i, c in enumerate(columns) if c in tracked]
        # The record's timestamps are plain fields in its history: they get the record's value, the build's now.
        stamps = {
            f.attname: self.now
            for f in model._meta.concrete_fields
            if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and f.attname in tracked
        }
        ids = self.ids(historical, len(rows))
        self.insert(
            historical,
            ["history_id", *(columns[i] for i in keep)],
            ((hid, *(row[i] for i in keep)) for hid, row in zip(ids, rows, strict=True)),
            encrypted=encrypted,
            **stamps,
            history_date=self.now,
            history_type=history_type,
            history_change_reason="",
            history_user_id=None,
        )

    def finish(self) -> None:
        """Move each table's sequence past the ids chosen here."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def indexes_later(models_: Iterable[type[models.Model]]) -> Callable[[], None]:
    """On PostgreSQL, load these tables without their foreign keys, unique constraints and secondary indexes, and
    make them again with the function returned: one sort per index and one join per foreign key instead of an
    index entry and a deferred check per row. Safe because it all happens in the build's transaction: the tables
    are new to it, nobody sees them until it commits, and re-adding a constraint checks every row (a failure undoes
    all)."""
    if connection.vendor != "postgresql":
        return lambda: None
    tables = [m._meta.db_table for m in models_]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype, conname",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        # ALTER TABLE refuses a table with deferred checks still pending from rows written earlier in the
        # transaction (and adding a foreign key alters the table it points at): run those checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def restore() -> None:
        with connection.cursor() as cursor:
            for _, sql in indexes:
                cursor.execute(sql)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table, name, definition in reversed(constraints):  # unique ones first, then the foreign keys
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    return restore
