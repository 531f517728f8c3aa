"""Certificates for staff under /api/v1/certificates: the applications of the user's scope, the decision (issue or
refuse), revocation, and the district's list of matters. Thin: selectors read, services write. Applications are
entered on the window's page or in the portal (their files are uploads of a form)."""

from ninja import Router
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .schemas import ApplicationOut, CommunityCertificateOut, IssueIn, MatterIn, MatterOut, RefuseIn, RevokeIn, State

router = Router(tags=["certificates"])


@router.get("/matters", response=list[MatterOut], summary="证明事项清单：本区的事项及依据")
def matters(request, district_id: Id | None = None):
    selectors.check_viewer(request.user)
    if district_id is None:
        district = selectors.districts_seen(request.user).order_by("path").first()
        if district is None:
            return []
        district_id = district.pk
    return list(selectors.matter_list(user=request.user, district_id=district_id))


@router.put("/matters/{matter_id}", response=MatterOut, summary="修改证明事项（区级；移出清单：active=false）")
def matter_update(request, matter_id: Id, payload: MatterIn):
    return services.matter_update(user=request.user, matter_id=matter_id, **payload.dict())


@router.get("/applications", response=list[ApplicationOut], summary="证明申请：本辖区的申请，可按状态筛选")
@paginate(Pages)
def applications(request, state: State | None = None):
    return selectors.application_list(user=request.user, state=state)


@router.get("/applications/{application_id}", response=ApplicationOut, summary="一件证明申请")
def application(request, application_id: Id):
    return selectors.application_get(user=request.user, pk=application_id)


@router.post("/applications/{application_id}/issue", response=CommunityCertificateOut,
             summary="出具证明：编号与验证码（申请人所在社区居委会）")  # fmt: skip
def issue(request, application_id: Id, payload: IssueIn):
    return services.application_issue(user=request.user, application_id=application_id, **payload.dict())


@router.post("/applications/{application_id}/refuse", response=ApplicationOut, summary="不予出具，说明理由")
def refuse(request, application_id: Id, payload: RefuseIn):
    services.application_refuse(user=request.user, application_id=application_id, **payload.dict())
    return selectors.application_get(user=request.user, pk=application_id)


@router.get("/issued/{certificate_id}", response=CommunityCertificateOut, summary="一份已出具的证明")
def certificate(request, certificate_id: Id):
    return selectors.certificate_get(user=request.user, pk=certificate_id)


@router.post("/issued/{certificate_id}/revoke", response=CommunityCertificateOut, summary="作废证明，说明原因")
def revoke(request, certificate_id: Id, payload: RevokeIn):
    return services.certificate_revoke(user=request.user, certificate_id=certificate_id, **payload.dict())
