import pytest
from django.urls import reverse

from linli.surveys.models import Correction, Recheck

from .builders import census, unit_survey


@pytest.fixture
def built(world):
    return census(world)


def record(**changes):
    """The re-check record's fields as the page posts them: the first household's items, found the same."""
    data = {"H1": "1", "H2": "2", "P.1.R1": "张三", "P.1.R3": "1", "P.1.R4": "1950-03-02", "P.2.R1": "李梅",
            "P.2.R3": "2", "P.2.R4": "2015-11-01", "P.3.R1": "", "conclusion": ""}  # fmt: skip
    return data | changes


def test_the_overview_lists_the_drawn_forms_and_refuses_enumerators(client, world, built):
    client.force_login(world.users["community_worker"])
    page = client.get(reverse("survey_quality:overview", args=[built.survey.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "抽中复核的调查表（1）" in text and built.units[0].label in text and built.units[1].label not in text
    client.force_login(world.users["grid_worker"])
    assert client.get(reverse("survey_quality:overview", args=[built.survey.pk])).status_code == 403


def test_a_recheck_that_finds_an_error_then_a_correction(client, world, built):
    client.force_login(world.users["community_worker"])
    response = built.responses[0]
    url = reverse("survey_quality:response", args=[response.pk])
    page = client.get(url).content.decode()
    assert 'name="P.2.R3"' in page and 'name="P.3.R1"' in page  # one more row for a person the form left out
    assert "李梅" in page and "女" in page  # the enumerator's answers, in words

    posted = client.post(reverse("survey_quality:recheck", args=[response.pk]), record(**{"P.2.R3": "1"}))
    assert posted.status_code == 302
    recheck = Recheck.objects.get(response=response)
    assert (recheck.items_checked, recheck.items_wrong, recheck.conclusion) == (8, 1, "发现1项差错（核对8项）")
    page = client.get(url).content.decode()
    assert "差错率 <b>12.50%</b>" in page and "人口登记·性别（第2行）" not in page
    assert "第2行 性别" in page and "以复核值更正" in page

    fixed = client.post(reverse("survey_quality:correct", args=[response.pk]),
                        {"path": "P.2.R3", "version": "1", "reason": "经入户复核更正"})  # fmt: skip
    assert fixed.status_code == 302
    correction = Correction.objects.get()
    assert (correction.path, correction.old, correction.new) == ("P.2.R3", "2", "1")
    page = client.get(url).content.decode()
    assert "人口登记·性别（第2行）" in page and "已更正" in page


def test_a_refused_record_shows_each_error_beside_its_item(client, world, built):
    client.force_login(world.users["street_staff"])
    posted = client.post(reverse("survey_quality:recheck", args=[built.responses[0].pk]), record(H1="9"))
    assert posted.status_code == 400
    text = posted.content.decode()
    assert "复核内容有1处需要修改" in text and 'class="has-error"' in text
    assert 'name="H2" inputmode="decimal" value="2"' in text  # what was typed stays
    assert not Recheck.objects.exists()


def test_a_unit_is_rechecked_on_the_quality_control_record(client, world):
    built = unit_survey(world)
    client.force_login(world.users["district_staff"])
    text = client.get(reverse("survey_quality:response", args=[built.responses[0].pk])).content.decode()
    assert "职工总数" in text and "<h3>复核情况</h3>" in text and 'name="C1"' in text
    assert 'name="conclusion"' not in text  # the record asks its own 复核结论
    assert "补录" not in text  # no table to add rows to
