"""进度与结果 under /api/v1/surveys/results: progress by area, enumerator and day with the result tables, and the
downloads (the workbook, each form's data as CSV and its codebook). Thin: selectors read, services export."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Query, Router

from linli.core.schemas import Id, Line
from linli.core.text import Kind, printable

from . import selectors, services
from .schemas import DataQuery, ResultsOut

router = Router(tags=["surveys"])


def download(file: services.Download) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, printable(file.name, Kind.LINE))
    return response


@router.get("/{survey_id}", response=ResultsOut, summary="调查进度（按小区、普查员、日期）与汇总结果")
def results(request, survey_id: Id):
    return selectors.results(request.user, selectors.survey_get(request.user, survey_id))


@router.get("/{survey_id}/export", summary="进度与结果汇总表（Excel，记入审计日志）")
def export(request, survey_id: Id):
    return download(services.workbook_export(user=request.user, survey_id=survey_id, request=request))


@router.get("/{survey_id}/data/{role}", summary="一种表式的填报数据（CSV，UTF-8 带 BOM，记入审计日志）")
def data(request, survey_id: Id, role: Line, query: Query[DataQuery]):
    return download(
        services.data_export(user=request.user, survey_id=survey_id, role=role, table=query.table, request=request)
    )


@router.get("/{survey_id}/codebook/{role}", summary="数据文件的变量说明（CSV）")
def codebook(request, survey_id: Id, role: Line):
    return download(services.codebook_export(user=request.user, survey_id=survey_id, role=role))
