"""API v1: one NinjaAPI wiring each app's router; errors answered as DESIGN.md says."""

from django.db import OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from linli.accounts.auth import API_AUTH
from linli.core.busy import MESSAGE as BUSY_MESSAGE
from linli.core.busy import is_busy, retry_later
from linli.core.errors import DomainError
from linli.core.schemas import TEXT_ERROR, TextParser, text_params

api = NinjaAPI(title="邻里 linli API", version="1", urls_namespace="api-v1", auth=API_AUTH, parser=TextParser())
api.add_decorator(text_params)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(
        request, {"detail": exc.detail, "errors": [e.as_dict() for e in exc.errors]}, status=exc.status
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "未找到该记录或无权访问", "errors": []}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录", "errors": []}, status=401)


@api.exception_handler(OperationalError)
def database_busy(request, exc: OperationalError):
    if not is_busy(exc):
        raise exc
    return retry_later(request, api.create_response(request, {"detail": BUSY_MESSAGE, "errors": []}, status=503))


HTTP_ERROR_MESSAGES = {"CSRF check Failed": "安全校验失败，请刷新页面后重试"}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, SchemaValidationError):
        # ninja answers any failure of the body parser as "Cannot parse request body"; the text rule's refusal
        # (linli.core.schemas.TextParser) names its field instead.
        return schema_error(request, exc.__cause__)
    detail = HTTP_ERROR_MESSAGES.get(exc.message, "请求未能处理" if exc.status_code < 500 else "服务器错误")
    return api.create_response(request, {"detail": detail, "errors": []}, status=exc.status_code)


SCHEMA_MESSAGES = {
    "missing": "此项为必填项",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "date_from_datetime_parsing": "日期格式应为YYYY-MM-DD",
    "date_parsing": "日期格式应为YYYY-MM-DD",
    "string_too_long": "内容过长",
    "string_type": "应为文本",
    "enum": "不在可选值范围内",
    "literal_error": "不在可选值范围内",
    "json_invalid": "请求体不是有效的JSON",
    "greater_than_equal": "数值过小",
    "greater_than": "数值过小",
    "less_than_equal": "数值过大",
    "less_than": "数值过大",
    "bool_parsing": "应为是或否",
}


@api.exception_handler(SchemaValidationError)
def schema_error(request, exc: SchemaValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload", "form", "file")]
        if err.get("type") == TEXT_ERROR:
            message = err["msg"]
        else:
            message = SCHEMA_MESSAGES.get(err.get("type"), "格式不正确")
        if err.get("type", "").startswith(("greater", "less")) and "ctx" in err:
            bound = next(iter(err["ctx"].values()))
            message = f"{message}（{'不小于' if err['type'].startswith('greater') else '不大于'}{bound}）"
        errors.append({"field": ".".join(loc), "message": message})
    return api.create_response(request, {"detail": "提交的数据有误，请按提示修改", "errors": errors}, status=400)


api.add_router("/auth", "linli.accounts.api.router")
api.add_router("/regions", "linli.regions.api.router")
api.add_router("/", "linli.people.api.router")
api.add_router("/", "linli.people.imports.api.router")
api.add_router("/stats", "linli.stats.api.router")
# Before the case router: its /cases/{case_id} would otherwise take /cases/indicators and /cases/supervise.
api.add_router("/cases", "linli.cases.supervision.api.router")
api.add_router("/cases", "linli.cases.api.router")
api.add_router("/campaigns", "linli.campaigns.plans.api.router")
api.add_router("/campaign-progress", "linli.campaigns.progress.api.router")
api.add_router("/rectifications", "linli.campaigns.rectification.api.router")
api.add_router("/campaign-documents", "linli.campaigns.documents.api.router")
api.add_router("/assessment", "linli.assessment.api.router")
api.add_router("/honours", "linli.honours.api.router")
