"""The resident's own certificate applications under /api/v1/portal/certificates: list, and withdraw one still
waiting. Residents only (RESIDENT_AUTH), after agreeing to the portal's privacy notice (consent_check). Applying,
with its photos of ID and 户口本, is the portal's page."""

from ninja import Router

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.schemas import Id
from linli.residents.access import consent_check
from linli.residents.selectors import resident_of

from .. import selectors, services
from ..schemas import MyApplicationOut

router = Router(tags=["portal"], auth=RESIDENT_AUTH)


def _out(app) -> dict:
    cert = getattr(app, "certificate", None) if app.state == "issued" else None
    return {"id": app.pk, "community": app.community.name, "asked": app.asked, "requester": app.requester,
            "purpose": app.purpose, "state": app.state, "decision_note": app.decision_note,
            "created_at": app.created_at, "serial": cert.serial if cert else None,
            "code": cert.code if cert else None}  # fmt: skip


@router.get("/certificates", response=list[MyApplicationOut], summary="我的证明申请（最近50件）")
def mine(request):
    consent_check(request.user)
    resident = resident_of(request.user)
    return [_out(a) for a in selectors.own_applications(resident.person_id)[:50]]


@router.post("/certificates/{application_id}/withdraw", response=MyApplicationOut, summary="撤回待审核的申请")
def withdraw(request, application_id: Id):
    consent_check(request.user)
    resident = resident_of(request.user)
    app = services.portal_withdraw(resident=resident, application_id=application_id)
    return _out(selectors.own_application(person_id=resident.person_id, pk=app.pk))
