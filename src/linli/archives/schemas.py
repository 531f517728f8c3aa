"""API shapes of archive boxes, items, categories and evidence links."""

from datetime import date, datetime
from typing import Literal

from ninja import Field

from linli.core.schemas import ID_MAX, Day, Id, In, Line, ListOf, Name, Schema, Text, Version, Year

from . import rules

Source = Literal["campaigns.report", "assessment.unit"]


class CategoryIn(In):
    district_id: Id
    name: Name = Field(max_length=rules.CATEGORY_MAX)
    order: int | None = Field(None, ge=0, le=999)


class CategoryUpdateIn(In):
    name: Name = Field(max_length=rules.CATEGORY_MAX)
    order: int | None = Field(None, ge=0, le=999)
    active: bool = True


class CategoryOut(Schema):
    id: int
    name: str
    order: int
    active: bool
    district_id: int | None = Field(None, description="空：所有区通用的“一盒档案”八类")


class BoxIn(In):
    topic: Name = Field(max_length=rules.TOPIC_MAX, description="主题，如：扫黄打非、创建文明城区")
    year: Year
    note: Line = Field("", max_length=200)


class BoxCreateIn(BoxIn):
    region_id: Id | None = Field(None, description="所属单位：默认本单位；管理员须指定")


class BoxUpdateIn(BoxIn):
    version: Version


class BoxOut(Schema):
    id: int
    region_id: int
    region_name: str = Field(alias="region.name")
    topic: str
    year: int
    note: str
    version: int
    item_count: int | None = None


class ShelfOut(Schema):
    category_id: int
    category: str
    items: int


class BoxDetailOut(BoxOut):
    shelves: list[ShelfOut]
    missing: list[str] = Field(description="“一盒档案”八类中尚无条目的类别")


class ItemIn(In):
    category_id: Id
    title: Name = Field(max_length=rules.TITLE_MAX)
    text: Text = Field("", max_length=rules.TEXT_MAX)
    date: Day
    tags: ListOf[Line] = Field(default_factory=list, description="标签，每个不超过20字，最多10个")
    region_id: Id | None = Field(None, description="所涉区域：本盒所属单位或其下的社区、网格；默认本单位")


class ItemCreateIn(ItemIn):
    pass


class ItemUpdateIn(ItemIn):
    version: Version
    remove_file: bool = False


class ArchiveItemOut(Schema):
    id: int
    box_id: int
    category_id: int
    category: str = Field(alias="category.name")
    region_id: int
    title: str
    text: str
    date: date
    tags: list[str]
    file_name: str
    file_size: int
    index_state: str
    version: int
    created_at: datetime


class EvidenceIn(In):
    item_id: Id
    source: Source
    source_id: Id
    part_id: int = Field(0, ge=0, le=ID_MAX, description="测评内容（assessment.unit 时必填）；其他为0")


class ArchiveEvidenceOut(Schema):
    id: int
    item_id: int
    title: str = Field(alias="item.title")
    file_name: str = Field(alias="item.file_name")
    source: str
    source_id: int
    part_id: int
    linked_at: datetime
