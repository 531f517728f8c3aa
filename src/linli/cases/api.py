"""Case API under /api/v1/cases: thin, selectors read and services write.

Writes come in two encodings: JSON (POST /cases, POST /cases/{id}/actions/{action}) and, for clients sending
photos, multipart/form-data at the same path followed by /form, with the same fields plus `photos` (up to six
JPEG, PNG or WebP files of at most 5 MB each).
"""

from django.http import Http404
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.dates import day_end, day_start
from linli.core.files import file_response
from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .models import Case
from .schemas import (
    ActionFormIn,
    ActionIn,
    CaseDetailOut,
    CaseFilterIn,
    CaseFormIn,
    CaseIn,
    CaseOut,
    DispatchIn,
    DispatchOut,
    HistoryOut,
    MajorCategoryOut,
    QueueFilterIn,
    ReporterRevealOut,
    RevealIn,
    category_tree,
    dispatch_out,
    history_out,
)

router = Router(tags=["cases"])


def _case_filter(filters: CaseFilterIn) -> selectors.CaseFilter:
    data = filters.dict()
    # The list filter names days as people do, both ends included; the selector takes an exclusive end.
    data["received_from"] = day_start(data["received_from"]) if data["received_from"] else None
    data["received_to"] = day_end(data["received_to"]) if data["received_to"] else None
    return selectors.CaseFilter(**data)


def _detail_of(request, case: Case) -> dict:
    return CaseDetailOut.detail(
        case,
        events=selectors.timeline(case=case),
        actions=selectors.actions_for(user=request.user, case=case),
        now=timezone.now(),
    )


def _detail(request, case_id: Id) -> dict:
    return _detail_of(request, selectors.case_detail_get(user=request.user, pk=case_id))


def _after_action(request, case: Case) -> dict:
    try:
        return _detail(request, case.pk)
    except Http404:
        # 退单 hands the case back to the dispatcher, out of the department's scope: the department still
        # gets the case as its own action left it, with nothing more to do on it.
        return _detail_of(request, case)


# ---------------------------------------------------------------- lists


@router.get("", response=list[CaseOut], summary="案件列表（反映人电话脱敏）")
@paginate(Pages)
def case_list(request, filters: Query[CaseFilterIn]):
    return selectors.case_list(user=request.user, filters=_case_filter(filters))


@router.get("/queue", response=list[CaseOut], summary="调度台：待立案、待派遣、退单待改派，急件和早件在前")
@paginate(Pages)
def case_queue(request, filters: Query[QueueFilterIn]):
    f = _case_filter(filters)
    # The queue narrows to one of its own states through `states`; `state` would be added to them.
    f.states, f.state = ((f.state,) if f.state else ()), None
    return selectors.dispatch_queue(user=request.user, filters=f)


@router.get("/todo", response=list[CaseOut], summary="待办：部门待签收、处置、协办的案件；网格和社区待核查的案件")
@paginate(Pages)
def case_todo(request):
    return selectors.todo(user=request.user)


@router.get("/overdue", response=list[CaseOut], summary="超期未办结的案件，最早到期在前")
@paginate(Pages)
def case_overdue(request):
    return selectors.overdue(user=request.user)


@router.get("/categories", response=list[MajorCategoryOut], summary="事件分类：大类及其小类（默认部门、优先级、时限）")
def category_list(request):
    return category_tree(selectors.categories())


# ---------------------------------------------------------------- intake


@router.post("", response={201: CaseDetailOut}, summary="受理事件（JSON；带照片请用 POST /cases/form）")
def case_create(request, payload: CaseIn):
    case = services.case_create(user=request.user, channel=payload.channel, data=payload.dict())
    return Status(201, _detail(request, case.pk))


@router.post("/form", response={201: CaseDetailOut}, summary="受理事件（multipart/form-data，字段同上，加照片photos）")
def case_create_form(request, payload: Form[CaseFormIn], photos: File[list[UploadedFile]] = None):
    case = services.case_create(user=request.user, channel=payload.channel, data=payload.dict(), photos=photos or [])
    return Status(201, _detail(request, case.pk))


@router.post("/dispatch", response=DispatchOut, summary="批量派遣（调度台）：已受理的先行立案；每件案件各自成败")
def cases_dispatch(request, payload: DispatchIn):
    """派遣 each case to the department given (or its category's), registering received ones first. Each case is
    all or nothing and the others go on: every result says whether its case was dispatched, and if not, why
    (the status and message the case's own action would have answered). Only dispatchers (403 otherwise)."""
    outcomes = services.cases_dispatch(
        user=request.user, cases=[(c.id, c.version) for c in payload.cases], department_id=payload.department_id,
        assisting_ids=payload.assisting_ids,
    )  # fmt: skip
    return dispatch_out(outcomes)


# ---------------------------------------------------------------- one case


@router.get("/{case_id}", response=CaseDetailOut, summary="案件详情：时间线、期限、当前可执行的操作（反映人电话脱敏）")
def case_detail(request, case_id: Id):
    case = selectors.case_detail_get(user=request.user, pk=case_id)
    services.case_opened(user=request.user, case=case)
    return _detail_of(request, case)


@router.get("/{case_id}/history", response=HistoryOut, summary="办理过程：时间线的每一步（含说明、状态变化）与当前时限")
def case_history(request, case_id: Id):
    return history_out(selectors.case_history(case=selectors.case_get(user=request.user, pk=case_id)))


@router.post(
    "/{case_id}/actions/{action}",
    response=CaseDetailOut,
    summary="执行操作（立案、派遣、签收、反馈、核查等；JSON，带照片请用 …/form）",
)
def case_act(request, case_id: Id, action: str, payload: ActionIn):
    """`action` is one of the lifecycle actions (register, reject, merge, dispatch, accept, return, assist_note,
    request_extension, approve_extension, deny_extension, request_deferral (with resume_on), approve_deferral,
    deny_deferral, resume, feedback, verify, rework, supervise, rate, reopen);
    the detail's `actions` lists those the caller may take now. A stale `version` answers 409 and changes
    nothing; an action the case's state does not allow answers 400, one the caller may not take 403."""
    case = services.case_act(
        user=request.user, case_id=case_id, action=action, version=payload.version, note=payload.note,
        **payload.params(),
    )  # fmt: skip
    return _after_action(request, case)


@router.post(
    "/{case_id}/actions/{action}/form",
    response=CaseDetailOut,
    summary="执行操作（multipart/form-data，字段同上，另加照片 photos，如处置反馈的现场照片）",
)
def case_act_form(
    request, case_id: Id, action: str, payload: Form[ActionFormIn], photos: File[list[UploadedFile]] = None
):
    case = services.case_act(
        user=request.user, case_id=case_id, action=action, version=payload.version, note=payload.note,
        photos=photos or [], **payload.params(),
    )  # fmt: skip
    return _after_action(request, case)


@router.get(
    "/{case_id}/attachments/{attachment_id}",
    response={200: None},
    url_name="case_attachment",
    summary="案件照片（案件在管辖范围内时）",
)
def case_attachment(request, case_id: Id, attachment_id: Id):
    photo = selectors.photo_get(user=request.user, case_id=case_id, pk=attachment_id)
    return file_response(photo.file, photo.content_type, max_age=selectors.PHOTO_MAX_AGE)


@router.post("/{case_id}/reveal", response=ReporterRevealOut, summary="查看反映人完整电话（需相应权限，记入审计）")
def case_reveal(request, case_id: Id, payload: RevealIn):
    return services.reporter_reveal(user=request.user, pk=case_id, purpose=payload.purpose, request=request)
