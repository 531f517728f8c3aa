"""我的账号 in the API (/api/v1/portal/account): residents only, each their own."""

from datetime import datetime

from ninja import Router, Status

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.pii import mask_phone
from linli.core.schemas import In, Line, Schema

from .. import selectors as resident_selectors
from . import rules, selectors, services

router = Router(tags=["portal"], auth=RESIDENT_AUTH)


class AccountOut(Schema):
    phone: str  # masked
    created_at: datetime
    bound: bool
    notice_version: str  # the notice in force
    consented_at: datetime | None  # when the resident agreed to it; None: not yet (ask before any personal data)


class ConsentIn(In):
    version: Line  # the version of the notice the resident read


class DeleteIn(In):
    confirm: bool


def _account(resident) -> dict:
    consent = selectors.consent_current(resident)
    return {
        "phone": mask_phone(resident.phone), "created_at": resident.created_at, "bound": resident.person_id is not None,
        "notice_version": rules.NOTICE_VERSION, "consented_at": consent.accepted_at if consent else None,
    }  # fmt: skip


@router.get("", response=AccountOut, summary="我的账号：手机号（打码）、告知书版本及同意时间")
def account(request):
    return _account(resident_selectors.resident_of(request.user))


@router.post("/consent", response=AccountOut, summary="同意现行《个人信息保护告知书》（version 须为现行版本）")
def consent(request, payload: ConsentIn):
    resident = resident_selectors.resident_of(request.user)
    services.consent_accept(resident=resident, version=payload.version)
    return _account(resident)


@router.post("/delete", response={204: None}, summary="注销账号：账号、手机号、同意记录删除，无法恢复；须 confirm=true")
def delete(request, payload: DeleteIn):
    services.account_delete(resident=resident_selectors.resident_of(request.user), confirm=payload.confirm,
                            request=request)  # fmt: skip
    return Status(204, None)
