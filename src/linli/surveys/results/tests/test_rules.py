from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.surveys.results import rules
from linli.surveys.results.exports import codebook_csv, data_csv

MOMENT = date(2010, 11, 1)


@pytest.mark.parametrize(
    "birth, age",
    [
        (date(2000, 11, 1), 10),  # a birthday on the standard day counts
        (date(2000, 11, 2), 9),
        (date(2010, 11, 1), 0),
        (date(1960, 2, 29), 50),
    ],
)
def test_age_in_completed_years_at_the_moment(birth, age):
    assert rules.age_at(birth, MOMENT) == age


@pytest.mark.parametrize(
    "age, broad, five",
    [
        (0, "0–14岁", "0–4岁"),
        (14, "0–14岁", "10–14岁"),
        (15, "15–59岁", "15–19岁"),
        (59, "15–59岁", "55–59岁"),
        (60, "60岁及以上", "60–64岁"),
        (99, "60岁及以上", "95–99岁"),
        (100, "60岁及以上", "100岁及以上"),
    ],
)
def test_age_bands(age, broad, five):
    assert (rules.broad_band(age), rules.five_year_band(age)) == (broad, five)


def row(sex, birth):
    return {"R1": "某", "R3": sex, "R4": birth}


def test_population_by_area_band_and_sex():
    forms = [
        ("001", {"P": [row("1", "1950-03-02"), row("2", "2005-01-01"), row("2", "2010-11-02")]}),  # last: unborn
        ("002", {"P": [row("2", "1980-05-05"), {"R3": "1"}, "broken"]}),
        ("001", {"P": [row("1", "2000-11-01")]}),
    ]
    pop = rules.population(forms, MOMENT)
    assert pop.forms == 3
    assert [(r.label, r.male, r.female, r.band_cells) for r in pop.by_area] == [
        ("001", 2, 1, [2, 0, 1]),
        ("002", 0, 1, [0, 1, 0]),
    ]
    assert [(r.label, r.male, r.female) for r in pop.by_broad_band] == [
        ("0–14岁", 1, 1),
        ("15–59岁", 0, 1),
        ("60岁及以上", 1, 0),
    ]
    assert pop.total.total == 4 == sum(r.total for r in pop.by_five_year_band)
    assert {r.label: r.total for r in pop.by_five_year_band if r.total} == {
        "5–9岁": 1,
        "10–14岁": 1,
        "30–34岁": 1,
        "60–64岁": 1,
    }


@settings(max_examples=40)
@given(st.lists(st.tuples(st.sampled_from("12"), st.dates(date(1900, 1, 1), MOMENT)), max_size=30))
def test_every_person_falls_in_exactly_one_band_of_each_kind(people):
    pop = rules.population([("a", {"P": [row(s, b.isoformat()) for s, b in people]})], MOMENT)
    assert pop.total.total == len(people)
    assert sum(r.total for r in pop.by_broad_band) == sum(r.total for r in pop.by_five_year_band) == len(people)


def test_state_counts_and_response_rate():
    rows = rules.state_counts(
        [
            ("a", "甲", "done", 2),
            ("a", "甲", "refused", 1),
            ("a", "甲", "not_visited", 1),
            ("b", "乙", "not_visited", 0),
        ]
    )
    assert [(r.label, r.total, r.cells, r.rate) for r in rows] == [
        ("甲", 4, [1, 0, 1, 0, 2], Decimal("0.5")),
        ("乙", 0, [0, 0, 0, 0, 0], None),
    ]


def test_cumulative_progress_by_day():
    days = rules.cumulative(
        [
            (date(2026, 11, 2), "done", 3),
            (date(2026, 11, 1), "done", 1),
            (date(2026, 11, 1), "refused", 2),
            (date(2026, 11, 2), "visited", 1),
        ]
    )
    assert days["days"] == ["2026-11-01", "2026-11-02"]
    assert (days["done"], days["done_total"], days["refused"], days["visited"]) == ([1, 3], [1, 4], [2, 0], [0, 1])


UNIT = {
    "sections": [
        {
            "key": "U",
            "questions": [
                {"key": "U1", "label": "单位名称", "type": "text"},
                {
                    "key": "U2",
                    "label": "行业",
                    "type": "choice",
                    "options": [{"value": "C", "label": "制造业"}, {"value": "E", "label": "建筑业"}],
                },
                {"key": "U3", "label": "职工总数", "type": "number", "min": 0, "unit": "人"},
                {"key": "U4", "label": "接触人数", "type": "number"},
                {
                    "key": "U5",
                    "label": "危害因素",
                    "type": "multi",
                    "options": [{"value": "dust", "label": "粉尘"}, {"value": "noise", "label": "噪声"}],
                },
                {
                    "key": "P",
                    "label": "岗位",
                    "type": "table",
                    "columns": [{"key": "J1", "label": "岗位名称", "type": "text"}],
                },
            ],
        }
    ]
}


def test_hazards_by_industry_in_the_forms_order():
    forms = [{"U2": "E", "U3": 50, "U4": 20}, {"U2": "C", "U3": "120", "U4": 30, "U6": 2}, {"U2": "C", "U3": 80}]
    rows, total = rules.hazards_by_industry(forms, UNIT)
    assert [(r.label, r.enterprises, r.workers, r.exposed, r.cases) for r in rows] == [
        ("制造业", 2, 200, 30, 2),
        ("建筑业", 1, 50, 20, 0),
    ]
    assert (total.enterprises, total.workers, total.exposed, total.exposed_share) == (3, 250, 50, Decimal("0.2"))


def test_data_files_one_row_per_form_and_per_table_row():
    forms = [
        (1, "001", 1, {"U1": "=甲厂", "U2": "C", "U3": 120, "U5": ["noise"], "P": [{"J1": "焊工"}, {"J1": "-"}]}),
        (2, None, 1, {"U1": "乙厂"}),
    ]
    content, count = data_csv(UNIT, iter(forms))
    assert count == 2
    text = content.decode("utf-8")
    assert text.startswith("\ufeffunit,area,form_version,U1,U2,U3,U4,U5_dust,U5_noise\r\n")
    assert text.splitlines()[1:] == ["1,001,1,'=甲厂,C,120,,0,1", "2,,1,乙厂,,,,0,0"]
    content, count = data_csv(UNIT, iter(forms), table="P")
    assert count == 2
    assert content.decode("utf-8").splitlines() == [
        "\ufeffunit,area,form_version,row,J1",
        "1,001,1,1,焊工",
        "1,001,1,2,'-",
    ]


def test_the_codebook_names_every_variable_and_its_codes():
    lines = codebook_csv(UNIT).decode("utf-8").splitlines()
    assert lines[0] == "\ufefffile,variable,label,type,values,unit"
    assert "main,U2,行业,choice,C=制造业; E=建筑业," in lines
    assert "main,U3,职工总数,number,0–,人" in lines
    assert "main,U5_noise,危害因素：噪声,multi,1=选; 0=未选," in lines
    assert "P,J1,岗位名称,text,," in lines
