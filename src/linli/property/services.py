"""Writes of property supervision, each checked against roles.PROPERTY and the user's scope (404 outside it):
the company profile, project managers, projects (with the tender rule), an estate's 物业化 status, and credit
records. An estate's status and its property company change together, here only."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import roles, scope
from linli.core import validators
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.people.models import Estate

from . import rules, selectors
from .models import CompanyProfile, CreditRecord, Project, ProjectManager

NOT_MANAGER = gettext_lazy("只有区房产行政主管部门(区级工作人员)可以维护物业企业档案和项目")
NOT_RECORDER = gettext_lazy("只有区房产行政主管部门(区级工作人员)可以记录诚信档案")


def _company(user, company_id: int, capability: str, refusal: str):
    if not roles.can(user, roles.PROPERTY, capability):
        raise PermissionDenied(refusal)
    return selectors.company_get(user=user, pk=company_id)


def _require(errors: list[FieldError], value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        errors.append(FieldError(field, _("%(label)s不能为空") % {"label": label}))
    return value


@transaction.atomic
def profile_save(
    *, user, company_id: int, version: int | None, legal_representative: str, qualification: str,
    contact_phone: str, address: str,
) -> CompanyProfile:  # fmt: skip
    """Fills in or changes the company's profile; `version` is the one read (None for a profile not yet saved)."""
    company = _company(user, company_id, roles.MANAGE_COMPANIES, NOT_MANAGER)
    profile = CompanyProfile.objects.select_for_update().filter(company=company).first()
    if (profile.version if profile else None) != version:
        raise Conflict()
    errors = []
    if qualification not in rules.QUALIFICATION_LABELS:
        errors.append(
            FieldError(
                "qualification",
                _("资质等级应为：%(join)s") % {"join": "、".join(map(str, rules.QUALIFICATION_LABELS.values()))},
            )
        )
    phone = (contact_phone or "").strip()
    if phone:
        try:
            phone = validators.validate_phone(phone)
        except validators.InvalidValue as exc:
            errors.append(FieldError("contact_phone", _("联系电话：%(exc)s") % {"exc": exc}))
    if errors:
        raise ValidationFailed(errors)
    profile = profile or CompanyProfile(company=company, version=0)
    profile.legal_representative = (legal_representative or "").strip()
    profile.qualification, profile.contact_phone, profile.address = qualification, phone, (address or "").strip()
    profile.version += 1
    profile.save()
    return profile


@transaction.atomic
def manager_add(
    *, user, company_id: int, name: str, certificate_kind: str, certificate_number: str, valid_until: date
) -> ProjectManager:
    company = _company(user, company_id, roles.MANAGE_COMPANIES, NOT_MANAGER)
    errors: list[FieldError] = []
    name = _require(errors, name, "name", _("姓名"))
    kind = _require(errors, certificate_kind, "certificate_kind", _("证书名称"))
    number = _require(errors, certificate_number, "certificate_number", _("证书编号"))
    if errors:
        raise ValidationFailed(errors)
    if ProjectManager.objects.filter(certificate_kind=kind, certificate_number=number).exists():
        raise ValidationFailed([FieldError("certificate_number", _("该证书编号已登记在其他项目经理名下"))])
    return ProjectManager.objects.create(
        company=company, name=name, certificate_kind=kind, certificate_number=number,
        certificate_valid_until=valid_until,
    )  # fmt: skip


def _estate_locked(user, estate_id: int, version: int) -> Estate:
    estate = scope.get_or_404(selectors.estates_for_projects(user=user).select_for_update(of=("self",)), pk=estate_id)
    if estate.version != version:
        raise Conflict()
    return estate


def _set_management(estate: Estate, management: str, company=None) -> None:
    estate.management, estate.property_company = management, company
    estate.version += 1
    estate.save(update_fields=["management", "property_company", "version", "updated_at"])


@transaction.atomic
def project_create(
    *, user, company_id: int, estate_id: int, estate_version: int, contract_start: date, contract_end: date | None,
    fee: Decimal, selection: str, invited: int | None = None, approval: str = "", area: Decimal | None = None,
    manager_id: int | None = None,
) -> Project:  # fmt: skip
    """A company takes over an estate: the project is recorded, the estate becomes 专业物业 under it, and the
    project it had before (if any) ends the day this one starts. The estate's first project is its 前期 project
    and must follow the tender rule. `area` is the estate's total building area from its planning permit when the
    registry does not hold all its houses yet (a new estate); otherwise the registry's sum is used."""
    company = _company(user, company_id, roles.MANAGE_COMPANIES, NOT_MANAGER)
    estate = _estate_locked(user, estate_id, estate_version)
    errors = []
    if contract_end is not None and contract_end <= contract_start:
        errors.append(FieldError("contract_end", _("合同结束日期应晚于开始日期")))
    if fee < 0:
        errors.append(FieldError("fee", _("物业费标准不能为负数")))
    manager = None
    if manager_id is not None:
        manager = selectors.managers_of(company).filter(pk=manager_id).first()
        if manager is None:
            errors.append(FieldError("manager_id", _("项目经理应为本企业登记的项目经理")))
    preliminary = not Project.objects.filter(estate=estate).exists()
    area = area if area is not None else selectors.estate_area(estate)
    errors += [FieldError(f, m) for f, m in rules.tender_errors(
        selectors.tender_rule(), preliminary=preliminary, area=area, selection=selection, invited=invited,
        approval=approval or "",
    )]  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    Project.objects.filter(estate=estate, ended_at__isnull=True).update(ended_at=contract_start)
    project = Project.objects.create(
        company=company, estate=estate, manager=manager, preliminary=preliminary, contract_start=contract_start,
        contract_end=contract_end, fee=fee, selection=selection,
        invited=invited if selection == rules.INVITATION else None, approval=(approval or "").strip(), area=area,
        created_by=user,
    )  # fmt: skip
    _set_management(estate, Estate.Management.PROFESSIONAL, company)
    return project


@transaction.atomic
def estate_management_set(
    *, user, estate_id: int, version: int, management: str, ended_on: date | None = None
) -> Estate:
    """An estate without a professional company: 自管 or 无物业·弃管. The current project, if any, ends on
    `ended_on` (today by default). 专业物业 comes only with a project (project_create)."""
    if not roles.can(user, roles.PROPERTY, roles.MANAGE_COMPANIES):
        raise PermissionDenied(NOT_MANAGER)
    estate = _estate_locked(user, estate_id, version)
    if management not in (Estate.Management.SELF, Estate.Management.NONE):
        raise ValidationFailed(
            [FieldError("management", _("专业物业须登记物业服务项目；此处只能改为自管或无物业·弃管"))]
        )
    Project.objects.filter(estate=estate, ended_at__isnull=True).update(ended_at=ended_on or timezone.localdate())
    _set_management(estate, management)
    return estate


@transaction.atomic
def credit_record(
    *, user, company_id: int, year: int, item: str, evidence: str, case_id: int | None = None,
    recorded_on: date | None = None,
) -> CreditRecord:  # fmt: skip
    """Records a good or bad record from the scheme's catalogue in the company's file for `year`. A bad record
    from a verified complaint names its case: a closed case of one of the company's estates, sent to it."""
    company = _company(user, company_id, roles.RECORD_CREDIT, NOT_RECORDER)
    entry = selectors.credit_scheme().catalogue.get(item)
    errors = []
    if entry is None:
        errors.append(FieldError("item", _("事项应从诚信档案的事项目录中选择")))
    evidence = _require(errors, evidence, "evidence", _("事实与证据"))
    case = None
    if case_id is not None:
        case = selectors.complaint_cases(company).filter(pk=case_id).first()
        if case is None:
            errors.append(FieldError("case_id", _("关联事件应为该企业所服务小区、派给该企业且已办结的事件")))
        elif entry is not None and entry.kind != rules.BAD:
            errors.append(FieldError("case_id", _("只有不良记录可以关联投诉事件")))
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            return CreditRecord.objects.create(
                company=company, year=year, item=entry.code, kind=entry.kind, label=entry.label, points=entry.points,
                evidence=evidence, case=case, recorded_on=recorded_on or timezone.localdate(), recorded_by=user,
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(_("该事件已记入诚信档案，同一投诉只计一次")) from None


@transaction.atomic
def credit_void(*, user, record_id: int, version: int, reason: str) -> CreditRecord:
    """作废: a record found wrong stops counting; it stays in the file with the reason."""
    if not roles.can(user, roles.PROPERTY, roles.RECORD_CREDIT):
        raise PermissionDenied(NOT_RECORDER)
    record = scope.get_or_404(selectors.record_queryset(user=user).select_for_update(), pk=record_id)
    if record.version != version:
        raise Conflict()
    if record.voided_at is not None:
        raise Conflict(_("该记录已作废"))
    errors: list[FieldError] = []
    reason = _require(errors, reason, "reason", _("作废理由"))
    if errors:
        raise ValidationFailed(errors)
    record.voided_at, record.void_reason = timezone.now(), reason
    record.version += 1
    record.save(update_fields=["voided_at", "void_reason", "version"])
    return record
