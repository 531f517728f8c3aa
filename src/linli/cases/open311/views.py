"""GeoReport v2 endpoints (http://wiki.open311.org/GeoReport_v2). Thin: parse the Open311 parameters, call the case
services and the public selectors, answer in the format named by the URL's extension. Every error, ours or the
domain's, goes out in the specification's error document. Choices where the specification leaves room are in
docs/open311.md."""

import functools
import re
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from linli.core.errors import DomainError, ValidationFailed
from linli.core.text import Kind, check

from .. import rules
from ..models import Case, Category
from . import formats, selectors
from .services import key_check, posts_limit_check, request_file

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# This endpoint serves one jurisdiction; clients may name it or leave it out.
JURISDICTION_ID = "linli"
# Last change of this discovery document or of the way services are described.
CHANGESET = "2026-11-23T00:00:00+08:00"
MAX_REQUESTS = 1000  # the specification's default volume
MAX_SPAN = timedelta(days=90)
MEDIA_PREFIX = gettext_lazy("图片链接：")
_MEDIA = re.compile(rf"{MEDIA_PREFIX}(\S+)\s*$")
# Our intake fields → the Open311 parameters a client sent them as, so errors name what the client knows.
FIELDS = {
    "category_id": "service_code",
    "latitude": "lat/long",
    "longitude": "lat/long",
    "location": "lat/long",
    "address": "address_string",
    "reporter_name": "first_name/last_name",
    "reporter_phone": "phone",
}


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)


def endpoint(*methods: str):
    """Format, method and jurisdiction checks, and every failure turned into the error document."""

    def decorate(view):
        @csrf_exempt  # clients authenticate with api_key, never with a session cookie
        @functools.wraps(view)
        def wrapper(request, fmt: str, **kwargs):
            if fmt not in formats.FORMATS:
                return formats.errors("xml", 404, [_("不支持的格式“%(fmt)s”，请使用 .xml 或 .json") % {"fmt": fmt}])
            if request.method not in methods:
                response = formats.errors(fmt, 405, [_("不支持 %(method)s 方法") % {"method": request.method}])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                jurisdiction = _param(request, "jurisdiction_id")
                if jurisdiction and jurisdiction != JURISDICTION_ID:
                    raise Open311Error(
                        404,
                        _("jurisdiction_id: 未找到“%(jurisdiction)s”，本平台为“%(JURISDICTION_ID)s”")
                        % {"jurisdiction": jurisdiction, "JURISDICTION_ID": JURISDICTION_ID},
                    )
                return view(request, fmt, **kwargs)
            except Open311Error as exc:
                return formats.errors(fmt, exc.status, exc.descriptions)
            except ValidationFailed as exc:
                described = [f"{FIELDS.get(e.field, e.field)}: {e.message}" for e in exc.errors]
                return formats.errors(fmt, 400, described or [exc.detail])
            except DomainError as exc:
                response = formats.errors(fmt, exc.status, [exc.detail])
                if exc.status == 429:  # the cap is per minute
                    response["Retry-After"] = "60"
                return response
            except Http404:
                return formats.errors(fmt, 404, [_("未找到")])

        return wrapper

    return decorate


# Every parameter is one line but these (linli.core.text).
TEXT_KINDS = {"description": Kind.TEXT, "first_name": Kind.NAME, "last_name": Kind.NAME}


def _checked(name: str, value: str) -> str:
    problem = check(value, TEXT_KINDS.get(name, Kind.LINE))
    if problem:
        raise Open311Error(400, f"{name}: {problem.message}")
    return value


def _param(request, name: str) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return _checked(name, (source.get(name) or "").strip())


def _listed(request, name: str) -> list[str]:
    """A parameter that may be repeated and comma delimited."""
    values = [part.strip() for value in request.GET.getlist(name) for part in value.split(",") if part.strip()]
    return [_checked(name, value) for value in values]


# ---------------------------------------------------------------- discovery and services


@endpoint("GET", "HEAD")
def discovery(request, fmt):
    base = request.build_absolute_uri(request.path.rsplit("/", 1)[0])
    return formats.render(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": _("请联系本平台的系统管理员 / Please contact the administrator of this platform."),
            "key_service": _(
                "提交事件所需的 api_key 请向本平台系统管理员申请 / "
                "Ask the administrator of this platform for an api_key to post requests."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": CHANGESET,
                    "type": "test" if settings.DEBUG else "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _limit(value: Decimal) -> str:
    return f"{value.normalize():f}"


def service_notice(category: Category) -> str:
    unit = rules.LIMIT_UNITS[category.handle_unit]
    return _("“%(name)s”类问题的处置时限为%(limit)s个%(unit)s（自派遣起计）") % {
        "name": category.name,
        "limit": _limit(category.handle_limit),
        "unit": unit,
    }


@endpoint("GET", "HEAD")
def service_list(request, fmt):
    rows = [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": c.description or f"{c.parent.name}：{c.name}",
            "metadata": False,
            "type": "realtime",
            "keywords": re.sub(r"\s*[，、,；;]\s*", ", ", c.keywords.strip()) or None,
            "group": c.parent.name,
        }
        for c in selectors.services()
    ]
    return formats.render(fmt, "services", rows)


def _service(code: str) -> Category:
    category = selectors.service_get(code)
    if category is None:
        raise Open311Error(404, _("service_code: 未找到服务类型“%(code)s”") % {"code": code})
    return category


@endpoint("GET", "HEAD")
def service_definition(request, fmt, code):
    # metadata is false for every service: no attributes to fill in.
    return formats.render(fmt, "service_definition", {"service_code": _service(code).code, "attributes": []})


# ---------------------------------------------------------------- requests


@endpoint("GET", "HEAD", "POST")
def requests(request, fmt):
    return _create(request, fmt) if request.method == "POST" else _search(request, fmt)


@endpoint("GET", "HEAD")
def request_detail(request, fmt, number):
    case = selectors.public_requests(numbers=[number]).first()
    if case is None:
        raise Open311Error(404, _("service_request_id: 未找到“%(number)s”") % {"number": number})
    return formats.render(fmt, "service_requests", [_request_row(case)])


def _reporter_name(first: str, last: str) -> str:
    if (first + last).isascii():
        return " ".join(part for part in (first, last) if part)
    return last + first  # Chinese order: family name first


def _create(request, fmt):
    key_value = _param(request, "api_key")
    if not key_value:
        raise Open311Error(403, _("api_key: 缺少API密钥"))
    key = key_check(key_value)
    if key is None:
        raise Open311Error(403, _("api_key: API密钥无效或已停用"))
    now = timezone.now()
    posts_limit_check(key=key, now=now)
    code = _param(request, "service_code")
    if not code:
        raise Open311Error(400, _("service_code: 请填写服务类型编码"))
    category = _service(code)
    lat, long = _param(request, "lat"), _param(request, "long")
    if not lat and not long:
        # We have no geocoder: the grid that handles the case is found from the point alone.
        raise Open311Error(
            400,
            _(
                "lat/long: 请提供坐标 lat 和 long（本平台按坐标确定所属网格，仅有 address_string 或 address"
                "_id 无法定位）"
            ),
        )
    description = _param(request, "description")
    media_url = _param(request, "media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise Open311Error(400, _("media_url: 图片链接应为 http 或 https 网址")) from None
        # The platform cannot fetch it (no outbound network), so the link travels with the description.
        if description:
            description = f"{description}\n{MEDIA_PREFIX}{media_url}"
    data = {
        "category_id": category.pk,
        "description": description,
        "address": _param(request, "address_string"),
        "latitude": lat,
        "longitude": long,
        "reporter_name": _reporter_name(_param(request, "first_name"), _param(request, "last_name")),
        "reporter_phone": _param(request, "phone"),
    }
    case = request_file(key=key, data=data, now=now)
    # The tracking code goes only to the client that filed the request: with it the reporter can rate the handling.
    notice = _(
        "已受理，案件编号%(number)s，查询码%(tracking_code)s（凭查询码可在本平台跟踪办理进度并评价）。%(service_notice)s。"
    ) % {"number": case.number, "tracking_code": case.tracking_code, "service_notice": service_notice(category)}
    account = _param(request, "account_id") or None
    return formats.render(
        fmt, "service_requests", [{"service_request_id": case.number, "service_notice": notice, "account_id": account}]
    )


def _when(request, name: str) -> datetime | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    # An offset's "+" that the client did not URL-encode arrives as a space.
    value = re.sub(r"(T[\d:.]+) (\d\d:?\d\d)$", r"\1+\2", value)
    try:
        when = parse_datetime(value)
        if when is None and (day := parse_date(value)) is not None:
            when = datetime.combine(day, time.min)
    except ValueError:
        when = None
    if when is None:
        raise Open311Error(400, _("%(name)s: 时间格式应为W3C格式，例如 2026-01-01T00:00:00+08:00") % {"name": name})
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def _range(request) -> tuple[datetime, datetime]:
    """The span of requested_datetime to search: 90 days at most, the latest 90 days when not given."""
    start, end = _when(request, "start_date"), _when(request, "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        raise Open311Error(400, _("end_date: 结束时间不能早于开始时间"))
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date/end_date: 查询时间跨度不能超过90天"))
    return start, end


def _search(request, fmt):
    numbers = _listed(request, "service_request_id")
    if numbers:  # the specification: it overrides every other argument
        qs = selectors.public_requests(numbers=numbers[:MAX_REQUESTS])
    else:
        statuses = _listed(request, "status")
        wrong = [s for s in statuses if s not in (selectors.OPEN, selectors.CLOSED)]
        if wrong:
            raise Open311Error(400, _("status: 状态只能为 open 或 closed，收到“%(wrong)s”") % {"wrong": wrong[0]})
        start, end = _range(request)
        qs = selectors.public_requests(codes=_listed(request, "service_code"), statuses=statuses, start=start, end=end)
    return formats.render(fmt, "service_requests", [_request_row(c) for c in qs[:MAX_REQUESTS]])


def _status_notes(action: str | None, note: str | None) -> str | None:
    if action is None:
        return None
    label = rules.TRANSITIONS[action].label
    return f"{label}：{note}" if note else label


def _request_row(case: Case) -> dict:
    """One request as the specification lists it. Never the reporter's name, phone or tracking code."""
    media = _MEDIA.search(case.description)
    return {
        "service_request_id": case.number,
        "status": selectors.status_of(case.state),
        "status_notes": _status_notes(case.public_action, case.public_note),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description,
        "agency_responsible": case.lead_department.name if case.lead_department_id else None,
        "service_notice": service_notice(case.category),
        "requested_datetime": formats.w3c(case.received_at),
        # The last step the reporter can see, not the row's write time (a staff note or a re-index moves that).
        "updated_datetime": formats.w3c(case.public_at or case.received_at),
        "expected_datetime": formats.w3c(case.due_at),
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(case.latitude) if case.latitude is not None else None,
        "long": float(case.longitude) if case.longitude is not None else None,
        "media_url": media.group(1) if media else None,
    }
