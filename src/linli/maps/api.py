"""Maps API: address search (the configured geocoder) and the registry's base map. Both answer without a login,
since the residents' report form uses them; a signed-in user's search also finds the houses in their scope."""

from ninja import Query, Router

from linli.accounts.auth import USER_AUTH

from . import selectors
from .geocoders import geocoder
from .schemas import BaseMapOut, BoxIn, PlaceOut, SearchIn

router = Router(tags=["maps"])


def anonymous(request) -> bool:
    return True


OPTIONAL_AUTH = [*USER_AUTH, anonymous]


@router.get(
    "/search",
    auth=OPTIONAL_AUTH,
    url_name="maps_search",
    response=list[PlaceOut],
    summary="地址搜索：小区、楼栋、门牌（无需登录）",
)
def search(request, params: Query[SearchIn]):
    return geocoder().search(params.q, user=request.user, limit=params.limit)


@router.get(
    "/base",
    auth=OPTIONAL_AUTH,
    url_name="maps_base",
    response=BaseMapOut,
    summary="底图：范围内的小区轮廓和楼栋（无需登录）",
)
def base(request, params: Query[BoxIn]):
    box = params.box()
    return {**selectors.base_map(box, buildings=params.buildings), "shift": selectors.tile_shift(box)}
