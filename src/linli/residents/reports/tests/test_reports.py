"""我的反映 and 消息: the signed-in report, the resident's own reports (and nobody else's), who is told of a case's
progress and of a 考核通报, read marks, the portal's rating and its authorization rows."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from linli.bulletins import services as bulletins
from linli.cases import rules, services
from linli.cases.models import Case, Category
from linli.cases.public.tests.test_public import INSIDE, SQUARE, image, post, report_data, uploaded
from linli.notifications.models import Delivery, Message, OutboxSms, Preference
from linli.notifications.services import preference_set
from linli.testing import factories
from linli.testing.apiclient import ApiClient
from linli.testing.authz import Endpoint, expected, statuses

pytestmark = pytest.mark.django_db

PHONE, OTHER = "13900001111", "13900002222"


@pytest.fixture
def w(world):
    """The persona district with the case catalogue, one grid drawn on the map, a department handler with a phone."""
    w = world
    factories.install_case_catalogue(w)
    w.grid_a1.boundary = SQUARE
    w.grid_a1.save()
    w.category = Category.objects.get(code="0401")
    w.users["dept_handler"].phone = "13800005555"
    w.users["dept_handler"].save()
    return w


@pytest.fixture
def resident(w):
    return factories.resident(PHONE)


def signed_in(resident) -> Client:
    client = Client()
    client.force_login(resident.user)
    return client


def hotline_case(w, phone=PHONE) -> Case:
    """A case a staff member took on the phone, the resident's number noted down."""
    return factories.case(w.grid_a1, channel="hotline", reporter_phone=phone)


def step(case, who, action, **params) -> Case:
    return services.case_act(user=who, case_id=case.pk, action=action, version=case.version, **params)


def closed(w, case, capture) -> Case:
    """Dispatched, fed back and closed an hour apart each (a reporter's SMS are limited to two a minute)."""
    street, handler, grid = (w.users[k] for k in ("street_staff", "dept_handler", "grid_worker"))
    start = timezone.now()
    with capture(execute=True):
        case = step(step(case, street, "register", now=start), street, "dispatch", now=start)
    with capture(execute=True):
        later = start + timedelta(hours=1)
        case = step(step(case, handler, "accept", now=later), handler, "feedback", note="已更换灯泡", now=later)
    with capture(execute=True):
        return step(case, grid, "verify", now=start + timedelta(hours=2))


# ---------------------------------------------------------------- reporting while signed in


def test_a_signed_in_report_is_filed_with_the_accounts_phone_and_linked_to_it(w, resident):
    client = signed_in(resident)
    form = client.get("/report/").content.decode()
    assert re.search(r'<input[^>]*name="reporter_phone"[^>]*value="139\*\*\*\*1111"[^>]*disabled', form)
    assert PHONE not in form
    response = post(client, report_data(w, reporter_phone=OTHER))  # a number posted anyway is ignored
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reporter_phone == PHONE and case.reporter_account == resident.user
    done = client.get(response["Location"]).content.decode()
    assert "/portal/reports/" in done


def test_an_anonymous_report_keeps_the_phone_given_and_no_account(w, client):
    assert post(client, report_data(w, reporter_phone=OTHER)).status_code == 302
    case = Case.objects.get()
    assert case.reporter_phone == OTHER and case.reporter_account is None


def test_deleting_the_account_keeps_the_case_and_its_phone(w, resident):
    post(signed_in(resident), report_data(w))
    resident.user.delete()
    case = Case.objects.get()
    assert case.reporter_account is None and case.reporter_phone == PHONE


# ---------------------------------------------------------------- 我的反映


def test_my_reports_are_those_of_my_phone_and_my_account_only(w, resident):
    by_phone, theirs = hotline_case(w), hotline_case(w, phone=OTHER)
    post(signed_in(resident), report_data(w))
    mine = Case.objects.get(reporter_account=resident.user)
    client = signed_in(resident)
    html = client.get("/portal/reports/").content.decode()
    assert by_phone.number in html and mine.number in html and theirs.number not in html
    assert client.get(f"/portal/reports/{theirs.pk}/").status_code == 404
    assert client.get(f"/portal/reports/{by_phone.pk}/").status_code == 200
    api = ApiClient(resident.user)
    body = api.get("/portal/reports").json()
    assert body["count"] == 2 and {i["number"] for i in body["items"]} == {by_phone.number, mine.number}
    assert api.get(f"/portal/reports/{theirs.pk}").status_code == 404
    another = factories.resident(OTHER)
    assert signed_in(another).get(f"/portal/reports/{by_phone.pk}/").status_code == 404


def test_the_list_costs_the_same_queries_for_more_reports(w, resident, django_assert_max_num_queries):
    client = signed_in(resident)
    hotline_case(w)
    with django_assert_max_num_queries(12) as few:
        client.get("/portal/reports/")
    for _ in range(9):
        hotline_case(w)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(re.findall(r'href="/portal/reports/[0-9]+/"', client.get("/portal/reports/").content.decode())) == 10


def test_progress_photos_and_rating_as_on_the_tracking_page(w, resident, django_capture_on_commit_callbacks):
    case = closed(w, hotline_case(w), django_capture_on_commit_callbacks)
    client = signed_in(resident)
    html = client.get(f"/portal/reports/{case.pk}/").content.decode()
    for label in ("受理", "派遣", "处置反馈", "核查通过，结案"):
        assert f"<b>{label}</b>" in html
    assert "已更换灯泡" in html and "评价办理结果" in html and f'action="/portal/reports/{case.pk}/rate/"' in html
    response = client.post(f"/portal/reports/{case.pk}/rate/", {"rating": "unsatisfied", "note": "灯还是不亮"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == rules.HANDLING and case.reopen_count == 1
    assert case.events.get(action="rate").data["rating"] == "unsatisfied"
    assert "案件已重新交办" in unescape(client.get(response["Location"]).content.decode())


def test_rating_through_the_api_and_its_refusals(w, resident, django_capture_on_commit_callbacks):
    case = closed(w, hotline_case(w), django_capture_on_commit_callbacks)
    api = ApiClient(resident.user)
    assert api.post(f"/portal/reports/{case.pk}/rate", {"rating": "great"}).status_code == 400
    answer = api.post(f"/portal/reports/{case.pk}/rate", {"rating": "satisfied"})
    assert answer.status_code == 200 and answer.json()["rating_label"] == "满意"
    assert answer.json()["rateable"] is False
    again = api.post(f"/portal/reports/{case.pk}/rate", {"rating": "satisfied"})
    assert again.status_code == 400 and "已评价" in again.json()["detail"]


def test_photos_of_my_report_only(w, resident, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = {"category_id": w.category.pk, "description": "路灯不亮已经一周", "reporter_phone": PHONE, **INSIDE}
    case = services.case_create(channel="online", data=data, photos=[uploaded(image())])
    photo = case.attachments.get()
    client = signed_in(resident)
    assert client.get(f"/portal/reports/{case.pk}/photos/{photo.pk}/").status_code == 200
    assert client.get(f"/portal/reports/{case.pk}/photos/{photo.pk + 1}/").status_code == 404
    assert signed_in(factories.resident(OTHER)).get(f"/portal/reports/{case.pk}/photos/{photo.pk}/").status_code == 404


# ---------------------------------------------------------------- who is told


def test_the_reporter_is_told_at_dispatch_feedback_and_close(w, resident, django_capture_on_commit_callbacks):
    case = closed(w, hotline_case(w), django_capture_on_commit_callbacks)
    got = list(Message.objects.filter(user=resident.user).order_by("pk").values_list("template", "body", "link"))
    link = f"/portal/reports/{case.pk}/"
    assert got == [
        ("cases.dispatched", f"您反映的问题（{case.number}）已派遣至区城市管理综合执法局办理。", link),
        ("cases.feedback", f"您反映的问题（{case.number}）有新的处理反馈：已更换灯泡", link),
        ("cases.closed", f"您反映的问题（{case.number}）已办结，欢迎对办理结果进行评价。", link),
    ]
    sms = Delivery.objects.filter(user=resident.user, channel="sms").count()
    assert sms == 3 and OutboxSms.objects.filter(text__contains=case.number).count() == 3


def test_the_account_the_report_was_filed_from_is_told(w, resident, django_capture_on_commit_callbacks):
    post(signed_in(resident), report_data(w))
    closed(w, Case.objects.get(), django_capture_on_commit_callbacks)
    assert Message.objects.filter(user=resident.user).count() == 3


def test_a_reporter_without_an_account_is_told_nothing(w, django_capture_on_commit_callbacks):
    closed(w, hotline_case(w, phone=OTHER), django_capture_on_commit_callbacks)
    assert not Delivery.objects.exclude(template="cases.assigned").exists()


def test_the_residents_choice_of_channels_is_kept(w, resident, django_capture_on_commit_callbacks):
    preference_set(user=resident.user, kind="cases", channels=["inbox"])
    closed(w, hotline_case(w), django_capture_on_commit_callbacks)
    assert set(Delivery.objects.filter(user=resident.user).values_list("channel", flat=True)) == {"inbox"}
    assert not OutboxSms.objects.filter(text__contains="您反映的问题").exists()


def test_the_departments_staff_are_told_of_a_dispatch_and_read_it_on_the_case(w, django_capture_on_commit_callbacks):
    case = hotline_case(w)
    street, handler = w.users["street_staff"], w.users["dept_handler"]
    case = step(step(case, street, "register"), street, "dispatch")
    message = Message.objects.get(user=handler)
    assert message.template == "cases.assigned" and message.link == f"/cases/{case.pk}/"
    assert message.body == f"事件{case.number}（路灯不亮）已派遣，本单位为主办单位，请及时办理。"
    assert not Message.objects.exclude(user=handler).exists()  # nobody else: no other department, no resident
    client = Client()
    client.force_login(handler)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    message.refresh_from_db()
    assert message.read_at is not None


def test_opening_the_report_reads_its_messages(w, resident, django_capture_on_commit_callbacks):
    case = closed(w, hotline_case(w), django_capture_on_commit_callbacks)
    ApiClient(resident.user).get(f"/portal/reports/{case.pk}")
    assert not Message.objects.filter(user=resident.user, read_at=None).exists()


def test_the_units_of_a_bulletin_are_told_their_standing(w, django_capture_on_commit_callbacks):
    street = w.users["street_staff"]
    case = closed(w, hotline_case(w), django_capture_on_commit_callbacks)
    Message.objects.all().delete()
    month = case.received_at.date().replace(day=1)
    bulletin = bulletins.bulletin_issue(
        user=street, region=w.street_a.pk, month=month, group="community", today=date(month.year + 1, 1, 1)
    )
    got = {m.user.username: (m.title, m.body, m.link) for m in Message.objects.select_related("user")}
    title = f"考核通报：{month.year}年{month.month}月甲街道社区考核通报"
    assert set(got) == {"community_worker"}  # the ranked community's own office, not its grid worker
    assert got["community_worker"][0] == title and "列第1名" in got["community_worker"][1]
    assert got["community_worker"][2] == f"/bulletins/{bulletin.pk}/"
    client = Client()
    client.force_login(w.users["community_worker"])
    assert client.get(f"/bulletins/{bulletin.pk}/").status_code == 200
    assert Message.objects.get().read_at is not None


# ---------------------------------------------------------------- 消息


def test_the_messages_page_lists_marks_read_and_opens_the_report(w, resident, django_capture_on_commit_callbacks):
    case = closed(w, hotline_case(w), django_capture_on_commit_callbacks)
    client = signed_in(resident)
    html = client.get("/portal/messages/").content.decode()
    assert "3条未读" in html and "事件已办结" in html and 'href="/portal/messages/"' in html
    first = Message.objects.filter(user=resident.user).first()
    response = client.post(f"/portal/messages/{first.pk}/read/")
    assert response["Location"] == f"/portal/reports/{case.pk}/"
    first.refresh_from_db()
    assert first.read_at is not None
    client.post("/portal/messages/read-all/")
    assert not Message.objects.filter(user=resident.user, read_at=None).exists()
    theirs = Message.objects.create(user=w.users["dept_handler"], template="x", title="t", body="b",
                                    created_at=first.created_at)  # fmt: skip
    assert client.post(f"/portal/messages/{theirs.pk}/read/").status_code == 404


def test_the_messages_page_sets_the_case_channels_only(w, resident):
    client = signed_in(resident)
    html = client.get("/portal/messages/").content.decode()
    assert "事件办理进展" in html and "督办与通报" not in html
    client.post("/portal/messages/preferences/", {"kind": "cases", "channels": ["inbox"]})
    client.post("/portal/messages/preferences/", {"kind": "supervision", "channels": []})
    assert dict(Preference.objects.filter(user=resident.user).values_list("kind", "channels")) == {"cases": ["inbox"]}


# ---------------------------------------------------------------- authorization

RESIDENTS = ("resident", "resident2")  # the reporter, another resident
PORTAL = [
    #                                                              adm dis str cw  cw2 grd dep com res res2
    Endpoint("GET",  "/portal/reports",                           "403 403 403 403 403 403 403 403 200 200"),
    Endpoint("GET",  "/portal/reports/{case}",                    "403 403 403 403 403 403 403 403 200 404"),
    Endpoint("POST", "/portal/reports/{case}/rate",               "403 403 403 403 403 403 403 403 200 404",
             body=lambda ctx: {"rating": "basic"}),
]  # fmt: skip
ROLES = (*factories.PERSONAS, *RESIDENTS)


@pytest.mark.parametrize("endpoint", PORTAL, ids=str)
def test_authorization_rows(w, resident, endpoint, django_capture_on_commit_callbacks):
    users = {**w.users, "resident": resident.user, "resident2": factories.resident(OTHER).user}
    ctx = {"case": closed(w, hotline_case(w), django_capture_on_commit_callbacks).pk}
    assert statuses(users, endpoint, ctx, ROLES) == expected(endpoint.in_scope, ROLES)
    assert ApiClient().request(endpoint.method, endpoint.path(ctx)).status_code == 401


@pytest.mark.parametrize("url", ["/portal/reports/", "/portal/reports/{case}/", "/portal/messages/"])
def test_staff_get_403_from_the_portal_pages(w, resident, url):
    case = hotline_case(w)
    for user in w.users.values():
        client = Client()
        client.force_login(user)
        assert client.get(url.format(case=case.pk)).status_code == 403, user.username
    assert Client().get(url.format(case=case.pk)).status_code == 302  # signed out: to the sign-in page
