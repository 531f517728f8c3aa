"""services: intake and its validation, photos, every lifecycle action's effects, scope and role refusals, and a
Hypothesis walk of random actions by random personas on one case."""

import io
import os
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from linli.accounts.models import Role
from linli.cases import rules, selectors, services
from linli.cases.models import Attachment, Case, CaseEvent, Category
from linli.cases.open311 import services as open311_services
from linli.cases.tests.support import act, at, receive, state_of, totals
from linli.core import uploads
from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.organizations.models import Organization
from linli.people.models import Estate
from linli.testing import factories

MON = at(2025, 3, 3, 10)  # an ordinary week: no holiday between 2025-03-01 and 2025-04-03


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_in(root) -> list[str]:
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


def image(fmt="JPEG", size=(64, 48), name=None, noise=False) -> SimpleUploadedFile:
    picture = Image.effect_noise(size, 60).convert("RGB") if noise else Image.new("RGB", size, (200, 30, 30))
    buf = io.BytesIO()
    picture.save(buf, fmt)
    ext = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return SimpleUploadedFile(name or f"photo.{ext}", buf.getvalue(), content_type=f"image/{ext}")


def base_data(w, **extra) -> dict:
    data = {
        "category_id": Category.objects.get(code="0401").pk,
        "description": "小区门口路灯不亮三天了",
        "region_id": w.grid_a1.pk,
        "reporter_name": "王女士",
        "reporter_phone": "13912345678",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not ...}


def refused(exc_info) -> list[tuple[str, str]]:
    return [(e.field, e.message) for e in exc_info.value.errors]


def square(lng, lat, side) -> dict:
    ring = [[lng, lat], [lng + side, lat], [lng + side, lat + side], [lng, lat + side], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


# ---------------------------------------------------------------- intake: validation


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"category_id": ...}, "category_id", "事件小类"),
        ({"category_id": "abc"}, "category_id", "事件小类"),
        ({"category_id": "²"}, "category_id", "事件小类"),  # a digit to str.isdigit, not to int()
        ({"category_id": 99999999}, "category_id", "事件小类"),
        ({"category_id": [1]}, "category_id", "事件小类"),
        ({"description": ...}, "description", "请填写问题描述"),
        ({"description": "   "}, "description", "请填写问题描述"),
        ({"description": "路灯坏了"}, "description", "问题描述至少5个字"),
        ({"description": "灯" * 2001}, "description", "问题描述不能超过2000个字"),
        ({"description": 12345}, "description", "问题描述应为文本"),
        ({"address": "路" * 201}, "address", "地址不能超过200个字"),
        ({"reporter_name": "王" * 51}, "reporter_name", "反映人姓名不能超过50个字"),
        ({"reporter_phone": "12345"}, "reporter_phone", "电话号码"),
        ({"latitude": "abc", "longitude": "123.4"}, "latitude", "位置坐标应为数字"),
        ({"latitude": "41.8"}, "latitude", "位置坐标应为数字"),
        ({"latitude": "NaN", "longitude": "123.4"}, "latitude", "位置坐标应为数字"),
        ({"latitude": "41.8", "longitude": "Infinity"}, "latitude", "位置坐标应为数字"),
        ({"latitude": 91, "longitude": 123.4}, "latitude", "位置坐标超出范围"),
        ({"latitude": 41.8, "longitude": -181}, "latitude", "位置坐标超出范围"),
        ({"region_id": 99999999}, "region_id", "区域不存在或不在您的管辖范围内"),
        ({"region_id": "x"}, "region_id", "区域不存在或不在您的管辖范围内"),
        ({"region_id": ..., "house_id": 99999999}, "house_id", "房屋不存在或不在您的管辖范围内"),
        ({"region_id": ...}, "location", "请选择房屋、所属区域或在地图上标出位置"),
    ],
)
def test_intake_refuses_each_bad_field_and_creates_nothing(w, media, change, field, words):
    before = totals()
    with pytest.raises(ValidationFailed) as exc:
        services.case_create(user=w.users["admin"], channel="window", data=base_data(w, **change), photos=[image()])
    assert [f for f, _ in refused(exc)] == [field]
    assert words in refused(exc)[0][1]
    assert totals() == before and files_in(media) == []


def test_intake_reports_every_bad_field_at_once(w):
    with pytest.raises(ValidationFailed) as exc:
        services.case_create(
            user=w.users["admin"],
            channel="window",
            data=base_data(w, category_id=None, description="", reporter_phone="1"),
        )
    assert [f for f, _ in refused(exc)] == ["category_id", "description", "reporter_phone"]


def test_intake_refuses_inactive_and_major_categories(w):
    leaf = Category.objects.get(code="0401")
    Category.objects.filter(pk=leaf.pk).update(active=False)
    for category in (leaf.parent, leaf):
        with pytest.raises(ValidationFailed) as exc:
            services.case_create(user=w.users["admin"], channel="window", data=base_data(w, category_id=category.pk))
        assert refused(exc) == [("category_id", "请选择有效的事件小类")]
    assert Case.objects.count() == 0


def test_intake_places_must_be_fine_enough_and_in_scope(w):
    worker = w.users["community_worker"]  # 甲一 only
    for user, region, message in [
        (w.users["admin"], w.street_a, "请选择到社区或网格"),
        (w.users["admin"], w.district, "请选择到社区或网格"),
        (worker, w.street_a, "区域不存在或不在您的管辖范围内"),
        (worker, w.grid_b1, "区域不存在或不在您的管辖范围内"),
        (worker, w.community_a2, "区域不存在或不在您的管辖范围内"),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            services.case_create(user=user, channel="patrol", data=base_data(w, region_id=region.pk))
        assert refused(exc) == [("region_id", message)]
    estate = Estate.objects.create(region=w.community_b1, name="外区小区")
    house = factories.house(w.grid_b1, estate, number="101")
    with pytest.raises(ValidationFailed) as exc:
        services.case_create(user=worker, channel="patrol", data=base_data(w, region_id=None, house_id=house.pk))
    assert refused(exc) == [("house_id", "房屋不存在或不在您的管辖范围内")]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("channel", ["online", "open311", "fax", ""])
def test_staff_intake_channels(w, channel):
    with pytest.raises(ValidationFailed) as exc:
        services.case_create(user=w.users["admin"], channel=channel, data=base_data(w))
    assert refused(exc) == [("channel", "请选择有效的来源渠道")]


@pytest.mark.parametrize("channel", ["window", "hotline", "patrol", "inspection"])
def test_public_intake_channels(w, channel):
    with pytest.raises(ValidationFailed) as exc:
        services.case_create(user=None, channel=channel, data=base_data(w))
    assert refused(exc) == [("channel", "请选择有效的来源渠道")]


@pytest.mark.parametrize("persona", ["dept_handler", "company_staff"])
def test_departments_do_not_receive_cases(w, persona):
    with pytest.raises(PermissionDenied, match="您无权受理事件"):
        services.case_create(user=w.users[persona], channel="window", data=base_data(w))
    assert Case.objects.count() == 0


def test_public_intake_needs_a_phone_a_point_and_no_house(w):
    w.grid_b1.boundary = square(123.40, 41.80, 0.01)
    w.grid_b1.save()
    point = {"region_id": ..., "latitude": "41.805", "longitude": "123.405"}
    cases = [
        (base_data(w, **point, reporter_phone=...), ("reporter_phone", "请填写联系电话")),
        (base_data(w, **point, reporter_phone="110"), ("reporter_phone", "电话号码")),
        (base_data(w, house_id=1, region_id=...), ("house_id", "公众上报不能指定房屋")),
        # The public cannot name a region node: only a point on the map places its report.
        (base_data(w), ("location", "请选择房屋、所属区域或在地图上标出位置")),
        (base_data(w, region_id=..., latitude="10.5", longitude="10.5"), ("latitude", "不在本平台的服务范围内")),
    ]
    for data, (field, words) in cases:
        with pytest.raises(ValidationFailed) as exc:
            services.case_create(user=None, channel="online", data=data)
        assert [f for f, _ in refused(exc)] == [field] and words in refused(exc)[0][1]
    assert Case.objects.count() == 0


def test_open311_clients_may_leave_the_phone_out(w):
    w.grid_b1.boundary = square(123.40, 41.80, 0.01)
    w.grid_b1.save()
    key, _ = open311_services.key_issue(user=w.users["admin"], name="市民通")
    data = base_data(w, reporter_phone=..., region_id=..., latitude="41.805", longitude="123.405")
    case = services.case_create(user=None, channel="open311", data=data, open311_key=key)
    assert case.reporter_phone == "" and case.open311_key == key
    assert case.events.get().actor_label == "Open311：市民通"


# ---------------------------------------------------------------- intake: places


def test_intake_at_a_house_takes_its_grid_and_address(w):
    estate = Estate.objects.create(region=w.community_a1, name="幸福里")
    house = factories.house(w.grid_a1, estate, building="3", unit="2", number="501")
    case = services.case_create(
        user=w.users["grid_worker"], channel="patrol", data=base_data(w, region_id=..., house_id=str(house.pk))
    )
    assert (case.house, case.region, case.community, case.street) == (house, w.grid_a1, w.community_a1, w.street_a)
    assert case.address == str(house) and case.address
    assert case.created_by == w.users["grid_worker"] and case.channel == "patrol"
    kept = services.case_create(
        user=w.users["grid_worker"],
        channel="patrol",
        data=base_data(w, region_id=..., house_id=house.pk, address="门口"),
    )
    assert kept.address == "门口"


@pytest.mark.parametrize(
    ("node", "community", "street"),
    [
        ("grid_a2", "community_a2", "street_a"),
        ("community_a2", "community_a2", "street_a"),
        ("grid_b1", "community_b1", "street_b"),
    ],
)
def test_intake_at_a_region_node_keeps_its_community_and_street(w, node, community, street):
    case = services.case_create(
        user=w.users["admin"], channel="hotline", data=base_data(w, region_id=getattr(w, node).pk)
    )
    assert case.region == getattr(w, node)
    assert (case.community, case.street) == (getattr(w, community), getattr(w, street))


def test_intake_at_a_point_finds_the_finest_region_containing_it(w):
    # 乙一社区 covers 0.1° × 0.1°; its grid 乙一1 a corner of 0.01°.
    w.community_b1.boundary = square(123.40, 41.80, 0.1)
    w.community_b1.save()
    w.grid_b1.boundary = square(123.40, 41.80, 0.01)
    w.grid_b1.save()
    inside_grid = services.case_create(
        user=None, channel="online", data=base_data(w, region_id=..., latitude="41.805", longitude="123.405")
    )
    assert (inside_grid.region, inside_grid.community, inside_grid.street) == (w.grid_b1, w.community_b1, w.street_b)
    assert (inside_grid.latitude, inside_grid.longitude) == (Decimal("41.805000"), Decimal("123.405000"))
    assert inside_grid.created_by is None and inside_grid.events.get().actor_label == "反映人"
    community_only = services.case_create(
        user=None, channel="online", data=base_data(w, region_id=..., latitude=41.85, longitude=123.45)
    )
    assert (community_only.region, community_only.community) == (w.community_b1, w.community_b1)
    # Staff may give a point instead of a node too; a node, when given, wins.
    staff = services.case_create(
        user=w.users["admin"], channel="hotline", data=base_data(w, region_id=..., latitude=41.805, longitude=123.405)
    )
    assert staff.region == w.grid_b1
    named = services.case_create(
        user=w.users["admin"], channel="hotline", data=base_data(w, latitude=41.805, longitude=123.405)
    )
    assert named.region == w.grid_a1


def test_case_numbers_restart_each_year_by_beijing_date(w):
    numbers = [
        receive(w, now=at(2025, 12, 31, 9)).number,
        receive(w, now=at(2025, 12, 31, 23, 59)).number,
        receive(w, now=at(2026, 1, 1, 0, 0)).number,  # 2025-12-31 16:00 UTC: already 2026 in Beijing
        receive(w, now=at(2026, 3, 1, 9)).number,
        receive(w, now=at(2025, 12, 31, 23, 59, 59)).number,  # a late entry of last year continues last year
    ]
    assert numbers == ["2025-000001", "2025-000002", "2026-000001", "2026-000002", "2025-000003"]
    assert Case.objects.get(number="2025-000001").events.get().action == "receive"


def test_received_case_and_its_first_timeline_entry(w):
    case = receive(w, now=MON)
    assert case.state == rules.RECEIVED and case.version == 1
    assert case.priority == Category.objects.get(code="0401").priority
    assert case.received_at == MON and case.reporter_phone == "13912345678" and case.reporter_phone_hash
    assert len(case.tracking_code) == rules.TRACKING_LENGTH
    event = case.events.get()
    assert (event.seq, event.action, event.from_state, event.to_state, event.at, event.public) == (
        1,
        "receive",
        "",
        rules.RECEIVED,
        MON,
        True,
    )
    assert event.actor == w.users["admin"] and event.actor_label == "admin"
    worker = receive(w, user="grid_worker", channel="patrol")
    assert worker.events.get().actor_label == "grid_worker（甲一1号网格）"


# ---------------------------------------------------------------- photos


def test_valid_photos_are_stored_with_their_type_and_size(w, media):
    photos = [image("JPEG", (64, 48)), image("PNG", (30, 20)), image("WEBP", (10, 12))]
    case = services.case_create(user=w.users["admin"], channel="window", data=base_data(w), photos=photos)
    stored = list(Attachment.objects.filter(case=case).values_list("name", "content_type", "width", "height"))
    assert stored == [
        ("photo.jpg", "image/jpeg", 64, 48),
        ("photo.png", "image/png", 30, 20),
        ("photo.webp", "image/webp", 10, 12),
    ]
    for a in Attachment.objects.filter(case=case):
        assert a.event == case.events.get() and a.size == os.path.getsize(a.file.path) > 0
        assert a.file.path.startswith(str(media)) and a.file.name.startswith("cases/")
    assert len(files_in(media)) == 3


def text_as_jpg():
    return SimpleUploadedFile("scan.jpg", "这不是图片".encode(), content_type="image/jpeg")


def gif():
    return image("GIF", name="anim.gif")


def oversize():
    return SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\0" * (5 * 1024 * 1024), content_type="image/jpeg")


def truncated_jpeg():
    whole = image("JPEG", (640, 480), noise=True).read()
    return SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2], content_type="image/jpeg")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: [text_as_jpg()], "第1张照片（scan.jpg）已损坏或不是有效的JPEG文件"),
        (lambda: [gif()], "第1张照片（anim.gif）格式为GIF，只接受JPEG、PNG或WebP"),
        (lambda: [oversize()], "第1张照片（big.jpg）超过5MB"),
        (lambda: [truncated_jpeg()], "第1张照片（cut.jpg）已损坏或不是有效的JPEG文件"),
        (lambda: [image() for _ in range(7)], "照片最多6张"),
        (lambda: [image(), image("PNG"), truncated_jpeg()], "第3张照片（cut.jpg）已损坏或不是有效的JPEG文件"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_written(w, media, make, words):
    before = totals()
    with pytest.raises(ValidationFailed) as exc:
        services.case_create(user=w.users["admin"], channel="window", data=base_data(w), photos=make())
    assert refused(exc) == [("photos", words)]
    assert totals() == before and files_in(media) == []


def test_exactly_six_photos_and_exactly_five_megabytes_pass(w, media):
    png = image("PNG").read()
    big = png + b"\0" * (5 * 1024 * 1024 - len(png))  # bytes after the end of the image are ignored
    assert len(big) == uploads.PHOTOS.max_bytes
    with pytest.raises(ValidationFailed):
        services.validate_photos([SimpleUploadedFile("over.png", big + b"\0", content_type="image/png")])
    case = services.case_create(
        user=w.users["admin"],
        channel="window",
        data=base_data(w),
        photos=[image() for _ in range(5)] + [SimpleUploadedFile("big.png", big, content_type="image/png")],
    )
    assert case.attachments.count() == 6 and len(files_in(media)) == 6


def test_each_bad_photo_is_named(w):
    with pytest.raises(ValidationFailed) as exc:
        services.validate_photos([text_as_jpg(), image(), gif()])
    assert [m for _, m in refused(exc)] == [
        "第1张照片（scan.jpg）已损坏或不是有效的JPEG文件",
        "第3张照片（anim.gif）格式为GIF，只接受JPEG、PNG或WebP",
    ]


def test_photos_of_an_action_go_with_its_timeline_entry(w, media):
    case = dispatched(w)
    case = act(w, "dept_handler", case, "accept", now=MON + timedelta(hours=1))
    before = state_of(case)
    with pytest.raises(ValidationFailed):
        act(w, "dept_handler", case, "feedback", note="已更换灯泡", photos=[image(), truncated_jpeg()])
    assert state_of(case) == before and files_in(media) == []
    case = act(w, "dept_handler", case, "feedback", note="已更换灯泡", photos=[image("PNG", (8, 6))])
    entry = case.events.get(action="feedback")
    assert list(entry.attachments.values_list("content_type", "width", "height")) == [("image/png", 8, 6)]
    assert len(files_in(media)) == 1


# ---------------------------------------------------------------- lifecycle effects


def dispatched(w, now=MON, grid=None, **params) -> Case:
    case = receive(w, grid, now=now - timedelta(minutes=30))
    case = act(w, "admin", case, "register", now=now - timedelta(minutes=10))
    return act(w, "admin", case, "dispatch", now=now, **params)


def handling(w, now=MON, **params) -> Case:
    case = dispatched(w, now, **params)
    return act(w, "dept_handler", case, "accept", now=now + timedelta(minutes=30))


def test_dispatch_sets_the_lead_the_assisting_and_the_deadlines(w):
    transport = Organization.objects.get(name="区交通运输局")
    company = Organization.objects.get(name="安居物业")
    case = receive(w, now=MON - timedelta(hours=1))
    case = act(w, "street_staff", case, "register", now=MON - timedelta(minutes=30))
    assert case.state == rules.REGISTERED and case.version == 2
    case = act(
        w,
        "street_staff",
        case,
        "dispatch",
        now=MON,
        assisting_ids=[transport.pk, str(company.pk), transport.pk, case.category.department_id],
    )
    assert case.state == rules.DISPATCHED and case.version == 3
    assert case.lead_department.name == "区城市管理综合执法局"  # the category's default department
    # Duplicates and the lead itself are dropped from the assisting departments.
    assert set(case.assisting.all()) == {transport, company}
    # 0401 路灯不亮: respond in 4 working hours, handle in 3 working days, from Monday 10:00.
    assert case.dispatched_at == MON
    assert case.response_due == at(2025, 3, 3, 15, 30)  # 10–12 and 13:30–15:30
    assert case.due_at == at(2025, 3, 6, 17, 30)  # Thursday's close of business
    # 27 working hours in all; 80 % = 21.6 h: 6 h Monday, 7 Tuesday, 7 Wednesday, 1.6 h (1:36) Thursday.
    assert case.warn_at == at(2025, 3, 6, 10, 36)
    entry = case.events.last()
    assert (entry.action, entry.from_state, entry.to_state, entry.note) == (
        "dispatch",
        rules.REGISTERED,
        rules.DISPATCHED,
        "",
    )
    assert entry.data | {"due_at": datetime.fromisoformat(entry.data["due_at"])} == {
        "department": "区城市管理综合执法局",
        "assisting": ["区交通运输局", "安居物业"],
        "due_at": at(2025, 3, 6, 17, 30),
    }


def test_dispatch_to_a_named_department_and_bad_departments(w):
    transport = Organization.objects.get(name="区交通运输局")
    case = act(w, "admin", receive(w), "register")
    for params, field in [
        ({"department_id": 99999999}, "department_id"),
        ({"department_id": "abc"}, "department_id"),
        ({"assisting_ids": [99999999]}, "assisting_ids"),
    ]:
        before = state_of(case)
        with pytest.raises(ValidationFailed) as exc:
            act(w, "admin", case, "dispatch", **params)
        assert refused(exc) == [(field, "请选择有效的处置单位")]
        assert state_of(case) == before
    case = act(w, "admin", case, "dispatch", department_id=str(transport.pk))
    assert case.lead_department == transport


def test_a_category_without_a_default_department_needs_one_named(w):
    case = act(w, "admin", receive(w, category="0804"), "register")  # 邻里纠纷: no default department
    with pytest.raises(ValidationFailed) as exc:
        act(w, "admin", case, "dispatch")
    assert refused(exc) == [("department_id", "请选择有效的处置单位")]


def test_return_clears_the_lead_and_redispatch_keeps_the_first_dispatch_time(w):
    transport = Organization.objects.get(name="区交通运输局")
    case = handling(w, assisting_ids=[transport.pk])
    with pytest.raises(ValidationFailed) as exc:
        act(w, "dept_handler", case, "return", note="  ")
    assert refused(exc) == [("note", "请填写退单的说明")]
    case = act(w, "dept_handler", case, "return", now=MON + timedelta(hours=2), note="不属于本局职责")
    assert case.state == rules.RETURNED and case.return_count == 1
    assert case.lead_department is None and case.accepted_at is None and not case.assisting.exists()
    assert case.events.last().data == {"department": "区城市管理综合执法局"}
    # The handler no longer sees the case at all.
    with pytest.raises(Http404):
        act(w, "dept_handler", case, "accept")
    later = at(2025, 3, 10, 9, 0)
    case = act(w, "admin", case, "dispatch", now=later, department_id=transport.pk)
    assert case.lead_department == transport and case.dispatched_at == MON
    assert case.due_at == at(2025, 3, 13, 17, 30)  # the new deadline runs from the new dispatch
    assert case.return_count == 1


def test_return_before_accepting(w):
    case = dispatched(w)
    case = act(w, "dept_handler", case, "return", note="地址不在本局辖区")
    assert case.state == rules.RETURNED and case.return_count == 1


def test_extension_request_approval_moves_the_deadline_by_working_days(w):
    case = handling(w)
    for days in (0, 31, "3", True, None, 2.5):
        with pytest.raises(ValidationFailed) as exc:
            act(w, "dept_handler", case, "request_extension", note="需采购灯具", days=days)
        assert refused(exc) == [("days", "延期天数应为1至30个工作日")]
    case = act(w, "dept_handler", case, "request_extension", now=at(2025, 3, 5, 9), note="需采购灯具", days=2)
    assert case.extension_days == 2 and case.due_at == at(2025, 3, 6, 17, 30)
    with pytest.raises(DomainError, match="已有延期申请待审批"):
        act(w, "dept_handler", case, "request_extension", note="再申请", days=1)
    with pytest.raises(PermissionDenied):
        act(w, "dept_handler", case, "approve_extension")
    case = act(w, "street_staff", case, "approve_extension", now=at(2025, 3, 5, 10))
    # Thursday 03-06 17:30 + 2 working days = Monday 03-10 17:30.
    assert case.due_at == at(2025, 3, 10, 17, 30)
    # 41 working hours from Monday 03-03 10:00; 80 % = 32.8 h ends Friday 03-07 at 16:18.
    assert case.warn_at == at(2025, 3, 7, 16, 18)
    assert case.extension_days is None and case.extension_count == 1
    data = case.events.last().data
    assert data == {"days": 2, "due_at": data["due_at"]} and datetime.fromisoformat(data["due_at"]) == case.due_at
    with pytest.raises(DomainError, match="没有待审批的延期申请"):
        act(w, "street_staff", case, "approve_extension")


def test_extension_denied_leaves_the_deadline(w):
    case = handling(w)
    case = act(w, "dept_handler", case, "request_extension", note="需采购灯具", days=5)
    with pytest.raises(ValidationFailed) as exc:
        act(w, "street_staff", case, "deny_extension")
    assert refused(exc) == [("note", "请填写驳回延期的说明")]
    case = act(w, "street_staff", case, "deny_extension", note="库存有灯具")
    assert case.extension_days is None and case.extension_count == 0 and case.due_at == at(2025, 3, 6, 17, 30)
    assert case.events.last().data == {"days": 5}
    # Refused once, the department may ask again.
    case = act(w, "dept_handler", case, "request_extension", note="确需采购", days=1)
    assert case.extension_days == 1


def test_an_extension_after_redispatch_warns_from_the_redispatch(w):
    # Fixed: the yellow light of an extended deadline was measured from the first dispatch, so a case
    # re-dispatched later could turn yellow at once. It is now measured from the latest dispatch.
    case = dispatched(w)
    case = act(w, "dept_handler", case, "return", now=MON + timedelta(hours=1), note="不属于本局")
    later = at(2025, 3, 10, 10)
    case = act(w, "admin", case, "dispatch", now=later)
    case = act(w, "dept_handler", case, "accept", now=later + timedelta(hours=1))
    case = act(w, "dept_handler", case, "request_extension", now=later + timedelta(hours=2), note="需采购", days=2)
    case = act(w, "admin", case, "approve_extension", now=later + timedelta(hours=3))
    assert case.dispatched_at == MON and case.due_at == at(2025, 3, 17, 17, 30)
    # As in the test above, shifted by a week: 80 % of 41 working hours from Monday 03-10 10:00.
    assert case.warn_at == at(2025, 3, 14, 16, 18)


@pytest.mark.parametrize("leave", ["feedback", "return"])
def test_a_pending_extension_lapses_when_the_case_leaves_the_department(w, leave):
    # Fixed: the request used to stay pending through feedback, rework, return and re-dispatch, so the next
    # holder could not ask for its own extension and the dispatcher could approve a stale one.
    case = handling(w)
    case = act(w, "dept_handler", case, "request_extension", note="需采购", days=3)
    case = act(w, "dept_handler", case, leave, note="处理完毕" if leave == "feedback" else "不属于本局")
    assert case.extension_days is None
    if leave == "feedback":
        case = act(w, "grid_worker", case, "rework", note="灯仍不亮")
    else:
        case = act(w, "admin", case, "dispatch")
        case = act(w, "dept_handler", case, "accept")
    assert case.state == rules.HANDLING
    assert "approve_extension" not in [t.action for t in selectors.actions_for(user=w.users["admin"], case=case)]
    case = act(w, "dept_handler", case, "request_extension", note="重新申请", days=1)
    assert case.extension_days == 1


def test_feedback_verify_and_the_measures_of_the_close(w):
    case = handling(w)
    with pytest.raises(ValidationFailed) as exc:
        act(w, "dept_handler", case, "feedback")
    assert refused(exc) == [("note", "请填写处置反馈的说明")]
    case = act(w, "dept_handler", case, "feedback", now=at(2025, 3, 5, 11), note="已更换灯泡")
    assert case.state == rules.FEEDBACK and case.feedback_at == at(2025, 3, 5, 11)
    with pytest.raises(PermissionDenied):
        act(w, "dept_handler", case, "verify")
    with pytest.raises(PermissionDenied):  # 0401 needs an on-site check: not from the dispatcher's desk
        act(w, "street_staff", case, "verify")
    case = act(w, "grid_worker", case, "verify", now=at(2025, 3, 5, 15))
    assert case.state == rules.CLOSED and case.closed_at == at(2025, 3, 5, 15) and case.on_time is True
    # Working time from the dispatch (Mon 10:00) to the close (Wed 15:00): 6 + 7 + 4.5 h = 17.5 h.
    assert case.handling_seconds == 17.5 * 3600


def test_feedback_after_the_deadline_closes_late(w):
    case = handling(w)
    case = act(w, "dept_handler", case, "feedback", now=at(2025, 3, 6, 17, 30), note="已修复")
    assert act(w, "community_worker", case, "verify", now=at(2025, 3, 7, 9)).on_time is True  # at the deadline
    late = handling(w)
    late = act(w, "dept_handler", late, "feedback", now=at(2025, 3, 6, 17, 30, 1), note="已修复")
    late = act(w, "grid_worker", late, "verify", now=at(2025, 3, 7, 9))
    assert late.on_time is False and late.handling_seconds == 27 * 3600


def test_without_an_on_site_check_the_dispatcher_verifies(w):
    case = receive(w, category="0303")  # 小区停车: no on-site check
    case = act(w, "street_staff", case, "register")
    case = act(
        w, "street_staff", case, "dispatch", department_id=Organization.objects.get(name="区城市管理综合执法局").pk
    )
    case = act(w, "dept_handler", case, "accept")
    case = act(w, "dept_handler", case, "feedback", note="已协调车位")
    case = act(w, "street_staff", case, "verify")
    assert case.state == rules.CLOSED


def test_rework_counts_and_clears_the_feedback(w):
    case = handling(w)
    case = act(w, "dept_handler", case, "feedback", now=at(2025, 3, 4, 10), note="已修复")
    with pytest.raises(ValidationFailed) as exc:
        act(w, "grid_worker", case, "rework")
    assert refused(exc) == [("note", "请填写核查不通过，返工的说明")]
    case = act(w, "grid_worker", case, "rework", now=at(2025, 3, 4, 15), note="灯仍不亮")
    assert case.state == rules.HANDLING and case.rework_count == 1 and case.feedback_at is None
    case = act(w, "dept_handler", case, "feedback", now=at(2025, 3, 7, 10), note="更换线路")
    case = act(w, "grid_worker", case, "verify", now=at(2025, 3, 7, 11))
    assert case.rework_count == 1 and case.on_time is False  # the accepted feedback came after Thursday


def test_supervision_levels_never_go_down(w):
    case = handling(w)
    with pytest.raises(ValidationFailed) as exc:
        act(w, "street_staff", case, "supervise")
    assert refused(exc) == [("note", "请填写督办的说明")]
    case = act(w, "street_staff", case, "supervise", note="请加快处理")
    assert case.supervision_level == 1 and case.events.last().data == {"level": 1}
    case = act(w, "district_staff", case, "supervise", note="挂牌督办")
    assert case.supervision_level == 2 and case.events.last().data == {"level": 2}
    case = act(w, "street_staff", case, "supervise", note="再次督办")
    assert case.supervision_level == 2 and case.events.last().data == {"level": 1}
    assert case.state == rules.HANDLING and case.events.filter(action="supervise").count() == 3
    for persona in ("community_worker", "grid_worker", "dept_handler"):
        with pytest.raises(PermissionDenied):
            act(w, persona, case, "supervise", note="督办")


def test_supervision_of_a_case_not_yet_dispatched_and_not_of_a_closed_one(w):
    case = act(w, "admin", receive(w), "supervise", note="尽快立案")
    assert case.supervision_level == 2 and case.state == rules.RECEIVED
    closed = closed_case(w)
    with pytest.raises(DomainError, match="已结案"):
        act(w, "admin", closed, "supervise", note="督办")


def closed_case(w, grid=None) -> Case:
    case = dispatched(w, grid=grid)
    case = act(w, "dept_handler", case, "accept")
    case = act(w, "dept_handler", case, "feedback", note="已修复")
    on_site = "grid_worker" if grid in (None, w.grid_a1) else "admin"
    return act(w, on_site, case, "verify")


def test_staff_rating(w):
    case = closed_case(w)
    for rating in ("good", "", None):
        with pytest.raises(ValidationFailed) as exc:
            act(w, "street_staff", case, "rate", rating=rating)
        assert refused(exc) == [("rating", "请选择满意、基本满意或不满意")]
    with pytest.raises(PermissionDenied):
        act(w, "dept_handler", case, "rate", rating=rules.SATISFIED)
    case = act(w, "street_staff", case, "rate", now=at(2025, 3, 20, 9), rating=rules.BASIC, note="电话回访")
    assert (case.rating, case.rated_at, case.state) == (rules.BASIC, at(2025, 3, 20, 9), rules.CLOSED)
    with pytest.raises(DomainError, match="本次办理已评价"):
        act(w, "street_staff", case, "rate", rating=rules.SATISFIED)
    with pytest.raises(DomainError, match="只有评价为不满意或回访未解决的案件可以重新办理"):
        act(w, "street_staff", case, "reopen")


def test_staff_record_unsatisfied_and_reopen_explicitly(w):
    case = act(w, "street_staff", closed_case(w), "rate", rating=rules.UNSATISFIED)
    assert case.state == rules.CLOSED  # a staff rating does not reopen by itself
    case = act(w, "street_staff", case, "reopen", now=at(2025, 3, 20, 9))
    assert case.state == rules.HANDLING and case.reopen_count == 1
    assert (case.rating, case.closed_at, case.on_time, case.handling_seconds, case.feedback_at) == (
        "",
        None,
        None,
        None,
        None,
    )
    # A fresh 3-working-day deadline from the reopening (Thursday 09:00 → Tuesday 17:30).
    assert case.due_at == at(2025, 3, 25, 17, 30) and case.dispatched_at == MON


def test_resident_unsatisfied_reopens_once(w):
    case = closed_case(w)
    with pytest.raises(ValidationFailed) as exc:
        services.public_rate(tracking_code="NOPE", rating=rules.SATISFIED)
    assert refused(exc) == [("tracking_code", "查询码不正确")]
    code = f"{case.tracking_code[:4].lower()}-{case.tracking_code[4:]}"  # as read back over the phone
    case = services.public_rate(tracking_code=code, rating=rules.UNSATISFIED, note="灯又坏了", now=at(2025, 3, 20, 9))
    assert case.state == rules.HANDLING and case.reopen_count == 1 and case.rating == ""
    assert [(e.action, e.actor_label, e.public) for e in case.events.order_by("-seq")[:2]] == [
        ("reopen", "反映人", True),
        ("rate", "反映人", True),
    ]
    assert case.events.get(action="rate").data == {"rating": rules.UNSATISFIED}
    with pytest.raises(DomainError, match="处置中"):  # no rating while it is being handled again
        services.public_rate(tracking_code=case.tracking_code, rating=rules.SATISFIED)
    case = act(w, "dept_handler", case, "feedback", note="更换灯具")
    case = act(w, "grid_worker", case, "verify")
    case = services.public_rate(tracking_code=case.tracking_code, rating=rules.UNSATISFIED)
    assert case.state == rules.CLOSED and case.rating == rules.UNSATISFIED and case.reopen_count == 1
    with pytest.raises(DomainError, match="只能重新办理一次"):
        act(w, "street_staff", case, "reopen")


def test_resident_satisfied_stays_closed(w):
    case = services.public_rate(tracking_code=closed_case(w).tracking_code, rating=rules.SATISFIED)
    assert case.state == rules.CLOSED and case.rating == rules.SATISFIED
    with pytest.raises(DomainError, match="本次办理已评价"):
        services.public_rate(tracking_code=case.tracking_code, rating=rules.UNSATISFIED)
    with pytest.raises(ValidationFailed) as exc:
        services.public_rate(tracking_code=closed_case(w).tracking_code, rating="bad")
    assert refused(exc) == [("rating", "请选择满意、基本满意或不满意")]


def test_public_rating_of_an_open_case_is_refused(w):
    case = receive(w)
    with pytest.raises(DomainError, match="已受理"):
        services.public_rate(tracking_code=case.tracking_code, rating=rules.SATISFIED)
    assert state_of(case)["row"]["version"] == 1


# ---------------------------------------------------------------- merge


def test_merge_into_an_original_in_scope(w):
    original, duplicate = receive(w), receive(w)
    duplicate = act(w, "street_staff", duplicate, "merge", original_id=original.pk, note="同一路灯")
    assert duplicate.state == rules.MERGED and duplicate.merged_into == original
    assert duplicate.events.last().data == {"original": original.number}
    registered = act(w, "street_staff", receive(w), "register")
    assert act(w, "street_staff", registered, "merge", original_id=str(original.pk)).state == rules.MERGED


def test_merge_targets_that_are_refused(w):
    case = receive(w)
    other_street = receive(w, w.grid_b1)
    merged = act(w, "admin", receive(w), "merge", original_id=other_street.pk)
    rejected = act(w, "admin", receive(w), "reject", note="重复来电")
    cases = [
        (None, "请选择要并入的原案件（须在您的管辖范围内）"),
        ("abc", "请选择要并入的原案件（须在您的管辖范围内）"),
        (case.pk, "请选择要并入的原案件（须在您的管辖范围内）"),  # itself
        (other_street.pk, "请选择要并入的原案件（须在您的管辖范围内）"),  # street 乙, out of street 甲's scope
        (99999999, "请选择要并入的原案件（须在您的管辖范围内）"),
        (merged.pk, f"原案件{merged.number}状态为「已合并」，不能并入"),
        (rejected.pk, f"原案件{rejected.number}状态为「不予受理」，不能并入"),
    ]
    for original_id, message in cases:
        before = state_of(case)
        with pytest.raises(ValidationFailed) as exc:
            act(w, "street_staff", case, "merge", original_id=original_id)
        assert refused(exc) == [("original_id", message)]
        assert state_of(case) == before


def test_only_new_and_registered_cases_merge(w):
    original = receive(w)
    with pytest.raises(DomainError, match="已派遣待签收"):
        act(w, "admin", dispatched(w), "merge", original_id=original.pk)


def test_reject_needs_a_reason(w):
    case = receive(w)
    with pytest.raises(ValidationFailed) as exc:
        act(w, "street_staff", case, "reject")
    assert refused(exc) == [("note", "请填写不予受理的说明")]
    case = act(w, "street_staff", case, "reject", note="不属于受理范围")
    assert case.state == rules.REJECTED and case.events.last().note == "不属于受理范围"


# ---------------------------------------------------------------- scope and roles: 404 before 403


@pytest.mark.parametrize(
    ("persona", "grid"),
    [
        ("street_staff", "grid_b1"),
        ("community_worker", "grid_a2"),
        ("community_worker2", "grid_a1"),
        ("grid_worker", "grid_a1b"),
        ("dept_handler", "grid_a1"),  # not sent to its department
        ("company_staff", "grid_a1"),
    ],
)
def test_out_of_scope_is_not_found(w, persona, grid):
    case = receive(w, getattr(w, grid))
    before = state_of(case)
    for action in ("register", "reject", "supervise", "merge", "nonsense"):
        with pytest.raises(Http404):
            act(w, persona, case, action, note="说明")
    assert state_of(case) == before


def test_unknown_case_is_not_found(w):
    with pytest.raises(Http404):
        services.case_act(user=w.users["admin"], case_id=99999999, action="register", version=1)


@pytest.mark.parametrize(
    ("persona", "action"),
    [
        ("community_worker", "register"),
        ("grid_worker", "reject"),
        ("community_worker", "merge"),
        ("grid_worker", "supervise"),
    ],
)
def test_in_scope_but_not_allowed_is_forbidden(w, persona, action):
    case = receive(w)
    before = state_of(case)
    with pytest.raises(PermissionDenied, match="您无权对该案件执行"):
        act(w, persona, case, action, note="说明")
    assert state_of(case) == before


def test_departments_act_only_as_lead_or_assisting(w):
    company = Organization.objects.get(name="安居物业")
    case = handling(w, assisting_ids=[company.pk])
    for persona, action in [
        ("dept_handler", "register"),
        ("dept_handler", "assist_note"),
        ("company_staff", "feedback"),
    ]:
        with pytest.raises(PermissionDenied):
            act(w, persona, case, action, note="说明")
    with pytest.raises(PermissionDenied):
        act(w, "street_staff", case, "feedback", note="说明")
    case = act(w, "company_staff", case, "assist_note", note="已配合断电")
    assert case.state == rules.HANDLING and case.events.last().actor == w.users["company_staff"]
    assert case.events.last().actor_label == "company_staff（安居物业）"


def test_unknown_action_in_scope_is_a_plain_refusal(w):
    with pytest.raises(DomainError, match="未知的操作：receive"):
        act(w, "admin", receive(w), "receive")


def test_stale_and_missing_versions(w):
    case = receive(w)
    act(w, "street_staff", case, "register")  # `case` is now one version behind
    before = state_of(case)
    with pytest.raises(Conflict, match="案件已被他人处理"):
        act(w, "street_staff", case, "dispatch", version=1)
    assert state_of(case) == before
    for version in (None, "2", True):
        with pytest.raises(ValidationFailed) as exc:
            act(w, "street_staff", case, "dispatch", version=version)
        assert refused(exc) == [("version", "缺少版本号")]
    assert state_of(case) == before


def test_a_refused_state_change_says_which_state_and_action(w):
    with pytest.raises(DomainError) as exc:
        act(w, "admin", receive(w), "dispatch")
    assert exc.value.detail == "案件当前状态为「已受理」，不能执行「派遣」"
    assert exc.value.status == 400


# ---------------------------------------------------------------- random walks


PERSONAS = [*factories.PERSONAS, "resident"]
ACTIONS = [a for a in rules.TRANSITIONS if a != "receive"] + ["receive", "bogus"]


def _check_invariants(case: Case) -> None:
    assert case.state in rules.STATE_LABELS
    assert case.reopen_count <= rules.MAX_REOPENS
    assert case.extension_days is None or case.state == rules.HANDLING
    assert (case.state == rules.MERGED) == (case.merged_into_id is not None)
    if case.state in (rules.DISPATCHED, rules.HANDLING, rules.FEEDBACK):
        assert case.lead_department_id is not None and case.due_at is not None
    if case.state == rules.RETURNED:
        assert case.lead_department_id is None
    assert (case.state == rules.CLOSED) == (case.closed_at is not None)
    assert (case.state == rules.CLOSED) == (case.on_time is not None)


@settings(max_examples=25)
@given(data=st.data())
def test_random_actions_by_random_personas(w, data):
    orgs = [Organization.objects.get(name="区城市管理综合执法局").pk, Organization.objects.get(name="安居物业").pk]
    now = at(2025, 3, 3, 9)
    case = receive(w, now=now)
    other = receive(w, now=now)
    for _ in range(20):
        now += timedelta(minutes=data.draw(st.integers(0, 3 * 24 * 60), label="minutes"))
        current = Case.objects.get(pk=case.pk)
        if data.draw(st.integers(0, 3), label="onward"):
            # Mostly an action someone may take now (any action alike, whoever may take it), so that walks get
            # past the first states instead of piling up 督办 and refusals.
            able = {}
            for p in PERSONAS[:-1]:
                for t in selectors.actions_for(user=w.users[p], case=current):
                    if t.target not in (rules.REJECTED, rules.MERGED):
                        able.setdefault(t.action, []).append(p)
            if current.state == rules.CLOSED and not current.rating:
                able.setdefault("rate", []).append("resident")
            if not able:
                break
            action = data.draw(st.sampled_from(sorted(able)), label="action")
            persona = data.draw(st.sampled_from(able[action]), label="persona")
            note = "说明"
        else:
            persona = data.draw(st.sampled_from(PERSONAS), label="persona")
            action = data.draw(st.sampled_from(ACTIONS), label="action")
            note = data.draw(st.sampled_from(["", "说明"]), label="note")
        params = {
            "department_id": data.draw(st.sampled_from([None, *orgs, 99999999]), label="department"),
            "assisting_ids": data.draw(st.sampled_from([[], orgs[1:], orgs]), label="assisting"),
            "days": data.draw(st.sampled_from([2, 2, 0, None]), label="days"),
            "rating": data.draw(st.sampled_from([*rules.RATING_LABELS, "bad"]), label="rating"),
            "original_id": data.draw(st.sampled_from([other.pk, case.pk, None]), label="original"),
        }
        version = current.version - data.draw(st.sampled_from([0, 0, 0, 1]), label="stale")
        before = state_of(current)
        try:
            if persona == "resident":
                result = services.public_rate(tracking_code=current.tracking_code, rating=params["rating"], now=now)
            else:
                result = services.case_act(
                    user=w.users[persona], case_id=case.pk, action=action, version=version, note=note, now=now, **params
                )
        except (DomainError, Http404):
            assert state_of(current) == before  # a refusal changes nothing
            continue
        fresh = Case.objects.get(pk=case.pk)
        assert (result.state, result.version) == (fresh.state, fresh.version)
        events = list(fresh.events.order_by("seq"))
        new = events[len(before["events"]) :]
        if persona == "resident":
            reopens = (
                params["rating"] == rules.UNSATISFIED and current.reopen_count < rules.MAX_REOPENS
                and current.lead_department_id is not None
            )  # fmt: skip
            assert [e.action for e in new] == ["rate", "reopen"] if reopens else ["rate"]
        else:
            assert [e.action for e in new] == [action]  # one entry per success
        assert fresh.version == current.version + len(new)
        previous = events[len(before["events"]) - 1]
        for e in new:
            assert e.seq == previous.seq + 1 and e.at >= previous.at and e.from_state == previous.to_state
            previous = e
        assert previous.to_state == fresh.state and previous.at == now
        if current.state == rules.CLOSED:
            assert {e.action for e in new} <= {"rate", "visit", "visit_try", "reopen"}
        _check_invariants(fresh)


def test_no_user_of_another_organisation_sees_a_case(w):
    other_dept = Organization.objects.get(name="区住房和城乡建设局")
    outsider = factories.user("housing", Role.DEPT_HANDLER, organization=other_dept)
    case = dispatched(w)
    assert not selectors.case_queryset(user=outsider).filter(pk=case.pk).exists()
    with pytest.raises(Http404):
        act(w, outsider, case, "accept")
    assert CaseEvent.objects.filter(case=case).count() == 3


def test_a_case_fed_back_in_time_is_not_overdue_while_it_waits_for_the_check(w):
    """The department's clock stops at feedback: the overdue list and the light filter agree."""
    from linli.cases.tests.casework import case_in

    street = w.users["street_staff"]
    case = case_in(w.grid_a1, "feedback")
    after_due = case.due_at + timedelta(days=3)
    light = selectors.CaseFilter(light=rules.RED)
    assert case.feedback_at <= case.due_at
    assert list(selectors.overdue(user=street, now=after_due)) == []
    assert list(selectors.case_list(user=street, filters=light, now=after_due)) == []
    Case.objects.filter(pk=case.pk).update(feedback_at=case.due_at + timedelta(hours=1))  # as if fed back late
    assert [c.pk for c in selectors.overdue(user=street, now=after_due)] == [case.pk]
    assert [c.pk for c in selectors.case_list(user=street, filters=light, now=after_due)] == [case.pk]
