"""Files the campaign pages and API hand out (公文, 任务分解表, 整改台账): one response shape for both."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from linli.core.text import Kind, printable

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, printable(filename, Kind.LINE))
    return response
