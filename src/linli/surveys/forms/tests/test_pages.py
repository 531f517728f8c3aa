"""The 调查表 pages as a clerk uses them: a version's questions in words, a new draft, its definition edited as JSON
with each error shown, publishing, and choosing a survey's forms."""

import json

from django.test import Client
from django.urls import reverse

from linli.surveys.forms import selectors
from linli.surveys.forms.forms import definition_text
from linli.surveys.models import FormVersion

from .helpers import default, survey


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_version_reads_like_the_paper_form(world):
    url = reverse("survey_forms:version", args=[default("census-short").pk])
    text = client_of(world.users["community_worker"]).get(url).content.decode()
    assert "第六次全国人口普查表短表" in text and "发布，不再修改" in text
    assert "户口登记地为“本乡(镇、街道)其他村(居)委会”或“其他乡(镇、街道)”时填写" in text
    assert "58 外国人入籍" not in text and "98 外国人入籍" in text
    assert "据此新建版本" not in text  # community workers read forms; those who run surveys revise them


def test_a_draft_from_an_earlier_version_edited_with_its_errors_shown_then_published(world):
    client = client_of(world.users["street_staff"])
    v1 = default("ohs-unit")
    response = client.post(reverse("survey_forms:copy", args=[v1.pk]), {"note": "增加危害因素"})
    draft = FormVersion.objects.get(form=v1.form, number=2)
    assert response.url == reverse("survey_forms:edit", args=[draft.pk])
    edit = reverse("survey_forms:edit", args=[draft.pk])

    page = client.post(edit, {"definition": '{"sections": [', "note": "", "revision": 1})
    assert page.status_code == 400
    assert "不是有效的JSON，请检查第1行第15列附近的引号、逗号和括号" in page.content.decode()

    broken = json.loads(json.dumps(v1.definition))
    broken["sections"][1]["questions"][2]["options"].append({"value": "1", "label": "噪声"})
    broken["sections"][1]["questions"][0]["max"] = -1
    page = client.post(edit, {"definition": json.dumps(broken, ensure_ascii=False), "note": "增加噪声", "revision": 1})
    text = page.content.decode()
    assert page.status_code == 400 and "表式定义有2处需要修改" in text
    assert "第2部分第1题(U3)：最小值大于最大值" in text and "第2部分第3题(U5)：选项值“1”重复" in text

    fixed = json.loads(json.dumps(v1.definition))
    fixed["sections"][1]["questions"][2]["options"].append({"value": "7", "label": "噪声"})
    response = client.post(
        edit, {"definition": json.dumps(fixed, ensure_ascii=False), "note": "增加噪声", "revision": 1}
    )
    assert response.status_code == 302
    client.post(reverse("survey_forms:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.definition == fixed
    page = client.get(edit, follow=True)
    assert "第2版已发布，不能修改；请据此新建一个版本" in page.content.decode()


def test_a_survey_chooses_its_forms_before_it_starts(world):
    census = survey(world.street_a)
    url = reverse("survey_forms:survey", args=[census.pk])
    client = client_of(world.users["street_staff"])
    page = client.get(url)
    assert page.content.decode().count("未设置") == 3  # short, long and death
    page = client.post(url, {"role": "long", "version": default("census-long").pk}, follow=True)
    assert "普查表长表已设置" in page.content.decode()
    assert selectors.survey_form(census, "long") == default("census-long")
    page = client.post(url, {"role": "death", "version": default("census-short").pk}, follow=True)
    assert "用作此表式须有表格题“D”" in page.content.decode()
    # Each role offers the versions that fit it: a census is offered no unit form.
    assert "用人单位调查表" not in page.content.decode()
    assert client_of(world.users["community_worker"]).post(url, {"role": "long"}).status_code == 403


def test_the_definition_is_edited_as_compact_json_that_reads_back_the_same(db):
    definition = default("census-long").definition
    text = definition_text(definition)
    assert json.loads(text) == definition
    lines = [line.strip() for line in text.splitlines()]
    assert '{"value": "01", "label": "汉族"},' in lines and len(lines) < 400
    assert '{"key": "H2", "label": "本户应登记人数", "type": "number", "required": true, "min": 0, "max": 99,' in text
