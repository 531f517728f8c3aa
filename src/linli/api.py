"""API v1: one NinjaAPI wiring each app's router; errors answered as DESIGN.md says."""

from datetime import date

from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_noop as _
from ninja import Field, NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from linli.accounts.auth import API_AUTH
from linli.core import errorpages
from linli.core.busy import MESSAGE as BUSY_MESSAGE
from linli.core.busy import is_busy, retry_later
from linli.core.errors import DomainError
from linli.core.schemas import TEXT_ERROR, Schema, TextParser, text_params


class ErrorItemOut(Schema):
    field: str = Field(description="出错的字段，如 unit_ids.0；空为整体")
    message: str
    row: int | None = Field(None, description="导入时出错的行号")


class ErrorOut(Schema):
    detail: str = Field(description="中文说明")
    errors: list[ErrorItemOut]


ERROR_RESPONSES = {
    400: "请求有误：不合格的字段见 errors",
    401: "未登录，或令牌已失效",
    403: "无权执行此操作",
    404: "不存在，或不在管辖范围内",
    409: "数据已被他人修改（version 已过时），或与现有数据冲突",
    413: "请求内容过大",
    429: "请求过于频繁，请稍后再试",
    503: "系统正忙（如大批导入正在写入），请稍后重试",
}


class LinliAPI(NinjaAPI):
    """The API with its error answers published: every operation documents the {"detail", "errors"} body of each
    error it can answer (401 and 403 where it needs a login, 409 and 503 on writes, 413 where it reads a body, and
    any other an operation names in its openapi_extra), in one place rather than on each of a hundred operations.

    The document is built once per process, path prefix and language: it takes most of a second for four hundred
    operations (the documentation page's first request waited for it), and the routes cannot change while the
    process runs. Callers read it and never change it."""

    @cached_property
    def _openapi_built(self) -> dict:
        return {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        if key not in self._openapi_built:
            self._openapi_built[key] = self._build_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._openapi_built[key]

    def _build_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(error.pop("$defs"), ErrorOut=error)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                statuses = {400, 404}
                if operation.get("security"):
                    statuses |= {401, 403}
                if method != "get":
                    statuses |= {409, 503}
                if "requestBody" in operation:
                    statuses.add(413)
                responses = operation["responses"]
                for status in sorted(statuses | {s for s in responses if int(s) >= 400}):
                    response = responses.setdefault(status, {"description": ERROR_RESPONSES[status]})
                    response["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        return schema


# The documentation opens with the tags folded: four hundred operations unfolded take the browser seconds to draw.
DOCS = Swagger(settings={"docExpansion": "none"})
api = LinliAPI(title="邻里 linli API", version="1", urls_namespace="api-v1", auth=API_AUTH, parser=TextParser(),
               docs=DOCS)  # fmt: skip
api.add_decorator(text_params)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(
        request, {"detail": exc.detail, "errors": [e.as_dict() for e in exc.errors]}, status=exc.status
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": gettext("未找到该记录或无权访问"), "errors": []}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": gettext("请先登录"), "errors": []}, status=401)


def unreadable_body(request, exc):
    """A body over the size limit (413), unparseable multipart or too many fields (400): Django's answers to these
    are the handler400's, in the API's JSON under /api/ (linli.core.errorpages)."""
    return errorpages.bad_request(request, exc)


api.add_exception_handler(SuspiciousOperation, unreadable_body)
api.add_exception_handler(MultiPartParserError, unreadable_body)


@api.exception_handler(OperationalError)
def database_busy(request, exc: OperationalError):
    if not is_busy(exc):
        raise exc
    return retry_later(
        request, api.create_response(request, {"detail": gettext(BUSY_MESSAGE), "errors": []}, status=503)
    )


HTTP_ERROR_MESSAGES = {"CSRF check Failed": _("安全校验失败，请刷新页面后重试")}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, SchemaValidationError):
        # ninja answers any failure of the body parser as "Cannot parse request body"; the text rule's refusal
        # (linli.core.schemas.TextParser) names its field instead.
        return schema_error(request, exc.__cause__)
    detail = gettext(
        HTTP_ERROR_MESSAGES.get(exc.message, _("请求未能处理") if exc.status_code < 500 else _("服务器错误"))
    )
    return api.create_response(request, {"detail": detail, "errors": []}, status=exc.status_code)


SCHEMA_MESSAGES = {
    "missing": _("此项为必填项"),
    "int_parsing": _("应为整数"),
    "float_parsing": _("应为数字"),
    "decimal_parsing": _("应为数字"),
    "date_from_datetime_parsing": _("日期格式应为YYYY-MM-DD"),
    "date_parsing": _("日期格式应为YYYY-MM-DD"),
    "string_too_long": _("内容过长"),
    "string_type": _("应为文本"),
    "enum": _("不在可选值范围内"),
    "literal_error": _("不在可选值范围内"),
    "json_invalid": _("请求体不是有效的JSON"),
    "greater_than_equal": _("数值过小"),
    "greater_than": _("数值过小"),
    "less_than_equal": _("数值过大"),
    "less_than": _("数值过大"),
    "bool_parsing": _("应为是或否"),
    "too_long": _("条目过多"),
    "decimal_max_digits": _("数字位数过多"),
    "decimal_max_places": _("小数位数过多"),
    "decimal_whole_digits": _("数值过大"),
    "finite_number": _("应为有限的数字"),
}


def _message(err: dict) -> str:
    """The Chinese message for a pydantic error, with the bound it broke: 数值过大（不大于100）,
    日期过早（不早于1900-01-01）, 条目过多（不多于1000项）, 小数位数过多（不多于2位）."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == TEXT_ERROR:  # the text rule's own message
        return err["msg"]
    message = gettext(SCHEMA_MESSAGES.get(kind, _("格式不正确")))
    if kind.startswith(("greater", "less")) and ctx:
        bound, lower = next(iter(ctx.values())), kind.startswith("greater")
        if isinstance(bound, date):
            said = gettext("日期过早（不早于%(date)s）") if lower else gettext("日期过晚（不晚于%(date)s）")
            return said % {"date": bound.isoformat()}
        said = gettext("%(message)s（不小于%(bound)s）") if lower else gettext("%(message)s（不大于%(bound)s）")
        return said % {"message": message, "bound": bound}
    if kind == "too_long" and "max_length" in ctx:
        return gettext("%(message)s（不多于%(count)s项）") % {"message": message, "count": ctx["max_length"]}
    if kind in ("decimal_max_digits", "decimal_max_places") and ctx:
        return gettext("%(message)s（不多于%(count)s位）") % {"message": message, "count": next(iter(ctx.values()))}
    return message


@api.exception_handler(SchemaValidationError)
def schema_error(request, exc: SchemaValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload", "form", "file")]
        errors.append({"field": ".".join(loc), "message": _message(err)})
    return api.create_response(
        request, {"detail": gettext("提交的数据有误，请按提示修改"), "errors": errors}, status=400
    )


api.add_router("/auth", "linli.accounts.api.router")
api.add_router("/regions", "linli.regions.api.router")
api.add_router("/map", "linli.maps.api.router")
api.add_router("/", "linli.people.api.router")
api.add_router("/", "linli.people.imports.api.router")
api.add_router("/stats", "linli.stats.api.router")
api.add_router("/workbench", "linli.workbench.api.router")
api.add_router("/notifications", "linli.notifications.api.router")
api.add_router("/portal", "linli.residents.api.router")
api.add_router("/portal/auth", "linli.residents.login.api.router")
api.add_router("/portal/account", "linli.residents.account.api.router")
api.add_router("/portal", "linli.residents.binding.api.router")
api.add_router("/resident-reviews", "linli.residents.binding.api.review_router")
api.add_router("/portal", "linli.notices.portal.api.router")
api.add_router("/notices", "linli.notices.api.router")
api.add_router("/property", "linli.property.api.router")
api.add_router("/committees", "linli.committees.api.router")
api.add_router("/portal", "linli.votes.portal.api.router")
api.add_router("/votes", "linli.votes.api.router")
api.add_router("/portal", "linli.consultation.portal.api.router")
api.add_router("/consultation", "linli.consultation.api.router")
api.add_router("/surveys/forms", "linli.surveys.forms.api.router")
api.add_router("/surveys/entry", "linli.surveys.entry.api.router")
# surveys quality and results (before the "/surveys" router, whose "/{survey_id}…" would take their paths)
api.add_router("/surveys/quality", "linli.surveys.quality.api.router")
api.add_router("/surveys/results", "linli.surveys.results.api.router")
api.add_router("/portal", "linli.residents.reports.api.router")
# Before the case router: its /cases/{case_id} would otherwise take /cases/indicators and /cases/supervise.
api.add_router("/cases", "linli.cases.supervision.api.router")
api.add_router("/cases", "linli.cases.visits.api.router")
api.add_router("/cases", "linli.cases.duplicates.api.router")
api.add_router("/cases", "linli.cases.api.router")
api.add_router("/campaigns", "linli.campaigns.plans.api.router")
api.add_router("/campaign-progress", "linli.campaigns.progress.api.router")
api.add_router("/rectifications", "linli.campaigns.rectification.api.router")
api.add_router("/campaign-documents", "linli.campaigns.documents.api.router")
api.add_router("/assessment", "linli.assessment.api.router")
api.add_router("/honours", "linli.honours.api.router")
api.add_router("/bulletins", "linli.bulletins.api.router")
api.add_router("/surveys/frames", "linli.surveys.frames.api.router")
# ---- surveys: 普查小区
api.add_router("/surveys/areas", "linli.surveys.areas.api.router")
# ---- surveys: coverage (before "/surveys" itself, whose /{survey_id} would take /surveys/coverage)
api.add_router("/surveys/coverage", "linli.surveys.coverage.api.router")
# ---- surveys: the projects (/surveys, its ids are whole numbers, so /surveys/forms … stay the parts' own)
api.add_router("/surveys", "linli.surveys.api.router")
# ---- volunteers: statistics (before a "/volunteers" router, whose /{id} paths would take /stats)
api.add_router("/volunteers/stats", "linli.volunteers.stats.api.router")
# ---- donation drives (公益捐助)
api.add_router("/donations", "linli.donations.api.router")
# volunteers: activities; before the volunteers' own routers (A), whose "/{…}" paths would take it
api.add_router("/volunteers/activities", "linli.volunteers.activities.api.router")
api.add_router("/portal", "linli.volunteers.activities.portal.api.router")
# ---- volunteers A: hours, stars, certificates and the registry share /volunteers (ids are whole numbers)
api.add_router("/volunteers", "linli.volunteers.hours.api.router")
api.add_router("/volunteers", "linli.volunteers.registry.api.router")
api.add_router("/portal", "linli.volunteers.registry.portal.api.router")
# 电子台账: search first, since the "/{id}" paths of "/archives" would take /search
api.add_router("/archives/search", "linli.archives.search.api.router")
api.add_router("/archives", "linli.archives.api.router")
# 居委会证明 for staff, and the resident's own applications
api.add_router("/certificates", "linli.certificates.api.router")
api.add_router("/portal", "linli.certificates.portal.api.router")
# 社区减负: work given to communities and the burden report, then the two lists and work-access applications
api.add_router("/burden/work", "linli.burden.work.api.router")
api.add_router("/burden", "linli.burden.access.api.router")
