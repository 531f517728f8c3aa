"""The volunteer's own file for residents under /api/v1/portal/volunteer: registering (with consent to the
volunteers' notice), my card (hours, stars, hours to the next star), my skills, my hours and my certificates.
Residents only (RESIDENT_AUTH), and only after agreeing to the portal's privacy notice (consent_check)."""

from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.pagination import Pages
from linli.residents.access import consent_check
from linli.residents.selectors import resident_of

from ... import selectors as scoped
from ...hours import selectors as hours
from ...hours.schemas import CardOut, CertificateOut, CreditOut
from .. import services
from ..schemas import PortalRegisterIn, PortalUpdateIn

router = Router(tags=["portal"], auth=RESIDENT_AUTH)


def _own(request):
    consent_check(request.user)
    volunteer = scoped.own_volunteer(request.user)
    if volunteer is None:
        raise Http404
    return volunteer


def card_out(volunteer) -> dict:
    c = hours.card(volunteer)
    return {"number": volunteer.number, "community": volunteer.region.name, "state": volunteer.state,
            "hours": c.hours, "stars": c.stars, "to_next": c.to_next, "thresholds": list(c.thresholds),
            "skills": volunteer.skills, "availability": volunteer.availability,
            "version": volunteer.version}  # fmt: skip


@router.get("/volunteer", response=CardOut, summary="我的志愿者证：累计时长、星级、距下一星级（未注册为404）")
def mine(request):
    return card_out(_own(request))


@router.post("/volunteer", response={201: CardOut}, summary="注册志愿者（须先实名认证，并同意志愿者告知书）")
def register(request, payload: PortalRegisterIn):
    consent_check(request.user)
    volunteer = services.portal_register(resident=resident_of(request.user), **payload.dict())
    return Status(201, card_out(scoped.own_volunteer(request.user) or volunteer))


@router.put("/volunteer", response=CardOut, summary="修改我的技能特长与可服务时间")
def update(request, payload: PortalUpdateIn):
    _own(request)
    services.portal_update(resident=resident_of(request.user), **payload.dict())
    return card_out(scoped.own_volunteer(request.user))


@router.get("/volunteer/hours", response=list[CreditOut], summary="我的服务时长记录")
@paginate(Pages)
def my_hours(request):
    return hours.history(_own(request))


@router.get("/volunteer/certificates", response=list[CertificateOut], summary="我的时长证明")
def my_certificates(request):
    return hours.certificates_of(_own(request)).select_related("volunteer__person")
