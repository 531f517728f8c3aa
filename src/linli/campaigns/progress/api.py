"""Progress reporting API under /api/v1/campaign-progress: thin, progress_selectors read and progress_services write.

Reports come as JSON (POST /reports, PATCH /reports/{id}) or, with a 佐证材料 file, as multipart/form-data at the same
paths followed by /form (field `attachment`: PDF, JPG, PNG, .docx or .xlsx of at most 10 MB).
"""

from django.http import Http404
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.files import file_response
from linli.core.pagination import Pages
from linli.core.schemas import Id

from . import selectors, services
from .schemas import (
    LateFilterIn,
    LateOut,
    MatrixOut,
    NoticeIn,
    NoticeOut,
    ObligationOut,
    PageRows,
    ReportIn,
    ReportOut,
    ReportUpdateIn,
    late_out,
    matrix_out,
    obligation_out,
)

router = Router(tags=["campaign-progress"])


def _report(request, report):
    return selectors.report_get(user=request.user, pk=report.pk)


# ---------------------------------------------------------------- my unit


@router.get("/mine", response=list[ObligationOut], summary="我的任务：本单位在已印发方案中承担的任务、各期报送状态")
@paginate(Pages)
def mine(request):
    # The unit's obligations are computed as a whole (urgency orders them); only the page is converted.
    return PageRows(selectors.obligations(user=request.user), lambda page: [obligation_out(ob) for ob in page])


@router.get("/notices", response=list[NoticeOut], summary="本单位收到的督办和通报，未读在前")
@paginate(Pages)
def notices(request):
    return selectors.notices(user=request.user)


@router.post("/notices/{notice_id}/read", response=NoticeOut, summary="标为已读")
def notice_read(request, notice_id: Id):
    services.notice_read(user=request.user, notice_id=notice_id)
    return selectors.notices(user=request.user).get(pk=notice_id)


# ---------------------------------------------------------------- reports


@router.post("/reports", response={201: ReportOut}, summary="报送进度（JSON；带佐证材料请用 POST /reports/form）")
def report_submit(request, payload: ReportIn):
    """Only the unit's own users may report (403 otherwise); a task unit of a plan out of scope is 404; a second
    report for the same period is 409 (update it instead); bad input 400 naming the field."""
    report = services.report_submit(user=request.user, **payload.dict())
    return Status(201, _report(request, report))


@router.post("/reports/form", response={201: ReportOut}, summary="报送进度（multipart/form-data，另加 attachment）")
def report_submit_form(request, payload: Form[ReportIn], attachment: File[UploadedFile] = None):
    report = services.report_submit(user=request.user, attachment=attachment, **payload.dict())
    return Status(201, _report(request, report))


@router.get("/reports/{report_id}", response=ReportOut, summary="一份进度报告")
def report_detail(request, report_id: Id):
    return selectors.report_get(user=request.user, pk=report_id)


@router.patch("/reports/{report_id}", response=ReportOut, summary="修改进度报告（报送时限前；JSON）")
def report_update(request, report_id: Id, payload: ReportUpdateIn):
    """Locked after its due time (400); a stale `version` is 409 and changes nothing."""
    report = services.report_update(user=request.user, report_id=report_id, **payload.dict())
    return _report(request, report)


@router.post("/reports/{report_id}/form", response=ReportOut, summary="修改进度报告（multipart，可换佐证材料）")
def report_update_form(request, report_id: Id, payload: Form[ReportUpdateIn], attachment: File[UploadedFile] = None):
    report = services.report_update(user=request.user, report_id=report_id, attachment=attachment, **payload.dict())
    return _report(request, report)


@router.get("/reports/{report_id}/attachment", response={200: None}, url_name="progress_attachment", summary="佐证材料")
def report_attachment(request, report_id: Id):
    report = selectors.report_get(user=request.user, pk=report_id)
    if not report.attachment:
        raise Http404
    name = report.attachment.name.rsplit("/", 1)[-1]
    return file_response(report.attachment, None, filename=name)


@router.get("/tasks/{task_id}/reports", response=list[ReportOut], summary="一项任务的全部进度报告（按单位、报送期）")
@paginate(Pages)
def task_reports(request, task_id: Id):
    return selectors.task_reports(user=request.user, task_id=task_id)


# ---------------------------------------------------------------- supervision


@router.get(
    "/plans/{plan_id}/matrix",
    response=MatrixOut,
    summary="方案报送情况：各单位各期各状态的任务数",
)
def plan_matrix(request, plan_id: Id):
    return matrix_out(selectors.plan_matrix(user=request.user, plan_id=plan_id))


@router.get("/plans/{plan_id}/late", response=list[LateOut], summary="未按时报送清单（方案印发单位）")
@paginate(Pages)
def plan_late(request, plan_id: Id, filters: Query[LateFilterIn]):
    status = selectors.late_list(user=request.user, plan_id=plan_id)
    period = status.late_period(filters.period)
    if period is None:
        return []
    lines = status.late(period, status=filters.status, task=filters.task, q=filters.q)
    return PageRows(lines, lambda page: _late_rows(page, period))


def _late_rows(lines, period) -> list[dict]:
    submitted = selectors.submitted_at(lines, period)
    return [late_out(line, period, submitted) for line in lines]


@router.post(
    "/plans/{plan_id}/notices",
    response={201: list[NoticeOut]},
    summary="发督办（所选单位）或通报（该期全部）",
)
def notice_issue(request, plan_id: Id, payload: NoticeIn):
    issued = services.notice_issue(user=request.user, plan_id=plan_id, **payload.dict())
    return Status(201, issued)
