"""Open311 GeoReport v2: every endpoint in JSON and XML, the specification's fields and types, errors, filters, and
the privacy rule that only publicly reported cases are listed."""

import json
import threading
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.cases import rules, selectors, services
from linli.cases.models import Case, Category
from linli.cases.open311 import services as open311_services
from linli.cases.open311 import views
from linli.testing import factories
from linli.testing.threads import in_thread, shared_database, simultaneously

BASE = "/open311/v2"
# A square around 41.80 N, 123.42 E that becomes grid 甲一1's boundary.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[123.40, 41.78], [123.45, 41.78], [123.45, 41.82], [123.40, 41.82], [123.40, 41.78]]],
}
INSIDE = {"lat": "41.80", "long": "123.42"}
REQUEST_FIELDS = {
    "service_request_id": str,
    "status": str,
    "status_notes": (str, type(None)),
    "service_name": str,
    "service_code": str,
    "description": str,
    "agency_responsible": (str, type(None)),
    "service_notice": (str, type(None)),
    "requested_datetime": str,
    "updated_datetime": str,
    "expected_datetime": (str, type(None)),
    "address": (str, type(None)),
    "address_id": (str, type(None)),
    "zipcode": (str, type(None)),
    "lat": (float, type(None)),
    "long": (float, type(None)),
    "media_url": (str, type(None)),
}


@pytest.fixture
def o(w):
    """The persona district with grid 甲一1 drawn on the map and an Open311 key."""
    w.grid_a1.boundary = SQUARE
    w.grid_a1.save()
    w.key, w.api_key = open311_services.key_issue(user=w.users["admin"], name="随手拍")
    return w


def get(path, **params):
    return Client().get(BASE + path, params)


def post(fmt="json", **data):
    # Open311 clients hold no session: CSRF is enforced here as a browser would have it.
    return Client(enforce_csrf_checks=True).post(f"{BASE}/requests.{fmt}", data)


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def as_json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def error_of(response, status: int, fmt="json") -> str:
    """The one error's description, after checking the document's shape and the HTTP status."""
    assert response.status_code == status
    if fmt == "xml":
        root = xml(response)
        assert root.tag == "errors"
        errors = [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]
    else:
        errors = [(e["code"], e["description"]) for e in as_json(response)]
    assert len(errors) >= 1 and all(code == status for code, _ in errors)
    return " | ".join(d for _, d in errors)


def public_case(w, channel="online", **data) -> Case:
    """A case as a resident would have reported it (the front-desk factory, then moved to a public channel)."""
    case = factories.case(w.grid_a1, **data)
    Case.objects.filter(pk=case.pk).update(channel=channel)
    case.refresh_from_db()
    return case


def submit(w, **extra):
    data = {"api_key": w.api_key, "service_code": "0401", "description": "楼下路灯坏了一周", **INSIDE, **extra}
    return post(**data)


# ---------------------------------------------------------------- discovery and services


def test_discovery_json(o):
    body = as_json(get("/discovery.json"))
    assert {"changeset", "contact", "key_service", "endpoints"} <= body.keys()
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] in ("production", "test") and endpoint["changeset"]
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


def test_discovery_xml(o):
    root = xml(get("/discovery.xml"))
    assert root.tag == "discovery" and root.findtext("changeset") and root.findtext("key_service")
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_services_json_one_per_active_minor_category(o):
    Category.objects.filter(code="0402").update(active=False)
    body = as_json(get("/services.json"))
    leaves = Category.objects.filter(parent__isnull=False, active=True)
    assert sorted(s["service_code"] for s in body) == sorted(leaves.values_list("code", flat=True))
    assert "0402" not in {s["service_code"] for s in body} and leaves.count() > 40
    lamp = next(s for s in body if s["service_code"] == "0401")
    major = Category.objects.get(code="0401").parent.name
    assert lamp["service_name"] == "路灯不亮" and lamp["group"] == major
    assert lamp["metadata"] is False and lamp["type"] == "realtime"
    assert isinstance(lamp["description"], str) and lamp["description"]
    assert "keywords" in lamp


def test_services_xml_and_keywords(o):
    Category.objects.filter(code="0401").update(keywords="路灯，照明、夜间")
    root = xml(get("/services.xml"))
    assert root.tag == "services"
    lamp = next(s for s in root.findall("service") if s.findtext("service_code") == "0401")
    assert lamp.findtext("service_name") == "路灯不亮"
    assert lamp.findtext("metadata") == "false" and lamp.findtext("type") == "realtime"
    assert lamp.findtext("keywords") == "路灯, 照明, 夜间"
    assert lamp.findtext("group") == Category.objects.get(code="0401").parent.name
    assert len(root.findall("service")) == Category.objects.filter(parent__isnull=False, active=True).count()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition(o, fmt):
    response = get(f"/services/0401.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert as_json(response) == {"service_code": "0401", "attributes": []}
    else:
        root = xml(response)
        assert root.tag == "service_definition" and root.findtext("service_code") == "0401"
        assert root.find("attributes") is not None and list(root.find("attributes")) == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("code", ["9999", "04", "0402"])  # unknown, a major category, an inactive one
def test_service_definition_not_found(o, fmt, code):
    Category.objects.filter(code="0402").update(active=False)
    assert code in error_of(get(f"/services/{code}.{fmt}"), 404, fmt)


def test_unknown_format_and_method(o):
    assert "csv" in error_of(get("/services.csv"), 404, "xml")
    response = Client().post(f"{BASE}/services.json")
    assert error_of(response, 405) and response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("jurisdiction, status", [("", 200), ("linli", 200), ("sfgov.org", 404)])
def test_jurisdiction(o, jurisdiction, status):
    assert get("/services.json", jurisdiction_id=jurisdiction).status_code == status
    assert submit(o, jurisdiction_id=jurisdiction).status_code == status


# ---------------------------------------------------------------- POST requests


def test_post_creates_an_open311_case_in_staff_scope(o):
    response = submit(
        o,
        address_string="甲一小区3号楼前",
        first_name="小明",
        last_name="王",
        phone="13912345678",
        email="wang@example.com",
        device_id="dev-1",
        account_id="u-42",
        address_id="ignored",
        media_url="https://img.example.com/lamp.jpg",
    )
    assert response.status_code == 200
    (row,) = as_json(response)
    case = Case.objects.get(number=row["service_request_id"])
    assert row["account_id"] == "u-42" and case.tracking_code in row["service_notice"]
    assert case.channel == Case.Channel.OPEN311 and case.open311_key == o.key and case.created_by is None
    assert case.region == o.grid_a1 and case.community == o.community_a1 and case.street == o.street_a
    assert case.state == rules.RECEIVED and case.category.code == "0401"
    assert case.description == "楼下路灯坏了一周\n图片链接：https://img.example.com/lamp.jpg"
    assert case.address == "甲一小区3号楼前" and case.reporter_name == "王小明"
    assert case.reporter_phone == "13912345678"
    assert case.events.get().actor_label == "Open311：随手拍"
    street = selectors.case_list(user=o.users["street_staff"], filters=selectors.CaseFilter(channel="open311"))
    assert list(street) == [case]
    assert not selectors.case_queryset(user=o.users["community_worker2"]).filter(pk=case.pk).exists()


def test_post_xml_and_western_name(o):
    response = post("xml", api_key=o.api_key, service_code="0401", description="路灯不亮已三天", first_name="John",
                    last_name="Smith", **INSIDE)  # fmt: skip
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    case = Case.objects.get(number=request.findtext("service_request_id"))
    assert request.findtext("service_notice") and request.find("account_id") is not None
    assert case.reporter_name == "John Smith" and case.reporter_phone == ""


@pytest.mark.parametrize(
    "change, status, expected",
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "not-a-key"}, 403, "api_key"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "9999"}, 404, "service_code"),
        ({"service_code": "04"}, 404, "service_code"),
        ({"lat": None, "long": None, "address_string": "甲一小区"}, 400, "lat/long"),
        ({"lat": "abc"}, 400, "lat/long"),
        ({"lat": "nan", "long": "nan"}, 400, "lat/long"),
        ({"long": None}, 400, "lat/long"),
        ({"lat": "95", "long": "123.42"}, 400, "lat/long"),
        ({"lat": "39.90", "long": "116.40"}, 400, "lat/long: 该位置不在本平台的服务范围内"),
        ({"description": None}, 400, "description: 请填写问题描述"),
        ({"description": None, "media_url": "https://img.example.com/a.jpg"}, 400, "description"),
        ({"description": "太短"}, 400, "description"),
        ({"phone": "12345"}, 400, "phone"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors_change_nothing(o, change, status, expected, fmt):
    data = {"api_key": o.api_key, "service_code": "0401", "description": "楼下路灯坏了一周", **INSIDE}
    for name, value in change.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    assert expected in error_of(post(fmt, **data), status, fmt)
    assert not Case.objects.exists()


def test_post_with_a_disabled_key(o):
    o.key.active = False
    o.key.save()
    assert "api_key" in error_of(submit(o), 403)


def test_post_rate_limit_per_key(o, monkeypatch):
    monkeypatch.setattr(open311_services, "POSTS_PER_MINUTE", 2)
    assert submit(o).status_code == 200 and submit(o).status_code == 200
    response = submit(o)
    assert "每分钟" in error_of(response, 429) and response["Retry-After"] == "60"
    other, other_key = open311_services.key_issue(user=o.users["admin"], name="另一个应用")
    assert post(api_key=other_key, service_code="0401", description="楼下路灯坏了一周", **INSIDE).status_code == 200
    Case.objects.filter(open311_key=o.key).update(received_at=timezone.now() - timedelta(minutes=2))
    assert submit(o).status_code == 200
    assert Case.objects.count() == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_posts_stop_at_the_cap(o, monkeypatch, tmp_path):
    """Posts of one key sent at once, all past the endpoint's early look at the cap before any is written: the
    cap is counted again where the case is inserted, holding the key, so exactly the cap's worth are filed."""
    cap, count = 3, 8
    monkeypatch.setattr(open311_services, "POSTS_PER_MINUTE", cap)
    barrier, early = threading.Barrier(count), views.posts_limit_check

    def check(**kwargs):
        early(**kwargs)
        barrier.wait(timeout=30)

    monkeypatch.setattr(views, "posts_limit_check", check)
    with shared_database(tmp_path):
        answers = simultaneously(lambda i: submit(o), count)
        filed = in_thread(Case.objects.count)
    assert sorted(a.status_code for a in answers) == [200] * cap + [429] * (count - cap)
    assert all(a["Retry-After"] == "60" for a in answers if a.status_code == 429)
    assert filed == cap


# ---------------------------------------------------------------- GET requests


def test_requests_json_fields_and_types(o):
    created = as_json(submit(o, address_string="甲一小区", media_url="http://img.example.com/1.jpg"))[0]
    body = as_json(get("/requests.json"))
    (row,) = body
    assert set(row) == set(REQUEST_FIELDS)
    for name, kind in REQUEST_FIELDS.items():
        assert isinstance(row[name], kind), name
    case = Case.objects.get()
    assert row["service_request_id"] == created["service_request_id"] == case.number
    assert row["status"] == "open" and row["status_notes"] == "受理"
    assert row["service_code"] == "0401" and row["service_name"] == "路灯不亮"
    assert row["lat"] == 41.8 and row["long"] == 123.42 and row["address"] == "甲一小区"
    assert row["media_url"] == "http://img.example.com/1.jpg"
    assert datetime.fromisoformat(row["requested_datetime"]) == case.received_at.replace(microsecond=0)
    assert row["requested_datetime"].endswith("+08:00")
    assert row["expected_datetime"] is None and row["agency_responsible"] is None
    assert case.tracking_code not in json.dumps(row) and "13912345678" not in json.dumps(row)


def test_requests_xml(o):
    case = public_case(o, address="甲一小区")
    root = xml(get("/requests.xml"))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert {child.tag for child in request} == set(REQUEST_FIELDS)
    assert request.findtext("service_request_id") == case.number and request.findtext("status") == "open"
    assert request.findtext("lat") == ""  # no point: an empty element
    assert datetime.fromisoformat(request.findtext("updated_datetime")).tzinfo is not None


def test_request_follows_the_lifecycle(o):
    case = public_case(o)
    street, handler = o.users["street_staff"], o.users["dept_handler"]
    case = services.case_act(user=street, case_id=case.pk, action="register", version=case.version)
    case = services.case_act(user=street, case_id=case.pk, action="dispatch", version=case.version)
    dispatched_at = case.events.get(action="dispatch").at
    case = services.case_act(
        user=street, case_id=case.pk, action="supervise", version=case.version, note="内部督办意见",
        now=dispatched_at + timedelta(hours=2),
    )  # fmt: skip
    (row,) = as_json(get(f"/requests/{case.number}.json"))
    assert row["status_notes"] == "派遣" and "内部督办意见" not in json.dumps(row, ensure_ascii=False)
    # The internal step does not show as an update either.
    assert datetime.fromisoformat(row["updated_datetime"]) == dispatched_at.replace(microsecond=0)
    assert row["agency_responsible"] == "区城市管理综合执法局"
    assert datetime.fromisoformat(row["expected_datetime"]) == case.due_at.replace(microsecond=0)
    case = services.case_act(user=handler, case_id=case.pk, action="accept", version=case.version)
    case = services.case_act(user=handler, case_id=case.pk, action="feedback", version=case.version, note="已更换灯泡")
    case = services.case_act(user=o.users["grid_worker"], case_id=case.pk, action="verify", version=case.version)
    root = xml(get(f"/requests/{case.number}.xml"))
    assert root.findtext("request/status") == "closed"
    assert root.findtext("request/status_notes") == "核查通过，结案"
    assert datetime.fromisoformat(root.findtext("request/updated_datetime")) == case.closed_at.replace(microsecond=0)


CLOSED_STATES = {rules.CLOSED, rules.REJECTED, rules.MERGED}


@pytest.mark.parametrize("state", list(rules.STATE_LABELS))
def test_status_of_every_state(o, state):
    original = public_case(o)
    case = public_case(o)
    Case.objects.filter(pk=case.pk).update(state=state, merged_into=original if state == rules.MERGED else None)
    expected = "closed" if state in CLOSED_STATES else "open"
    assert as_json(get(f"/requests/{case.number}.json"))[0]["status"] == expected
    assert xml(get(f"/requests/{case.number}.xml")).findtext("request/status") == expected
    listed = {r["service_request_id"] for r in as_json(get("/requests.json", status=expected))}
    assert case.number in listed
    other = "open" if expected == "closed" else "closed"
    assert case.number not in {r["service_request_id"] for r in as_json(get("/requests.json", status=other))}


@pytest.mark.parametrize("channel", ["hotline", "window", "patrol", "inspection"])
def test_cases_taken_in_by_staff_are_not_public(o, channel):
    shown = public_case(o, channel="open311")
    hidden = factories.case(o.grid_a1, channel=channel)
    assert [r["service_request_id"] for r in as_json(get("/requests.json"))] == [shown.number]
    assert hidden.number in error_of(get(f"/requests/{hidden.number}.json"), 404)
    assert error_of(get(f"/requests/{hidden.number}.xml"), 404, "xml")
    body = get("/requests.json", service_request_id=f"{shown.number},{hidden.number}").content.decode()
    assert shown.number in body and hidden.number not in body and "王女士" not in body and "13912345678" not in body


def test_filter_by_ids_overrides_the_others(o):
    a, b, c = public_case(o), public_case(o), public_case(o)
    Case.objects.filter(pk=a.pk).update(received_at=timezone.now() - timedelta(days=200))
    rows = as_json(get("/requests.json", service_request_id=f"{a.number}, {b.number}", status="closed"))
    assert {r["service_request_id"] for r in rows} == {a.number, b.number}
    assert c.number not in {r["service_request_id"] for r in rows}


def test_filter_by_service_code(o):
    lamp = public_case(o, category="0401")
    other = public_case(o, category="0101")
    assert [r["service_request_id"] for r in as_json(get("/requests.json", service_code="0101"))] == [other.number]
    both = as_json(get("/requests.json", service_code="0101,0401"))
    assert {r["service_request_id"] for r in both} == {lamp.number, other.number}
    assert as_json(get("/requests.json", service_code="9999")) == []


def test_dates_default_to_the_last_90_days(o):
    recent, old = public_case(o), public_case(o)
    old_at = timezone.localtime() - timedelta(days=120)
    Case.objects.filter(pk=old.pk).update(received_at=old_at)
    assert [r["service_request_id"] for r in as_json(get("/requests.json"))] == [recent.number]
    day = old_at.date()
    rows = as_json(get("/requests.json", start_date=f"{day}T00:00:00+08:00", end_date=f"{day}T23:59:59+08:00"))
    assert [r["service_request_id"] for r in rows] == [old.number]
    rows = as_json(get("/requests.json", start_date=(old_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")))
    assert [r["service_request_id"] for r in rows] == [old.number]  # start alone: the 90 days from it
    rows = as_json(get("/requests.json", end_date=(old_at + timedelta(hours=1)).isoformat().replace("+", " ")))
    assert [r["service_request_id"] for r in rows] == [old.number]  # an unencoded "+" arrives as a space


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90天"),
        ({"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-01T00:00:00Z"}, "end_date"),
        ({"status": "pending"}, "status"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters(o, params, expected, fmt):
    assert expected in error_of(get(f"/requests.{fmt}", **params), 400, fmt)


def test_at_most_max_requests(o, monkeypatch):
    monkeypatch.setattr(views, "MAX_REQUESTS", 2)
    cases = [public_case(o) for _ in range(3)]
    rows = as_json(get("/requests.json"))
    assert [r["service_request_id"] for r in rows] == [cases[2].number, cases[1].number]


def test_request_not_found(o):
    assert "2026-999999" in error_of(get("/requests/2026-999999.json"), 404)


def test_list_queries_do_not_grow_with_rows(o):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert get("/requests.json").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        case = public_case(o)
        services.case_act(user=o.users["street_staff"], case_id=case.pk, action="register", version=case.version)
    few = count()
    for _ in range(8):
        public_case(o)
    assert count() == few
