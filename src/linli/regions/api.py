"""Region tree API: nodes, children, grid staff and a GeoJSON layer of grids for the map."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .schemas import (
    FeatureCollectionOut,
    GridStaffIn,
    GridStaffOut,
    RegionDetailOut,
    RegionFilterIn,
    RegionIn,
    RegionOut,
    RegionPatch,
)

router = Router(tags=["regions"])


@router.get("", response=list[RegionOut], summary="区域列表")
@paginate(Pages)
def region_list(request, filters: Query[RegionFilterIn]):
    return selectors.region_list(user=request.user, **filters.dict())


@router.post("", response={201: RegionDetailOut}, summary="新建区域")
def region_create(request, payload: RegionIn):
    node = services.region_create(user=request.user, **payload.dict())
    return Status(201, selectors.region_get(user=request.user, pk=node.pk))


@router.get("/geojson", response=FeatureCollectionOut, summary="网格边界（GeoJSON FeatureCollection）")
def region_geojson(request, parent: Id | None = None):
    """The grids under `parent` (or every grid in the user's scope) in one query, for Leaflet."""
    return {"type": "FeatureCollection", "features": list(selectors.map_grids(user=request.user, parent=parent))}


@router.get("/{region_id}", response=RegionDetailOut, summary="区域详情（含边界）")
def region_detail(request, region_id: Id):
    return selectors.region_get(user=request.user, pk=region_id)


@router.patch("/{region_id}", response=RegionDetailOut, summary="修改区域")
def region_update(request, region_id: Id, payload: RegionPatch):
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    services.region_update(user=request.user, pk=region_id, version=payload.version, **changes)
    return selectors.region_get(user=request.user, pk=region_id)


@router.get("/{region_id}/children", response=list[RegionOut], summary="下级区域")
@paginate(Pages)
def region_children(request, region_id: Id):
    parent = selectors.region_get(user=request.user, pk=region_id)
    return selectors.region_list(user=request.user, parent=parent.pk)


@router.get("/{region_id}/staff", response=list[GridStaffOut], summary="网格人员（电话脱敏）")
@paginate(Pages)
def staff_list(request, region_id: Id):
    return selectors.grid_staff_list(user=request.user, grid_id=region_id)


@router.post("/{region_id}/staff", response={201: GridStaffOut}, summary="配置网格人员")
def staff_add(request, region_id: Id, payload: GridStaffIn):
    staff = services.grid_staff_add(
        user=request.user,
        grid_id=region_id,
        duty=payload.duty,
        name=payload.name,
        phone=payload.phone,
        staff_user_id=payload.user_id,
    )
    return Status(201, staff)
