"""What a request answers when it fails outside a view's own handling: a body too large or unreadable, an unknown
address, a refusal, a crash. Under /api/ the answer is the API's JSON, {"detail": ..., "errors": []}; elsewhere a
plain page in Chinese. Never a traceback or the list of addresses, whatever DEBUG says in the view's absence.

Wired as Django's handler400/403/404/500 (linli.urls); the API hands the same body errors here too (linli.api)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, gettext_noop

API_PREFIX = "/api/"

DETAILS = {
    400: gettext_noop("请求有误，无法处理"),
    403: gettext_noop("您没有执行此操作的权限"),
    404: gettext_noop("未找到该记录或无权访问"),
    500: gettext_noop("服务器出错，请稍后重试"),
}  # these and UNREADABLE are said through gettext


def too_big_detail() -> str:
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).replace("\xa0", " ")  # a plain space in JSON too
    return gettext("请求内容过大（不超过%(limit)s）") % {"limit": limit}


UNREADABLE = gettext_noop("请求内容格式有误")


def _is_api(request: HttpRequest) -> bool:
    # path_info, not path: the address within the site, whatever prefix a reverse proxy mounts it under.
    return request.path_info.startswith(API_PREFIX)


def _json(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": []}, status=status, json_dumps_params={"ensure_ascii": False})


def _answer(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    if _is_api(request):
        return _json(status, detail)
    return render(request, f"{status}.html", {"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, or 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django raises RequestDataTooBig as a bad request)."""
    if isinstance(exception, RequestDataTooBig):
        return _answer(request, 413, too_big_detail())
    return _answer(request, 400, gettext(UNREADABLE if isinstance(exception, MultiPartParserError) else DETAILS[400]))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403, gettext(DETAILS[403]))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404, gettext(DETAILS[404]))


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _json(500, gettext(DETAILS[500]))
    # Rendered without the request's context, as Django's own: a context processor may be what failed.
    return HttpResponse(loader.render_to_string("500.html"), status=500)
