"""Hours, stars, leaderboards and certificates for staff under /api/v1/volunteers (ids are whole numbers, so these
paths and the registry's /{volunteer_id} never meet). Thin: selectors read, services write."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Day, Id

from .. import rules as vocabulary
from ..registry.selectors import check_viewer, volunteer_get
from . import selectors, services
from .documents import certificate_docx
from .schemas import BoardRowOut, CertificateOut, CreditOut, Period, RevokeIn, StarsIn, StarsOut

router = Router(tags=["volunteers"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def stars_of(district) -> dict:
    scheme = selectors.scheme_for(district)
    thresholds = list(scheme.thresholds if scheme else vocabulary.DEFAULT_STARS)
    version = scheme.version if scheme else 0
    return {"region_id": district.pk, "region": district.name, "default": scheme is None, "version": version,
            "thresholds": thresholds}  # fmt: skip


@router.get("/stars", response=list[StarsOut], summary="星级标准：本辖区所在各区的一至五星所需时长")
def stars(request):
    check_viewer(request.user)
    return [stars_of(d) for d in selectors.districts_seen(request.user)]


@router.put("/stars/{region_id}", response=StarsOut, summary="设置区的志愿者星级标准（区级）")
def stars_set(request, region_id: Id, payload: StarsIn):
    scheme = services.star_scheme_set(user=request.user, region_id=region_id, **payload.dict())
    return stars_of(scheme.region)


@router.get("/leaderboard", response=list[BoardRowOut], summary="服务时长排行：按月、季度、年度或累计")
def leaderboard(request, period: Period = "month", region_id: Id | None = None):
    check_viewer(request.user)
    return selectors.leaderboard(user=request.user, period=period, region_id=region_id)


@router.get("/hours.xlsx", response={200: None}, summary="导出服务时长（.xlsx，每名志愿者每次活动一行）")
def hours_export(request, since: Day | None = None, until: Day | None = None, region_id: Id | None = None):
    check_viewer(request.user)
    content = services.hours_export(user=request.user, since=since, until=until, region_id=region_id, request=request)
    return download(content, _("志愿服务时长.xlsx"), XLSX)


@router.get("/certificates/{certificate_id}", response=CertificateOut, summary="一份时长证明")
def certificate(request, certificate_id: Id):
    return selectors.certificate_get(user=request.user, pk=certificate_id)


@router.get("/certificates/{certificate_id}/certificate.docx", response={200: None}, summary="时长证明（.docx）")
def certificate_document(request, certificate_id: Id):
    cert = selectors.certificate_get(user=request.user, pk=certificate_id)
    url = request.build_absolute_uri(reverse("volunteers_public:verify", args=[cert.code]))
    return download(certificate_docx(cert, url), _("志愿服务时长证明-%(serial)s.docx") % {"serial": cert.serial}, DOCX)


@router.post("/certificates/{certificate_id}/revoke", response=CertificateOut, summary="作废时长证明（须填写原因）")
def certificate_revoke(request, certificate_id: Id, payload: RevokeIn):
    services.certificate_revoke(user=request.user, certificate_id=certificate_id, reason=payload.reason)
    return selectors.certificate_get(user=request.user, pk=certificate_id)


@router.get("/{volunteer_id}/hours", response=list[CreditOut], summary="一名志愿者的服务时长记录")
@paginate(Pages)
def hours(request, volunteer_id: Id):
    return selectors.history(volunteer_get(user=request.user, pk=volunteer_id))


@router.get("/{volunteer_id}/certificates", response=list[CertificateOut], summary="一名志愿者的时长证明")
def certificates(request, volunteer_id: Id):
    volunteer = volunteer_get(user=request.user, pk=volunteer_id)
    return selectors.certificates_of(volunteer).select_related("volunteer__person")


@router.post("/{volunteer_id}/certificates", response={201: CertificateOut}, summary="出具志愿服务时长证明")
def certificate_issue(request, volunteer_id: Id):
    cert = services.certificate_issue(user=request.user, volunteer_id=volunteer_id)
    return Status(201, selectors.certificate_get(user=request.user, pk=cert.pk))
