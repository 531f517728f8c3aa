"""Volunteers' statistics under /api/v1/volunteers/stats: the figures of the statistics page."""

from ninja import Router

from linli.core.schemas import Id

from . import selectors
from .schemas import VolunteerStatsOut

router = Router(tags=["volunteers"])


@router.get("", response=VolunteerStatsOut, summary="志愿服务统计：时长、活动满员率、志愿者占比、星级分布")
def volunteer_stats(request, region: Id | None = None):
    """The twelve months up to today, for the caller's scope or a region within it (`region`, out of scope → 404):
    hours by month and by team, activities held, cancelled and flagged short by month with their fill rates,
    volunteers' share of the residents, hours per resident and the star distribution."""
    return selectors.overview(user=request.user, region=region)
