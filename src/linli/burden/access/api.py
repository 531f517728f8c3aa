"""The two lists and work-access applications under /api/v1/burden. Thin: selectors read, services write."""

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.accounts import scope
from linli.burden import selectors
from linli.core.files import file_response
from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import services
from .schemas import (
    AccessApplicationCreateIn,
    AccessApplicationDetailOut,
    AccessApplicationOut,
    AccessApplicationUpdateIn,
    AccessDecisionIn,
    AccessDocumentIn,
    AccessDocumentOut,
    AccessState,
    AccessVersionIn,
    Box,
    DutyDistrictIn,
    DutyItemChangeOut,
    DutyItemCreateIn,
    DutyItemOut,
    DutyItemUpdateIn,
    DutyReasonIn,
    ListKey,
)

router = Router(tags=["burden"])


def _district(request, district_id):
    found = selectors.district_get(user=request.user, pk=district_id)
    return found


@router.get("/lists", response=list[DutyItemOut], summary="社区工作事项清单（两份清单，含已停用事项）")
@paginate(Pages)
def items(request, district_id: Id | None = None, list: ListKey | None = None):
    district = _district(request, district_id)
    return selectors.items(user=request.user, district=district, list=list) if district else []


@router.post("/lists/defaults", summary="载入默认清单（本区尚无的清单）")
def defaults(request, payload: DutyDistrictIn):
    return {"added": services.defaults_load(user=request.user, district_id=payload.district_id)}


@router.get("/lists/changes", response=list[DutyItemChangeOut], summary="清单修改记录")
@paginate(Pages)
def changes(request, district_id: Id | None = None, item_id: Id | None = None):
    district = _district(request, district_id)
    return selectors.changes(user=request.user, district=district, item_id=item_id) if district else []


@router.post("/lists/items", response={201: DutyItemOut}, summary="增加清单事项（区级）")
def item_add(request, payload: DutyItemCreateIn):
    return Status(201, services.item_add(user=request.user, **payload.dict()))


@router.get("/lists/items/{item_id}", response=DutyItemOut, summary="一项清单事项")
def item(request, item_id: Id):
    return selectors.item_get(user=request.user, pk=item_id)


@router.put("/lists/items/{item_id}", response=DutyItemOut, summary="修改清单事项（版本过期返回409）")
def item_update(request, item_id: Id, payload: DutyItemUpdateIn):
    return services.item_update(user=request.user, item_id=item_id, **payload.dict())


@router.post("/lists/items/{item_id}/retire", response=DutyItemOut, summary="停用清单事项（须写明理由）")
def item_retire(request, item_id: Id, payload: DutyReasonIn):
    return services.item_retire(user=request.user, item_id=item_id, **payload.dict())


@router.post("/lists/items/{item_id}/restore", response=DutyItemOut, summary="恢复清单事项（须写明理由）")
def item_restore(request, item_id: Id, payload: DutyReasonIn):
    return services.item_restore(user=request.user, item_id=item_id, **payload.dict())


@router.get("/access", response=list[AccessApplicationOut], summary="准入申请：全部、本单位的、待我审核的")
@paginate(Pages)
def applications(request, box: Box = "all", state: AccessState | None = None):
    return selectors.application_list(user=request.user, box=box, state=state)


@router.post(
    "/access", response={201: AccessApplicationDetailOut}, summary="申请社区工作准入（先存为草稿，上传材料后提交）"
)
def application_create(request, payload: AccessApplicationCreateIn):
    created = services.application_create(user=request.user, **payload.dict())
    return Status(201, _detail(request, created.pk))


def _detail(request, pk: int):
    application = selectors.application_get(user=request.user, pk=pk)
    application.steps = selectors.steps_for(request.user, application)
    return application


@router.get(
    "/access/{application_id}", response=AccessApplicationDetailOut, summary="一份准入申请：内容、材料、可进行的操作"
)
def application(request, application_id: Id):
    return _detail(request, application_id)


@router.put("/access/{application_id}", response=AccessApplicationDetailOut, summary="修改草稿（版本过期返回409）")
def application_update(request, application_id: Id, payload: AccessApplicationUpdateIn):
    services.application_update(user=request.user, application_id=application_id, **payload.dict())
    return _detail(request, application_id)


@router.post("/access/{application_id}/documents", response={201: AccessDocumentOut},
             summary="上传申请材料：政策文件依据、工作方案或其他（草稿）")  # fmt: skip
def document_add(request, application_id: Id, payload: Form[AccessDocumentIn], file: File[UploadedFile] = None):
    return Status(201, services.document_add(user=request.user, application_id=application_id, kind=payload.kind,
                                             file=file))  # fmt: skip


@router.get("/access/{application_id}/documents/{document_id}", summary="下载申请材料")
def document(request, application_id: Id, document_id: Id):
    application = selectors.application_get(user=request.user, pk=application_id)
    found = scope.get_or_404(application.documents.all(), pk=document_id)
    return file_response(found.file, None, filename=found.name or None)


@router.delete("/access/{application_id}/documents/{document_id}", response={204: None}, summary="删除申请材料（草稿）")
def document_remove(request, application_id: Id, document_id: Id):
    services.document_remove(user=request.user, application_id=application_id, document_id=document_id)
    return Status(204, None)


@router.post(
    "/access/{application_id}/submit",
    response=AccessApplicationDetailOut,
    summary="提交申请（须已上传政策依据和工作方案）",
)
def submit(request, application_id: Id, payload: AccessVersionIn):
    services.application_submit(user=request.user, application_id=application_id, version=payload.version)
    return _detail(request, application_id)


@router.post("/access/{application_id}/withdraw", response=AccessApplicationDetailOut, summary="撤回申请（审批决定前）")
def withdraw(request, application_id: Id, payload: AccessVersionIn):
    services.application_withdraw(user=request.user, application_id=application_id, version=payload.version)
    return _detail(request, application_id)


def _review(passed: bool):
    def review(request, application_id: Id, payload: AccessDecisionIn):
        services.application_first_review(user=request.user, application_id=application_id, passed=passed,
                                          **payload.dict())  # fmt: skip
        return _detail(request, application_id)

    return review


def _decision(approve: bool):
    def decide(request, application_id: Id, payload: AccessDecisionIn):
        services.application_decide(user=request.user, application_id=application_id, approve=approve,
                                    **payload.dict())  # fmt: skip
        return _detail(request, application_id)

    return decide


for _path, _view, _op, _summary in (
    ("first-pass", _review(True), "burden_first_pass", "初审通过（区领导小组）"),
    ("first-refuse", _review(False), "burden_first_refuse", "初审不通过（须写明意见）"),
    ("approve", _decision(True), "burden_approve", "审批：批准（与初审不同的人）；所涉待准入工作随即准入"),
    ("refuse", _decision(False), "burden_refuse", "审批：不批准（须写明意见）"),
):
    router.post(f"/access/{{application_id}}/{_path}", response=AccessApplicationDetailOut, operation_id=_op,
                summary=_summary)(_view)  # fmt: skip
