"""Community notices for residents under /api/v1/portal/notices: those addressed to where they live, and reading
one (its read mark). Residents only (the portal router's RESIDENT_AUTH)."""

from ninja import Router
from ninja.pagination import paginate

from linli.accounts.auth import RESIDENT_AUTH
from linli.core.pagination import Pages
from linli.core.schemas import Id
from linli.residents.selectors import resident_of

from .. import selectors, services
from ..schemas import PortalNoticeDetailOut, PortalNoticeOut

router = Router(tags=["portal"], auth=RESIDENT_AUTH)


@router.get("/notices", response=list[PortalNoticeOut], summary="社区公告：发给本人所在社区、网格、小区、楼栋的公告")
@paginate(Pages)
def notices(request):
    return selectors.resident_notices(resident_of(request.user))


@router.get("/notices/{notice_id}", response=PortalNoticeDetailOut, summary="一则公告的正文")
def notice(request, notice_id: Id):
    return selectors.resident_notice_get(resident=resident_of(request.user), pk=notice_id)


@router.post("/notices/{notice_id}/read", response=PortalNoticeDetailOut, summary="标记已读（计入阅读人数）")
def notice_read(request, notice_id: Id):
    resident = resident_of(request.user)
    services.notice_read(resident=resident, notice_id=notice_id)
    return selectors.resident_notice_get(resident=resident, pk=notice_id)
