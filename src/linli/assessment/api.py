"""Assessment API under /api/v1/assessment: thin, selectors read and services write.

Scores are saved per unit and stage (PUT …/sheets/{stage} with the sheet's version); evidence files come as
multipart/form-data (item_id, file)."""

from django.http import FileResponse, Http404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from linli.accounts.scope import get_or_404

from . import selectors, services
from .schemas import (
    EvidenceOut,
    RoundDetailOut,
    RoundIn,
    RoundOut,
    SchemeDetailOut,
    SchemeIn,
    SchemeOut,
    SheetIn,
    SheetOut,
    VersionIn,
    result_out,
    round_out,
    scheme_out,
    sheet_out,
)

router = Router(tags=["assessment"])
PAGE = {"page_size": 20, "max_page_size": 100}


# ---------------------------------------------------------------- schemes


@router.get("/schemes", response=list[SchemeOut], summary="指标体系列表（本级、上级和下级区域的）")
@paginate(PageNumberPagination, **PAGE)
def scheme_list(request):
    return [scheme_out(s) for s in selectors.scheme_queryset(user=request.user)]


@router.post("/schemes", response={201: SchemeDetailOut}, summary="制定指标体系（一级指标、二级指标、测评内容）")
def scheme_create(request, payload: SchemeIn):
    data = payload.dict()
    scheme = services.scheme_create(
        user=request.user, data=data, region_id=data.pop("region_id"), plan_id=data.pop("plan_id")
    )
    return Status(201, scheme_out(scheme, tree=True))


@router.post("/schemes/standard", response={201: list[SchemeOut]}, summary="为本级区域安装两套标准指标体系")
def scheme_install_standard(request):
    return Status(201, [scheme_out(s) for s in services.standard_schemes_install_as(user=request.user)])


@router.get("/schemes/{scheme_id}", response=SchemeDetailOut, summary="指标体系：指标树与分值")
def scheme_detail(request, scheme_id: int):
    return scheme_out(selectors.scheme_get(user=request.user, pk=scheme_id), tree=True)


# ---------------------------------------------------------------- rounds


@router.get("/rounds", response=list[RoundOut], summary="测评轮次列表")
@paginate(PageNumberPagination, **PAGE)
def round_list(request):
    return [round_out(r) for r in selectors.round_queryset(user=request.user)]


@router.post("/rounds", response={201: RoundOut}, summary="组织一轮测评（指标体系、期间、被测评的社区或街道）")
def round_create(request, payload: RoundIn):
    rnd = services.round_create(user=request.user, **payload.dict())
    return Status(201, round_out(rnd))


def _round_detail(request, rnd) -> dict:
    units = [result_out(r) for r in selectors.round_results(user=request.user, round=rnd)]
    return round_out(rnd) | {"units": units, "unit_count": rnd.units.count()}


@router.get("/rounds/{round_id}", response=RoundDetailOut, summary="轮次：本人辖区内各单位的阶段、总分、名次、星级")
def round_detail(request, round_id: int):
    return _round_detail(request, selectors.round_get(user=request.user, pk=round_id))


@router.post("/rounds/{round_id}/confirm", response=RoundDetailOut, summary="认定：确认全部单位的结果并锁定本轮")
def round_confirm(request, round_id: int, payload: VersionIn):
    rnd = services.round_confirm(user=request.user, round_id=round_id, version=payload.version)
    return _round_detail(request, rnd)


# ---------------------------------------------------------------- sheets and evidence


def _sheet(request, unit_id: int, stage: str) -> dict:
    unit, sheet = selectors.sheet_get(user=request.user, unit_id=unit_id, stage=stage)
    return sheet_out(
        unit,
        sheet,
        items=unit.round.scheme.items.count(),
        can_score=unit.stage == stage
        and unit.round.status == unit.round.OPEN
        and selectors.may_score(request.user, unit, stage),
        evidence=selectors.evidence_of(unit),
    )


@router.get("/units/{unit_id}/sheets/{stage}", response=SheetOut, summary="评分表：某单位某阶段的得分和佐证材料")
def sheet_detail(request, unit_id: int, stage: str):
    return _sheet(request, unit_id, stage)


@router.put("/units/{unit_id}/sheets/{stage}", response=SheetOut, summary="保存评分（可部分保存；有误则全部不保存）")
def sheet_save(request, unit_id: int, stage: str, payload: SheetIn):
    data = payload.dict()
    services.sheet_save(
        user=request.user, unit_id=unit_id, stage=stage, version=data["version"], scores=data["scores"],
        note=data["note"],
    )  # fmt: skip
    return _sheet(request, unit_id, stage)


@router.post("/units/{unit_id}/sheets/{stage}/submit", response=SheetOut, summary="提交本阶段评分，进入下一阶段")
def sheet_submit(request, unit_id: int, stage: str, payload: VersionIn):
    services.sheet_submit(user=request.user, unit_id=unit_id, stage=stage, version=payload.version)
    return _sheet(request, unit_id, stage)


@router.post("/units/{unit_id}/evidence", response={201: EvidenceOut}, summary="上传佐证材料（PDF、图片、Word、Excel）")
def evidence_add(request, unit_id: int, item_id: Form[int], file: File[UploadedFile] = None):
    e = services.evidence_add(user=request.user, unit_id=unit_id, item_id=item_id, upload=file)
    return Status(201, {"id": e.pk, "item_id": e.item_id, "name": e.name, "size": e.size, "stage": e.stage,
                        "uploaded_at": e.uploaded_at})  # fmt: skip


@router.get("/units/{unit_id}/evidence/{evidence_id}", summary="下载佐证材料", response={200: None})
def evidence_file(request, unit_id: int, evidence_id: int):
    return evidence_response(selectors.unit_get(user=request.user, pk=unit_id), evidence_id)


def evidence_response(unit, evidence_id: int) -> FileResponse:
    """The file as an attachment, never sniffed into something else."""
    evidence = get_or_404(unit.evidence.all(), pk=evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已丢失") from exc
    response = FileResponse(handle, content_type=evidence.content_type, as_attachment=True, filename=evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
