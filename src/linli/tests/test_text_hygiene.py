"""Issue 11, findings 1, 7 and the lone surrogates of 2: text with control characters, bidi overrides, invisible
characters in names or lone surrogates is refused where it comes in (API schemas, the API's parser, page forms),
naming the field, before anything is saved; text stored before the rule (legacy rows) still exports.

Run on PostgreSQL too: there a NUL reaching the database failed the save with a 500."""

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from docx import Document
from openpyxl import Workbook, load_workbook

from linli.campaigns.documents.services import tasks_import
from linli.campaigns.documents.tests.factory import seed_plan
from linli.campaigns.models import Plan
from linli.campaigns.plans.forms import PlanForm
from linli.campaigns.plans.tests.conftest import plan_data
from linli.campaigns.rectification.tests.support import make as rectification_world
from linli.cases.models import Case
from linli.core.errors import ValidationFailed
from linli.honours import services as honours
from linli.honours.models import Honour, HonourType
from linli.people.forms import PersonForm
from linli.people.imports.columns import SHEET_COLUMNS
from linli.people.imports.services import persons_import
from linli.people.models import Estate, ExportJob, Person
from linli.testing import factories
from linli.testing.apiclient import API, ApiClient, field_errors

CONTROL = "含有不可见的控制字符，请删除后重试"
BIDI = "含有改变文字显示方向的控制字符，请删除后重试"
INVISIBLE = "含有零宽字符等不可见的格式字符，请删除后重试"
INVALID = "含有无效的字符编码，请重新输入"
ONE_LINE = "只能填写一行，请删除其中的换行符或制表符"


@pytest.fixture
def worker(world):
    return ApiClient(world.users["community_worker"])


def jsonable(data: dict) -> dict:
    return json.loads(json.dumps(data, default=str))


def new_plan(world, **over) -> dict:
    return jsonable({**plan_data(world.street_a), "issued_on": "2026-01-10", "targets": [], **over})


def new_person(world, **over) -> dict:
    return {
        "name": "李秀英",
        "id_number": factories.resident_id(date(1990, 3, 7), female=True),
        "grid_id": world.grid_a1.pk,
        **over,
    }


def workbook(rows: list[list]) -> SimpleUploadedFile:
    wb = Workbook()
    for values in rows:
        wb.active.append(values)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("表.xlsx", out.getvalue())


def stored(text: str) -> str:
    """`text` as a legacy row can hold it: PostgreSQL stores no NUL at all, SQLite stores anything."""
    return text if connection.vendor == "sqlite" else text.replace("\u0000", "")


# ---------------------------------------------------------------- API


def test_a_note_with_control_characters_is_refused_naming_the_field_and_nothing_is_saved(world, worker):
    before = Person.objects.count()
    response = worker.post("/persons", new_person(world, note="a\u0000\u0001b"))
    assert response.status_code == 400
    assert field_errors(response) == {"note": CONTROL}
    assert Person.objects.count() == before


def test_a_plan_title_with_a_nul_is_refused(world):
    client = ApiClient(world.users["street_staff"])
    response = client.post("/campaigns/plans", new_plan(world, title="物业管理工作方案\u0000"))
    assert response.status_code == 400
    assert field_errors(response) == {"title": CONTROL}
    assert not Plan.objects.exists()


def test_a_name_with_bidi_overrides_is_refused(world, worker):
    response = worker.post("/persons", new_person(world, name="\u202eevil\u202c名"))
    assert response.status_code == 400
    assert field_errors(response) == {"name": BIDI}
    assert not Person.objects.filter(name__contains="evil").exists()


def test_invisible_characters_are_refused_in_names_only(world, worker):
    response = worker.post("/persons", new_person(world, name="张\u200b三"))
    assert (response.status_code, field_errors(response)) == (400, {"name": INVISIBLE})
    assert worker.post("/persons", new_person(world, name="张三", note="见附件\u200b")).status_code == 201


def test_a_lone_surrogate_in_a_json_body_is_refused(world, worker):
    # Django's test client would encode the escape itself: the body is sent as the text a client wrote.
    body = '{"name": "\\ud800", "id_number": "x", "grid_id": ' + str(world.grid_a1.pk) + "}"
    response = worker.client.post(f"{API}/persons", body, content_type="application/json")
    assert response.status_code == 400
    assert field_errors(response) == {"name": INVALID}


def test_a_lone_surrogate_anywhere_in_a_body_is_refused_by_the_parser(world, worker):
    """The parser's backstop names the field even where no schema reads it."""
    body = '{"name": "李秀英", "unknown": ["a", "\\udfff"]}'
    response = worker.client.post(f"{API}/persons", body, content_type="application/json")
    assert response.status_code == 400
    assert field_errors(response) == {"unknown.1": INVALID}


def test_a_loose_query_parameter_is_checked_by_the_parser(world):
    response = ApiClient(world.users["street_staff"]).get("/campaigns/plans", {"status": "issued\u0000"})
    assert response.status_code == 400
    assert field_errors(response) == {"status": CONTROL}


def test_a_path_parameter_is_checked_before_it_reaches_the_database(world, worker):
    person = factories.person(world.grid_a1, name="王五")
    response = worker.client.delete(f"{API}/persons/{person.pk}/tags/elderly%00")
    assert (response.status_code, field_errors(response)) == (400, {"tag_code": CONTROL})


def test_a_line_refuses_line_breaks_and_multi_line_text_keeps_them(world):
    client = ApiClient(world.users["street_staff"])
    response = client.post("/campaigns/plans", new_plan(world, doc_number="沈河\n政办发"))
    assert (response.status_code, field_errors(response)) == (400, {"doc_number": ONE_LINE})
    response = client.post("/campaigns/plans", new_plan(world, requirements="（一）第一条。\n（二）第二条。"))
    assert response.status_code == 201
    assert Plan.objects.get().requirements == "（一）第一条。\n（二）第二条。"


def test_nested_rows_are_checked_and_named_by_their_place(world):
    client = ApiClient(world.users["street_staff"])
    body = new_plan(world)
    body["phases"][1]["name"] = "整改\u2066阶段"
    response = client.post("/campaigns/plans", body)
    assert (response.status_code, field_errors(response)) == (400, {"phases.1.name": BIDI})


def test_stored_text_the_rule_refuses_is_still_answered(world, worker):
    """Output schemas check nothing: a legacy row must never make an answer fail."""
    person = factories.person(world.grid_a1, name="王五")
    Person.objects.filter(pk=person.pk).update(name="王\u202e五", note=stored("a\u0000\u0001b"))
    response = worker.get(f"/persons/{person.pk}")
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["note"]) == ("王\u202e五", stored("a\u0000\u0001b"))


# ---------------------------------------------------------------- page forms


def person_form(world, **over) -> PersonForm:
    data = {"name": "陈晓明", "id_type": "resident", "residence_type": "floating", "grid": world.grid_a1b.pk, **over}
    return PersonForm(data, user=world.users["community_worker"])


def test_a_form_refuses_controls_beside_the_field(world):
    form = person_form(world, note="a\u0000\u0001b")
    assert not form.is_valid()
    assert form.errors["note"] == [CONTROL]  # one message: Django's own NUL check gives way to the rule


def test_a_form_refuses_bidi_and_invisible_characters_in_names(world):
    assert person_form(world, name="\u202eevil\u202c名").errors["name"] == [BIDI]
    assert person_form(world, name="张\u200d三").errors["name"] == [INVISIBLE]
    assert "current_address" not in person_form(world, current_address="幸福里\u200d3号").errors


def test_a_textarea_keeps_line_breaks_and_a_text_input_does_not(world):
    data = {"title": "方案", "issuer": "区政府办公室", "region": world.street_a.pk, "report_cycle": "monthly"}
    data |= {"preamble": "第一段。\r\n第二段。", "doc_number": "沈河\t8号"}
    form = PlanForm(data, regions=type(world.street_a).objects.all())
    assert not form.is_valid()
    assert "preamble" not in form.errors
    assert form.errors["doc_number"] == [ONE_LINE]


def test_the_person_page_shows_the_refusal_beside_the_field_and_saves_nothing(client, world):
    client.force_login(world.users["community_worker"])
    post = {
        "name": "\u202eevil\u202c名",
        "id_type": "resident",
        "id_number": factories.resident_id(date(1991, 6, 9)),
        "residence_type": "floating",
        "grid": world.grid_a1b.pk,
        "note": "a\u0000b",
    }
    response = client.post("/persons/new/", post)
    assert response.status_code == 400
    assert response.context["form"].errors == {"name": [BIDI], "note": [CONTROL]}
    assert f'id="id_name_error" role="alert">{BIDI}<' in response.content.decode()
    assert not Person.objects.filter(name__contains="evil").exists()


# ---------------------------------------------------------------- requests read without a form


def test_an_honour_review_note_with_controls_is_refused_and_the_honour_stays(client, world):
    rw = rectification_world(world)
    honours.honour_types_install()
    honour = honours.honour_apply(
        user=world.users["community_worker"],
        data={"honour_type_id": HonourType.objects.get(code="no-epidemic").pk, "estate_id": rw.estate_a1.pk,
              "statement": "本小区连续30天无新发病例，防控措施全部落实到位。"},
    )  # fmt: skip
    client.force_login(world.users["street_staff"])
    response = client.post(f"/honours/{honour.pk}/act/", {"action": "review", "version": honour.version,
                                                           "note": "同意\u0000"})  # fmt: skip
    assert response.status_code == 400 and CONTROL in response.content.decode()
    assert Honour.objects.get(pk=honour.pk).status == honour.status


def test_an_export_filter_with_a_nul_is_refused(client, world):
    client.force_login(world.users["community_worker"])
    response = client.post("/imports/export.xlsx", {"name": "张\u0000"}, follow=True)
    assert CONTROL in response.content.decode() and not ExportJob.objects.exists()


def test_open311_parameters_pass_the_rule(client, world):
    response = client.get("/open311/v2/requests.json", {"service_code": "0307\u0000"})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": f"service_code: {CONTROL}"}]


# ---------------------------------------------------------------- imports


def test_a_person_import_refuses_a_spoofed_name_by_row(world):
    estate = Estate.objects.create(region=world.community_a1, name="幸福里")
    factories.house(world.grid_a1, estate, building="3", unit="1", number="502")
    header = [c.label for c in SHEET_COLUMNS]
    # A workbook cannot hold C0 controls; a line break it can.
    values = {"户号": "H100", "小区": "幸福里", "楼栋": "3", "单元": "1", "房号": "502", "与户主关系": "户主"}
    values |= {"证件号码": factories.resident_id(date(1990, 3, 7)), "姓名": "\u202eevil\u202c名", "备注": "一\n二"}
    job = persons_import(user=world.users["community_worker"], file=workbook([header, [values.get(h) for h in header]]))
    assert set(job.issues.values_list("row", "column", "message")) == {(2, "姓名", BIDI), (2, "备注", ONE_LINE)}
    assert not Person.objects.filter(name__contains="evil").exists()


def test_a_task_table_import_refuses_invisible_characters_in_a_title(world):
    plan = seed_plan(world)
    header = ["序号", "任务", "工作内容及标准"]
    upload = workbook([header, ["一、", "清理\u200b楼道", "第一步。\n第二步。"]])
    with pytest.raises(ValidationFailed) as refused:
        tasks_import(user=world.users["district_staff"], plan=plan, file=upload, mode="append")
    assert [e.message for e in refused.value.errors] == [f"第2行“任务”：{INVISIBLE}"]


# ---------------------------------------------------------------- exports of legacy rows


def test_a_person_export_with_control_characters_stored_still_downloads(client, world):
    person = factories.person(world.grid_a1, name="王五")
    Person.objects.filter(pk=person.pk).update(note=stored("a\u0000\u0001b"))
    client.force_login(world.users["community_worker"])
    queued = client.post("/imports/export.xlsx")
    response = client.get(queued["Location"] + "file.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][rows[0].index("备注")] == "ab"


@pytest.fixture
def legacy_plan(world):
    plan = seed_plan(world, region=world.street_a)
    Plan.objects.filter(pk=plan.pk).update(title=Concat(F("title"), Value(stored("\u0000\u0001"))))
    Plan.objects.filter(pk=plan.pk).update(preamble="为规范\u0001物业管理\u202e，特制定本方案。")
    return plan


def test_a_plan_document_with_a_nul_in_its_title_still_downloads(world, legacy_plan):
    response = ApiClient(world.users["street_staff"]).get(f"/campaign-documents/plans/{legacy_plan.pk}/plan.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.title == "关于依法加强居民小区物业管理的工作方案"
    assert any(p.text == "为规范物业管理，特制定本方案。" for p in document.paragraphs)


def test_a_task_table_with_a_nul_in_the_plan_title_still_downloads(world, legacy_plan):
    response = ApiClient(world.users["street_staff"]).get(f"/campaign-documents/plans/{legacy_plan.pk}/tasks.xlsx")
    assert response.status_code == 200
    title = load_workbook(io.BytesIO(response.content)).active["A1"].value
    assert "物业管理" in title and not {"\u0000", "\u0001"} & set(title)


def test_the_rectification_register_with_a_nul_stored_still_downloads(world):
    rw = rectification_world(world)
    case = rw.register()
    Case.objects.filter(pk=case.pk).update(description=stored("屋面漏雨\u0000\u0008"))
    response = ApiClient(world.users["district_staff"]).get("/rectifications/export")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][rows[0].index("问题描述")] == "屋面漏雨"
