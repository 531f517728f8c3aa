"""电子台账 under /api/v1/archives: categories, boxes of the user's scope (kept by their own office), items with their
file, a box's zip export, and items attached as evidence to campaign reports and assessment items. Thin: selectors
read, services write."""

from django.http import FileResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.schemas import Id, Version, Year

from . import downloads, selectors, services
from .schemas import (
    ArchiveEvidenceOut,
    ArchiveItemOut,
    BoxCreateIn,
    BoxDetailOut,
    BoxOut,
    BoxUpdateIn,
    CategoryIn,
    CategoryOut,
    CategoryUpdateIn,
    EvidenceIn,
    ItemCreateIn,
    ItemUpdateIn,
    Source,
)

router = Router(tags=["archives"])


# ---------------------------------------------------------------- categories


@router.get("/categories", response=list[CategoryOut], summary="档案类别：“一盒档案”八类和本区自设类别")
def categories(request):
    return list(selectors.category_list(user=request.user))


@router.post("/categories", response={201: CategoryOut}, summary="新增本区自设的档案类别")
def category_create(request, payload: CategoryIn):
    return Status(201, services.category_create(user=request.user, **payload.dict()))


@router.put("/categories/{category_id}", response=CategoryOut, summary="修改、停用或恢复本区自设的档案类别")
def category_update(request, category_id: Id, payload: CategoryUpdateIn):
    return services.category_update(user=request.user, category_id=category_id, **payload.dict())


# ---------------------------------------------------------------- evidence


@router.get("/evidence", response=list[ArchiveEvidenceOut], summary="某工作方案进度报送或测评单位的档案佐证")
def evidence_list(request, source: Source, source_id: Id):
    _, links = selectors.evidence_for(user=request.user, source=source, source_id=source_id)
    return links


@router.post("/evidence", response={201: ArchiveEvidenceOut}, summary="把档案条目作为佐证材料附到进度报送或测评内容")
def evidence_attach(request, payload: EvidenceIn):
    link = services.evidence_attach(user=request.user, **payload.dict())
    return Status(201, selectors.link_get(user=request.user, pk=link.pk))


@router.delete("/evidence/{link_id}", response={204: None}, summary="移除佐证材料（条目仍在档案盒中）")
def evidence_detach(request, link_id: Id):
    services.evidence_detach(user=request.user, link_id=link_id)
    return Status(204, None)


@router.get("/evidence/{link_id}/file", summary="打开佐证条目的文件：能查看该报送或测评的人均可")
def evidence_file(request, link_id: Id) -> FileResponse:
    return downloads.item_file(selectors.link_get(user=request.user, pk=link_id).item)


# ---------------------------------------------------------------- items


@router.get("/items/{item_id}", response=ArchiveItemOut, summary="一个档案条目")
def item(request, item_id: Id):
    return selectors.item_get(user=request.user, pk=item_id)


@router.put("/items/{item_id}", response=ArchiveItemOut, summary="修改条目（不换文件；版本过期返回409）")
def item_update(request, item_id: Id, payload: ItemUpdateIn):
    services.item_update(user=request.user, item_id=item_id, **payload.dict())
    return selectors.item_get(user=request.user, pk=item_id)


@router.post("/items/{item_id}/file", response=ArchiveItemOut, summary="上传或替换条目的文件（版本过期返回409）")
def item_file_replace(request, item_id: Id, version: Form[Version], file: File[UploadedFile]):
    services.item_file_replace(user=request.user, item_id=item_id, version=version, file=file)
    return selectors.item_get(user=request.user, pk=item_id)


@router.get("/items/{item_id}/file", summary="下载条目的文件")
def item_file(request, item_id: Id) -> FileResponse:
    return downloads.item_file(selectors.item_get(user=request.user, pk=item_id))


@router.delete("/items/{item_id}", response={204: None}, summary="删除条目及其文件")
def item_delete(request, item_id: Id, version: Version | None = None):
    services.item_delete(user=request.user, item_id=item_id, version=version)
    return Status(204, None)


# ---------------------------------------------------------------- boxes


@router.get("/boxes", response=list[BoxOut], summary="本辖区的档案盒（本单位及下级单位）")
@paginate(Pages)
def boxes(request, year: Year | None = None, topic: str = "", region_id: Id | None = None):
    return selectors.box_list(user=request.user, year=year, topic=topic[:60], region_id=region_id)


@router.post("/boxes", response={201: BoxOut}, summary="为本单位新建档案盒（主题、年度）")
def box_create(request, payload: BoxCreateIn):
    box = services.box_create(user=request.user, **payload.dict())
    return Status(201, selectors.box_get(user=request.user, pk=box.pk))


def _detail(user, box_id: int):
    box = selectors.box_get(user=user, pk=box_id)
    contents = selectors.box_contents(box)
    box.item_count, box.missing = contents.count, contents.missing
    box.shelves = [{"category_id": s.category.pk, "category": s.category.name, "items": len(s.items)}
                   for s in contents.shelves]  # fmt: skip
    return box


@router.get("/boxes/{box_id}", response=BoxDetailOut, summary="档案盒：各类别条目数，八类中尚缺哪些")
def box(request, box_id: Id):
    return _detail(request.user, box_id)


@router.put("/boxes/{box_id}", response=BoxDetailOut, summary="修改档案盒（版本过期返回409）")
def box_update(request, box_id: Id, payload: BoxUpdateIn):
    services.box_update(user=request.user, box_id=box_id, **payload.dict())
    return _detail(request.user, box_id)


@router.delete("/boxes/{box_id}", response={204: None}, summary="删除空的档案盒")
def box_delete(request, box_id: Id, version: Version | None = None):
    services.box_delete(user=request.user, box_id=box_id, version=version)
    return Status(204, None)


@router.get("/boxes/{box_id}/items", response=list[ArchiveItemOut], summary="档案盒中的条目（按类别、日期）")
@paginate(Pages)
def box_items(request, box_id: Id, category_id: Id | None = None):
    return selectors.box_items(selectors.box_get(user=request.user, pk=box_id), category_id=category_id)


@router.post("/boxes/{box_id}/items", response={201: ArchiveItemOut}, summary="归档一个条目（可附一个文件）")
def item_create(request, box_id: Id, payload: Form[ItemCreateIn], file: File[UploadedFile] = None):
    item = services.item_create(user=request.user, box_id=box_id, file=file, **payload.dict())
    return Status(201, selectors.item_get(user=request.user, pk=item.pk))


@router.get("/boxes/{box_id}/export", summary="导出档案盒：zip（目录.xlsx 和按类别分文件夹的文件）")
def box_export(request, box_id: Id) -> FileResponse:
    return downloads.box_zip(request, selectors.box_get(user=request.user, pk=box_id))
