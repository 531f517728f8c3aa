"""Community notices for staff under /api/v1/notices: the list of the user's scope with read counts, drafting,
publishing, withdrawing, and the audiences they may address. Thin: selectors read, services write."""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import rules, selectors, services
from .schemas import (
    CommunityNoticeActionIn,
    CommunityNoticeCreateIn,
    CommunityNoticeDetailOut,
    CommunityNoticeOut,
    CommunityNoticeUpdateIn,
    NoticeAudienceOut,
)
from .schemas import Status as NoticeStatus

router = Router(tags=["notices"])


@router.get("", response=list[CommunityNoticeOut], summary="社区公告：本辖区的公告（草稿、已发布、已撤回）及阅读人数")
@paginate(Pages)
def notices(request, status: NoticeStatus | None = None):
    return selectors.notice_list(user=request.user, status=status)


@router.get("/audiences", response=list[NoticeAudienceOut], summary="可发布的范围：辖区内的社区、网格、小区和楼栋")
def audiences(request):
    user = request.user
    return [
        *({"audience": rules.REGION_AUDIENCES[r.level], "id": r.pk, "label": r.name}
          for r in selectors.audience_regions(user=user)),
        *({"audience": rules.ESTATE, "id": e.pk, "label": e.name} for e in selectors.audience_estates(user=user)),
        *({"audience": rules.BUILDING, "id": b.pk, "label": f"{b.estate.name}{b}"}
          for b in selectors.audience_buildings(user=user)),
    ]  # fmt: skip


@router.post("", response={201: CommunityNoticeDetailOut}, summary="拟写公告：存为草稿，或立即发布（publish=true）")
def notice_create(request, payload: CommunityNoticeCreateIn):
    notice = services.notice_create(
        user=request.user, title=payload.title, body=payload.body, audience=payload.audience,
        target=payload.target_id, notify=payload.notify, publish=payload.publish,
    )  # fmt: skip
    return Status(201, selectors.notice_get(user=request.user, pk=notice.pk))


@router.get("/{notice_id}", response=CommunityNoticeDetailOut, summary="一则公告：正文、范围、已读和应读人数")
def notice(request, notice_id: Id):
    return selectors.notice_get(user=request.user, pk=notice_id)


@router.put("/{notice_id}", response=CommunityNoticeDetailOut, summary="修改草稿（已发布的公告不能修改，可撤回）")
def notice_update(request, notice_id: Id, payload: CommunityNoticeUpdateIn):
    services.notice_update(
        user=request.user, notice_id=notice_id, version=payload.version, title=payload.title, body=payload.body,
        audience=payload.audience, target=payload.target_id, notify=payload.notify,
    )  # fmt: skip
    return selectors.notice_get(user=request.user, pk=notice_id)


@router.post("/{notice_id}/publish", response=CommunityNoticeDetailOut, summary="发布草稿（范围内居民可见）")
def notice_publish(request, notice_id: Id, payload: CommunityNoticeActionIn):
    services.notice_publish(user=request.user, notice_id=notice_id, version=payload.version)
    return selectors.notice_get(user=request.user, pk=notice_id)


@router.post("/{notice_id}/withdraw", response=CommunityNoticeDetailOut, summary="撤回已发布的公告（居民不再可见）")
def notice_withdraw(request, notice_id: Id, payload: CommunityNoticeActionIn):
    services.notice_withdraw(user=request.user, notice_id=notice_id, version=payload.version)
    return selectors.notice_get(user=request.user, pk=notice_id)
