"""./linli manage check_text: reports stored text the input rule refuses (model, id, field, what), fails while any is
left, and with --fix cleans it in batches, recording the cleaning in the audit log. Runs on SQLite and PostgreSQL
(which stores no NUL: the legacy rows there hold other controls)."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from linli.audit.management.commands import check_text
from linli.audit.models import AuditEntry
from linli.campaigns.documents.tests.factory import seed_plan
from linli.campaigns.models import Plan
from linli.core.text import Kind
from linli.people.models import Person
from linli.testing import factories


def stored(text: str) -> str:
    return text if connection.vendor == "sqlite" else text.replace("\u0000", "")


def run(*args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("check_text", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


@pytest.fixture
def legacy(world):
    """Rows written around the rule, as before it held: a note with controls, a spoofed name, a plan title with a
    line break, and a multi-line text that is fine as it is."""
    person = factories.person(world.grid_a1, name="王五")
    Person.objects.filter(pk=person.pk).update(note=stored("a\u0000\u0001b"), name="\u202eevil\u202c王\u200b五")
    plan = seed_plan(world)
    Plan.objects.filter(pk=plan.pk).update(title="物业管理\n工作方案", preamble="第一段。\n第二段。")
    return {"person": person, "plan": plan}


def test_it_reports_each_refused_field_and_fails(legacy):
    out, error = run()
    person, plan = legacy["person"].pk, legacy["plan"].pk
    assert f"people.Person\t{person}\tnote\t控制字符\n" in out
    assert f"people.Person\t{person}\tname\t文字方向控制符、不可见格式字符\n" in out
    assert f"campaigns.Plan\t{plan}\ttitle\t换行符或制表符\n" in out
    assert "preamble" not in out
    assert str(error) == "2行含有输入规则不允许的文本；运行 check_text --fix 清理"
    assert Person.objects.get(pk=person).note == stored("a\u0000\u0001b")  # a check changes nothing


def test_fix_cleans_the_rows_keeps_their_versions_and_audits(legacy):
    person = legacy["person"]
    history = person.history.count()
    out, error = run("--fix")
    assert error is None and "people.Person：已清理1行" in out
    person.refresh_from_db()
    assert (person.note, person.name, person.version) == ("ab", "evil王五", 1)
    assert person.history.count() == history
    plan = Plan.objects.get(pk=legacy["plan"].pk)
    assert (plan.title, plan.preamble) == ("物业管理 工作方案", "第一段。\n第二段。")
    entry = AuditEntry.objects.get(object_type="people.Person")
    assert (entry.action, entry.actor, entry.object_ids, entry.count) == ("admin", None, [person.pk], 1)
    assert AuditEntry.objects.filter(object_type="campaigns.Plan", object_ids=[plan.pk]).exists()
    assert run() == ("没有发现输入规则不允许的文本\n", None)


def test_it_reads_in_batches(world, monkeypatch):
    monkeypatch.setattr(check_text, "BATCH", 2)
    people = [factories.person(world.grid_a1, name=f"居民{n}") for n in range(5)]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(note="x\u0007")
    out, error = run("--fix")
    assert error is None and "people.Person：已清理5行" in out
    assert set(Person.objects.values_list("note", flat=True)) == {"x"}


def test_the_audit_log_is_reported_never_rewritten(world):
    entry = AuditEntry.objects.create(action="export", purpose="核查\u0001")
    out, error = run("--fix")
    assert f"audit.AuditEntry\t{entry.pk}\tpurpose\t控制字符" in out and error is None
    assert AuditEntry.objects.get(pk=entry.pk).purpose == "核查\u0001"


def test_history_rows_are_checked_as_the_model_they_record(world):
    person = factories.person(world.grid_a1, name="张\u200b三")  # written around the forms and the API
    out, _ = run()
    assert f"people.HistoricalPerson\t{person.history.get().history_id}\tname\t不可见格式字符" in out


def test_every_declared_name_is_a_text_field_of_a_model():
    for name in check_text.NAMES:
        label, field = name.rsplit(".", 1)
        model = apps.get_model(label)
        assert check_text.text_fields(model)[model._meta.get_field(field).attname] is Kind.NAME, name


def test_encrypted_numbers_are_not_read():
    assert {"id_number", "phone"}.isdisjoint(check_text.text_fields(Person))
    assert check_text.text_fields(Person)["note"] is Kind.LINE
