"""./linli manage check_text [--fix] — text the input rule (linli.core.text) refuses, in every text column of every
project table: rows stored before the rule held, or written around it. Each finding is printed as model, id, field
and what is wrong; the command fails while any is left. --fix cleans them with printable().

Rows are read in primary-key batches, so memory stays the same whatever the table's size. A fix rereads its batch's
rows under a lock in one transaction per batch and writes with UPDATE: versions are not bumped and no history row
is added (the text did not change in meaning); the audit log records which rows were cleaned. The audit log itself
is append-only: its findings are reported, never rewritten, and do not fail the check. Encrypted fields (ID and
phone numbers) are skipped: their values pass format checks that admit letters, digits and "-" only, and decrypting
every row would cost more than the check."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from linli.audit.models import AuditEntry
from linli.audit.services import MAX_IDS, audit_record
from linli.core.pii import EncryptedCharField
from linli.core.text import Kind, Problem, printable, problems

BATCH = 2000

# The model fields the forms and API schemas take as names (Name, name_fields); every other CharField is one line,
# every TextField multi-line text.
NAMES = frozenset({
    "accounts.User.first_name", "accounts.User.last_name",
    "regions.Region.name", "regions.GridStaff.name",
    "organizations.Organization.name",
    "people.Estate.name", "people.Person.name",
    "cases.Case.reporter_name",
    "campaigns.Plan.title", "campaigns.Plan.issuer", "campaigns.PlanSection.heading", "campaigns.Phase.name",
    "campaigns.GroupMember.name", "campaigns.GroupMember.title", "campaigns.GroupMember.unit",
    "campaigns.Task.title", "campaigns.Task.direct_person", "campaigns.Task.handler",
    "assessment.Scheme.name", "assessment.Round.name",
})  # fmt: skip
APPEND_ONLY = (AuditEntry,)

LABELS = {
    Problem.INVALID: "无效字符编码",
    Problem.BIDI: "文字方向控制符",
    Problem.CONTROL: "控制字符",
    Problem.LINE_BREAK: "换行符或制表符",
    Problem.INVISIBLE: "不可见格式字符",
}


def text_fields(model) -> dict[str, Kind]:
    """The model's text columns and the kind of text each holds."""
    recorded = getattr(model, "instance_type", model)  # simple_history's copies hold what the model they record holds
    kinds = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, EncryptedCharField) or not isinstance(field, (models.CharField, models.TextField)):
            continue
        if isinstance(field, models.TextField):
            kinds[field.attname] = Kind.TEXT
        elif f"{recorded._meta.label}.{field.name}" in NAMES:
            kinds[field.attname] = Kind.NAME
        else:
            kinds[field.attname] = Kind.LINE
    return kinds


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("linli.") and text_fields(m)]


def batches(model, fields: dict[str, Kind]):
    """The rows of `model` as (pk, *text values), BATCH at a time in key order."""
    rows = model._base_manager.order_by("pk").values_list("pk", *fields)
    last = None
    while batch := list((rows if last is None else rows.filter(pk__gt=last))[:BATCH]):
        yield batch
        last = batch[-1][0]


def refused(fields: dict[str, Kind], row) -> dict[str, list[Problem]]:
    """{field: problems} of one row (pk, *values)."""
    found = {}
    for (name, kind), value in zip(fields.items(), row[1:], strict=True):
        if value and (wrong := problems(value, kind)):
            found[name] = wrong
    return found


def clean(model, fields: dict[str, Kind], pks: list) -> list:
    """Clean the rows `pks` as they are now, locked; the pks of those changed."""
    changed = []
    with transaction.atomic():
        for row in model._base_manager.select_for_update().filter(pk__in=pks).values_list("pk", *fields):
            wrong = refused(fields, row)
            if wrong:
                values = dict(zip(fields, row[1:], strict=True))
                model._base_manager.filter(pk=row[0]).update(**{f: printable(values[f], fields[f]) for f in wrong})
                changed.append(row[0])
    return changed


class Command(BaseCommand):
    help = "检查（--fix 清理）数据库中输入规则不允许的文本：控制字符、无效编码、文字方向控制符、姓名中的不可见字符。"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="用 printable() 清理发现的文本（审计日志只报告）")

    def handle(self, *args, fix: bool = False, **options):
        found = left = 0
        for model in project_models():
            fields = text_fields(model)
            label = model._meta.label
            append_only = issubclass(model, APPEND_ONLY)
            cleaned = []
            for batch in batches(model, fields):
                bad = set()
                for row in batch:
                    for name, wrong in refused(fields, row).items():
                        bad.add(row[0])
                        found += 1
                        self.stdout.write(f"{label}\t{row[0]}\t{name}\t{'、'.join(LABELS[p] for p in wrong)}")
                if fix and not append_only and bad:
                    cleaned += clean(model, fields, sorted(bad))
                elif not append_only:
                    left += len(bad)
            if cleaned:
                audit_record(
                    actor=None,
                    action=AuditEntry.Action.ADMIN,
                    object_type=label,
                    object_ids=cleaned[:MAX_IDS],
                    count=len(cleaned),
                    detail=f"check_text --fix：清理了{len(cleaned)}行文本中输入规则不允许的字符",
                )
                self.stdout.write(f"{label}：已清理{len(cleaned)}行")
        if not found:
            self.stdout.write("没有发现输入规则不允许的文本")
        if left:
            raise CommandError(f"{left}行含有输入规则不允许的文本；运行 check_text --fix 清理")
