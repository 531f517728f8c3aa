"""/api/v1/cases: lists and filters, intake in JSON and multipart, the detail, actions with versions, photos,
the audited reveal of the reporter's phone, the category tree and the indicators."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from linli.audit.models import AuditEntry
from linli.cases import services
from linli.cases.models import Attachment, Case, CaseEvent, Category
from linli.cases.tests.casework import case_in, photo, post_form
from linli.testing import factories
from linli.testing.apiclient import ApiClient, field_errors


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api(w, role: str) -> ApiClient:
    return ApiClient(w.users[role])


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return [row["number"] for row in body["items"]]


def new_case(w, **over) -> dict:
    return {
        "channel": "hotline",
        "category_id": Category.objects.get(code="0403").pk,
        "description": "青年大街12号井盖缺失，很危险",
        "address": "青年大街12号",
        "region_id": w.grid_a1.pk,
        "reporter_name": "李先生",
        "reporter_phone": "13812345678",
        **over,
    }


def snapshot(case: Case) -> tuple:
    """What a refused request must leave as it was."""
    case.refresh_from_db()
    return case.state, case.version, case.events.count(), case.lead_department_id


# ---------------------------------------------------------------- lists


def test_a_list_row_has_labels_the_light_and_a_masked_phone(w):
    case = case_in(w.grid_a1, "dispatched", dispatched_at=timezone.now() - timedelta(days=30))
    (row,) = api(w, "street_staff").get("/cases").json()["items"]
    assert row["number"] == case.number
    assert (row["state"], row["state_label"]) == ("dispatched", "已派遣待签收")
    assert (row["channel"], row["channel_label"]) == ("window", "窗口")
    assert row["category"] == {"id": case.category_id, "code": "0401", "name": "路灯不亮", "major": "市政设施"}
    assert (row["priority"], row["priority_label"]) == (3, "一般")
    assert row["region"] == {"id": w.grid_a1.pk, "name": "甲一1号网格"}
    assert row["lead_department"]["name"] == "区城市管理综合执法局"
    assert (row["reporter_name"], row["reporter_phone"]) == ("王女士", "139****5678")
    assert (row["light"], row["light_label"]) == ("red", "红灯超期")
    assert row["version"] == case.version == 3
    assert "13912345678" not in api(w, "admin").get("/cases").content.decode()


def test_closed_and_rejected_cases_have_no_light(w):
    case = case_in(w.grid_a1)
    api(w, "street_staff").post(f"/cases/{case.pk}/actions/reject", {"version": 1, "note": "不属于受理范围"})
    (row,) = api(w, "street_staff").get("/cases").json()["items"]
    assert (row["state"], row["light"], row["light_label"]) == ("rejected", None, "")


def test_filters(w):
    old = timezone.now() - timedelta(days=30)
    lamp = case_in(w.grid_a1)
    late = case_in(w.grid_a2, "dispatched", dispatched_at=old, channel="hotline", address="青年大街8号")
    rubbish = case_in(w.grid_a1, category="0201", description="小区垃圾三天没有清运")
    far = case_in(w.grid_b1)
    district = api(w, "district_staff")
    assert set(numbers(district.get("/cases"))) == {lamp.number, late.number, rubbish.number, far.number}
    assert numbers(district.get("/cases", {"state": "dispatched"})) == [late.number]
    assert numbers(district.get("/cases", {"channel": "hotline"})) == [late.number]
    assert numbers(district.get("/cases", {"category": rubbish.category.parent_id})) == [rubbish.number]
    assert numbers(district.get("/cases", {"department": late.lead_department_id})) == [late.number]
    assert set(numbers(district.get("/cases", {"region": w.street_a.pk}))) == {lamp.number, late.number, rubbish.number}
    assert numbers(district.get("/cases", {"light": "red"})) == [late.number]
    assert set(numbers(district.get("/cases", {"light": "green"}))) == {lamp.number, rubbish.number, far.number}
    assert numbers(district.get("/cases", {"q": late.number})) == [late.number]
    assert numbers(district.get("/cases", {"q": "垃圾"})) == [rubbish.number]
    assert numbers(district.get("/cases", {"q": "青年大街"})) == [late.number]
    day = timezone.localdate(old).isoformat()
    # both ends of the received dates are included
    assert numbers(district.get("/cases", {"received_from": day, "received_to": day})) == [late.number]
    assert late.number not in numbers(district.get("/cases", {"received_from": timezone.localdate().isoformat()}))
    district.post(f"/cases/{late.pk}/actions/supervise", {"version": late.version, "note": "尽快处理"})
    assert numbers(district.get("/cases", {"supervised": "true"})) == [late.number]
    assert late.number not in numbers(district.get("/cases", {"supervised": "false"}))


def test_bad_filters_are_named_and_a_region_out_of_scope_answers_404(w):
    street = api(w, "street_staff")
    response = street.get("/cases", {"light": "blue", "received_from": "2026-13-01", "state": "lost"})
    assert response.status_code == 400
    assert field_errors(response) == {
        "light": "不在可选值范围内",
        "received_from": "日期格式应为YYYY-MM-DD",
        "state": "不在可选值范围内",
    }
    response = street.get("/cases", {"region": w.grid_b1.pk})
    assert response.status_code == 404 and response.json()["detail"] == "未找到该记录或无权访问"


def test_the_queue_puts_urgent_and_old_cases_first_and_keeps_to_its_states(w):
    lamp = case_in(w.grid_a1)
    manhole = case_in(w.grid_a1, category="0403")  # 井盖缺失: urgent
    registered = case_in(w.grid_a1, "registered")
    case_in(w.grid_a1, "dispatched")
    street = api(w, "street_staff")
    assert numbers(street.get("/cases/queue")) == [manhole.number, lamp.number, registered.number]
    assert numbers(street.get("/cases/queue", {"state": "registered"})) == [registered.number]
    response = street.get("/cases/queue", {"state": "dispatched"})
    assert response.status_code == 400 and field_errors(response) == {"state": "不在可选值范围内"}


def test_todo_and_overdue(w):
    late = case_in(w.grid_a1, "dispatched", dispatched_at=timezone.now() - timedelta(days=30))
    handling = case_in(w.grid_a1, "handling")
    checking = case_in(w.grid_a1, "feedback")
    case_in(w.grid_a1)
    assert numbers(api(w, "dept_handler").get("/cases/todo")) == [late.number, handling.number]
    supervised = case_in(w.grid_a1, "handling")
    Case.objects.filter(pk=supervised.pk).update(supervision_level=1, due_at=handling.due_at + timedelta(days=1))
    # Overdue first, then supervised, then by deadline.
    assert numbers(api(w, "dept_handler").get("/cases/todo")) == [late.number, supervised.number, handling.number]
    assert numbers(api(w, "grid_worker").get("/cases/todo")) == [checking.number]
    assert numbers(api(w, "street_staff").get("/cases/overdue")) == [late.number]
    street_b = ApiClient(factories.user("street_b", "street_staff", w.street_b))
    assert numbers(street_b.get("/cases/overdue")) == []


# ---------------------------------------------------------------- intake


def test_intake_answers_201_with_the_detail(w):
    response = api(w, "grid_worker").post("/cases", new_case(w))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert (body["number"], body["state"], body["channel"]) == (case.number, "received", "hotline")
    assert body["reporter_phone"] == "138****5678" and case.reporter_phone == "13812345678"
    assert body["priority_label"] == "紧急" and body["category"]["name"] == "井盖缺失"
    assert body["community"]["name"] == "甲一社区" and body["street"]["name"] == "甲街道"
    assert [(e["action"], e["to_state_label"], e["actor_label"]) for e in body["timeline"]] == [
        ("receive", "已受理", "grid_worker（甲一1号网格）")
    ]
    # a grid worker takes reports;立案 and the rest are the dispatcher's
    assert body["actions"] == []
    actions = api(w, "street_staff").get(f"/cases/{case.pk}").json()["actions"]
    assert [a["action"] for a in actions] == ["register", "reject", "merge", "supervise"]
    assert actions[1] == {"action": "reject", "label": "不予受理", "note_required": True}


def test_intake_at_a_house_of_the_registry(w):
    from linli.people.models import Estate

    estate = Estate.objects.create(region=w.community_a1, name="幸福里")
    house = factories.house(w.grid_a1, estate, building="3", unit="2", number="501")
    body = api(w, "community_worker").post("/cases", new_case(w, region_id=None, house_id=house.pk)).json()
    assert body["house"] == {"id": house.pk, "address": "幸福里3号楼2单元501"}
    assert body["region"]["id"] == w.grid_a1.pk


def test_bad_intake_names_each_field_and_creates_nothing(w):
    response = api(w, "street_staff").post(
        "/cases",
        new_case(w, channel="online", category_id=99999, description="坏", region_id=None, reporter_phone="12345"),
    )
    assert response.status_code == 400
    assert field_errors(response) == {"channel": "请选择有效的来源渠道"}  # the channel is checked first
    response = api(w, "street_staff").post(
        "/cases", new_case(w, category_id=99999, description="坏", region_id=None, reporter_phone="12345")
    )
    assert response.status_code == 400
    errors = field_errors(response)
    assert errors["category_id"] == "请选择有效的事件小类"
    assert errors["description"] == "问题描述至少5个字"
    assert "reporter_phone" in errors
    response = api(w, "street_staff").post("/cases", new_case(w, region_id=None))
    assert field_errors(response) == {"location": "请选择房屋、所属区域或在地图上标出位置"}
    response = api(w, "street_staff").post("/cases", new_case(w, category_id="灯"))
    assert response.status_code == 400 and field_errors(response) == {"category_id": "应为整数"}
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_intake_out_of_scope_or_by_a_department_is_refused(w):
    response = api(w, "street_staff").post("/cases", new_case(w, region_id=w.grid_b1.pk))
    assert response.status_code == 400
    assert field_errors(response) == {"region_id": "区域不存在或不在您的管辖范围内"}
    response = api(w, "dept_handler").post("/cases", new_case(w))
    assert response.status_code == 403 and response.json()["detail"] == "您无权受理事件"
    assert Case.objects.count() == 0


def test_multipart_intake_with_photos(w):
    street = api(w, "street_staff")
    form = new_case(w, house_id="", latitude="")  # empty form fields count as not filled
    response = post_form(street, "/cases/form", form, [photo("井盖.png"), photo("远景.jpg", fmt="JPEG")])
    assert response.status_code == 201, response.content
    (receive,) = response.json()["timeline"]
    assert [(a["name"], a["content_type"], a["width"]) for a in receive["attachments"]] == [
        ("井盖.png", "image/png", 8),
        ("远景.jpg", "image/jpeg", 8),
    ]
    first = receive["attachments"][0]
    download = street.client.get(first["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png" and download["X-Content-Type-Options"] == "nosniff"
    stored = Attachment.objects.get(pk=first["id"])
    with stored.file.open("rb") as f:
        assert b"".join(download.streaming_content) == f.read()


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_created(w):
    fake = photo("恶意.png")
    fake.file.seek(0)
    fake.file.write(b"<script>alert(1)</script>")
    fake.file.truncate()
    fake.file.seek(0)
    response = post_form(api(w, "street_staff"), "/cases/form", new_case(w), [photo(), fake])
    assert response.status_code == 400
    assert field_errors(response) == {"photos": "第2张照片（恶意.png）已损坏或不是有效的PNG文件"}
    response = post_form(api(w, "street_staff"), "/cases/form", new_case(w), [photo() for _ in range(7)])
    assert field_errors(response) == {"photos": "照片最多6张"}
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


# ---------------------------------------------------------------- detail


def test_the_detail(w):
    case = case_in(w.grid_a1, "dispatched")
    body = api(w, "dept_handler").get(f"/cases/{case.pk}").json()
    assert body["description"] == "小区门口路灯不亮三天了"
    assert body["reporter_phone"] == "139****5678"
    assert body["point"] is None and body["house"] is None and body["merged_into"] is None
    deadlines = body["deadlines"]
    assert deadlines["response_due"] and deadlines["warn_at"] < deadlines["due_at"]
    assert body["counts"] == {
        "return_count": 0,
        "rework_count": 0,
        "reopen_count": 0,
        "extension_count": 0,
        "extension_days_pending": None,
        "resume_on": None,
        "deferral_count": 0,
    }
    assert [(e["seq"], e["label"], e["from_state_label"]) for e in body["timeline"]] == [
        (1, "受理", ""),
        (2, "立案", "已受理"),
        (3, "派遣", "已立案待派遣"),
    ]
    assert body["timeline"][2]["data"]["department"] == "区城市管理综合执法局"
    assert [a["action"] for a in body["actions"]] == ["accept", "return"]


def test_a_case_out_of_scope_looks_missing(w):
    case = case_in(w.grid_b1)
    for role in ("street_staff", "community_worker", "dept_handler", "company_staff"):
        response = api(w, role).get(f"/cases/{case.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到该记录或无权访问", "errors": []}
    assert api(w, "street_staff").get("/cases/999999").status_code == 404


# ---------------------------------------------------------------- actions


def act(client: ApiClient, case: Case, action: str, **body):
    return client.post(f"/cases/{case.pk}/actions/{action}", {"version": case.version, **body})


def test_the_whole_loop_through_the_api(w):
    from linli.organizations.models import Organization

    case = case_in(w.grid_a1)
    street, handler, grid = api(w, "street_staff"), api(w, "dept_handler"), api(w, "grid_worker")
    water = Organization.objects.get(name="市水务集团")
    body = act(street, case, "register").json()
    assert (body["state"], body["version"]) == ("registered", 2)
    case.refresh_from_db()
    body = act(street, case, "dispatch", assisting_ids=[water.pk]).json()
    assert body["lead_department"]["name"] == "区城市管理综合执法局"
    assert body["assisting"] == [{"id": water.pk, "name": "市水务集团"}]
    case.refresh_from_db()
    act(handler, case, "accept")
    case.refresh_from_db()
    response = post_form(handler, f"/cases/{case.pk}/actions/feedback/form",
                         {"version": case.version, "note": "已更换灯泡"}, [photo("修好了.png")])  # fmt: skip
    assert response.status_code == 200, response.content
    feedback = response.json()["timeline"][-1]
    assert (feedback["action"], feedback["note"], len(feedback["attachments"])) == ("feedback", "已更换灯泡", 1)
    case.refresh_from_db()
    body = act(grid, case, "verify").json()
    assert (body["state_label"], body["on_time"], body["light"]) == ("已结案", True, None)
    case.refresh_from_db()
    body = act(street, case, "rate", rating="satisfied").json()
    assert (body["rating"], body["rating_label"]) == ("satisfied", "满意")
    assert [e["action"] for e in body["timeline"]] == [
        "receive", "register", "dispatch", "accept", "feedback", "verify", "rate",
    ]  # fmt: skip


def test_a_department_returning_a_case_gets_it_back_as_it_left_it(w):
    case = case_in(w.grid_a1, "dispatched")
    response = act(api(w, "dept_handler"), case, "return", note="不属于本部门职责")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["lead_department"], body["actions"]) == ("returned", None, [])
    # …and no longer sees it
    assert api(w, "dept_handler").get(f"/cases/{case.pk}").status_code == 404


def test_merge_shows_the_original(w):
    original, duplicate = case_in(w.grid_a1), case_in(w.grid_a1)
    body = act(api(w, "street_staff"), duplicate, "merge", original_id=original.pk).json()
    assert (body["state_label"], body["merged_into"]) == ("已合并", original.number)
    response = act(api(w, "street_staff"), case_in(w.grid_a1), "merge", original_id=case_in(w.grid_b1).pk)
    assert field_errors(response) == {"original_id": "请选择要并入的原案件（须在您的管辖范围内）"}


def test_a_stale_version_answers_409_and_changes_nothing(w):
    case = case_in(w.grid_a1)
    stale = case.version
    assert act(api(w, "street_staff"), case, "register").status_code == 200
    before = snapshot(case)
    response = api(w, "district_staff").post(f"/cases/{case.pk}/actions/reject", {"version": stale, "note": "重复"})
    assert response.status_code == 409
    assert response.json() == {"detail": "案件已被他人处理，请刷新后重试", "errors": []}
    assert snapshot(case) == before


def test_an_illegal_transition_answers_400_in_chinese_and_changes_nothing(w):
    case = case_in(w.grid_a1)
    before = snapshot(case)
    response = act(api(w, "grid_worker"), case, "verify")
    assert response.status_code == 400
    assert response.json() == {"detail": "案件当前状态为「已受理」，不能执行「核查通过，结案」", "errors": []}
    response = act(api(w, "street_staff"), case, "fly")
    assert response.status_code == 400 and response.json()["detail"] == "未知的操作：fly"
    response = act(api(w, "street_staff"), case, "receive")
    assert response.status_code == 400 and response.json()["detail"] == "未知的操作：receive"
    assert snapshot(case) == before


def test_an_actor_without_the_role_gets_403_and_changes_nothing(w):
    case = case_in(w.grid_a1)
    before = snapshot(case)
    for role in ("community_worker", "grid_worker"):
        response = act(api(w, role), case, "register")
        assert response.status_code == 403
        assert response.json()["detail"] == "您无权对该案件执行「立案」"
    dispatched = case_in(w.grid_a1, "dispatched")
    response = act(api(w, "street_staff"), dispatched, "accept")
    assert response.status_code == 403 and response.json()["detail"] == "您无权对该案件执行「签收」"
    assert snapshot(case) == before


def test_bad_action_parameters_are_named_and_change_nothing(w):
    case = case_in(w.grid_a1, "handling")
    handler = api(w, "dept_handler")
    before = snapshot(case)
    response = handler.post(f"/cases/{case.pk}/actions/feedback", {"note": "已修复"})
    assert response.status_code == 400 and field_errors(response) == {"version": "此项为必填项"}
    response = act(handler, case, "feedback")
    assert field_errors(response) == {"note": "请填写处置反馈的说明"}
    response = act(handler, case, "request_extension", note="需要更换电缆", days=99)
    assert field_errors(response) == {"days": "数值过大（不大于30）"}
    response = act(handler, case, "request_extension", note="需要更换电缆", days="三天")
    assert field_errors(response) == {"days": "应为整数"}
    response = act(handler, case, "feedback", note="已修复", rating="great")
    assert field_errors(response) == {"rating": "不在可选值范围内"}
    response = post_form(handler, f"/cases/{case.pk}/actions/feedback/form", {"version": case.version, "note": "好"},
                         [photo(), photo(fmt="GIF")])  # fmt: skip
    assert field_errors(response) == {"photos": "第2张照片（现场.png）格式为GIF，只接受JPEG、PNG或WebP"}
    assert snapshot(case) == before
    assert Attachment.objects.count() == 0


def test_dispatch_to_an_unknown_department_is_named(w):
    case = case_in(w.grid_a1, "registered")
    before = snapshot(case)
    response = act(api(w, "street_staff"), case, "dispatch", department_id=99999, assisting_ids=[99998])
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "department_id", "message": "请选择有效的处置单位"},
        {"field": "assisting_ids", "message": "请选择有效的处置单位"},
    ]
    assert snapshot(case) == before


# ---------------------------------------------------------------- attachments


def test_photos_are_served_only_within_scope(w):
    street = api(w, "street_staff")
    body = post_form(street, "/cases/form", new_case(w), [photo()]).json()
    url = body["timeline"][0]["attachments"][0]["url"]
    download = api(w, "grid_worker").client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\x89PNG")
    for role in ("community_worker2", "dept_handler", "company_staff"):
        assert api(w, role).client.get(url).status_code == 404
    other = case_in(w.grid_a1)
    attachment_id = body["timeline"][0]["attachments"][0]["id"]
    # an attachment id of another case, even one in scope, is not found under this one
    assert street.get(f"/cases/{other.pk}/attachments/{attachment_id}").status_code == 404


def test_the_page_and_the_api_serve_a_photo_alike(client, w):
    street = api(w, "street_staff")
    case = Case.objects.get(pk=post_form(street, "/cases/form", new_case(w), [photo()]).json()["id"])
    photo_id = case.attachments.get().pk
    client.force_login(w.users["street_staff"])
    urls = (f"/cases/{case.pk}/attachments/{photo_id}/", f"/api/v1/cases/{case.pk}/attachments/{photo_id}")
    headers = (
        *("Content-Type", "Content-Disposition", "Cache-Control"),
        *("X-Content-Type-Options", "Content-Security-Policy"),
    )
    page, answer = (client.get(url) for url in urls)
    assert page.status_code == answer.status_code == 200
    assert {h: page[h] for h in headers} == {h: answer[h] for h in headers}
    assert answer["Content-Security-Policy"] == "default-src 'none'; sandbox"
    case.attachments.get().file.delete(save=False)  # the file lost from storage: not found on both
    assert [client.get(url).status_code for url in urls] == [404, 404]


# ---------------------------------------------------------------- reveal


def test_reveal_shows_the_phone_to_permitted_users_and_is_audited(w):
    case = case_in(w.grid_a1)
    response = api(w, "street_staff").post(f"/cases/{case.pk}/reveal", {"purpose": "回访核实"})
    assert response.status_code == 200
    assert response.json() == {"reporter_name": "王女士", "reporter_phone": "13912345678"}
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_type, entry.object_ids, entry.purpose) == (
        w.users["street_staff"], "view_pii", "case", [case.pk], "回访核实",
    )  # fmt: skip


def test_reveal_needs_a_permission_and_a_purpose(w):
    case = case_in(w.grid_a1)
    response = api(w, "district_staff").post(f"/cases/{case.pk}/reveal", {"purpose": "回访核实"})
    assert response.status_code == 403 and response.json()["detail"] == "您没有查看反映人完整电话的权限"
    response = api(w, "street_staff").post(f"/cases/{case.pk}/reveal", {"purpose": " "})
    assert response.status_code == 400 and field_errors(response) == {"purpose": "请填写查看用途"}
    assert AuditEntry.objects.count() == 0
    # the case permission alone is enough, without the people registry's
    w.users["district_staff"].user_permissions.add(Permission.objects.get(codename="view_reporter"))
    response = api(w, "district_staff").post(f"/cases/{case.pk}/reveal", {"purpose": "回访核实"})
    assert response.status_code == 200 and response.json()["reporter_phone"] == "13912345678"


# ---------------------------------------------------------------- categories


def test_the_category_tree(w):
    tree = api(w, "grid_worker").get("/cases/categories").json()
    assert len(tree) == Category.objects.filter(parent=None).count() == 9
    assert sum(len(major["minors"]) for major in tree) == Category.objects.exclude(parent=None).count() == 47
    municipal = next(major for major in tree if major["code"] == "04")
    lamp = next(minor for minor in municipal["minors"] if minor["code"] == "0401")
    assert lamp["name"] == "路灯不亮" and lamp["department"]["name"] == "区城市管理综合执法局"
    assert (lamp["response_limit"], lamp["response_unit_label"]) == (4, "工作小时")
    assert (lamp["handle_limit"], lamp["handle_unit_label"]) == (3, "工作日")
    assert lamp["requires_verification"] is True
    Category.objects.filter(code="0401").update(active=False)
    municipal = next(m for m in api(w, "grid_worker").get("/cases/categories").json() if m["code"] == "04")
    assert "0401" not in [minor["code"] for minor in municipal["minors"]]


# ---------------------------------------------------------------- batches and the history


def picked(*cases: Case) -> list[dict]:
    return [{"id": c.pk, "version": c.version} for c in cases]


def test_a_dispatch_batch_registers_received_cases_and_reports_each_outcome(w):
    received, registered, stale = case_in(w.grid_a1), case_in(w.grid_a1, "registered"), case_in(w.grid_a1)
    elsewhere = case_in(w.grid_b1)
    sent = picked(received, registered, elsewhere) + [{"id": stale.pk, "version": stale.version - 1}]
    response = api(w, "street_staff").post("/cases/dispatch", {"cases": sent})
    assert response.status_code == 200
    body = response.json()
    assert (body["dispatched"], body["registered"]) == (2, 1)
    outcomes = [(r["number"], r["dispatched"], r["registered"], r["status"]) for r in body["results"]]
    assert outcomes == [
        (received.number, True, True, 200),
        (registered.number, True, False, 200),
        ("", False, False, 404),  # out of the street's scope: not named
        (stale.number, False, False, 409),
    ]
    assert body["results"][0]["case"]["lead_department"]["name"] == "区城市管理综合执法局"
    assert [e.action for e in CaseEvent.objects.filter(case=received).order_by("seq")] == ["receive", "register",
                                                                                            "dispatch"]  # fmt: skip
    assert snapshot(stale)[:3] == ("received", 1, 1) and snapshot(elsewhere)[:3] == ("received", 1, 1)


def test_a_dispatch_batch_is_for_dispatchers_and_needs_a_case(w):
    case = case_in(w.grid_a1)
    assert api(w, "grid_worker").post("/cases/dispatch", {"cases": picked(case)}).status_code == 403
    response = api(w, "street_staff").post("/cases/dispatch", {"cases": []})
    assert response.status_code == 400 and field_errors(response) == {"cases": "请先勾选要派遣的案件"}


def test_a_supervision_batch_is_all_or_nothing(w):
    late = timezone.now() - timedelta(days=30)
    one, two = (case_in(w.grid_a1, "dispatched", dispatched_at=late) for _ in range(2))
    street = api(w, "street_staff")
    stale = street.post("/cases/supervise", {"cases": picked(one) + [{"id": two.pk, "version": 0}], "note": "请办结"})
    assert stale.status_code == 409 and stale.json()["detail"] == f"案件{two.number}：案件已被他人处理，请刷新后重试"
    assert {snapshot(one)[1], snapshot(two)[1]} == {one.version}
    done = street.post("/cases/supervise", {"cases": picked(one, two), "note": "请办结"})
    assert done.status_code == 200
    assert [(row["number"], row["supervision_label"]) for row in done.json()] == [(one.number, "督办"),
                                                                                 (two.number, "督办")]  # fmt: skip
    two.refresh_from_db()
    missing_note = api(w, "district_staff").post("/cases/supervise", {"cases": picked(two), "note": " "})
    assert missing_note.status_code == 400 and field_errors(missing_note) == {"note": "请填写督办的说明"}


def test_the_history_is_the_case_pages_timeline_and_clock(w):
    case = case_in(w.grid_a1, "handling")
    body = api(w, "dept_handler").get(f"/cases/{case.pk}/history").json()
    steps = [(e["action"], e["state_change"]) for e in body["entries"]]
    assert steps == [
        ("receive", "已受理"),
        ("register", "已受理 → 已立案待派遣"),
        ("dispatch", "已立案待派遣 → 已派遣待签收"),
        ("accept", "已派遣待签收 → 处置中"),
    ]
    assert body["entries"][2]["details"][0] == "主办单位：区城市管理综合执法局"
    clock = body["clock"]
    assert clock["label"] == "处置时限" and clock["late"] is False and clock["total_seconds"] > 0
    assert api(w, "company_staff").get(f"/cases/{case.pk}/history").status_code == 404


# ---------------------------------------------------------------- indicators


def test_indicators_per_street_with_totals(w):
    closed = case_in(w.grid_a1, "feedback")
    act(api(w, "grid_worker"), closed, "verify")
    case_in(w.grid_a2, "dispatched")
    case_in(w.grid_b1, "dispatched")
    today = timezone.localdate()
    params = {"group": "street", "start": today.isoformat(), "end": (today + timedelta(days=1)).isoformat()}
    body = api(w, "district_staff").get("/cases/indicators", params).json()
    rows = {row["name"]: row for row in body["rows"]}
    assert set(rows) == {"甲街道", "乙街道"}
    assert (rows["甲街道"]["counts"]["cases"], rows["甲街道"]["counts"]["closed"]) == (2, 1)
    assert rows["甲街道"]["values"]["close_rate"] == 50.0 and rows["乙街道"]["values"]["close_rate"] == 0.0
    assert rows["甲街道"]["ranks"]["close_rate"] == 1 and rows["乙街道"]["ranks"]["close_rate"] == 2
    assert body["totals"]["cases"] == 3 and body["totals"]["close_rate"] == pytest.approx(33.3)
    assert body["labels"]["on_time_rate"] == "按期结案率" and body["labels"]["response_rate"] == "响应率"
    assert body["totals"]["deferred"] == 0 and rows["甲街道"]["counts"]["assigned"] == 2
    # the street office sees its own street only; a period before the cases holds none
    street = api(w, "street_staff").get("/cases/indicators", params).json()
    assert [row["name"] for row in street["rows"]] == ["甲街道"]
    before = {"start": "2020-01-01", "end": "2020-02-01"}
    assert api(w, "district_staff").get("/cases/indicators", before).json()["rows"] == []


def test_indicators_sorted_charted_and_exported_as_the_page_does(client, w):
    from openpyxl import load_workbook

    closed = case_in(w.grid_a1, "feedback")
    act(api(w, "grid_worker"), closed, "verify")
    case_in(w.grid_b1, "dispatched")
    case_in(w.grid_b1, "dispatched")
    today = timezone.localdate()
    params = {"group": "street", "start": today.isoformat(), "end": (today + timedelta(days=1)).isoformat()}
    district = api(w, "district_staff")
    by_cases = district.get("/cases/indicators", params | {"sort": "cases"}).json()
    assert [row["name"] for row in by_cases["rows"]] == ["乙街道", "甲街道"]
    client.force_login(w.users["district_staff"])
    page = client.get("/cases/supervision/indicators/", {"period": "custom", "start": params["start"],
                                                         "end": today.isoformat(), "group": "street"})  # fmt: skip
    assert district.get("/cases/indicators/charts", params).json() == page.context["charts"]
    exported = district.client.get("/api/v1/cases/indicators/export", params)
    assert exported["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(BytesIO(exported.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["甲街道", "乙街道", "合计"]


def test_the_end_date_is_excluded(w):
    case_in(w.grid_a1)
    today = timezone.localdate().isoformat()
    district = api(w, "district_staff")
    response = district.get("/cases/indicators", {"start": today, "end": today})
    assert response.status_code == 400
    assert field_errors(response) == {"end": "截止日期应晚于开始日期（统计不含截止日期当天）"}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert district.get("/cases/indicators", {"start": today, "end": tomorrow}).json()["totals"]["cases"] == 1


def test_bad_indicator_parameters_are_named(w):
    district = api(w, "district_staff")
    response = district.get("/cases/indicators", {"group": "grid", "start": "2026-02-30"})
    assert response.status_code == 400
    assert field_errors(response) == {"group": "不在可选值范围内", "start": "日期格式应为YYYY-MM-DD"}
    assert api(w, "street_staff").get("/cases/indicators", {"region": w.street_b.pk}).status_code == 404


def test_grid_workers_departments_and_companies_see_no_indicators(w):
    """As on the indicator page (cases/supervision/tests/test_pages.py): the API and the page ask
    access.check_indicator_viewer."""
    for role in ("grid_worker", "dept_handler", "company_staff"):
        response = api(w, role).get("/cases/indicators")
        assert response.status_code == 403
        assert response.json()["detail"] == "考核指标只对系统管理员、区级和街道工作人员、社区工作者开放。"


def test_an_unrated_period_has_no_satisfaction_rate(w):
    case_in(w.grid_a1)
    body = api(w, "admin").get("/cases/indicators", {"group": "community"}).json()
    (row,) = body["rows"]
    assert row["name"] == "甲一社区" and row["values"]["satisfaction_rate"] is None
    assert row["ranks"]["satisfaction_rate"] is None


def test_a_point_on_the_map_must_lie_in_the_staff_members_region(w):
    def square(lng, lat):
        return {"type": "Polygon", "coordinates": [[[lng, lat], [lng + 0.1, lat], [lng + 0.1, lat + 0.1], [lng, lat]]]}

    for grid, corner in ((w.grid_a1, (123.4, 41.8)), (w.grid_b1, (123.6, 41.8))):
        grid.boundary = square(*corner)
        grid.save()
    street = api(w, "street_staff")
    response = street.post("/cases", new_case(w, region_id=None, latitude=41.81, longitude=123.65))
    assert response.status_code == 400
    assert field_errors(response) == {"latitude": "该位置不在您的管辖范围内，请在地图上重新选择"}
    assert Case.objects.count() == 0
    response = street.post("/cases", new_case(w, region_id=None, latitude=41.81, longitude=123.45))
    assert response.status_code == 201
    assert response.json()["region"]["id"] == w.grid_a1.pk
    assert response.json()["point"] == {"latitude": 41.81, "longitude": 123.45}


def test_the_dispatch_queue_only_ever_narrows_to_queue_states(w):
    from linli.cases import selectors

    received = factories.case(w.grid_a1)
    registered = services.case_act(user=w.users["street_staff"], case_id=factories.case(w.grid_a1).pk,
                                   action="register", version=1)  # fmt: skip
    user = w.users["street_staff"]
    queue = selectors.dispatch_queue
    assert {c.pk for c in queue(user=user)} == {received.pk, registered.pk}
    assert [c.pk for c in queue(user=user, filters=selectors.CaseFilter(state="registered"))] == [registered.pk]
    assert list(queue(user=user, filters=selectors.CaseFilter(state="closed"))) == []
    assert list(queue(user=user, filters=selectors.CaseFilter(states=("closed", "handling")))) == []
