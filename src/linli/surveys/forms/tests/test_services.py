"""Form versions (a published one is never changed), and the forms a survey uses (surveys.forms.services)."""

import copy

import pytest

from linli.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from linli.surveys import rules as survey_rules
from linli.surveys.forms import selectors, services
from linli.surveys.models import SurveyForm
from linli.testing.apiclient import ApiClient

from .helpers import default, survey


def test_the_default_forms_are_published_as_version_1(db):
    codes = {v.form.code for v in selectors.published_versions()}
    assert {"census-short", "census-long", "census-death", "ohs-unit", "ohs-recheck"} <= codes
    assert default("census-short").form.name == "第六次全国人口普查表短表"


def test_a_new_version_is_a_draft_copy_changed_and_then_published(world):
    street = world.users["street_staff"]
    v1 = default("census-short")
    draft = services.form_version_create(user=street, version_id=v1.pk, note="增加一栏")
    assert (draft.number, draft.published_at, draft.definition) == (2, None, v1.definition)

    changed = copy.deepcopy(v1.definition)
    changed["sections"][0]["questions"][0]["label"] = "户的类别"
    services.form_version_update(user=street, version_id=draft.pk, revision=1, definition=changed, note="改题目名称")
    draft.refresh_from_db()
    assert draft.definition["sections"][0]["questions"][0]["label"] == "户的类别"
    assert draft.note == "改题目名称"

    services.form_version_publish(user=street, version_id=draft.pk)
    draft.refresh_from_db()
    assert draft.published_at is not None
    v1.refresh_from_db()
    assert v1.definition["sections"][0]["questions"][0]["label"] == "户别"


def test_two_clerks_saving_one_draft_do_not_overwrite_each_other(world):
    street = world.users["street_staff"]
    draft = services.form_version_create(user=street, version_id=default("census-short").pk)
    services.form_version_update(user=street, version_id=draft.pk, revision=1, definition=draft.definition, note="甲")
    with pytest.raises(Conflict, match="已被他人修改"):
        services.form_version_update(
            user=street, version_id=draft.pk, revision=1, definition=draft.definition, note="乙"
        )
    draft.refresh_from_db()
    assert (draft.note, draft.revision) == ("甲", 2)


def test_a_published_version_is_never_changed(world):
    v1 = default("census-short")
    with pytest.raises(DomainError, match="第1版已发布，不能修改"):
        services.form_version_update(user=world.users["admin"], version_id=v1.pk, revision=1, definition=v1.definition)
    with pytest.raises(Conflict, match="已经发布"):
        services.form_version_publish(user=world.users["admin"], version_id=v1.pk)


def test_one_draft_per_form(world):
    admin = world.users["admin"]
    draft = services.form_version_create(user=admin, version_id=default("ohs-unit").pk)
    with pytest.raises(Conflict, match=f"已有未发布的第{draft.number}版草稿"):
        services.form_version_create(user=admin, version_id=default("ohs-unit").pk)


def test_a_draft_takes_only_a_valid_definition_and_names_each_error(world):
    admin = world.users["admin"]
    draft = services.form_version_create(user=admin, version_id=default("ohs-unit").pk)
    broken = copy.deepcopy(draft.definition)
    broken["sections"][1]["questions"][0]["min"] = 5
    broken["sections"][1]["questions"][0]["max"] = 1
    broken["sections"][1]["questions"][1]["type"] = "slider"
    with pytest.raises(ValidationFailed) as caught:
        services.form_version_update(user=admin, version_id=draft.pk, revision=1, definition=broken)
    assert [e.message for e in caught.value.errors] == [
        "第2部分第1题(U3)：最小值大于最大值",
        "第2部分第2题(U4)：题型应为text(文字)、number(数字)、choice(单选)、multi(多选)、date(日期)、table(表格)",
    ]
    with pytest.raises(ValidationFailed, match="提交的数据有误"):
        services.form_version_update(
            user=admin, version_id=draft.pk, revision=1, definition=draft.definition, note="一\n二"
        )


@pytest.mark.parametrize("persona", ["community_worker", "grid_worker", "dept_handler"])
def test_only_those_who_run_surveys_draft_forms(world, persona):
    with pytest.raises(PermissionDenied):
        services.form_version_create(user=world.users[persona], version_id=default("census-short").pk)


def test_a_survey_uses_published_versions_that_fit_the_role(world):
    street = world.users["street_staff"]
    census = survey(world.street_a)
    services.survey_form_set(user=street, survey_id=census.pk, role="short", version_id=default("census-short").pk)
    assert selectors.survey_form(census, "short") == default("census-short")

    with pytest.raises(ValidationFailed) as caught:
        services.survey_form_set(user=street, survey_id=census.pk, role="short", version_id=default("ohs-unit").pk)
    assert "用作此表式须有单选题“H1”（登记、核查和汇总按此题号读取）" in [e.message for e in caught.value.errors]
    with pytest.raises(ValidationFailed, match="提交的数据有误") as caught:
        services.survey_form_set(user=street, survey_id=census.pk, role="unit", version_id=default("ohs-unit").pk)
    assert caught.value.errors[0].message == "此类调查不使用这一表式"

    draft = services.form_version_create(user=street, version_id=default("census-short").pk)
    with pytest.raises(ValidationFailed) as caught:
        services.survey_form_set(user=street, survey_id=census.pk, role="short", version_id=draft.pk)
    assert caught.value.errors[0].message == "第六次全国人口普查表短表 第2版尚未发布，不能用于调查"


def test_a_survey_keeps_its_forms_once_started(world):
    running = survey(world.street_a, state=survey_rules.RUNNING)
    with pytest.raises(DomainError, match="调查已开始"):
        services.survey_form_set(
            user=world.users["admin"], survey_id=running.pk, role="short", version_id=default("census-short").pk
        )
    assert not SurveyForm.objects.filter(survey=running).exists()


def test_a_survey_without_a_form_in_a_role_says_so(world):
    with pytest.raises(DomainError, match="本调查尚未设置“死亡人口调查表”所用的表式"):
        selectors.survey_form(survey(world.street_a), "death")


def test_the_api_lists_each_error_of_a_draft_and_takes_a_help_of_several_lines(world):
    client = ApiClient(world.users["district_staff"])
    draft = client.post(f"/surveys/forms/versions/{default('ohs-recheck').pk}/copy", {"note": "复核说明分行"}).json()
    definition = draft["definition"]
    definition["sections"][1]["questions"][1]["help"] = "写明哪一项有差错，\n原填和核实的各是什么"
    answer = client.request("PUT", f"/surveys/forms/versions/{draft['id']}", {"definition": definition, "revision": 1})
    assert answer.status_code == 200 and answer.json()["definition"] == definition
    assert (
        client.request(
            "PUT", f"/surveys/forms/versions/{draft['id']}", {"definition": definition, "revision": 1}
        ).status_code
        == 409
    )

    definition["sections"][1]["questions"][1]["label"] = "差错说明" * 30
    answer = client.request("PUT", f"/surveys/forms/versions/{draft['id']}", {"definition": definition, "revision": 2})
    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"field": "definition", "message": "第2部分第2题(Q2)：题目名称为空、超过100字或含有不可见字符"}
    ]
    definition["sections"][1]["questions"][1]["label"] = "差错\u202e说明"
    answer = client.request("PUT", f"/surveys/forms/versions/{draft['id']}", {"definition": definition, "revision": 2})
    assert answer.json()["errors"] == [
        {"field": "definition.sections.1.questions.1.label", "message": "含有改变文字显示方向的控制字符，请删除后重试"}
    ]
