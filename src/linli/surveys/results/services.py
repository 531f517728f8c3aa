"""Exports of a survey's results, each written to the audit log (the forms' data hold names and birth dates): the
tables as .xlsx and the forms' data as CSV. The codebook holds no answers and is not audited."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.errors import FieldError, ValidationFailed

from .. import rules as survey_rules
from ..quality import selectors as quality_selectors
from . import exports, rules, selectors


@dataclass(frozen=True)
class Download:
    name: str
    content_type: str
    content: bytes


def _title(survey) -> str:
    return survey.title.replace("/", "／")


@transaction.atomic
def workbook_export(*, user, survey_id: int, request=None) -> Download:
    """The progress, result and error-rate tables of the areas the user sees, as one workbook."""
    survey = selectors.survey_get(user, survey_id)
    progress = selectors.progress(user, survey)
    content = exports.workbook(
        survey, progress, selectors.tables(user, survey), quality_selectors.error_report(user, survey)
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="survey_results",
        object_ids=[survey.pk],
        count=progress.total.total,
        detail=f"调查“{survey.title}”进度与结果汇总表",
        request=request,
    )
    return Download(_("%(title)s_进度与结果.xlsx") % {"title": _title(survey)}, exports.XLSX, content)


def _definition(survey, form_role: str) -> dict:
    if form_role not in dict(selectors.data_roles(survey)):
        raise ValidationFailed([FieldError("role", _("本调查没有该表式"))])
    return selectors.role_definition(survey, form_role)


@transaction.atomic
def data_export(*, user, survey_id: int, role: str, table: str | None = None, request=None) -> Download:
    """The forms of one role as CSV: one row per form, or with `table` one row per row of that table question."""
    survey = selectors.survey_get(user, survey_id)
    definition = _definition(survey, role)
    if table is not None and table not in {t["key"] for t in rules.tables(definition)}:
        raise ValidationFailed([FieldError("table", _("该表式没有这个表格项目"))])
    content, count = exports.data_csv(definition, selectors.data_rows(user, survey, role), table)
    what = f"{survey_rules.FORM_ROLES[role]}{f'（{table}）' if table else ''}"
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="survey_response",
        object_ids=[survey.pk],
        count=count,
        detail=f"调查“{survey.title}”{what}数据（CSV）",
        request=request,
    )
    suffix = f"_{table}" if table else ""
    return Download(f"{_title(survey)}_{role}{suffix}.csv", exports.CSV, content)


def codebook_export(*, user, survey_id: int, role: str) -> Download:
    survey = selectors.survey_get(user, survey_id)
    return Download(
        f"{_title(survey)}_{role}_codebook.csv", exports.CSV, exports.codebook_csv(_definition(survey, role))
    )
