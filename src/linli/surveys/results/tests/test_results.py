from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from linli.audit.models import AuditEntry
from linli.core.errors import ValidationFailed
from linli.surveys import rules as survey_rules
from linli.surveys.quality.tests.builders import census, unit_survey
from linli.surveys.results import selectors, services


@pytest.fixture
def built(world):
    b = census(world, households=6)
    refused = b.units[2]  # in area 001
    refused.state, refused.visited_by, refused.visited_at = (
        survey_rules.REFUSED,
        world.users["grid_worker"],
        timezone.now(),
    )
    refused.save()
    return b


def test_progress_by_area_and_enumerator_in_the_users_scope(world, built):
    p = selectors.progress(world.users["street_staff"], built.survey)
    assert [(r.label, r.of("done"), r.of("refused"), r.of("not_visited"), r.total) for r in p.by_area] == [
        ("001 甲一第1小区", 1, 1, 1, 3),
        ("002 甲二第1小区", 1, 0, 2, 3),
    ]
    assert [(r.label, r.total, r.percent) for r in p.by_enumerator] == [
        ("community_worker2", 3, "33.33%"),
        ("grid_worker", 3, "33.33%"),
    ]
    assert (p.total.total, p.total.of("done")) == (6, 2)
    assert p.days["done_total"] == [2] and p.days["refused"] == [1]
    mine = selectors.progress(world.users["community_worker"], built.survey)
    assert [r.label for r in mine.by_area] == ["001 甲一第1小区"] and mine.total.total == 3


def test_population_from_the_returned_forms(world, built):
    pop = selectors.population(world.users["street_staff"], built.survey)
    assert [(r.label, r.male, r.female) for r in pop.by_area] == [("001 甲一第1小区", 1, 1), ("002 甲二第1小区", 1, 0)]
    # at 2026-11-01: born 1950-03-02 is 76, 2015-11-01 is 11 (birthday on the day), 1990-06-30 is 36
    assert [(r.label, r.total) for r in pop.by_broad_band] == [("0–14岁", 1), ("15–59岁", 1), ("60岁及以上", 1)]


def test_hazards_by_industry_of_a_unit_survey(world):
    built = unit_survey(world)
    rows, total = selectors.hazards(world.users["district_staff"], built.survey)
    assert [(r.label, r.enterprises, r.workers, r.exposed, r.cases) for r in rows] == [
        ("制造业", 2, 200, 30, 1),
        ("建筑业", 1, 50, 20, 2),
    ]
    assert total.exposed_percent == "20.00%"


def test_the_workbook_and_the_data_files_are_audited(world, built):
    user = world.users["street_staff"]
    book = services.workbook_export(user=user, survey_id=built.survey.pk)
    sheets = load_workbook(BytesIO(book.content), read_only=True).sheetnames
    assert sheets == ["进度（按小区）", "进度（按普查员）", "每日进度", "人口（按小区）", "人口（按年龄）", "差错率"]
    main = services.data_export(user=user, survey_id=built.survey.pk, role="short")
    assert main.content.decode("utf-8").splitlines() == [
        "\ufeffunit,area,form_version,H1,H2",
        "1,001,1,1,2",
        "2,002,1,1,1",
    ]
    persons = services.data_export(user=user, survey_id=built.survey.pk, role="short", table="P")
    assert persons.content.decode("utf-8").splitlines()[1:] == [
        "1,001,1,1,张三,1,1950-03-02",
        "1,001,1,2,李梅,2,2015-11-01",
        "2,002,1,1,王五,1,1990-06-30",
    ]
    assert [(e.action, e.object_type, e.count) for e in AuditEntry.objects.order_by("id")] == [
        ("export", "survey_results", 6),
        ("export", "survey_response", 2),
        ("export", "survey_response", 3),
    ]
    codebook = services.codebook_export(user=user, survey_id=built.survey.pk, role="short")
    assert "P,R3,性别,choice,1=男; 2=女," in codebook.content.decode("utf-8")
    assert AuditEntry.objects.count() == 3
    with pytest.raises(ValidationFailed):
        services.data_export(user=user, survey_id=built.survey.pk, role="long")
    with pytest.raises(ValidationFailed):
        services.data_export(user=user, survey_id=built.survey.pk, role="short", table="H1")


def test_a_community_downloads_its_own_areas_only(world, built):
    data = services.data_export(user=world.users["community_worker2"], survey_id=built.survey.pk, role="short")
    assert data.content.decode("utf-8").splitlines()[1:] == ["2,002,1,1,1"]


def test_the_dashboard(client, world, built):
    client.force_login(world.users["community_worker"])
    page = client.get(reverse("survey_results:dashboard", args=[built.survey.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="survey-progress"' in text and "linli/surveys/results.js" in text and "<script>" not in text
    assert "001 甲一第1小区" in text and "002 甲二第1小区" not in text
    assert reverse("survey_results:data", args=[built.survey.pk, "short"]) + "?table=P" in text
    client.force_login(world.users["grid_worker"])
    assert client.get(reverse("survey_results:dashboard", args=[built.survey.pk])).status_code == 403
