"""Honours API under /api/v1/honours: types, the scoped list, one honour, applying, 初审/认定/摘牌, and the public
list (no login): current plates and revoked ones with the reason."""

from datetime import date, datetime

from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id, In, Schema, Text, Version

from . import selectors, services
from .models import Honour

router = Router(tags=["honours"])


class RuleOut(Schema):
    kind: str
    label: str
    categories: list[str]


class TypeOut(Schema):
    id: int
    code: str
    name: str
    level: str
    validity_months: int
    criteria: str
    active: bool
    rules: list[RuleOut]


class HonourOut(Schema):
    id: int
    honour_type_id: int
    honour_type: str
    level: str
    estate_id: int | None
    community_id: int | None
    unit: str
    region: str
    status: str
    status_label: str
    number: str
    granted_on: date | None
    valid_until: date | None
    revoked_at: datetime | None
    revocation_kind: str
    revocation_label: str
    revocation_case: str | None
    revocation_reason: str
    version: int

    @staticmethod
    def resolve_honour_type(h: Honour) -> str:
        return h.honour_type.name

    @staticmethod
    def resolve_level(h: Honour) -> str:
        return h.honour_type.level

    @staticmethod
    def resolve_unit(h: Honour) -> str:
        return h.unit_name

    @staticmethod
    def resolve_region(h: Honour) -> str:
        return h.region.name

    @staticmethod
    def resolve_status_label(h: Honour) -> str:
        return h.get_status_display()

    @staticmethod
    def resolve_revocation_case(h: Honour) -> str | None:
        return h.revocation_case.number if h.revocation_case_id else None


class HonourDetailOut(HonourOut):  # a selectors.honour_detail
    statement: str
    applied_at: datetime
    review_note: str
    decision_note: str
    actions: list[str]

    @staticmethod
    def resolve_actions(h: Honour) -> list[str]:
        return [s.action for s in h.steps]


class PublicHonourOut(Schema):
    honour_type: str
    unit: str
    region: str
    number: str
    granted_on: date | None
    valid_until: date | None
    revoked_at: datetime | None = None
    revocation_reason: str = ""


class PublicOut(Schema):
    current: list[PublicHonourOut]
    revoked: list[PublicHonourOut]


class ApplyIn(In):
    honour_type_id: Id
    estate_id: Id | None = None
    community_id: Id | None = None
    statement: Text


class ActIn(In):
    version: Version
    note: Text = ""


class FilterIn(In):
    honour_type: Id | None = None
    status: str | None = None
    q: str | None = None


def _public(h: Honour) -> dict:
    return {
        "honour_type": h.honour_type.name,
        "unit": h.unit_name,
        "region": h.region.name,
        "number": h.number,
        "granted_on": h.granted_on,
        "valid_until": h.valid_until,
        "revoked_at": h.revoked_at,
        "revocation_reason": h.revocation_reason,
    }


PUBLIC_LIMIT = 500


@router.get("/public", auth=None, response=PublicOut, summary="公示：在牌荣誉及已摘牌名单（含摘牌原因），无需登录")
def public_list(request):
    return {
        "current": [_public(h) for h in selectors.public_current()[:PUBLIC_LIMIT]],
        "revoked": [_public(h) for h in selectors.public_revoked()[:PUBLIC_LIMIT]],
    }


@router.get("/types", response=list[TypeOut], summary="荣誉类型及摘牌规则")
def type_list(request):
    def rule(r) -> dict:
        return {"kind": r.kind, "label": r.get_kind_display(), "categories": [c.code for c in r.categories.all()]}

    return [
        {
            "id": t.pk, "code": t.code, "name": t.name, "level": t.level, "validity_months": t.validity_months,
            "criteria": t.criteria, "active": t.active, "rules": [rule(r) for r in t.rules.all()],
        }
        for t in selectors.honour_types()
    ]  # fmt: skip


@router.get("", response=list[HonourOut], summary="挂牌申报与荣誉列表（管辖范围内）")
@paginate(Pages)
def honour_list(request, filters: Query[FilterIn]):
    return selectors.honour_list(user=request.user, filters=selectors.HonourFilter(**filters.dict()))


@router.post("", response={201: HonourDetailOut}, summary="自主申报（社区工作人员、物业服务企业）")
def honour_apply(request, payload: ApplyIn):
    honour = services.honour_apply(user=request.user, data=payload.dict())
    return Status(201, selectors.honour_detail(user=request.user, pk=honour.pk))


@router.get("/{honour_id}", response=HonourDetailOut, summary="一条申报或荣誉，含可执行的操作")
def honour_detail(request, honour_id: Id):
    return selectors.honour_detail(user=request.user, pk=honour_id)


@router.post("/{honour_id}/actions/{action}", response=HonourDetailOut,
             summary="初审（review/review_reject）、认定（grant/reject）、摘牌（revoke）")  # fmt: skip
def honour_act(request, honour_id: Id, action: str, payload: ActIn):
    honour = services.honour_act(
        user=request.user, pk=honour_id, action=action, version=payload.version, note=payload.note,
        now=timezone.now(),
    )  # fmt: skip
    return selectors.honour_detail(user=request.user, pk=honour.pk)
