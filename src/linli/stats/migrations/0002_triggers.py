"""Triggers that log every registry change the statistics count, in the changing transaction, on both databases.

Triggers and not model signals: queryset updates (a household moving its members, the import writing by primary
key), bulk inserts and the import's undo bypass signals, and a count that misses one of them is wrong for good.
Each statement below runs for one row (NEW or OLD); the same text is valid SQL on SQLite (3.39+) and PostgreSQL.
On PostgreSQL a session that sets linli.stats_paused (services.bulk_load) logs nothing: it recounts at the end.
"""

from django.db import migrations

LOG = "INSERT INTO stats_change (kind, grid_id, gender, birth_date, code, sign)"


def person(row, sign):
    return f"{LOG} VALUES ('person', {row}.grid_id, {row}.gender, {row}.birth_date, {row}.residence_type, {sign})"


def house(row, sign):
    return f"{LOG} VALUES ('house', {row}.grid_id, '', NULL, '', {sign})"


def person_tag(row, sign):
    return (f"{LOG} SELECT 'tag', grid_id, '', NULL, CAST({row}.tag_id AS TEXT), {sign} "
            f"FROM people_person WHERE id = {row}.person_id")  # fmt: skip


def household(row, sign):
    return f"{LOG} SELECT 'household', grid_id, '', NULL, '', {sign} FROM people_house WHERE id = {row}.house_id"


def moved(what, sign):
    """A person's tags or a house's households follow it to another grid."""
    row = "OLD" if sign < 0 else "NEW"
    if what == "tags":
        return (f"{LOG} SELECT 'tag', {row}.grid_id, '', NULL, CAST(tag_id AS TEXT), {sign} FROM people_persontag "
                f"WHERE person_id = NEW.id AND OLD.grid_id <> NEW.grid_id")  # fmt: skip
    return (f"{LOG} SELECT 'household', {row}.grid_id, '', NULL, '', {sign} FROM people_household "
            f"WHERE house_id = NEW.id AND OLD.grid_id <> NEW.grid_id")  # fmt: skip


def changed(*columns):
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


def both(row_sql, extra=()):
    return [row_sql("OLD", -1), row_sql("NEW", 1), *extra]


# (table, event, condition, statements)
TRIGGERS = [
    ("people_person", "INSERT", None, [person("NEW", 1)]),
    ("people_person", "DELETE", None, [person("OLD", -1)]),
    ("people_person", "UPDATE", changed("grid_id", "gender", "birth_date", "residence_type"),
     both(person, [moved("tags", -1), moved("tags", 1)])),
    ("people_persontag", "INSERT", None, [person_tag("NEW", 1)]),
    ("people_persontag", "DELETE", None, [person_tag("OLD", -1)]),
    ("people_persontag", "UPDATE", changed("person_id", "tag_id"), both(person_tag)),
    ("people_household", "INSERT", None, [household("NEW", 1)]),
    ("people_household", "DELETE", None, [household("OLD", -1)]),
    ("people_household", "UPDATE", changed("house_id"), both(household)),
    ("people_house", "INSERT", None, [house("NEW", 1)]),
    ("people_house", "DELETE", None, [house("OLD", -1)]),
    ("people_house", "UPDATE", changed("grid_id"), both(house, [moved("households", -1), moved("households", 1)])),
]  # fmt: skip


def names(table, event):
    return f"stats_{table}_{event.lower()}"


def install(schema_editor, triggers):
    """Create `triggers` ((table, event, condition, statements)); also for the case triggers of 0005."""
    vendor = schema_editor.connection.vendor
    for table, event, condition, statements in triggers:
        name = names(table, event)
        body = "".join(f"{s};\n" for s in statements)
        when = f" WHEN ({condition})" if condition else ""
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN\n"
                f"IF current_setting('linli.stats_paused', true) = 'on' THEN RETURN NULL; END IF;\n"
                f"{body}RETURN NULL;\nEND$$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} EXECUTE FUNCTION {name}()"
            )
        else:
            schema_editor.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN\n{body}END")


def uninstall(schema_editor, triggers):
    vendor = schema_editor.connection.vendor
    for table, event, _, _ in triggers:
        name = names(table, event)
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def create(apps, schema_editor):
    install(schema_editor, TRIGGERS)


def drop(apps, schema_editor):
    uninstall(schema_editor, TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial"), ("people", "0006_background_jobs")]
    operations = [migrations.RunPython(create, drop)]
