"""API schemas of the maps: address search and the registry's base map (points in WGS-84, GeoJSON [lon, lat])."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Field
from pydantic import model_validator

from linli.core.schemas import In, Line, Schema

from . import rules


class SearchIn(In):
    q: Line = Field(
        min_length=1, max_length=100, description="地址：小区名、楼栋（金域花园7号楼）、门牌（大南街195号）"
    )
    limit: int = Field(10, ge=1, le=20)


class PlaceOut(Schema):
    kind: str = Field(description="estate 小区 / building 楼栋 / house 房屋 / address 外部地址服务")
    label: str
    address: str = Field(description="填入表单的地址")
    lon: float | None = Field(description="经度（WGS-84）")
    lat: float | None = Field(description="纬度（WGS-84）")
    estate: int | None
    building: int | None
    house: int | None = Field(description="房屋（仅对可查看该房屋的登录用户）")


class BoxIn(In):
    west: float = Field(ge=-180, le=180)
    south: float = Field(ge=-90, le=90)
    east: float = Field(ge=-180, le=180)
    north: float = Field(ge=-90, le=90)
    buildings: bool = Field(False, description="同时返回楼栋（地图放大到街区时）")

    @model_validator(mode="after")
    def _sized(self):
        if self.west >= self.east or self.south >= self.north:
            raise ValueError(_("范围无效：西边界须小于东边界、南边界须小于北边界"))
        if (self.east - self.west) > rules.BOX_MAX_DEGREES or (self.north - self.south) > rules.BOX_MAX_DEGREES:
            raise ValueError(_("范围过大：请放大地图后再查看小区和楼栋"))
        return self

    def box(self) -> tuple[float, float, float, float]:
        return self.west, self.south, self.east, self.north


class BaseMapOut(Schema):
    type: str = "FeatureCollection"
    features: list[dict[str, Any]]
    truncated: bool = Field(description="范围内的小区或楼栋过多，只返回了一部分")
    shift: tuple[float, float] | None = Field(
        description="瓦片为GCJ-02时：范围中心处瓦片相对WGS-84的偏移（经度差，纬度差），地图据此移回瓦片"
    )
