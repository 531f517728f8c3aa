"""Duplicate hints in the API, under /api/v1/cases beside the case engine's router: what /cases/new/ shows while a
case is taken in. Merging is the case action `merge` (original_id), posted to /cases/{id}/actions/merge."""

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone
from ninja import Field, Query, Router

from linli.core.schemas import Id, In, Schema

from ..schemas import CaseOut
from ..selectors import LIST_RELATED
from . import rules, selectors

router = Router(tags=["cases"])


class SimilarIn(In):
    category_id: Id = Field(description="事件小类")
    latitude: float | None = Field(None, ge=-90, le=90, description="事发位置纬度")
    longitude: float | None = Field(None, ge=-180, le=180, description="事发位置经度")
    house_id: Id | None = Field(None, description="房屋：同一楼栋的案件也算")
    region_id: Id | None = Field(None, description="社区或网格：既无位置也无房屋时，同一区域的案件算")


class SimilarOut(Schema):
    case: CaseOut
    metres: float | None = Field(description="与所给位置的距离（米）；按同一楼栋或同一区域找到的为空")
    distance_label: str = Field(description="如“约50米”")


class SimilarListOut(Schema):
    metres: int = Field(description="按位置查找的范围（米，LINLI_DUPLICATE_METRES）")
    days: int = Field(description="受理时间范围（天，LINLI_DUPLICATE_DAYS）")
    items: list[SimilarOut]


@router.get(
    "/similar",
    response=SimilarListOut,
    summary="疑似重复件：同一小类、附近（或同一楼栋）、近期受理、尚未办结的案件，最近的在前，最多5件",
)
def similar(request, query: Query[SimilarIn]):
    """For those who take cases in (403 otherwise), among the cases they see."""
    place = selectors.Place(query.latitude, query.longitude, query.house_id, query.region_id)
    hints = selectors.similar(user=request.user, category_id=query.category_id, place=place)
    prefetch_related_objects([h.case for h in hints], *LIST_RELATED)
    now = timezone.now()
    return {
        "metres": settings.DUPLICATE_METRES,
        "days": settings.DUPLICATE_DAYS,
        "items": [
            {"case": CaseOut.row(h.case, now), "metres": h.metres, "distance_label": rules.about(h.metres)}
            for h in hints
        ],
    }
