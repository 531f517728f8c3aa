"""Honours through the services: 自主申报 → 初审 → 认定 → granted; refusals (400/403/404/409, nothing changed);
automatic 摘牌 by rule, after a case change (signal) and hourly (command), idempotent; re-application."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import timezone

from linli.campaigns.rectification.tests import support as rectification_support
from linli.cases import services as case_services
from linli.cases.models import Category
from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.honours import rules, services
from linli.honours.models import Honour, HonourType
from linli.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(world):
    r = rectification_support.make(world)
    services.honour_types_install()
    return r


def htype(code="no-epidemic") -> HonourType:
    return HonourType.objects.get(code=code)


def _application(rw, code="no-epidemic", **data) -> dict:
    t = htype(code)
    unit = {"estate_id": rw.estate_a1.pk} if t.level == rules.ESTATE else {"community_id": rw.w.community_a1.pk}
    return {"honour_type_id": t.pk, "statement": "本小区连续30天无新发病例，防控措施全部落实到位。", **unit, **data}


def apply(rw, persona="community_worker", code="no-epidemic", **data):
    return services.honour_apply(user=rw.users[persona], data=_application(rw, code, **data))


def step(rw, persona, honour, action, note=""):
    honour.refresh_from_db()
    return services.honour_act(user=rw.users[persona], pk=honour.pk, action=action, version=honour.version, note=note)


def granted(rw, **kw) -> Honour:
    h = apply(rw, **kw)
    step(rw, "street_staff", h, "review", "材料齐全")
    return step(rw, "district_staff", h, "grant")


def incident(rw, code="0905", estate=None, user="community_worker", register=True):
    """A case in the estate (a new incident), received by the community worker and registered by the street."""
    data = {"category_id": Category.objects.get(code=code).pk, "description": "小区内发现一例确诊病例",
            "region_id": rw.w.community_a1.pk}  # fmt: skip
    case = case_services.case_create(user=rw.users[user], channel="window", data=data, estate=estate or rw.estate_a1)
    if not register:
        return case
    return case_services.case_act(user=rw.users["street_staff"], case_id=case.pk, action="register",
                                  version=case.version)  # fmt: skip


def test_apply_review_grant(rw):
    h = granted(rw)
    assert h.status == rules.GRANTED and h.number == f"无疫小区〔{timezone.localdate().year}〕第001号"
    assert h.granted_on == timezone.localdate() and h.valid_until == rules.valid_until(h.granted_on, 12)
    assert granted(rw, persona="company_staff", code="safe-estate").number.startswith("平安小区")


def test_community_honour_by_the_community_worker(rw):
    h = granted(rw, code="civilised")
    assert h.community == rw.w.community_a1 and h.estate is None and h.valid_until.year == h.granted_on.year + 2


def test_rejections_need_a_reason(rw):
    h = apply(rw)
    with pytest.raises(ValidationFailed) as exc:
        step(rw, "street_staff", h, "review_reject")
    assert exc.value.errors[0].field == "note"
    assert step(rw, "street_staff", h, "review_reject", "材料不全").status == rules.REJECTED
    apply(rw)  # a refused application does not block the next one


def _snap():
    return [model_to_dict(h) for h in Honour.objects.order_by("pk")]


@pytest.mark.parametrize(
    "persona, exc",
    [("street_staff", PermissionDenied), ("district_staff", PermissionDenied), ("grid_worker", PermissionDenied),
     ("dept_handler", PermissionDenied), ("admin", PermissionDenied)],
)  # fmt: skip
def test_only_the_unit_applies(rw, persona, exc):
    with pytest.raises(exc):
        apply(rw, persona)
    assert Honour.objects.count() == 0


@pytest.mark.parametrize(
    "data, field",
    [
        ({"statement": "好"}, "statement"),
        ({"statement": ""}, "statement"),
        ({"honour_type_id": 999}, "honour_type_id"),
        ({"estate_id": 999999}, "estate_id"),
    ],
)
def test_bad_applications_are_400(rw, data, field):
    with pytest.raises(ValidationFailed) as exc:
        apply(rw, **data)
    assert exc.value.errors[0].field == field and Honour.objects.count() == 0


def test_evidence_is_checked_by_its_content_and_nothing_is_stored_when_refused(rw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = SimpleUploadedFile("现场照片.jpg", b"<html><script>alert(document.cookie)</script></html>", "image/jpeg")
    with pytest.raises(ValidationFailed) as exc:
        services.honour_apply(user=rw.users["community_worker"], data=_application(rw), evidence=page)
    assert [(e.field, e.message) for e in exc.value.errors] == [
        ("evidence", "佐证材料（现场照片.jpg）已损坏或不是有效的JPEG文件")
    ]
    assert Honour.objects.count() == 0 and not any(tmp_path.rglob("*.*"))
    report = SimpleUploadedFile("创建报告.pdf", b"%PDF-1.7\n%%EOF", "application/pdf")
    honour = services.honour_apply(user=rw.users["community_worker"], data=_application(rw), evidence=report)
    assert honour.evidence.name.startswith("honours/") and honour.evidence.read() == b"%PDF-1.7\n%%EOF"


def test_an_estate_of_another_community_or_company_is_refused(rw):
    with pytest.raises(ValidationFailed):
        apply(rw, "community_worker2")  # 锦绣家园 lies in 甲一
    with pytest.raises(ValidationFailed):
        apply(rw, "company_staff", estate_id=rw.estate_b1.pk)  # not served by 安居物业
    with pytest.raises(PermissionDenied):
        apply(rw, "company_staff", code="civilised")  # community honours are the community's to apply for


def test_one_open_application_per_unit(rw):
    apply(rw)
    with pytest.raises(DomainError, match="正在审核"):
        apply(rw, "company_staff")
    assert Honour.objects.count() == 1


def test_steps_out_of_turn_scope_and_version(rw):
    h = apply(rw)
    before = _snap()
    with pytest.raises(DomainError):
        step(rw, "district_staff", h, "grant")  # 认定 before 初审: 400
    with pytest.raises(PermissionDenied):
        step(rw, "community_worker", h, "review")  # 403
    with pytest.raises(Http404):
        services.honour_act(user=rw.users["community_worker2"], pk=h.pk, action="review", version=h.version)
    with pytest.raises(Conflict):
        services.honour_act(user=rw.users["street_staff"], pk=h.pk, action="review", version=h.version + 5)
    with pytest.raises(ValidationFailed):
        services.honour_act(user=rw.users["street_staff"], pk=h.pk, action="review", version="1")
    assert _snap() == before


def test_a_street_out_of_scope_gets_404(rw):
    other = factories.user("street_b", "street_staff", rw.w.street_b)
    h = apply(rw)
    with pytest.raises(Http404):
        services.honour_act(user=other, pk=h.pk, action="review", version=h.version)


def test_manual_revocation_by_the_district(rw):
    h = granted(rw)
    with pytest.raises(PermissionDenied):
        step(rw, "street_staff", h, "revoke", "检查不达标")
    h = step(rw, "district_staff", h, "revoke", "检查发现防控措施未落实")
    assert h.status == rules.REVOKED and h.revocation_kind == rules.MANUAL and "防控措施未落实" in h.revocation_reason
    apply(rw)  # a manual revocation names no case: the unit may apply again


# ---------------------------------------------------------------- automatic 摘牌


def test_an_unconfirmed_report_takes_nothing_down_and_its_rejection_leaves_the_plate(
    rw, django_capture_on_commit_callbacks
):
    h = granted(rw)
    with django_capture_on_commit_callbacks(execute=True):
        case = incident(rw, register=False)
        case_services.case_act(user=rw.users["street_staff"], case_id=case.pk, action="reject", version=case.version,
                               note="经核实不属实")  # fmt: skip
    h.refresh_from_db()
    assert h.status == rules.GRANTED


def test_a_new_incident_revokes_on_commit_with_the_reason(rw, django_capture_on_commit_callbacks):
    h = granted(rw)
    with django_capture_on_commit_callbacks(execute=True):
        case = incident(rw)
    h.refresh_from_db()
    assert h.status == rules.REVOKED and h.revoked_by is None and h.revocation_case == case
    assert h.revocation_kind == rules.NEW_INCIDENT and case.number in h.revocation_reason
    assert "新发事件" in h.revocation_reason


def test_an_incident_at_a_house_of_the_estate_revokes_its_plate(rw, django_capture_on_commit_callbacks):
    h = granted(rw)
    house = factories.house(rw.w.grid_a1, rw.estate_a1, building="3")
    data = {"category_id": Category.objects.get(code="0905").pk, "description": "三号楼发现一例确诊病例",
            "house_id": house.pk}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.case_create(user=rw.users["community_worker"], channel="window", data=data)
        case_services.case_act(user=rw.users["street_staff"], case_id=case.pk, action="register",
                               version=case.version)  # fmt: skip
    h.refresh_from_db()
    assert case.estate_id is None and h.status == rules.REVOKED and h.revocation_case == case


def test_an_unwatched_category_leaves_the_plate(rw, django_capture_on_commit_callbacks):
    h = granted(rw)
    with django_capture_on_commit_callbacks(execute=True):
        incident(rw, code="0401")  # 路灯不亮 is no concern of 无疫小区
    h.refresh_from_db()
    assert h.status == rules.GRANTED


def test_a_verified_complaint_revokes_when_closed(rw, django_capture_on_commit_callbacks):
    h = granted(rw, code="civilised")
    case = incident(rw, code="0102")  # 乱堆乱放 in the community (市容环境)
    assert services.honours_review() == []  # registered, not yet verified
    user = rw.users["district_staff"]
    for action, kw in (("dispatch", {}), ("accept", {}), ("feedback", {"note": "已清理"})):
        case.refresh_from_db()
        actor = rw.users["dept_handler"] if action in ("accept", "feedback") else user
        case_services.case_act(user=actor, case_id=case.pk, action=action, version=case.version, **kw)
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_act(user=rw.users["community_worker"], case_id=case.pk, action="verify",
                               version=case.version)  # fmt: skip
    h.refresh_from_db()
    assert h.status == rules.REVOKED and h.revocation_kind == rules.VERIFIED_COMPLAINT


def test_an_overdue_rectification_revokes_at_the_hourly_review_once(rw):
    h = granted(rw)
    finding = rw.register(due_on=timezone.localdate().isoformat())
    assert services.honours_review() == []  # still today
    later = timezone.now() + timedelta(days=2)
    assert [x.pk for x in services.honours_review(now=later)] == [h.pk]
    assert services.honours_review(now=later) == []  # idempotent
    h.refresh_from_db()
    assert h.status == rules.REVOKED and h.revocation_case_id == finding.pk and h.version == 4
    assert "整改未到位" in h.revocation_reason


def test_reapplication_waits_for_the_revoking_case_to_close(rw, django_capture_on_commit_callbacks):
    granted(rw)
    with django_capture_on_commit_callbacks(execute=True):
        case = incident(rw)
    with pytest.raises(DomainError, match=f"摘牌原因案件{case.number}尚未整改办结"):
        apply(rw)
    from linli.cases.models import Case

    Case.objects.filter(pk=case.pk).update(state="closed", closed_at=timezone.now())
    assert apply(rw).status == rules.APPLIED


def test_the_command_reports(rw, capsys):
    granted(rw)
    incident(rw)  # no on-commit here: the hourly command catches it
    call_command("honours_review")
    assert "已摘牌：锦绣家园 无疫小区" in capsys.readouterr().out
    call_command("honours_review")
    assert "本次自动摘牌 0 个" in capsys.readouterr().out


def test_expired_plates_are_marked_and_free_the_unit(rw):
    h = granted(rw)
    Honour.objects.filter(pk=h.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    services.honours_review()
    h.refresh_from_db()
    assert h.status == rules.EXPIRED
    assert apply(rw).status == rules.APPLIED
