"""Stored uploads served back: the one answer every app's pages and API give for a file."""

import mimetypes

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def file_response(
    file, content_type: str | None, *, filename: str | None = None, max_age: int | None = None
) -> FileResponse:
    """The stored `file` (a FieldFile) as the answer, shown inline, or downloaded as `filename`. 404 when the file
    is gone from storage; `content_type` None takes the type of the stored name's extension, which the upload check
    (core/uploads.py) matched to the content. Never sniffed into another type than it was stored as, and
    sandboxed, so an upload cannot run script on our origin. `max_age`: how long the user's browser (only) may
    keep it."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("文件已丢失")) from exc
    if content_type is None:
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=filename is not None, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if filename is None:
        response["Content-Disposition"] = "inline"
    if max_age is not None:
        response["Cache-Control"] = f"private, max-age={max_age}"
    return response
