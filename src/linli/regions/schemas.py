"""API schemas of the region tree: explicit fields; boundaries as GeoJSON; staff phones masked."""

from typing import Any, Literal

from ninja import Field

from linli.core.pii import mask_phone
from linli.core.schemas import Id, In, Name, Schema, Version

from . import rules
from .models import GridStaff, Region


class RegionFilterIn(In):
    parent: Id | None = Field(None, description="上级区域")
    level: Region.Level | None = Field(None, description="层级：3区县 4街道/乡镇 5社区/村 6网格")
    name: str | None = Field(None, max_length=100, description="名称（包含）")


class RegionOut(Schema):
    id: int
    parent_id: int | None
    parent_name: str | None
    level: int
    level_label: str
    grid_kind: str
    grid_kind_label: str
    code: str
    name: str
    households_planned: int | None
    version: int

    @staticmethod
    def resolve_parent_name(obj: Region) -> str | None:
        return obj.parent.name if obj.parent_id else None

    @staticmethod
    def resolve_level_label(obj: Region) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_grid_kind_label(obj: Region) -> str:
        return obj.get_grid_kind_display()


class RegionDetailOut(RegionOut):
    boundary: dict[str, Any] | None = Field(description="GeoJSON Polygon/MultiPolygon（WGS84）")


class RegionIn(In):
    parent_id: Id | None = Field(None, description="上级区域；顶级区域仅系统管理员可建")
    level: Region.Level = Field(description="层级：3区县 4街道/乡镇 5社区/村 6网格")
    code: str = Field(description="统计用区划代码（12位）；网格为上级编码加3位")
    name: Name
    boundary: dict[str, Any] | None = None
    grid_kind: str = Field("", description="网格类型：large/medium/small/micro")
    households_planned: int | None = Field(None, ge=0, le=rules.HOUSEHOLDS_PLANNED_MAX)


class RegionPatch(In):
    version: Version
    name: Name | None = None
    code: str | None = None
    boundary: dict[str, Any] | None = None
    grid_kind: str | None = None
    households_planned: int | None = Field(None, ge=0, le=rules.HOUSEHOLDS_PLANNED_MAX)


class GridFeatureOut(Schema):
    """One grid as a GeoJSON Feature (geometry null when no boundary is drawn yet)."""

    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any] | None
    properties: dict[str, Any]

    @staticmethod
    def resolve_geometry(obj: Region):
        return obj.boundary

    @staticmethod
    def resolve_properties(obj: Region) -> dict:
        return {
            "id": obj.pk,
            "name": obj.name,
            "code": obj.code,
            "parent_id": obj.parent_id,
            "grid_kind": obj.grid_kind,
            "grid_kind_label": obj.get_grid_kind_display(),
            "households_planned": obj.households_planned,
        }


class FeatureCollectionOut(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[GridFeatureOut]


class GridStaffIn(In):
    duty: str = Field(description="职务：leader网格长 / worker网格员 / building楼栋长")
    name: Name
    phone: str = ""
    user_id: Id | None = Field(None, description="对应的系统账户（可选）")


class GridStaffOut(Schema):
    id: int
    grid_id: int
    duty: str
    duty_label: str
    name: str
    phone: str = Field(description="脱敏")
    user_id: int | None

    @staticmethod
    def resolve_duty_label(obj: GridStaff) -> str:
        return obj.get_duty_display()

    @staticmethod
    def resolve_phone(obj: GridStaff) -> str:
        return mask_phone(obj.phone)
