"""我的反映 under /api/v1/portal/reports: the signed-in resident's reports, their progress, the rating at close."""

from django.urls import reverse
from ninja import Router
from ninja.pagination import paginate

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.pagination import Pages
from linli.core.schemas import Id

from .. import selectors as residents
from . import schemas, selectors, services
from .schemas import MyReportDetailOut, MyReportOut, RateIn

router = Router(tags=["portal"], auth=RESIDENT_AUTH)


def _detail(case) -> dict:
    p = selectors.progress(case)
    return {
        "id": case.pk,
        "number": case.number,
        "category": schemas.category(case),
        "state": case.state,
        "state_label": p["state_label"],
        "received_at": case.received_at,
        "rateable": p["rateable"],
        "tracking_code": case.tracking_code,
        "description": case.description,
        "address": case.address,
        "community": case.community.name if case.community_id else None,
        "state_hint": p["state_hint"],
        "expected": p["expected"],
        "rating": case.rating,
        "rating_label": p["rating_label"],
        "timeline": p["entries"],
        "photos": [{"id": a.pk, "url": reverse("portal:report_photo", args=[case.pk, a.pk])} for a in p["photos"]],
    }


@router.get("/reports", response=list[MyReportOut], summary="我的反映：本人手机号反映过的问题，新的在前")
@paginate(Pages)
def reports(request):
    return selectors.my_reports(residents.resident_of(request.user))


@router.get("/reports/{report_id}", response=MyReportDetailOut, summary="一件反映的办理进度、照片和评价；他人的为404")
def report(request, report_id: Id):
    resident = residents.resident_of(request.user)
    case = selectors.my_report(resident, report_id)
    services.report_opened(resident=resident, case=case)
    return _detail(case)


@router.post("/reports/{report_id}/rate", response=MyReportDetailOut, summary="评价办理结果（不满意将重新办理一次）")
def rate(request, report_id: Id, body: RateIn):
    resident = residents.resident_of(request.user)
    services.report_rate(resident=resident, pk=report_id, rating=body.rating, note=body.note)
    return _detail(selectors.my_report(resident, report_id))
