"""Staff pages of the case engine: workbench and bulk dispatch, the list, intake, the case page and its actions,
the to-do list, the grid worker's phone pages, photos behind the scope, and the cost of each list page.

Personas (linli.testing.factories): street_staff dispatches in 甲街道; community_worker (甲一社区) and grid_worker
(甲一1号网格) take intake and on-site checks; dept_handler works for 区城市管理综合执法局, the default department
of category 0401 路灯不亮.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from linli.cases import rules, selectors, services
from linli.cases.models import Case, Category
from linli.organizations.models import Organization
from linli.people.models import Estate
from linli.testing import factories
from linli.testing.queries import page_queries


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def login(client, w, persona):
    client.force_login(w.users[persona])
    return w.users[persona]


def photo(name="现场.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def act(w, persona, case, action, **kw) -> Case:
    kw.setdefault("version", case.version)
    return services.case_act(user=w.users[persona], case_id=case.pk, action=action, **kw)


def advance(w, case, state: str) -> Case:
    """Take a received case of category 0401 on to `state` through the services."""
    steps = [
        ("register", "street_staff", {}),
        ("dispatch", "street_staff", {}),
        ("accept", "dept_handler", {}),
        ("feedback", "dept_handler", {"note": "已更换灯泡", "photos": [photo("修好了.png")]}),
        ("verify", "grid_worker", {}),
    ]
    order = ["registered", "dispatched", "handling", "feedback", "closed"]
    for action, persona, kw in steps[: order.index(state) + 1]:
        case = act(w, persona, case, action, **kw)
    return case


def html(response) -> str:
    return response.content.decode()


def dept(name="区城市管理综合执法局") -> Organization:
    return Organization.objects.get(kind="department", name=name)


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    "url", ["/cases/", "/cases/all/", "/cases/todo/", "/cases/new/", "/cases/m/", "/cases/m/report/", "/cases/1/"]
)
def test_anonymous_users_are_sent_to_the_login_page(client, w, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_the_menu_offers_each_role_its_case_pages(client, w):
    expected = {
        "street_staff": {"调度台", "事件受理", "全部事件"},
        "community_worker": {"事件受理", "我的待办", "全部事件"},
        "grid_worker": {"事件受理", "我的待办", "全部事件", "手机巡查"},
        "dept_handler": {"我的待办", "全部事件"},
    }
    names = {"调度台", "事件受理", "我的待办", "全部事件", "手机巡查"}
    for persona, wanted in expected.items():
        login(client, w, persona)
        nav = re.search(r'<nav class="sidenav".*?</nav>', html(client.get("/cases/all/")), re.S).group(0)
        assert {n for n in names if f">{n}</a>" in nav} == wanted, persona


# ---------------------------------------------------------------- workbench


def test_the_workbench_shows_the_queue_of_the_street_with_words_on_every_badge(client, w):
    ours = factories.case(w.grid_a1, description="甲街道路灯不亮三天了")
    registered = advance(w, factories.case(w.grid_a2, category="0101", description="甲二早市占道经营"), "registered")
    advance(w, factories.case(w.grid_a1, description="已经派走的路灯"), "dispatched")
    factories.case(w.grid_b1, description="乙街道的路灯问题")
    login(client, w, "street_staff")
    response = client.get("/cases/")
    page = html(response)
    assert [c.pk for c in response.context["page"].object_list] == [registered.pk, ours.pk]  # 较急 before 一般
    assert "乙街道的路灯问题" not in page and "已经派走的路灯" not in page
    assert "较急" in page and "一般" in page and "绿灯" in page
    assert f'name="version-{ours.pk}" value="{ours.version}"' in page
    assert "按分类默认单位" in page and "区住房和城乡建设局" in page


def test_workbench_filters_combine(client, w):
    lamp = factories.case(w.grid_a1, description="路灯不亮三天了")
    stall = factories.case(w.grid_a2, category="0101", description="早市占道经营")
    login(client, w, "street_staff")

    def found(**params):
        return [c.pk for c in client.get("/cases/", params).context["page"].object_list]

    assert found(q=lamp.number) == [lamp.pk]
    assert found(q="早市") == [stall.pk]
    assert found(category=Category.objects.get(code="01").pk) == [stall.pk]  # a major category: its minor ones
    assert found(region=w.community_a1.pk) == [lamp.pk]
    assert found(channel="hotline") == []
    assert sorted(found(light="green")) == sorted([lamp.pk, stall.pk])
    assert found(light="red") == []
    assert found(state="returned") == []
    response = client.get("/cases/", {"region": w.community_b1.pk})  # not a choice of this user: ignored
    assert "region" in response.context["form"].errors and len(response.context["page"].object_list) == 2


def test_the_workbench_pages_by_twenty(client, w):
    for i in range(23):
        factories.case(w.grid_a1, description=f"第{i}号路灯不亮")
    login(client, w, "street_staff")
    first = client.get("/cases/")
    assert len(first.context["page"].object_list) == 20 and "第 1/2 页" in html(first)
    assert len(client.get("/cases/", {"page": 2}).context["page"].object_list) == 3


@pytest.mark.parametrize("persona", ["community_worker", "grid_worker", "dept_handler", "company_staff"])
def test_only_dispatchers_open_the_workbench(client, w, persona):
    login(client, w, persona)
    assert client.get("/cases/").status_code == 403


def test_bulk_dispatch_registers_received_cases_first_and_uses_each_default_department(client, w):
    lamp = factories.case(w.grid_a1)
    stall = advance(w, factories.case(w.grid_a2, category="0101", description="早市占道经营"), "registered")
    water = factories.case(w.grid_a1, description="没有勾选的这一件")
    login(client, w, "street_staff")
    post = {"cases": [lamp.pk, stall.pk], "department": "", "query": "q=abc"}
    post |= {f"version-{c.pk}": c.version for c in (lamp, stall, water)}
    response = client.post("/cases/dispatch/", post)
    assert response.status_code == 302 and response["Location"] == "/cases/?q=abc"
    lamp, stall, water = (Case.objects.get(pk=c.pk) for c in (lamp, stall, water))
    assert lamp.state == stall.state == rules.DISPATCHED and water.state == rules.RECEIVED
    assert lamp.lead_department == lamp.category.department and stall.lead_department == stall.category.department
    assert [e.action for e in lamp.events.all()] == ["receive", "register", "dispatch"]
    assert [e.action for e in stall.events.all()] == ["receive", "register", "dispatch"]
    message = html(client.get("/cases/"))
    assert "已派遣2件（其中1件先行立案）" in message and lamp.number in message and stall.number in message


def test_bulk_dispatch_to_a_chosen_department_with_assisting_ones(client, w):
    lamp = factories.case(w.grid_a1)
    lead, helper = dept("区住房和城乡建设局"), dept("国网供电公司")
    login(client, w, "street_staff")
    client.post(
        "/cases/dispatch/",
        {"cases": [lamp.pk], f"version-{lamp.pk}": lamp.version, "department": lead.pk, "assisting": [helper.pk]},
    )
    lamp = Case.objects.get(pk=lamp.pk)
    assert lamp.lead_department == lead and list(lamp.assisting.all()) == [helper]


def test_bulk_dispatch_reports_each_failure_and_keeps_each_case_whole(client, w):
    fine = factories.case(w.grid_a1, description="能派出去的路灯问题")
    stale = factories.case(w.grid_a1, description="别人刚处理过的")
    orphan = factories.case(w.grid_a1, category="0102", description="分类没有默认单位")
    Category.objects.filter(code="0102").update(department=None)
    theirs = factories.case(w.grid_b1, description="乙街道的路灯问题")
    seen_stale = stale.version
    act(w, "street_staff", stale, "supervise", note="请尽快处理")  # someone acts first: the version moves on
    login(client, w, "street_staff")
    post = {"cases": [fine.pk, stale.pk, orphan.pk, theirs.pk]}
    post |= {f"version-{c.pk}": c.version for c in (fine, orphan, theirs)} | {f"version-{stale.pk}": seen_stale}
    client.post("/cases/dispatch/", post)
    page = html(client.get("/cases/"))
    assert Case.objects.get(pk=fine.pk).state == rules.DISPATCHED
    assert f"案件{stale.number}派遣失败：案件已被他人处理，请刷新后重试" in page
    assert f"案件{orphan.number}派遣失败：该分类没有默认处置单位，请指定主办单位" in page
    assert f"案件#{theirs.pk}：未找到该案件，或不在您的管辖范围内" in page
    # The failed dispatch undid the registration that came before it: no half-done case.
    orphan = Case.objects.get(pk=orphan.pk)
    assert orphan.state == rules.RECEIVED and [e.action for e in orphan.events.all()] == ["receive"]
    assert Case.objects.get(pk=stale.pk).state == rules.RECEIVED
    assert Case.objects.get(pk=theirs.pk).state == rules.RECEIVED


def test_bulk_dispatch_without_a_ticked_case_says_so(client, w):
    factories.case(w.grid_a1)
    login(client, w, "street_staff")
    response = client.post("/cases/dispatch/", {"department": ""}, follow=True)
    assert "请先勾选要派遣的案件" in html(response)


def test_a_community_worker_cannot_dispatch(client, w):
    lamp = factories.case(w.grid_a1)
    login(client, w, "community_worker")
    response = client.post("/cases/dispatch/", {"cases": [lamp.pk], f"version-{lamp.pk}": lamp.version})
    assert response.status_code == 403
    response = client.post(f"/cases/{lamp.pk}/act/dispatch/", {"version": lamp.version})
    assert response.status_code == 403 and "您无权对该案件执行「派遣」" in html(response)
    assert Case.objects.get(pk=lamp.pk).state == rules.RECEIVED
    page = html(client.get(f"/cases/{lamp.pk}/"))
    assert "/act/dispatch/" not in page and "/act/register/" not in page and "当前环节无需您办理" in page


# ---------------------------------------------------------------- list and to-do


def test_a_department_handler_sees_only_its_departments_cases(client, w):
    ours = advance(w, factories.case(w.grid_a1), "dispatched")
    other = factories.case(w.grid_a1, category="0101")
    other = act(w, "street_staff", act(w, "street_staff", other, "register"), "dispatch",
                department_id=dept("区住房和城乡建设局").pk)  # fmt: skip
    login(client, w, "dept_handler")
    assert [c.pk for c in client.get("/cases/all/").context["page"].object_list] == [ours.pk]
    assert client.get(f"/cases/{other.pk}/").status_code == 404
    assert client.get(f"/cases/{ours.pk}/").status_code == 200


def test_the_list_filters_by_state_and_department(client, w):
    received = factories.case(w.grid_a1)
    dispatched = advance(w, factories.case(w.grid_a1), "dispatched")
    login(client, w, "street_staff")
    page = client.get("/cases/all/", {"state": "dispatched"}).context["page"]
    assert [c.pk for c in page.object_list] == [dispatched.pk]
    page = client.get("/cases/all/", {"department": dept().pk}).context["page"]
    assert [c.pk for c in page.object_list] == [dispatched.pk]
    assert {c.pk for c in client.get("/cases/all/").context["page"].object_list} == {received.pk, dispatched.pk}
    assert "区城市管理综合执法局" in html(client.get("/cases/all/"))


def test_the_rows_name_a_category_and_a_department_made_by_another_process_since_they_were_kept(client, w):
    login(client, w, "street_staff")
    advance(w, factories.case(w.grid_a1), "dispatched")
    assert "区城市管理综合执法局" in html(client.get("/cases/all/"))  # the names are kept now
    street_lamps = Category.objects.get(code="0401")
    # bulk_create sends no signal: as if another process had made them
    limits = {f: getattr(street_lamps, f) for f in ("response_limit", "response_unit", "handle_limit", "handle_unit")}
    Category.objects.bulk_create([Category(parent=street_lamps.parent, code="0499", name="灯杆倾斜", **limits)])
    (office,) = Organization.objects.bulk_create(
        [Organization(kind="department", name="区照明管理所", region=w.district)]
    )
    case = advance(w, factories.case(w.grid_a1, category="0499"), "registered")
    act(w, "street_staff", case, "dispatch", department_id=office.pk)
    page = html(client.get("/cases/all/"))
    assert "灯杆倾斜" in page and f'<small class="muted">{street_lamps.parent.name}</small>' in page
    assert "区照明管理所" in page


def test_the_handlers_todo_lists_what_to_sign_handle_or_assist_by_deadline(client, w):
    to_sign = advance(w, factories.case(w.grid_a1), "dispatched")
    handling = advance(w, factories.case(w.grid_a2), "handling")
    Case.objects.filter(pk=handling.pk).update(due_at=timezone.now() - timedelta(hours=1))
    advance(w, factories.case(w.grid_a1), "feedback")  # fed back: no longer the department's
    login(client, w, "dept_handler")
    response = client.get("/cases/todo/")
    assert [c.pk for c in response.context["page"].object_list] == [handling.pk, to_sign.pk]
    page = html(response)
    assert "待签收" in page and "处置中" in page and "红灯超期" in page


def test_the_grid_workers_todo_lists_fixed_cases_of_their_grid(client, w):
    mine = advance(w, factories.case(w.grid_a1), "feedback")
    advance(w, factories.case(w.grid_a1b), "feedback")  # the other grid of the community
    advance(w, factories.case(w.grid_a1), "handling")
    login(client, w, "grid_worker")
    response = client.get("/cases/todo/")
    assert [c.pk for c in response.context["page"].object_list] == [mine.pk] and "现场核查" in html(response)


# ---------------------------------------------------------------- intake


def intake_post(w, **extra) -> dict:
    return {
        "channel": "hotline",
        "category": Category.objects.get(code="0401").pk,
        "description": "幸福里3号楼门前路灯不亮",
        "region": w.grid_a1.pk,
        "reporter_name": "李先生",
        "reporter_phone": "13900001111",
        **extra,
    }


def test_intake_creates_a_received_case_with_its_photo(client, w):
    login(client, w, "community_worker")
    page = html(client.get("/cases/new/"))
    assert "甲一社区（网格不确定时）" in page and "路灯不亮" in page and "热线" in page
    response = client.post("/cases/new/", intake_post(w, photos=[photo()]))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.channel == "hotline" and case.region == w.grid_a1 and case.state == rules.RECEIVED
    assert case.attachments.count() == 1 and case.created_by == w.users["community_worker"]
    assert f"案件编号{case.number}" in html(client.get(response["Location"]))


def test_intake_from_a_house_found_by_the_search(client, w):
    estate = Estate.objects.create(region=w.community_a1, name="幸福里")
    house = factories.house(w.grid_a1b, estate, building="3", unit="2", number="501")
    factories.house(w.grid_a1b, estate, building="3", unit="2", number="502")
    login(client, w, "community_worker")
    found = html(client.get("/cases/houses/", {"estate": estate.pk, "building": "3", "number": "501"}))
    assert f'value="{house.pk}"' in found and "幸福里 3号楼2单元501" in found and "502" not in found
    client.post("/cases/new/", intake_post(w, region="", house=house.pk))
    case = Case.objects.get()
    assert case.house == house and case.region == w.grid_a1b and case.address == "501"


def test_intake_errors_are_shown_by_their_fields_and_nothing_is_saved(client, w):
    login(client, w, "community_worker")
    response = client.post("/cases/new/", intake_post(w, category="", description="灯", region="",
                                                     reporter_phone="12345"))  # fmt: skip
    assert response.status_code == 400
    page = html(response)
    assert "请选择有效的事件小类" in page and "问题描述至少5个字" in page and Case.objects.count() == 0
    response = client.post("/cases/new/", intake_post(w, description="灯", region="", reporter_phone="12345"))
    page = html(response)
    assert response.status_code == 400 and "问题描述至少5个字" in page
    assert "请选择房屋、所属区域或在地图上标出位置" in page and Case.objects.count() == 0
    response = client.post("/cases/new/", intake_post(w, region=w.grid_b1.pk))
    assert response.status_code == 400 and "region" in response.context["form"].errors
    response = client.post("/cases/new/", intake_post(w, photos=[SimpleUploadedFile("x.png", b"not an image")]))
    assert response.status_code == 400 and "已损坏或不是有效的PNG文件" in html(response) and Case.objects.count() == 0


@pytest.mark.parametrize("persona", ["dept_handler", "company_staff"])
def test_departments_do_not_take_intake(client, w, persona):
    login(client, w, persona)
    assert client.get("/cases/new/").status_code == 403
    assert client.post("/cases/new/", intake_post(w)).status_code == 403
    assert Case.objects.count() == 0


# ---------------------------------------------------------------- the case page


def test_the_case_page_shows_the_case_masked_phone_timeline_and_its_actions(client, w):
    case = factories.case(w.grid_a1)
    login(client, w, "street_staff")
    response = client.get(f"/cases/{case.pk}/")
    page = html(response)
    assert case.number in page and "小区门口路灯不亮三天了" in page and "王女士" in page
    assert "139****5678" in page and "13912345678" not in page
    # 立案并派遣 first (派遣's form, posted to the one step), then the actions of the state
    forms = response.context["action_forms"]
    assert [f.label for f in forms] == ["立案并派遣", "立案", "不予受理", "合并重复件", "督办"]
    assert forms[0].post_url == f"/cases/{case.pk}/register-dispatch/"
    assert f'name="version" value="{case.version}"' in page
    assert "已受理" in page and "受理" in page  # the timeline's first entry
    assert "<dd>甲街道 · 甲一社区 · 甲一1号网格</dd>" in page


def test_the_case_page_names_a_place_made_by_another_process_since_the_names_were_kept(client, w):
    login(client, w, "street_staff")
    client.get(f"/cases/{factories.case(w.grid_a1).pk}/")  # the region names are kept
    (grid,) = factories.regions((w.community_a1, w.grid_a1.level, "210103001001009", "甲一9号网格", {}))  # no signal
    community_case = factories.case(w.community_a2)
    assert "<dd>甲街道 · 甲一社区 · 甲一9号网格</dd>" in html(client.get(f"/cases/{factories.case(grid).pk}/"))
    assert "<dd>甲街道 · 甲二社区</dd>" in html(client.get(f"/cases/{community_case.pk}/"))


def test_the_case_page_names_its_lead_department_made_by_another_process_since_the_names_were_kept(client, w):
    login(client, w, "street_staff")
    received = factories.case(w.grid_a1)
    assert "<dt>主办单位</dt><dd>—</dd>" in html(client.get(f"/cases/{received.pk}/"))
    dispatched = advance(w, factories.case(w.grid_a1), "dispatched")
    assert "<dt>主办单位</dt><dd>区城市管理综合执法局</dd>" in html(client.get(f"/cases/{dispatched.pk}/"))
    (office,) = Organization.objects.bulk_create(  # no signal: as if another process had made it
        [Organization(kind="department", name="区照明管理所", region=w.district)]
    )
    case = advance(w, factories.case(w.grid_a1), "registered")
    act(w, "street_staff", case, "dispatch", department_id=office.pk)
    assert "<dt>主办单位</dt><dd>区照明管理所</dd>" in html(client.get(f"/cases/{case.pk}/"))


def test_only_the_unfolded_action_is_drawn_and_the_others_when_unfolded(client, w):
    case = factories.case(w.grid_a1)
    login(client, w, "street_staff")
    response = client.get(f"/cases/{case.pk}/")
    page = html(response)
    assert page.count('class="stack-form"') == 1
    # one form built, for the unfolded action; the others are only named
    assert [type(af).__name__ for af in response.context["action_forms"]] == ["ActionForm", *["Folded"] * 4]
    assert f'action="/cases/{case.pk}/register-dispatch/#act-dispatch"' in page
    # the others folded: htmx fetches the form, the link opens the page with it unfolded
    assert f'hx-get="/cases/{case.pk}/act/reject/" hx-trigger="toggle once"' in page
    assert f'<a href="/cases/{case.pk}/act/reject/#act-reject">打开“不予受理”表单</a>' in page

    fragment = html(client.get(f"/cases/{case.pk}/act/reject/", headers={"HX-Request": "true"}))
    assert fragment.lstrip().startswith("<form") and f'action="/cases/{case.pk}/act/reject/#act-reject"' in fragment
    assert f'name="version" value="{case.version}"' in fragment and "csrfmiddlewaretoken" in fragment
    assert "<html" not in fragment

    unfolded = client.get(f"/cases/{case.pk}/act/merge/")
    assert unfolded.context["open_action"] == "merge"
    assert 'id="act-merge" open' in html(unfolded)
    assert f'action="/cases/{case.pk}/act/merge/#act-merge"' in html(unfolded)
    assert f'hx-get="/cases/{case.pk}/act/dispatch/"' in html(unfolded)  # 立案并派遣 folded in its turn
    assert client.get(f"/cases/{case.pk}/act/fly/").status_code == 404

    # the case moved on meanwhile (registered elsewhere): the folded 立案 says so instead of a form
    act(w, "street_staff", case, "register")
    gone = html(client.get(f"/cases/{case.pk}/act/register/", headers={"HX-Request": "true"}))
    assert "这项办理现在不可用" in gone and "<form" not in gone


def test_street_staff_cannot_open_a_case_of_another_street(client, w):
    theirs = factories.case(w.grid_b1)
    login(client, w, "street_staff")
    assert client.get(f"/cases/{theirs.pk}/").status_code == 404
    assert client.get(f"/cases/{theirs.pk}/act/register/", headers={"HX-Request": "true"}).status_code == 404
    assert client.get(f"/cases/{theirs.pk}/act/register/").status_code == 404
    assert client.post(f"/cases/{theirs.pk}/act/register/", {"version": theirs.version}).status_code == 404
    assert Case.objects.get(pk=theirs.pk).state == rules.RECEIVED


def test_the_whole_loop_through_the_case_page(client, w):
    case = factories.case(w.grid_a1)
    login(client, w, "street_staff")
    assert client.post(f"/cases/{case.pk}/act/register/", {"version": 1}).status_code == 302
    response = client.post(f"/cases/{case.pk}/act/dispatch/", {"version": 2, "department": "",
                                                              "assisting": [dept("国网供电公司").pk]})  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.state == rules.DISPATCHED and case.lead_department == dept()
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "主办单位：区城市管理综合执法局" in page and "协办单位：国网供电公司" in page and "签收时限" in page

    login(client, w, "dept_handler")
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "/act/accept/" in page and "/act/return/" in page and "/act/dispatch/" not in page
    client.post(f"/cases/{case.pk}/act/accept/", {"version": 3})
    extension = {"version": 4, "days": "3", "note": "需采购灯具"}
    response = client.post(f"/cases/{case.pk}/act/request_extension/", extension)
    assert response.status_code == 302
    login(client, w, "street_staff")
    client.post(f"/cases/{case.pk}/act/approve_extension/", {"version": 5})
    assert Case.objects.get(pk=case.pk).extension_count == 1
    login(client, w, "dept_handler")
    response = client.post(
        f"/cases/{case.pk}/act/feedback/", {"version": 6, "note": "已更换灯具", "photos": [photo("修好.png")]}
    )
    assert response.status_code == 302
    login(client, w, "grid_worker")
    client.post(f"/cases/{case.pk}/act/verify/", {"version": 7})
    login(client, w, "street_staff")
    client.post(f"/cases/{case.pk}/act/rate/", {"version": 8, "rating": "satisfied", "note": "电话回访"})
    case = Case.objects.get(pk=case.pk)
    assert case.state == rules.CLOSED and case.rating == "satisfied"
    assert [e.action for e in case.events.all()] == ["receive", "register", "dispatch", "accept", "request_extension",
                                                     "approve_extension", "feedback", "verify", "rate"]  # fmt: skip
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "已更换灯具" in page and "延期3个工作日" in page and "评价：满意" in page and "按期反馈" in page
    assert page.count("/attachments/") == 2  # the thumbnail links to the full photo


def test_return_denied_extension_and_redispatch_through_the_case_page(client, w):
    case = advance(w, factories.case(w.grid_a1), "handling")
    login(client, w, "dept_handler")
    client.post(f"/cases/{case.pk}/act/request_extension/", {"version": case.version, "days": "5", "note": "等配件"})
    login(client, w, "street_staff")
    version = Case.objects.get(pk=case.pk).version
    response = client.post(f"/cases/{case.pk}/act/deny_extension/", {"version": version})
    assert response.status_code == 400 and "请填写驳回理由" in html(response)
    response = client.post(f"/cases/{case.pk}/act/deny_extension/", {"version": version, "note": "时限充足"})
    assert response.status_code == 302
    login(client, w, "dept_handler")
    response = client.post(f"/cases/{case.pk}/act/return/", {"version": version + 1, "note": "不属于本单位职责"})
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).state == rules.RETURNED
    login(client, w, "street_staff")
    housing = dept("区住房和城乡建设局")
    client.post(f"/cases/{case.pk}/act/dispatch/", {"version": version + 2, "department": housing.pk})
    case = Case.objects.get(pk=case.pk)
    assert case.state == rules.DISPATCHED and case.lead_department == housing and case.extension_days is None
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "驳回延期5个工作日的申请" in page and "退单单位：区城市管理综合执法局" in page and "不属于本单位职责" in page


def test_an_assisting_department_gives_its_opinion(client, w):
    power = dept("国网供电公司")
    helper = factories.user("power_handler", "dept_handler", organization=power)
    case = factories.case(w.grid_a1)
    case = act(w, "street_staff", act(w, "street_staff", case, "register"), "dispatch", assisting_ids=[power.pk])
    case = act(w, "dept_handler", case, "accept")
    client.force_login(helper)
    todo = client.get("/cases/todo/")
    assert [c.pk for c in todo.context["page"].object_list] == [case.pk] and "协办" in html(todo)
    response = client.get(f"/cases/{case.pk}/")
    assert [f.transition.action for f in response.context["action_forms"]] == ["assist_note"]
    response = client.post(f"/cases/{case.pk}/act/assist_note/", {"version": case.version, "note": "已安排电工配合"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).events.last().note == "已安排电工配合"


def test_supervision_rating_and_reopening_through_the_case_page(client, w):
    case = advance(w, factories.case(w.grid_a1), "handling")
    login(client, w, "street_staff")
    client.post(f"/cases/{case.pk}/act/supervise/", {"version": case.version, "note": "群众反映强烈，请加快"})
    assert Case.objects.get(pk=case.pk).supervision_level == 1
    assert '<span class="sup sup-1">督办</span>' in html(client.get(f"/cases/{case.pk}/"))
    case = Case.objects.get(pk=case.pk)
    case = act(w, "dept_handler", case, "feedback", note="已修复")
    case = act(w, "grid_worker", case, "verify")
    response = client.post(f"/cases/{case.pk}/act/rate/", {"version": case.version})
    assert response.status_code == 400 and "请选择满意、基本满意或不满意" in html(response)
    client.post(f"/cases/{case.pk}/act/rate/", {"version": case.version, "rating": "unsatisfied", "note": "灯又坏了"})
    response = client.get(f"/cases/{case.pk}/")
    assert [f.transition.action for f in response.context["action_forms"]] == ["visit", "visit_try", "reopen"]
    client.post(f"/cases/{case.pk}/act/reopen/", {"version": case.version + 1, "note": "反映人不满意"})
    case = Case.objects.get(pk=case.pk)
    assert case.state == rules.HANDLING and case.reopen_count == 1


def test_action_errors_are_inline_in_chinese(client, w):
    case = factories.case(w.grid_a1)
    login(client, w, "street_staff")
    response = client.post(f"/cases/{case.pk}/act/reject/", {"version": case.version, "note": "  "})
    assert response.status_code == 400 and "请填写不予受理理由" in html(response)
    assert response.context["open_action"] == "reject"
    response = client.post(f"/cases/{case.pk}/act/merge/", {"version": case.version, "original": "2099-999999"})
    assert response.status_code == 400 and "未找到该案件编号，或该案件不在您的管辖范围内" in html(response)
    theirs = factories.case(w.grid_b1)
    response = client.post(f"/cases/{case.pk}/act/merge/", {"version": case.version, "original": theirs.number})
    assert response.status_code == 400 and "不在您的管辖范围内" in html(response)
    response = client.post(f"/cases/{case.pk}/act/dispatch/", {"version": case.version})  # not registered yet
    assert response.status_code == 400 and "案件当前状态为「已受理」，不能执行「派遣」" in html(response)
    assert Case.objects.get(pk=case.pk).state == rules.RECEIVED and Case.objects.get(pk=case.pk).events.count() == 1


def test_merging_a_duplicate_by_its_original_number(client, w):
    original = factories.case(w.grid_a1)
    duplicate = factories.case(w.grid_a1, description="同一盏路灯，又有人打来电话")
    login(client, w, "street_staff")
    response = client.post(f"/cases/{duplicate.pk}/act/merge/", {"version": 1, "original": original.number})
    assert response.status_code == 302
    duplicate = Case.objects.get(pk=duplicate.pk)
    assert duplicate.state == rules.MERGED and duplicate.merged_into == original


def test_extension_days_are_checked(client, w):
    case = advance(w, factories.case(w.grid_a1), "handling")
    login(client, w, "dept_handler")
    response = client.post(f"/cases/{case.pk}/act/request_extension/", {"version": case.version, "days": "45",
                                                                        "note": "需要更长时间"})  # fmt: skip
    assert response.status_code == 400 and "延期天数应为1至30个工作日" in html(response)


def test_the_bulk_action_sits_under_the_rows_it_acts_on(client, w):
    factories.case(w.grid_a1)
    login(client, w, "street_staff")
    page = html(client.get("/cases/"))
    bulk = page.index('id="bulk"')
    assert bulk < page.index("</table>") < page.index("对勾选的事件") < page.index("派遣所选事件")
    assert page.index("派遣所选事件") < page.index("</form>", bulk)
    assert "data-needs-selection" in page and "data-selected-count" in page


# ---------------------------------------------------------------- 立案并派遣 in one step, and the next case


def test_register_and_dispatch_in_one_step_from_the_case_page(client, w):
    case = factories.case(w.grid_a1)
    lead, helper = dept("区住房和城乡建设局"), dept("国网供电公司")
    login(client, w, "street_staff")
    assert "<dt>协办单位</dt><dd>—</dd>" in html(client.get(f"/cases/{case.pk}/"))  # none before a dispatch
    post = {"version": case.version, "department": lead.pk, "assisting": [helper.pk], "note": "请尽快处理"}
    response = client.post(f"/cases/{case.pk}/register-dispatch/", post)
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    case = Case.objects.get(pk=case.pk)
    assert case.state == rules.DISPATCHED and case.lead_department == lead and list(case.assisting.all()) == [helper]
    assert [(e.action, e.note) for e in case.events.all()] == [("receive", ""), ("register", ""),
                                                              ("dispatch", "请尽快处理")]  # fmt: skip
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "已立案并派遣" in page and "<dt>协办单位</dt><dd>国网供电公司</dd>" in page


@pytest.mark.parametrize(
    "used, total, percent", [(0, 100, 0), (1, 3, 33), (1, 8, 12), (3, 8, 38), (5, 5, 100), (7, 5, 140), (1, 0, 0)]
)
def test_the_deadline_meter_shows_the_share_used_in_whole_percent(used, total, percent):
    """As the template language's widthratio rounded it (Python's round: halves to even)."""
    at = timezone.now()
    clock = selectors.Clock("处置时限", at, total, used, max(total - used, 0), max(used - total, 0), used > total)
    assert clock.percent_used == percent


def test_a_failed_one_step_registers_nothing_and_keeps_the_form(client, w):
    orphan = factories.case(w.grid_a1, category="0102", description="分类没有默认单位")
    Category.objects.filter(code="0102").update(department=None)
    login(client, w, "street_staff")
    response = client.post(f"/cases/{orphan.pk}/register-dispatch/", {"version": orphan.version, "note": "急"})
    page = html(response)
    assert response.status_code == 400 and "请选择有效的处置单位" in page
    assert page.count("立案并派遣</button>") == 1 and "急</textarea>" in page
    orphan = Case.objects.get(pk=orphan.pk)
    assert orphan.state == rules.RECEIVED and [e.action for e in orphan.events.all()] == ["receive"]


def test_a_stale_one_step_answers_409(client, w):
    case = factories.case(w.grid_a1)
    seen = case.version
    act(w, "district_staff", case, "supervise", note="请加快")
    login(client, w, "street_staff")
    response = client.post(f"/cases/{case.pk}/register-dispatch/", {"version": seen})
    assert response.status_code == 409 and "案件已被他人处理" in html(response)
    assert Case.objects.get(pk=case.pk).state == rules.RECEIVED


@pytest.mark.parametrize("persona", ["community_worker", "grid_worker"])
def test_only_dispatchers_register_and_dispatch(client, w, persona):
    case = factories.case(w.grid_a1)
    login(client, w, persona)
    assert client.post(f"/cases/{case.pk}/register-dispatch/", {"version": case.version}).status_code == 403
    assert "立案并派遣" not in html(client.get(f"/cases/{case.pk}/"))
    assert Case.objects.get(pk=case.pk).state == rules.RECEIVED


def test_the_one_step_is_not_offered_once_registered(client, w):
    case = advance(w, factories.case(w.grid_a1), "registered")
    login(client, w, "street_staff")
    forms = client.get(f"/cases/{case.pk}/").context["action_forms"]
    assert [f.label for f in forms][:1] == ["派遣"] and "立案并派遣" not in [f.label for f in forms]


def test_the_next_case_follows_the_desks_order_and_wraps_around(client, w):
    first = factories.case(w.grid_a1, description="第一件路灯不亮")
    second = factories.case(w.grid_a2, description="第二件路灯不亮")
    urgent = factories.case(w.grid_a1, category="0101", description="较急的占道经营")  # 较急: first on the desk
    factories.case(w.grid_b1, description="乙街道的路灯问题")  # another street's desk
    login(client, w, "street_staff")

    def next_of(case):
        return client.get(f"/cases/{case.pk}/next/")["Location"]

    assert f'<a class="btn" href="/cases/{first.pk}/next/">下一件待调度' in html(client.get(f"/cases/{first.pk}/"))
    assert [next_of(c) for c in (urgent, first, second)] == [f"/cases/{c.pk}/" for c in (first, second, urgent)]
    client.post(f"/cases/{first.pk}/register-dispatch/", {"version": first.version})
    # dispatched, it has left the desk: "next" is offered first, and is the case that came after it
    page = html(client.get(f"/cases/{first.pk}/"))
    assert f'class="btn btn-primary" href="/cases/{first.pk}/next/">下一件待调度' in page
    assert next_of(first) == f"/cases/{second.pk}/"


def test_when_the_desk_is_empty_next_says_so_on_the_desk(client, w):
    case = factories.case(w.grid_a1)
    login(client, w, "street_staff")
    response = client.get(f"/cases/{case.pk}/next/", follow=True)  # on the desk, alone: nothing else to offer
    assert response.redirect_chain == [("/cases/", 302)] and "调度台已没有其他待调度的事件" in html(response)
    client.post(f"/cases/{case.pk}/register-dispatch/", {"version": case.version})
    assert client.get(f"/cases/{case.pk}/next/")["Location"] == "/cases/"


def test_only_dispatchers_are_offered_the_next_case(client, w):
    case = advance(w, factories.case(w.grid_a1), "dispatched")
    login(client, w, "dept_handler")
    assert "下一件待调度" not in html(client.get(f"/cases/{case.pk}/"))
    assert client.get(f"/cases/{case.pk}/next/").status_code == 403
    login(client, w, "street_staff")
    assert client.get(f"/cases/{factories.case(w.grid_b1).pk}/next/").status_code == 404  # another street's case


def test_a_stale_version_answers_409_with_the_current_state(client, w):
    case = factories.case(w.grid_a1)
    seen = case.version
    act(w, "district_staff", case, "register")
    login(client, w, "street_staff")
    response = client.post(f"/cases/{case.pk}/act/supervise/", {"version": seen, "note": "请加快办理"})
    page = html(response)
    assert response.status_code == 409
    assert "案件已被他人处理，请刷新后重试" in page and "案件当前状态：已立案待派遣" in page
    assert "请加快办理" in page  # what the user typed is still there
    assert Case.objects.get(pk=case.pk).supervision_level == 0


# ---------------------------------------------------------------- photos


def test_photos_are_served_only_inside_the_scope(client, w):
    case = advance(w, factories.case(w.grid_a1), "feedback")
    photo_id = case.attachments.get().pk
    login(client, w, "grid_worker")
    response = client.get(f"/cases/{case.pk}/attachments/{photo_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    other = factories.case(w.grid_a1)
    assert client.get(f"/cases/{other.pk}/attachments/{photo_id}/").status_code == 404  # not this case's photo
    login(client, w, "community_worker2")  # 甲二社区: the case is not theirs
    assert client.get(f"/cases/{case.pk}/attachments/{photo_id}/").status_code == 404


# ---------------------------------------------------------------- the grid worker's phone


def test_the_phone_home_lists_cases_to_check_and_the_report_button(client, w):
    mine = advance(w, factories.case(w.grid_a1, description="网格里修好的路灯"), "feedback")
    login(client, w, "grid_worker")
    page = html(client.get("/cases/m/"))
    assert "上报问题" in page and f"/cases/m/{mine.pk}/" in page and "网格里修好的路灯" in page
    assert 'name="viewport"' in page


def test_a_patrol_report_from_the_phone(client, w):
    login(client, w, "grid_worker")
    page = html(client.get("/cases/m/report/"))
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    assert f'<option value="{w.grid_a1.pk}" selected>' in page  # the worker's only grid
    response = client.post("/cases/m/report/", {
        "category": Category.objects.get(code="0102").pk, "description": "楼道里堆满杂物，影响通行",
        "region": w.grid_a1.pk, "latitude": "41.796500", "longitude": "123.451200", "photos": [photo()],
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/cases/m/"
    case = Case.objects.get()
    assert case.channel == "patrol" and case.region == w.grid_a1 and case.attachments.count() == 1
    assert str(case.latitude) == "41.796500"
    response = client.post("/cases/m/report/", {"category": "", "description": ""})
    assert response.status_code == 400 and "请选择有效的事件小类" in html(response)


def test_verifying_on_the_phone(client, w):
    case = advance(w, factories.case(w.grid_a1), "feedback")
    login(client, w, "grid_worker")
    page = html(client.get(f"/cases/m/{case.pk}/"))
    assert "已更换灯泡" in page and "核查通过，结案" in page and "核查不通过，返工" in page
    response = client.post(f"/cases/m/{case.pk}/", {"action": "rework", "version": case.version, "note": ""})
    assert response.status_code == 400 and "请填写返工原因" in html(response)
    response = client.post(
        f"/cases/m/{case.pk}/", {"action": "rework", "version": case.version, "note": "灯还是不亮", "photos": [photo()]}
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.state == rules.HANDLING and case.rework_count == 1
    case = act(w, "dept_handler", case, "feedback", note="换了整套灯具")
    client.post(f"/cases/m/{case.pk}/", {"action": "verify", "version": case.version})
    assert Case.objects.get(pk=case.pk).state == rules.CLOSED


def test_the_phone_pages_refuse_departments_and_other_grids(client, w):
    theirs = advance(w, factories.case(w.grid_a2), "feedback")
    login(client, w, "grid_worker")
    assert client.get(f"/cases/m/{theirs.pk}/").status_code == 404
    login(client, w, "dept_handler")
    assert client.get("/cases/m/").status_code == 403


# ---------------------------------------------------------------- query counts

N = 4


def populate(w, count: int) -> None:
    for i in range(count):
        case = factories.case(w.grid_a1 if i % 2 else w.grid_a2, category="0401" if i % 3 else "0101")
        if i % 2:
            advance(w, case, "feedback" if i % 4 == 1 else "dispatched")


@pytest.mark.parametrize(("persona", "urls"), [
    ("street_staff", ["/cases/", "/cases/?light=green&q=路灯", "/cases/all/", "/cases/todo/"]),
    ("dept_handler", ["/cases/todo/", "/cases/all/"]),
    ("grid_worker", ["/cases/todo/", "/cases/m/"]),
])  # fmt: skip
def test_list_pages_cost_the_same_queries_at_ten_times_the_cases(client, w, persona, urls):
    populate(w, N)
    login(client, w, persona)
    small = [page_queries(client, url) for url in urls]
    populate(w, 9 * N)
    large = [page_queries(client, url) for url in urls]
    assert large == small


def test_the_deadline_box_says_late_after_hours_when_no_working_time_has_passed(w):
    from linli.cases import selectors

    c = advance(w, factories.case(w.grid_a1), rules.HANDLING)
    after_hours = timezone.localtime(c.due_at) + timedelta(hours=2)  # 17:30 → 19:30 the same day
    clock = selectors.case_history(case=c, now=after_hours).clock
    assert (clock.late, clock.overdue, clock.left) == (True, 0, 0)
    on_time = selectors.case_history(case=c, now=c.due_at).clock
    assert (on_time.late, on_time.overdue) == (False, 0)
