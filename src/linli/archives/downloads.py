"""Files served back, the same for pages and the API: an item's file (under its own name) and a box's zip,
streamed from a temporary file and audited as an export."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.files import file_response

from . import export
from .models import Box, Item


def item_file(item: Item) -> FileResponse:
    if not item.file:
        raise Http404(_("该条目没有文件"))
    return file_response(item.file, None, filename=item.file_name or None)


def box_zip(request, box: Box) -> FileResponse:
    handle, count = export.write_zip(box)
    audit_record(actor=request.user, action=AuditEntry.Action.EXPORT, object_type="archives.box", object_ids=[box.pk],
                 count=count, detail=f"导出档案盒：{box.region.name} {box.year}年 {box.topic}",
                 request=request)  # fmt: skip
    response = FileResponse(handle, content_type="application/zip", as_attachment=True, filename=export.zip_name(box))
    response["X-Content-Type-Options"] = "nosniff"
    return response
