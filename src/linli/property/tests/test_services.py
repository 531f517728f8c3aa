"""Services of property supervision: who may write, bad input changes nothing, stale versions answer 409, the
tender rule on the project service, estates' status kept with their company, credit records and their cases."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from linli.cases import rules as case_rules
from linli.cases import selectors as case_selectors
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.people.models import Estate
from linli.property import rules, selectors, services
from linli.property.models import CompanyProfile, CreditRecord, Project, ProjectManager
from linli.testing import factories

from .support import act, complaint

pytestmark = pytest.mark.django_db


def fields(exc_info) -> list[str]:
    return [e.field for e in exc_info.value.errors]


def project(p, estate, user="district_staff", **kw):
    estate.refresh_from_db()
    args = {"company_id": p.company.pk, "estate_id": estate.pk, "estate_version": estate.version,
            "contract_start": date(2026, 3, 1), "contract_end": None, "fee": Decimal("0.90"),
            "selection": rules.AGREEMENT, "approval": "区房产局批复"} | kw  # fmt: skip
    return services.project_create(user=p.world.users[user], **args)


# ---------------------------------------------------------------- company staff answer the cases sent to them


def test_a_company_user_answers_a_case_dispatched_to_the_company(p):
    w, staff = p.world, p.world.users["company_staff"]
    house = p.a1.buildings.first().units.first().houses.first()
    case = factories.case(house.grid, category="0302", house_id=house.pk)
    case = act(w.users["admin"], case, "register")
    case = act(w.users["admin"], case, "dispatch", department_id=p.company.pk)
    assert case_selectors.todo(user=staff).filter(pk=case.pk).exists()
    case = act(staff, case, "accept")
    case = act(staff, case, "feedback", note="已清理楼道杂物")
    assert case.state == case_rules.FEEDBACK and case.lead_department == p.company
    assert list(case.events.filter(action__in=("accept", "feedback")).values_list("actor", flat=True)) == [staff.pk] * 2


# ---------------------------------------------------------------- profile


def test_the_district_fills_in_the_profile_and_a_stale_version_is_409(p):
    staff = p.world.users["district_staff"]
    kw = {"company_id": p.company.pk, "legal_representative": "张伟", "qualification": "none",
          "contact_phone": "024-88886666", "address": "沈河区青年大街1号"}  # fmt: skip
    profile = services.profile_save(user=staff, version=None, **kw)
    assert (profile.version, profile.contact_phone) == (1, "024-88886666")
    with pytest.raises(Conflict):
        services.profile_save(user=staff, version=None, **kw)
    services.profile_save(user=staff, version=1, **kw | {"legal_representative": "李娜"})
    assert CompanyProfile.objects.get().legal_representative == "李娜"


@pytest.mark.parametrize(
    "persona", ["street_staff", "community_worker", "grid_worker", "dept_handler", "company_staff"]
)
def test_only_the_district_keeps_the_files(p, persona):
    with pytest.raises(PermissionDenied):
        services.profile_save(user=p.world.users[persona], company_id=p.company.pk, version=None,
                              legal_representative="", qualification="none", contact_phone="", address="")  # fmt: skip
    assert not CompanyProfile.objects.exists()


def test_bad_profile_input_is_refused_by_field(p):
    with pytest.raises(ValidationFailed) as exc:
        services.profile_save(user=p.world.users["district_staff"], company_id=p.company.pk, version=None,
                              legal_representative="", qualification="grade9", contact_phone="8888",
                              address="")  # fmt: skip
    assert fields(exc) == ["qualification", "contact_phone"]
    assert not CompanyProfile.objects.exists()


# ---------------------------------------------------------------- managers


def test_a_manager_certificate_is_registered_once(p):
    staff = p.world.users["district_staff"]
    kw = {"company_id": p.company.pk, "certificate_kind": "物业管理企业经理岗位证书", "certificate_number": "WY2024001",
          "valid_until": date(2025, 6, 30)}  # fmt: skip
    manager = services.manager_add(user=staff, name="王强", **kw)
    with pytest.raises(ValidationFailed) as exc:
        services.manager_add(user=staff, name="赵敏", **kw)
    assert fields(exc) == ["certificate_number"]
    [shown] = selectors.company_file(p.company, today=date(2025, 7, 1))["managers"]
    assert shown.pk == manager.pk and shown.expired is True
    [shown] = selectors.company_file(p.company, today=date(2025, 6, 30))["managers"]
    assert shown.expired is False
    assert ProjectManager.objects.count() == 1


# ---------------------------------------------------------------- projects and the tender rule


def test_the_first_company_of_a_large_estate_needs_a_public_tender(p):
    with pytest.raises(ValidationFailed) as exc:
        project(p, p.b1, area=Decimal("50000.00"))
    assert exc.value.errors[0].message == "建筑面积50,000.00㎡，达到50,000㎡，前期物业须公开招标"
    p.b1.refresh_from_db()
    assert (p.b1.management, p.b1.property_company, Project.objects.filter(estate=p.b1).count()) == ("none", None, 0)
    made = project(p, p.b1, area=Decimal("50000.00"), selection=rules.PUBLIC_TENDER, approval="")
    assert made.preliminary and made.area == Decimal("50000.00")


def test_without_an_area_the_registry_sum_decides(p):
    made = project(p, p.b1, selection=rules.INVITATION, invited=3)
    assert made.area == Decimal("179.00")  # two houses of 89.50 ㎡
    assert made.preliminary and made.invited == 3


def test_a_new_company_ends_the_current_project_and_takes_the_estate(p):
    made = project(p, p.a1, company_id=p.other.pk, contract_start=date(2026, 5, 1))
    p.project.refresh_from_db()
    p.a1.refresh_from_db()
    assert p.project.ended_at == date(2026, 5, 1) and made.preliminary is False
    assert (p.a1.management, p.a1.property_company) == ("professional", p.other)


def test_a_project_checks_its_dates_fee_and_manager(p):
    with pytest.raises(ValidationFailed) as exc:
        project(p, p.b1, contract_end=date(2026, 2, 1), fee=Decimal("-1"), manager_id=999999)
    assert fields(exc) == ["contract_end", "fee", "manager_id"]


def test_a_stale_estate_version_is_409_and_the_street_may_not_place_projects(p):
    with pytest.raises(Conflict):
        project(p, p.b1, estate_version=p.b1.version + 1)
    with pytest.raises(PermissionDenied):
        project(p, p.b1, user="street_staff")
    assert not Project.objects.filter(estate=p.b1).exists()


def test_the_database_keeps_status_and_company_together(p):
    with pytest.raises(IntegrityError), transaction.atomic():
        Estate.objects.filter(pk=p.b1.pk).update(management="professional")
    with pytest.raises(IntegrityError), transaction.atomic():
        Estate.objects.filter(pk=p.a1.pk).update(management="self")


# ---------------------------------------------------------------- estate status


def test_self_management_ends_the_project(p):
    staff = p.world.users["district_staff"]
    estate = services.estate_management_set(user=staff, estate_id=p.a1.pk, version=p.a1.version, management="self",
                                            ended_on=date(2026, 6, 30))  # fmt: skip
    p.project.refresh_from_db()
    assert (estate.management, estate.property_company, p.project.ended_at) == ("self", None, date(2026, 6, 30))
    with pytest.raises(Conflict):
        services.estate_management_set(user=staff, estate_id=p.a1.pk, version=p.a1.version, management="none")
    with pytest.raises(ValidationFailed):
        services.estate_management_set(user=staff, estate_id=p.a1.pk, version=estate.version,
                                       management="professional")  # fmt: skip


# ---------------------------------------------------------------- credit records


def record(p, user="district_staff", **kw):
    args = {"company_id": p.company.pk, "year": 2026, "item": "B01", "evidence": "业主投诉楼道杂物，经查属实"} | kw
    return services.credit_record(user=p.world.users[user], **args)


def test_a_bad_record_from_a_verified_complaint(p):
    case = complaint(p.world, p.a1, p.company)
    made = record(p, case_id=case.pk)
    assert (made.kind, made.points, made.label, made.case) == (
        "bad",
        Decimal(2),
        "经查实的业主投诉(未按合同提供服务)",
        case,
    )
    with pytest.raises(Conflict, match="同一投诉只计一次"):
        record(p, case_id=case.pk)
    [year] = [s for s in selectors.score_history(p.company, upto=2026) if s.year == 2026]
    assert (year.score, year.grade) == (Decimal(78), "A")


def test_only_a_closed_case_of_the_companys_estate_sent_to_it_backs_a_record(p):
    open_case = complaint(p.world, p.a1, p.company, close=False)
    with pytest.raises(ValidationFailed) as exc:
        record(p, case_id=open_case.pk)
    assert fields(exc) == ["case_id"]
    closed = complaint(p.world, p.a1, p.company)
    with pytest.raises(ValidationFailed) as exc:
        record(p, company_id=p.other.pk, case_id=closed.pk)
    assert fields(exc) == ["case_id"]
    with pytest.raises(ValidationFailed) as exc:
        record(p, item="G01", case_id=closed.pk)
    assert fields(exc) == ["case_id"]
    assert not CreditRecord.objects.exists()


def test_unknown_items_and_empty_evidence_are_refused(p):
    with pytest.raises(ValidationFailed) as exc:
        record(p, item="Z99", evidence="  ")
    assert fields(exc) == ["item", "evidence"]


@pytest.mark.parametrize("persona", ["street_staff", "community_worker", "company_staff", "dept_handler"])
def test_only_the_district_records(p, persona):
    with pytest.raises(PermissionDenied):
        record(p, user=persona)
    assert not CreditRecord.objects.exists()


def test_a_voided_record_stops_counting_and_a_stale_void_is_409(p):
    made = record(p, item="B07", evidence="擅自撤离")
    assert selectors.score_history(p.company, upto=2026)[-1].score == Decimal(65)
    with pytest.raises(ValidationFailed):
        services.credit_void(user=p.world.users["district_staff"], record_id=made.pk, version=1, reason=" ")
    services.credit_void(user=p.world.users["district_staff"], record_id=made.pk, version=1, reason="登记错误")
    with pytest.raises(Conflict):
        services.credit_void(user=p.world.users["district_staff"], record_id=made.pk, version=1, reason="再次")
    assert selectors.score_history(p.company, upto=2026)[-1].score == Decimal(80)


def test_a_company_elsewhere_is_out_of_a_streets_reach(p):
    with pytest.raises(Http404):
        selectors.company_get(user=p.world.users["street_staff"], pk=p.other.pk)
    assert selectors.company_get(user=p.world.users["street_staff"], pk=p.company.pk) == p.company
