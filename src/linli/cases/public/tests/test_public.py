"""The residents' pages (/report/): report, anti-spam, rate limits, tracking and rating, through the test client."""

import io
import ipaddress
import re
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html import unescape
from unittest import mock

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from linli.cases import rules, services
from linli.cases.models import Attachment, Case, CaseEvent, PendingPhoto, SpentReportToken, TrackingFailure
from linli.cases.public import forms, views
from linli.cases.public import rules as public
from linli.cases.public import services as public_services
from linli.cases.public.forms import TOKEN_SALT, Challenge
from linli.core import uploads
from linli.testing import factories
from linli.testing.threads import in_thread, shared_database, simultaneously

from .conftest import SQUARE

INSIDE = {"latitude": "41.050000", "longitude": "123.050000"}
OUTSIDE = {"latitude": "40.000000", "longitude": "120.000000"}
IP = "203.0.113.7"


def image(kind="JPEG", size=(64, 48), name=None) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, kind)
    buffer.seek(0)
    buffer.name = name or f"photo.{kind.lower()}"
    return buffer


def uploaded(buffer: io.BytesIO) -> SimpleUploadedFile:
    return SimpleUploadedFile(buffer.name, buffer.getvalue())


def old_token(challenge: Challenge, age: float = 30) -> str:
    """A token as if the form had been drawn `age` seconds ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - age):
        return challenge.token()


def report_data(w, **overrides) -> dict:
    challenge = Challenge(3, 4)
    data = {
        "category_id": str(w.category.pk),
        "description": "小区东门路灯坏了一周，晚上很黑",
        "address": "甲一小区东门",
        "reporter_phone": "13912345678",
        "reporter_name": "王女士",
        "token": old_token(challenge),
        "answer": "7",
        "website": "",
        **INSIDE,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, ip=IP, **headers):
    return client.post("/report/", data, REMOTE_ADDR=ip, **headers)


def field_error(response, name: str) -> str:
    match = re.search(rf'id="id_{name}_error" role="alert">(.*?)</span>', response.content.decode(), re.S)
    assert match, f"no error slot for {name}"
    return unescape(match.group(1))


def nothing_created():
    return Case.objects.count() == 0 and CaseEvent.objects.count() == 0 and Attachment.objects.count() == 0


# ---------------------------------------------------------------- report


def test_form_groups_minor_categories_under_major_ones(territory, client):
    page = client.get("/report/")
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        '<optgroup label="市政设施">' in html and f'<option value="{territory.category.pk}">路灯不亮</option>' in html
    )
    assert 'accept="image/*"' in html and 'capture="environment"' in html and 'name="website"' in html
    assert page.context["challenge"].question in html


def test_report_creates_a_received_online_case_with_photos(territory, client):
    page = client.get("/report/")
    token, challenge = page.context["token"], page.context["challenge"]
    data = report_data(territory, token=token, answer=str(challenge.a + challenge.b))
    data["photos"] = [image("JPEG"), image("PNG")]
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 10):
        response = post(client, data)
    assert response.status_code == 302 and response["Location"] == "/report/done/"
    case = Case.objects.get()
    assert case.state == rules.RECEIVED and case.channel == Case.Channel.ONLINE
    assert case.region == territory.grid_a1 and case.community == territory.community_a1
    assert case.reporter_phone == "13912345678" and case.created_by is None
    assert case.reporter_ip_hash == services.ip_hash(IP)
    assert sorted(a.content_type for a in case.attachments.all()) == ["image/jpeg", "image/png"]
    done = client.get("/report/done/")
    html = done.content.decode()
    code = case.tracking_code
    assert f"{code[:5]} {code[5:]}" in html and case.number in html and f"/report/track/{code}/" in html
    assert "截图或抄下查询码" in html


def test_done_page_without_a_report_goes_back_to_the_form(client):
    assert client.get("/report/done/")["Location"] == "/report/"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"reporter_phone": ""}, "reporter_phone", "请填写联系电话"),
        ({"reporter_phone": "12345"}, "reporter_phone", "电话号码应为11位手机号"),
        ({"latitude": "", "longitude": ""}, "location", "请选择问题所在的位置"),
        (OUTSIDE, "location", "不在本平台的服务范围内"),
        ({"description": "灯坏"}, "description", "问题描述至少5个字"),
        ({"category_id": ""}, "category_id", "请选择问题类型"),
    ],
)
def test_bad_input_changes_nothing_and_is_shown_next_to_the_field(territory, client, overrides, field, message):
    data = report_data(territory, **overrides)
    response = post(client, data)
    assert response.status_code == 400
    assert message in field_error(response, field)
    assert nothing_created()
    html = response.content.decode()
    assert data["description"] in html and 'value="甲一小区东门"' in html  # what was typed is kept


def broken_jpeg() -> io.BytesIO:
    whole = image("JPEG", (400, 300)).getvalue()
    part = io.BytesIO(whole[: len(whole) // 2])
    part.name = "broken.jpg"
    return part


def oversize() -> io.BytesIO:
    big = io.BytesIO(b"\xff\xd8" + b"\0" * (uploads.PHOTOS.max_bytes + 1))
    big.name = "huge.jpg"
    return big


@pytest.mark.parametrize(
    "photos, message, kept",
    [
        (lambda: [image("GIF"), image("PNG")], "格式为GIF，只接受JPEG、PNG或WebP", 1),
        (lambda: [broken_jpeg()], "已损坏或不是有效的JPEG文件", 0),
        (lambda: [oversize()], "超过5MB", 0),
        (lambda: [image("PNG") for _ in range(services.MAX_PHOTOS + 1)], "照片最多6张，多出的没有添加", 6),
    ],
)
def test_bad_photos_are_named_and_the_good_ones_kept(territory, client, photos, message, kept):
    response = post(client, {**report_data(territory), "photos": photos()})
    assert response.status_code == 400
    assert message in field_error(response, "photos")
    assert nothing_created() and PendingPhoto.objects.count() == kept
    assert response.content.decode().count('name="photo" value="') == kept


def kept_tokens(response) -> list[str]:
    return re.findall(r'name="photo" value="([^"]+)" checked', response.content.decode())


def test_photos_survive_an_error_round_and_go_with_the_report(territory, client, django_capture_on_commit_callbacks):
    """Without JavaScript the photos come with the form: kept when it comes back, taken by the report after."""
    data = report_data(territory, reporter_phone="")
    first = post(client, {**data, "photos": [image("JPEG", name="东门.jpg"), image("PNG", name="路灯.png")]})
    assert first.status_code == 400 and "请填写联系电话" in field_error(first, "reporter_phone")
    tokens = kept_tokens(first)
    assert len(tokens) == 2 and nothing_created()
    shown = client.get(f"/report/photos/{tokens[0]}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    pending_files = [p.file.name for p in PendingPhoto.objects.all()]
    with django_capture_on_commit_callbacks(execute=True):
        done = post(client, {**data, "reporter_phone": "13912345678", "photo": tokens})
    assert done.status_code == 302
    case = Case.objects.get()
    assert [a.name for a in case.attachments.all()] == ["东门.jpg", "路灯.png"]
    assert all(a.file.storage.exists(a.file.name) for a in case.attachments.all())
    assert not any(a.name in a.file.name for a in case.attachments.all())  # stored under names of their own
    assert not PendingPhoto.objects.exists()
    storage = PendingPhoto._meta.get_field("file").storage
    assert not any(storage.exists(name) for name in pending_files)


def test_photos_of_the_same_name_are_stored_apart(territory, client):
    """Phones name every photo alike; each one is stored under a name of its own (object storage would overwrite)."""
    token = old_token(Challenge(3, 4))
    for _ in range(2):
        assert upload(client, token, image("JPEG", name="photo.jpg")).status_code == 201
    names = [p.file.name for p in PendingPhoto.objects.all()]
    assert len(set(names)) == 2 and not any(n.endswith("/photo.jpg") for n in names)
    assert {p.name for p in PendingPhoto.objects.all()} == {"photo.jpg"}


def test_a_photo_unticked_on_the_returned_form_is_left_out(territory, client):
    data = report_data(territory)
    first = post(client, {**data, "answer": "8", "photos": [image("JPEG"), image("PNG")]})
    tokens = kept_tokens(first)
    assert post(client, {**data, "photo": tokens[1:]}).status_code == 302
    assert [a.content_type for a in Case.objects.get().attachments.all()] == ["image/png"]


def upload(client, token: str, photo, *held, ip=IP):
    return client.post("/report/photos/", {"token": token, "photo": [photo, *held]}, REMOTE_ADDR=ip)


def test_a_photo_is_kept_as_soon_as_it_is_chosen(territory, client):
    """With JavaScript each photo goes ahead on its own; the form sends the tokens."""
    token = old_token(Challenge(3, 4))
    answer = upload(client, token, image("JPEG"))
    assert answer.status_code == 201
    body = answer.json()
    assert body["url"] == f"/report/photos/{body['token']}/" and client.get(body["url"]).status_code == 200
    refused = upload(client, token, image("GIF"))
    assert refused.status_code == 400 and "只接受JPEG、PNG或WebP" in refused.json()["detail"]
    assert upload(client, "forged", image("JPEG")).status_code == 400
    assert post(client, {**report_data(territory, token=token), "photo": [body["token"]]}).status_code == 302
    assert Case.objects.get().attachments.count() == 1 and not PendingPhoto.objects.exists()


def test_photos_of_another_form_are_not_taken(territory, client):
    other = upload(client, old_token(Challenge(1, 1)), image("JPEG")).json()["token"]
    assert post(client, {**report_data(territory), "photo": [other, "forged"]}).status_code == 302
    assert Case.objects.get().attachments.count() == 0 and PendingPhoto.objects.count() == 1


def test_a_form_holds_six_photos_however_they_came(territory, client):
    token = old_token(Challenge(3, 4))
    held = [upload(client, token, image("PNG")).json()["token"] for _ in range(services.MAX_PHOTOS)]
    full = upload(client, token, image("PNG"), *held)
    assert full.status_code == 400 and "照片最多6张" in full.json()["detail"]


def test_photos_per_address_are_capped(territory, client):
    now = timezone.now()
    PendingPhoto.objects.bulk_create(
        PendingPhoto(
            name="a.jpg",
            content_type="image/jpeg",
            size=1,
            width=1,
            height=1,
            form_id=f"f{i}",
            ip_hash=services.ip_hash(IP),
            created_at=now,
        )  # fmt: skip
        for i in range(public.PHOTOS_PER_IP_HOUR)
    )
    capped = upload(client, old_token(Challenge(3, 4)), image("JPEG"))
    assert capped.status_code == 429 and "一小时后再试" in capped.json()["detail"]
    assert upload(client, old_token(Challenge(3, 4)), image("JPEG"), ip="198.51.100.1").status_code == 201


def test_photos_no_report_took_are_deleted_once_their_form_has_expired(
    territory, client, django_capture_on_commit_callbacks
):
    token = old_token(Challenge(3, 4))
    stale, fresh = (upload(client, token, image("JPEG")).json()["token"] for _ in range(2))
    stale_photo = public_services.photo_by_token(stale)
    PendingPhoto.objects.filter(pk=stale_photo.pk).update(
        created_at=timezone.now() - timedelta(seconds=public.MAX_FORM_AGE + 60)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert public_services.photos_prune() == 1
    assert public_services.photo_by_token(stale) is None and public_services.photo_by_token(fresh) is not None
    assert not stale_photo.file.storage.exists(stale_photo.file.name)
    assert client.get(f"/report/photos/{stale}/").status_code == 404


# ---------------------------------------------------------------- anti-spam


def test_honeypot_refuses(territory, client):
    response = post(client, report_data(territory, website="http://spam.example"))
    assert response.status_code == 400
    assert "提交未成功" in response.content.decode()
    assert nothing_created()


def test_too_fast_explains_and_keeps_everything_for_sending_again(territory, client):
    token = Challenge(3, 4).token()
    data = {**report_data(territory, token=token), "photos": [image("JPEG")]}
    response = post(client, data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert str(forms.TOO_FAST) in html and "小区东门路灯坏了一周" in html and 'name="answer" value="7"' in html
    assert response.context["token"] == token and response.context["challenge"] == Challenge(3, 4)
    assert nothing_created()
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 10):
        again = post(client, {**report_data(territory, token=token), "photo": kept_tokens(response)})
    assert again.status_code == 302 and Case.objects.get().attachments.count() == 1


def test_every_field_is_checked_in_the_same_round_as_the_question(territory, client):
    data = report_data(territory, answer="8", reporter_phone="", description="灯坏", latitude="", longitude="")
    response = post(client, data)
    assert response.status_code == 400
    assert "计算结果不对" in field_error(response, "answer")
    assert "请填写联系电话" in field_error(response, "reporter_phone")
    assert "问题描述至少5个字" in field_error(response, "description")
    assert "请选择问题所在的位置" in field_error(response, "location")
    assert response.context["challenge"] == Challenge(3, 4)  # the question stays the same
    assert nothing_created()


def test_a_field_the_form_refuses_is_not_named_twice(territory, client):
    response = post(client, report_data(territory, answer="8", description="长" * (services.DESCRIPTION_MAX + 1)))
    assert field_error(response, "description").count("2000") == 1


def test_expired_and_forged_tokens_refuse(territory, client):
    expired = post(client, report_data(territory, token=old_token(Challenge(3, 4), age=2 * 3600 + 5)))
    assert expired.status_code == 400 and "超过2小时" in expired.content.decode()
    token = old_token(Challenge(3, 4))
    forged = token.replace(token.split(":")[0], Challenge(1, 1).token().split(":")[0])
    refused = post(client, report_data(territory, token=forged, answer="2"))
    assert refused.status_code == 400 and "页面已失效" in refused.content.decode()
    missing = post(client, report_data(territory, token=""))
    assert missing.status_code == 400 and "页面已失效" in missing.content.decode()
    assert nothing_created()


def test_a_form_files_one_report(territory, client):
    """Sending the same form again (the back button, a script replaying a solved token) is refused, with the
    typed text kept and a new token to send it with should the resident mean a second report."""
    data = report_data(territory)
    assert post(client, data).status_code == 302
    again = post(client, {**data, "reporter_phone": "13700000000"})
    assert again.status_code == 400
    html = again.content.decode()
    assert str(public_services.SPENT_TOKEN) in html and "小区东门路灯坏了一周" in html
    assert again.context["token"] != data["token"]
    assert Case.objects.count() == 1 and SpentReportToken.objects.count() == 1


def test_spent_tokens_are_forgotten_once_they_have_expired(territory, client):
    stale = SpentReportToken.objects.create(
        token_id="old", spent_at=timezone.now() - timedelta(seconds=public.MAX_FORM_AGE + 60)
    )
    recent = SpentReportToken.objects.create(token_id="recent", spent_at=timezone.now() - timedelta(hours=1))
    assert post(client, report_data(territory)).status_code == 302
    kept = SpentReportToken.objects.values_list("pk", flat=True)
    assert stale.pk not in kept and recent.pk in kept and len(kept) == 2


def test_tokens_without_an_id_are_refused(territory, client):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 30):
        bare = signing.TimestampSigner(salt=TOKEN_SALT).sign_object({"a": 3, "b": 4})
    response = post(client, report_data(territory, token=bare))
    assert response.status_code == 400 and "页面已失效" in response.content.decode()
    assert nothing_created()


def test_wrong_sum_refuses_next_to_the_question(territory, client):
    response = post(client, report_data(territory, answer="8"))
    assert response.status_code == 400
    assert "计算结果不对" in field_error(response, "answer")
    assert nothing_created()


def test_right_sum_is_kept_when_another_field_is_wrong(territory, client):
    response = post(client, report_data(territory, reporter_phone=""))
    assert response.context["challenge"] == Challenge(3, 4)
    assert 'name="answer" value="7"' in response.content.decode()


@pytest.mark.parametrize("answer, ok", [("7", True), (" ７ ", True), ("七", True), ("8", False), ("", False)])
def test_sum_accepts_full_width_digits_and_characters(answer, ok):
    assert Challenge(3, 4).accepts(answer) is ok
    assert Challenge(9, 3).accepts("十二") and Challenge(5, 5).accepts("十")


def test_csrf_is_enforced_without_login(territory):
    client = Client(enforce_csrf_checks=True)
    assert post(client, report_data(territory)).status_code == 403
    client.get("/report/")
    data = report_data(territory, csrfmiddlewaretoken=client.cookies["csrftoken"].value)
    assert post(client, data).status_code == 302
    token = old_token(Challenge(3, 4))
    assert upload(client, token, image("JPEG")).status_code == 403
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    assert client.post("/report/photos/", {"token": token, "photo": image("JPEG")}, **csrf).status_code == 201


@pytest.mark.parametrize("who", [None, *factories.PERSONAS])
def test_the_photo_addresses_answer_everyone_alike(territory, who):
    """The residents' pages know no roles: a signed token or the tracking code is the only way in, and signing in
    as staff opens nothing more."""
    client = Client()
    if who:
        client.force_login(territory.users[who])
    kept = upload(client, old_token(Challenge(3, 4)), image("JPEG"))
    assert kept.status_code == 201 and client.get(kept.json()["url"]).status_code == 200
    assert client.get("/report/photos/forged/").status_code == 404
    data = {"category_id": territory.category.pk, "description": "路灯不亮已经一周", "reporter_phone": "13912345678"}
    c = services.case_create(channel="online", data={**data, **INSIDE}, photos=[uploaded(image("JPEG"))])
    own = c.attachments.get()
    assert client.get(f"/report/track/{c.tracking_code}/photos/{own.pk}/").status_code == 200
    assert client.get(f"/report/track/{c.tracking_code}/photos/{own.pk + 1}/").status_code == 404
    assert client.get(f"/report/track/AAAAA22222/photos/{own.pk}/").status_code == 404


# ---------------------------------------------------------------- rate limits


def online_case(w, *, ip=IP, phone="13912345678", at=None):
    data = {"category_id": w.category.pk, "description": "路灯不亮已经一周", "reporter_phone": phone, **INSIDE}
    return services.case_create(channel="online", data=data, reporter_ip=ip, now=at)


def test_hourly_limit_per_address(territory, client):
    for i in range(public.REPORTS_PER_IP_HOUR):
        online_case(territory, phone=f"1391234{i:04d}")
    response = post(client, report_data(territory, reporter_phone="13700000000"))
    assert response.status_code == 429
    assert "一小时后再试" in response.content.decode() and "小区东门路灯坏了一周" in response.content.decode()
    assert Case.objects.count() == public.REPORTS_PER_IP_HOUR
    assert post(client, report_data(territory, reporter_phone="13700000000"), ip="198.51.100.1").status_code == 302


def test_daily_limit_per_address(territory, client):
    earlier = timezone.now() - timedelta(hours=3)
    for i in range(public.REPORTS_PER_IP_DAY):
        online_case(territory, phone=f"1391234{i:04d}", at=earlier)
    response = post(client, report_data(territory, reporter_phone="13700000000"))
    assert response.status_code == 429 and "明天再试" in response.content.decode()
    assert Case.objects.count() == public.REPORTS_PER_IP_DAY


def test_reports_older_than_a_day_do_not_count(territory, client):
    for _ in range(public.REPORTS_PER_IP_DAY):
        online_case(territory, at=timezone.now() - timedelta(hours=25))
    assert post(client, report_data(territory)).status_code == 302


def test_daily_limit_per_phone(territory, client):
    for i in range(public.REPORTS_PER_PHONE_DAY):
        online_case(territory, ip=f"198.51.100.{i}", phone="13912345678")
    # Staff-entered hotline cases with the same number are not the resident's online reports.
    factories.case(territory.grid_a1, reporter_phone="13912345678")
    response = post(client, report_data(territory, reporter_phone="13912345678"))
    assert response.status_code == 429 and "该电话号码今天提交的问题已达上限" in response.content.decode()
    assert Case.objects.filter(channel="online").count() == public.REPORTS_PER_PHONE_DAY
    assert post(client, report_data(territory, reporter_phone="13700000000")).status_code == 302


PROXY = "10.0.0.2"


def test_behind_a_trusted_proxy_each_resident_has_a_limit_of_their_own(territory, client, settings):
    """The proxy's address is every request's REMOTE_ADDR; the resident's is the one it appends to X-Forwarded-For.
    Whatever a client put in that header itself is left of it and not believed."""
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    for i in range(public.REPORTS_PER_IP_HOUR):
        data = report_data(territory, reporter_phone=f"1391234{i:04d}")
        assert post(client, data, ip=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, {IP}").status_code == 302
    assert set(Case.objects.values_list("reporter_ip_hash", flat=True)) == {services.ip_hash(IP)}
    blocked = post(client, report_data(territory, reporter_phone="13700000000"), ip=PROXY, HTTP_X_FORWARDED_FOR=IP)
    assert blocked.status_code == 429
    neighbour = post(client, report_data(territory), ip=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert neighbour.status_code == 302


def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(territory, client, settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    for i in range(public.REPORTS_PER_IP_HOUR):
        online_case(territory, phone=f"1391234{i:04d}")
    spoofed = post(client, report_data(territory, reporter_phone="13700000000"), HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert spoofed.status_code == 429


# ---------------------------------------------------------------- tracking and rating


def named(w):
    """Staff with real names, so the test can look for them on the public page."""
    people = {"street_staff": "邱雪", "dept_handler": "陆玉英", "grid_worker": "程旭飞"}
    for key, name in people.items():
        u = w.users[key]
        u.first_name = name
        u.save()
    return {k: w.users[k] for k in people}


def closed_case(w):
    staff = named(w)
    street, handler, grid = staff["street_staff"], staff["dept_handler"], staff["grid_worker"]
    c = online_case(w)
    c = services.case_act(user=street, case_id=c.pk, action="register", version=c.version)
    c = services.case_act(user=street, case_id=c.pk, action="supervise", version=c.version, note="内部督办请加快")
    c = services.case_act(user=street, case_id=c.pk, action="dispatch", version=c.version)
    c = services.case_act(user=handler, case_id=c.pk, action="return", version=c.version, note="内部退单理由")
    c = services.case_act(user=street, case_id=c.pk, action="dispatch", version=c.version)
    c = services.case_act(user=handler, case_id=c.pk, action="accept", version=c.version)
    c = services.case_act(user=handler, case_id=c.pk, action="feedback", version=c.version, note="已更换灯泡")
    return services.case_act(user=grid, case_id=c.pk, action="verify", version=c.version)


def test_tracking_page_shows_the_public_timeline_only(territory, client):
    case = closed_case(territory)
    page = client.get(f"/report/track/{case.tracking_code}/", REMOTE_ADDR=IP)
    html = page.content.decode()
    assert page.status_code == 200
    assert case.number in html and "路灯不亮" in html and "已结案" in html
    for label in ("受理", "立案", "派遣", "签收", "处置反馈", "核查通过，结案"):
        assert f"<b>{label}</b>" in html
    assert "已更换灯泡" in html and "承办单位：区城市管理综合执法局" in html
    assert "甲街道" in html and "甲一1号网格" in html  # units, as the public sees who acted
    for hidden in ("内部督办请加快", "内部退单理由", "邱雪", "陆玉英", "程旭飞", "13912345678"):
        assert hidden not in html
    assert "<b>督办</b>" not in html and "<b>退单</b>" not in html
    assert 'action="/report/track/' in html and "评价办理结果" in html


def test_staff_without_a_unit_show_as_staff():
    event = CaseEvent(actor_id=1, actor_label="张三")
    assert public.public_actor(event) == "工作人员"
    assert public.public_actor(CaseEvent(actor_id=1, actor_label="张三（甲街道）")) == "甲街道"
    assert public.public_actor(CaseEvent(actor_id=None, actor_label="反映人")) == "反映人"


def test_track_form_normalises_the_code(territory, client):
    case = online_case(territory)
    typed = f" {case.tracking_code[:5].lower()}-{case.tracking_code[5:]} "
    response = client.get("/report/track/", {"code": typed})
    assert response["Location"] == f"/report/track/{case.tracking_code}/"
    lower = client.get(f"/report/track/{case.tracking_code.lower()}/")
    assert lower["Location"] == f"/report/track/{case.tracking_code}/"
    empty = client.get("/report/track/", {"code": " - "})
    assert empty.status_code == 400 and "请输入查询码" in field_error(empty, "code")


def test_unknown_and_malformed_codes_get_the_same_answer(territory, client):
    online_case(territory)
    unknown = client.get("/report/track/ABCDEFGHJK/", REMOTE_ADDR=IP)
    malformed = client.get("/report/track/0O1I/", REMOTE_ADDR=IP)
    assert unknown.status_code == malformed.status_code == 404
    # The page frame differs by the address itself (the 大字 toggle returns to it); what the page says does not.
    main = [page.content.decode().split("<main", 1)[1].split("</main>")[0] for page in (unknown, malformed)]
    assert main[0] == main[1] and "没有找到" in main[0]


def test_wrong_codes_from_one_address_are_slowed_down(territory, client):
    case = online_case(territory)
    for _ in range(public.TRACKING_FAILURES_PER_HOUR):
        assert client.get("/report/track/ABCDEFGHJK/", REMOTE_ADDR=IP).status_code == 404
    blocked = client.get(f"/report/track/{case.tracking_code}/", REMOTE_ADDR=IP)
    assert blocked.status_code == 429 and "错误次数过多" in blocked.content.decode()
    assert (
        client.post(f"/report/track/{case.tracking_code}/rate/", {"rating": "satisfied"}, REMOTE_ADDR=IP).status_code
        == 429
    )
    assert client.get(f"/report/track/{case.tracking_code}/", REMOTE_ADDR="198.51.100.9").status_code == 200
    case.refresh_from_db()
    assert case.rating == ""


def test_wrong_codes_older_than_an_hour_no_longer_count(territory, client):
    case = online_case(territory)
    for _ in range(public.TRACKING_FAILURES_PER_HOUR):
        client.get("/report/track/ABCDEFGHJK/", REMOTE_ADDR=IP)
    TrackingFailure.objects.update(at=timezone.now() - timedelta(minutes=61))
    assert client.get(f"/report/track/{case.tracking_code}/", REMOTE_ADDR=IP).status_code == 200
    assert client.get("/report/track/ABCDEFGHJK/", REMOTE_ADDR=IP).status_code == 404
    assert TrackingFailure.objects.count() == 1  # the old ones went when the new one was written


def test_rating_closes_the_loop(territory, client):
    case = closed_case(territory)
    url = f"/report/track/{case.tracking_code}/"
    response = client.post(url + "rate/", {"rating": rules.SATISFIED, "note": "修得很快"}, follow=True)
    case.refresh_from_db()
    assert case.state == rules.CLOSED and case.rating == rules.SATISFIED
    html = response.content.decode()
    assert "感谢您的评价" in html and "评价：满意" in html and "修得很快" in html
    assert "评价办理结果" not in html  # no second rating
    again = client.post(url + "rate/", {"rating": rules.UNSATISFIED}, follow=True)
    assert "本次办理已评价" in again.content.decode()
    case.refresh_from_db()
    assert case.rating == rules.SATISFIED and case.reopen_count == 0


def test_rating_needs_a_choice(territory, client):
    case = closed_case(territory)
    response = client.post(f"/report/track/{case.tracking_code}/rate/", {"rating": ""})
    assert response.status_code == 400 and "请选择满意、基本满意或不满意" in field_error(response, "rating")
    case.refresh_from_db()
    assert case.rating == "" and case.events.filter(action="rate").count() == 0


def test_unsatisfied_reopens_once(territory, client):
    case = closed_case(territory)
    url = f"/report/track/{case.tracking_code}/"
    first = client.post(url + "rate/", {"rating": rules.UNSATISFIED, "note": "灯还是不亮"}, follow=True)
    case.refresh_from_db()
    assert case.state == rules.HANDLING and case.reopen_count == 1
    assert "案件已重新交办" in first.content.decode() and "重新办理" in first.content.decode()
    handler, grid = territory.users["dept_handler"], territory.users["grid_worker"]
    case = services.case_act(user=handler, case_id=case.pk, action="feedback", version=case.version, note="已换线路")
    case = services.case_act(user=grid, case_id=case.pk, action="verify", version=case.version)
    second = client.post(url + "rate/", {"rating": rules.UNSATISFIED}, follow=True)
    case.refresh_from_db()
    assert case.state == rules.CLOSED and case.rating == rules.UNSATISFIED and case.reopen_count == 1
    assert "不再自动重办" in second.content.decode()


def test_merged_case_names_the_original(territory, client):
    original, duplicate = online_case(territory), online_case(territory, phone="13700000000")
    street = territory.users["street_staff"]
    services.case_act(
        user=street, case_id=duplicate.pk, action="merge", version=duplicate.version, original_id=original.pk
    )
    html = client.get(f"/report/track/{duplicate.tracking_code}/").content.decode()
    assert "已合并" in html and "已并入该案件" in html and original.number in html


def test_rejected_case_gives_the_reason(territory, client):
    case = online_case(territory)
    street = territory.users["street_staff"]
    note = "该路段不属于本辖区，请向乙区反映"
    services.case_act(user=street, case_id=case.pk, action="reject", version=case.version, note=note)
    html = client.get(f"/report/track/{case.tracking_code}/").content.decode()
    assert "不予受理" in html and "该路段不属于本辖区" in html and "评价办理结果" not in html


def test_map_layer_has_names_and_shapes_only(territory, client):
    response = client.get("/report/map.json")
    data = response.json()
    assert [f["properties"] for f in data["features"]] == [
        {"id": territory.grid_a1.pk, "name": "甲一1号网格", "kind": "grid"}
    ]
    assert data["features"][0]["geometry"] == SQUARE and "max-age=600" in response["Cache-Control"]


# ---------------------------------------------------------------- simultaneous requests
# Threads with connections of their own on a shared database (linli.testing.threads), committing for real.


def _hold_at_the_early_check(monkeypatch, count: int) -> None:
    """Let every request pass the page's early look at the caps before any of them writes: the moment that let
    32 simultaneous reports from one address through with 6 accepted when the caps were counted only there."""
    barrier = threading.Barrier(count)
    early = views.report_limit_check

    def check(**kwargs):
        early(**kwargs)
        barrier.wait(timeout=30)

    monkeypatch.setattr(views, "report_limit_check", check)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_reports_from_one_address_stop_at_the_hourly_cap(territory, monkeypatch, tmp_path):
    """32 reports from one address at once, distinct phones and forms: exactly REPORTS_PER_IP_HOUR are filed, each
    of the others is told to wait, and nothing half-written is left."""
    count = 32
    forms = [report_data(territory, reporter_phone=f"1391234{i:04d}") for i in range(count)]
    _hold_at_the_early_check(monkeypatch, count)
    with shared_database(tmp_path):
        answers = simultaneously(lambda i: post(Client(), forms[i]).status_code, count)
        filed = in_thread(lambda: (Case.objects.count(), CaseEvent.objects.count(), SpentReportToken.objects.count()))
    assert sorted(answers) == [302] * public.REPORTS_PER_IP_HOUR + [429] * (count - public.REPORTS_PER_IP_HOUR)
    assert filed == (public.REPORTS_PER_IP_HOUR,) * 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_form_sent_twice_at_once_files_one_report(territory, monkeypatch, tmp_path):
    """The same token from two addresses and phones at once, so the two requests hold nothing in common but
    the token: the unique token id lets one through."""
    form = report_data(territory)
    sends = [(form, IP), ({**form, "reporter_phone": "13700000000"}, "198.51.100.1")]
    _hold_at_the_early_check(monkeypatch, len(sends))
    with shared_database(tmp_path):
        answers = simultaneously(lambda i: post(Client(), sends[i][0], ip=sends[i][1]), len(sends))
        filed = in_thread(Case.objects.count)
    assert sorted(a.status_code for a in answers) == [302, 400]
    refused = next(a for a in answers if a.status_code == 400)
    assert str(public_services.SPENT_TOKEN) in refused.content.decode()
    assert filed == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_wrong_codes_stop_at_the_cap(territory, tmp_path):
    """Guesses sent at once cannot look up more codes than the cap allows: each is counted before the next one
    is looked up."""
    count = public.TRACKING_FAILURES_PER_HOUR + 6
    with shared_database(tmp_path):
        answers = simultaneously(lambda i: Client().get("/report/track/ABCDEFGHJK/", REMOTE_ADDR=IP).status_code, count)
        recorded = in_thread(TrackingFailure.objects.count)
    assert sorted(answers) == [404] * public.TRACKING_FAILURES_PER_HOUR + [429] * 6
    assert recorded == public.TRACKING_FAILURES_PER_HOUR


# ---------------------------------------------------------------- what the tracking page tells the reporter


def test_tracking_page_shows_the_reporters_photos_and_point(territory, client):
    c = services.case_create(
        channel="online",
        data={
            "category_id": territory.category.pk,
            "description": "路灯不亮已经一周",
            "reporter_phone": "13912345678",
            **INSIDE,
        },  # fmt: skip
        photos=[uploaded(image("JPEG", name="路灯.jpg"))],
    )
    staff = named(territory)
    c = services.case_act(user=staff["street_staff"], case_id=c.pk, action="register", version=c.version)
    c = services.case_act(user=staff["street_staff"], case_id=c.pk, action="dispatch", version=c.version)
    c = services.case_act(user=staff["dept_handler"], case_id=c.pk, action="accept", version=c.version)
    services.case_act(user=staff["dept_handler"], case_id=c.pk, action="feedback", version=c.version,
                      note="已更换灯泡", photos=[uploaded(image("PNG", name="现场.png"))])  # fmt: skip
    own, staff_photo = Attachment.objects.order_by("pk")
    page = client.get(f"/report/track/{c.tracking_code}/", REMOTE_ADDR=IP)
    html = page.content.decode()
    src = f"/report/track/{c.tracking_code}/photos/{own.pk}/"
    assert f'src="{src}"' in html and "您上传的照片：路灯.jpg" in html
    assert f"/photos/{staff_photo.pk}/" not in html
    assert 'id="track-map"' in html and 'data-lat="41.050000"' in html and 'data-lng="123.050000"' in html
    shown = client.get(src, REMOTE_ADDR=IP)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert client.get(f"/report/track/{c.tracking_code}/photos/{staff_photo.pk}/", REMOTE_ADDR=IP).status_code == 404
    assert client.get(f"/report/track/AAAAA22222/photos/{own.pk}/", REMOTE_ADDR=IP).status_code == 404
    assert TrackingFailure.objects.count() == 1  # a wrong code for a photo is counted like one for the page


def test_a_case_staff_registered_shows_no_photos_to_the_code_holder(territory, client):
    street = territory.users["street_staff"]
    data = {"category_id": territory.category.pk, "description": "路灯不亮已经一周", "region_id": territory.grid_a1.pk}
    c = services.case_create(user=street, channel="hotline", data=data, photos=[uploaded(image("JPEG"))])
    html = client.get(f"/report/track/{c.tracking_code}/").content.decode()
    assert "您的照片" not in html and 'id="track-map"' not in html


def test_tracking_page_gives_the_expected_completion_once_known(territory, client):
    c = online_case(territory)
    html = unescape(client.get(f"/report/track/{c.tracking_code}/").content.decode())
    limit = f"{territory.category.handle_limit.normalize():f}"
    assert f"交给承办单位后{limit}个" in html and "交办后显示具体日期" in html
    street = territory.users["street_staff"]
    c = services.case_act(user=street, case_id=c.pk, action="register", version=c.version)
    c = services.case_act(user=street, case_id=c.pk, action="dispatch", version=c.version)
    html = client.get(f"/report/track/{c.tracking_code}/").content.decode()
    due = timezone.localtime(c.due_at)
    assert "<dt>预计办结</dt>" in html and f"{due.month}月{due.day}日 {due:%H:%M}前" in html


D = date(2026, 12, 10)
AT = datetime(2026, 12, 10, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "state, due_at, resume_on, limit, unit, expected",
    [
        (rules.RECEIVED, None, None, Decimal("5.00"), rules.DAYS, ("预计办结", None, "交给承办单位后5个工作日内办结")),
        (rules.REGISTERED, None, None, Decimal("48"), rules.HOURS, ("预计办结", None, "后48个工作小时内")),
        (rules.RETURNED, None, None, Decimal("1.5"), rules.DAYS, ("预计办结", None, "1.5个工作日")),
        (rules.DISPATCHED, AT, None, Decimal("5"), rules.DAYS, ("预计办结", AT, "须在此时间前")),
        (rules.HANDLING, AT, None, Decimal("5"), rules.DAYS, ("预计办结", AT, "须在此时间前")),
        (rules.DEFERRED, AT, D, Decimal("5"), rules.DAYS, ("预计恢复办理", D, "暂缓办理")),
        (rules.FEEDBACK, AT, None, Decimal("5"), rules.DAYS, ("预计办结", None, "现场核查后")),
        (rules.RECEIVED, None, None, None, rules.DAYS, None),
        (rules.HANDLING, None, None, Decimal("5"), rules.DAYS, None),
        (rules.CLOSED, AT, None, Decimal("5"), rules.DAYS, None),
        (rules.MERGED, None, None, Decimal("5"), rules.DAYS, None),
        (rules.REJECTED, None, None, Decimal("5"), rules.DAYS, None),
    ],
)
def test_expectation(state, due_at, resume_on, limit, unit, expected):
    got = public.expectation(state, due_at=due_at, resume_on=resume_on, handle_limit=limit, handle_unit=unit)
    if expected is None:
        assert got is None
    else:
        label, when, note = expected
        assert (got.label, got.when, got.timed) == (label, when, isinstance(when, datetime)) and note in got.note
