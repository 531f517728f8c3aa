"""覆盖核查 rules: matching enumerated rows with registry persons, and each clean-up list."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.surveys.coverage import rules
from linli.surveys.coverage.rules import Household, Registered, Row

# ---------------------------------------------------------------- names and dates as people write them


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("张三", "张三", True),
        ("张 三", "张三", True),  # a space typed between the characters
        ("张\u3000三", "张三", True),  # an ideographic space
        ("阿依古丽·买买提", "阿依古丽・买买提", True),  # the middle dot in its several shapes
        ("阿依古丽•买买提", "阿依古丽．买买提", True),
        ("ＪＯＨＮ　ＳＭＩＴＨ", "John Smith", True),  # full-width Latin letters, case
        ("张三", "张山", False),
        ("", "", False),
    ],
)
def test_names_compare_as_written_not_as_typed(a, b, same):
    assert (rules.agreement(a, "M", "", b, "M", "") is not None) is same


@pytest.mark.parametrize(
    "text, parts",
    [
        ("1980-05-01", (1980, 5, 1)),
        ("1980-05", (1980, 5, None)),
        ("1980年5月", (1980, 5, None)),
        ("1980年5月1日", (1980, 5, 1)),
        ("198005", (1980, 5, None)),
        ("19800501", (1980, 5, 1)),
        ("１９８０－０５－０１", (1980, 5, 1)),  # full-width digits
        ("1980/5/1", (1980, 5, 1)),
        ("1980-13", None),
        ("1980-02-32", None),
        ("", None),
        ("不详", None),
    ],
)
def test_birth_dates_are_read_in_the_ways_they_are_written(text, parts):
    assert rules.birth_parts(text) == parts


@pytest.mark.parametrize(
    "a, b, level",
    [
        (("张三", "M", "1980-05-01"), ("张三", "M", "1980-05-01"), rules.EXACT),
        (("张三", "M", "1980-05"), ("张三", "M", "1980-05-01"), rules.MONTH),  # the census asks the month only
        (("张三", "M", "1980年5月"), ("张三", "M", "1980-05-17"), rules.MONTH),
        (("张三", "M", "1980-05-02"), ("张三", "M", "1980-05-01"), None),  # two whole dates that differ
        (("张三", "M", "1980-06"), ("张三", "M", "1980-05-01"), None),
        (("张三", "F", "1980-05-01"), ("张三", "M", "1980-05-01"), None),
        (("张三", "", "1980-05-01"), ("张三", "M", "1980-05-01"), rules.EXACT),  # sex not given on one side
        (("张三", "M", ""), ("张三", "M", "1980-05-01"), rules.NAME),
        (("张三", "M", "1980-05-01"), ("李四", "M", "1980-05-01"), None),
    ],
)
def test_agreement_says_how_two_descriptions_agree(a, b, level):
    assert rules.agreement(*a, *b) == level


def test_an_exact_match_is_not_taken_by_a_looser_one():
    # Two rows of the same name and month: the row with the whole date gets the person with that date.
    rows = [Row(1, "short", 1, "王芳", "F", "1990-03"), Row(1, "short", 2, "王芳", "F", "1990-03-08")]
    persons = [Registered(10, 1, "王芳", "F", "1990-03-08"), Registered(11, 1, "王芳", "F", "1990-03-21")]
    pairs, rows_left, persons_left = rules.pair(rows, persons)
    assert {(r.number, p.person, level) for r, p, level in pairs} == {(2, 10, rules.EXACT), (1, 11, rules.MONTH)}
    assert rows_left == persons_left == []


# ---------------------------------------------------------------- the lists, one household at a time


def row(number, name, sex="M", birth="1980-05", hukou="1", relation="0", unit=1, role="short"):
    return Row(unit, role, number, name, sex, birth, hukou, relation)


def person(pk, name, sex="M", birth="1980-05-01", residence="registered", unit=1):
    return Registered(pk, unit, name, sex, birth, residence)


def kinds(found):
    return sorted((f.kind, f.person, f.row.number if f.row else None) for f in found)


def test_a_household_as_the_registry_has_it_gives_nothing():
    home = Household(
        1,
        rows=(row(1, "张三"), row(2, "李梅", "F", "1982-07", relation="1")),
        registered=(person(10, "张三"), person(11, "李梅", "F", "1982-07-09")),
    )
    assert rules.findings([home]) == []


def test_missed_a_registry_person_nobody_enumerated():
    home = Household(
        1, rows=(row(1, "张三"),), registered=(person(10, "张三"), person(11, "张小明", birth="2010-01-02"))
    )
    (found,) = rules.findings([home])
    assert (found.kind, found.person, found.row) == (rules.MISSED, 11, None)
    # Registered here and not living here: 户在人不在, the registry keeps them as 人户分离.
    assert found.change == {"action": rules.SET_RESIDENCE, "residence_type": "separated"}


def test_missed_a_floating_person_no_longer_living_here_leaves_the_household():
    home = Household(
        1, rows=(row(1, "张三"),), registered=(person(10, "张三"), person(11, "赵六", residence="floating"))
    )
    (found,) = rules.findings([home])
    assert (found.kind, found.change) == (rules.MISSED, {"action": rules.MOVE_OUT})


def test_unregistered_an_enumerated_person_the_registry_does_not_know():
    home = Household(
        1,
        rows=(row(1, "张三"), row(2, "张小红", "F", "2019-04", relation="2", hukou="4")),
        registered=(person(10, "张三"),),
    )
    (found,) = rules.findings([home])
    assert (found.kind, found.person, found.row.number) == (rules.UNREGISTERED, None, 2)
    assert found.change == {"action": rules.ADD, "residence_type": "floating"}  # 户口在其他乡镇: 流动人口
    assert found.row.shown()["name"] == "张小红"


@pytest.mark.parametrize(
    "hukou, residence, wanted",
    [
        ("3", "registered", "separated"),  # 户口在本街道其他社区, registry says registered here
        ("4", "registered", "separated"),
        ("1", "floating", "registered"),  # 户口在本普查小区, registry says floating
        ("2", "separated", "registered"),
    ],
)
def test_separated_when_the_hukou_place_and_the_registry_disagree(hukou, residence, wanted):
    home = Household(1, rows=(row(1, "张三", hukou=hukou),), registered=(person(10, "张三", residence=residence),))
    (found,) = rules.findings([home])
    assert (found.kind, found.person, found.change["residence_type"]) == (rules.SEPARATED, 10, wanted)


@pytest.mark.parametrize(
    "hukou, residence", [("1", "registered"), ("4", "floating"), ("3", "resident"), ("4", "overseas")]
)
def test_no_separation_when_they_agree_or_the_registry_says_nothing_of_the_hukou(hukou, residence):
    home = Household(1, rows=(row(1, "张三", hukou=hukou),), registered=(person(10, "张三", residence=residence),))
    assert rules.findings([home]) == []


def test_separated_enumerated_here_registered_in_another_household():
    here = Household(
        1,
        rows=(row(1, "张三"), row(2, "刘洋", birth="1995-02", relation="9", hukou="3")),
        registered=(person(10, "张三"),),
    )
    there = Household(
        2,
        rows=(row(1, "陈静", "F", unit=2),),
        registered=(person(20, "陈静", "F", unit=2), person(21, "刘洋", birth="1995-02-14", unit=2)),
    )
    (found,) = rules.findings([here, there])
    # Not also 漏登 in the household where the registry has him.
    assert (found.kind, found.unit, found.person) == (rules.SEPARATED, 1, 21)
    assert found.change == {"action": rules.MOVE_IN, "residence_type": "floating"}


def test_separated_registered_outside_the_frame():
    here = Household(
        1, rows=(row(1, "张三"), row(2, "刘洋", birth="1995-02", hukou="1")), registered=(person(10, "张三"),)
    )
    outside = [Registered(30, None, "刘洋", "M", "1995-02-14", "registered")]
    (found,) = rules.findings([here], outside)
    assert (found.kind, found.person, found.change["action"]) == (rules.SEPARATED, 30, rules.MOVE_IN)


def test_an_outside_person_nobody_enumerated_is_not_missed():
    here = Household(1, rows=(row(1, "张三"),), registered=(person(10, "张三"),))
    assert rules.findings([here], [Registered(30, None, "刘洋", "M", "1995-02-14")]) == []


def test_no_hukou_when_the_hukou_place_is_pending():
    home = Household(
        1,
        rows=(row(1, "张三"), row(2, "张小宝", birth="2021-09", relation="2", hukou="5")),
        registered=(person(10, "张三"),),
    )
    (found,) = rules.findings([home])
    assert (found.kind, found.person, found.change) == (
        rules.NO_HUKOU,
        None,
        {"action": rules.ADD, "residence_type": "resident"},
    )


def test_no_hukou_of_a_registry_person_is_noted_on_the_person():
    home = Household(1, rows=(row(1, "张三", hukou="5"),), registered=(person(10, "张三"),))
    (found,) = rules.findings([home])
    assert (found.kind, found.person, found.change["action"]) == (rules.NO_HUKOU, 10, rules.NOTE)


def test_deregister_a_person_the_death_form_reports():
    home = Household(
        1,
        rows=(row(1, "张三"),),
        deaths=(Row(1, "death", 1, "张老汉", "M", "1930-02"),),
        registered=(person(10, "张三"), person(11, "张老汉", birth="1930-02-11")),
    )
    (found,) = rules.findings([home])
    # Deregistered, and so not also 漏登.
    assert (found.kind, found.person, found.change) == (rules.DEREGISTER, 11, {"action": rules.MOVE_OUT})


def test_a_death_the_registry_does_not_hold_gives_nothing():
    home = Household(
        1,
        rows=(row(1, "张三"),),
        deaths=(Row(1, "death", 1, "外地亲戚", "F", "1940-01"),),
        registered=(person(10, "张三"),),
    )
    assert rules.findings([home]) == []


def test_every_list_at_once_with_stable_keys():
    home = Household(
        1,
        rows=(
            row(1, "张三", hukou="4"),
            row(2, "新生儿", birth="2024-03", hukou="5"),
            row(3, "租客", birth="1999-09", hukou="4"),
        ),
        deaths=(Row(1, "death", 1, "张老汉", "M", "1930-02"),),
        registered=(
            person(10, "张三"),
            person(11, "张老汉", birth="1930-02-11"),
            person(12, "外出务工", birth="1988-08-08"),
        ),
    )
    found = rules.findings([home])
    assert kinds(found) == [
        (rules.DEREGISTER, 11, 1),
        (rules.MISSED, 12, None),
        (rules.NO_HUKOU, None, 2),
        (rules.SEPARATED, 10, 1),
        (rules.UNREGISTERED, None, 3),
    ]
    assert len({f.key for f in found}) == len(found)
    assert [f.key for f in rules.findings([home])] == [f.key for f in found]
    assert rules.counts(f.kind for f in found) == dict.fromkeys(rules.KINDS, 1)


# ---------------------------------------------------------------- properties

names = st.sampled_from(["张三", "李四", "王芳", "刘洋", "陈静", "杨帆"])
months = st.sampled_from(["1970-01", "1980-05", "1990-12", "2001-07"])


@st.composite
def households(draw):
    units = draw(st.integers(1, 4))
    result, pk = [], 0
    for unit in range(1, units + 1):
        rows = tuple(
            Row(
                unit, "short", i, draw(names), draw(st.sampled_from("MF")), draw(months), draw(st.sampled_from("12345"))
            )
            for i in range(1, draw(st.integers(0, 4)) + 1)
        )
        persons = []
        for _ in range(draw(st.integers(0, 4))):
            pk += 1
            birth = draw(months) + draw(st.sampled_from(["-01", "-15", ""]))
            persons.append(
                Registered(
                    pk,
                    unit,
                    draw(names),
                    draw(st.sampled_from("MF")),
                    birth,
                    draw(st.sampled_from(["registered", "floating", "resident"])),
                )
            )
        result.append(Household(unit, rows, (), tuple(persons)))
    return result


@given(households())
def test_every_row_and_every_person_is_accounted_for_once(homes):
    found = rules.findings(homes)
    rows = [r for h in homes for r in h.rows]
    persons = [p for h in homes for p in h.registered]
    # A row is unregistered/no-hukou (unpaired) or paired; a person is missed (unpaired) or paired: never both.
    unpaired_rows = [f.row for f in found if f.person is None]
    missed = [f.person for f in found if f.kind == rules.MISSED]
    paired_persons = {f.person for f in found if f.person is not None and f.kind != rules.MISSED}
    assert not set(missed) & paired_persons
    assert len(unpaired_rows) == len(set(unpaired_rows))
    paired, rows_left, persons_left = rules.pair(rows, persons)
    assert len(paired) + len(rows_left) == len(rows)
    assert len(paired) + len(persons_left) == len(persons)
    assert len({f.key for f in found}) == len(found)
    assert {f.kind for f in found} <= set(rules.KINDS)


def test_an_empty_household_deregisters_those_registered_as_living_there():
    home = Household(1, registered=(person(10, "张三"), person(11, "赵租客", residence="floating")), empty=True)
    found = {f.person: f for f in rules.findings([home])}
    # The hukou holder stays registered here, living elsewhere; the tenant's registration is cancelled.
    assert (found[10].kind, found[10].change["residence_type"]) == (rules.MISSED, "separated")
    assert (found[11].kind, found[11].change) == (rules.DEREGISTER, {"action": rules.MOVE_OUT})
    assert found[11].reason.startswith("入户登记为空户")


def test_a_person_of_an_empty_household_enumerated_elsewhere_moved():
    empty = Household(1, registered=(person(10, "张三"),), empty=True)
    there = Household(2, rows=(row(1, "张三", unit=2, hukou="3"),))
    (found,) = rules.findings([empty, there])
    assert (found.kind, found.unit, found.person, found.change["action"]) == (rules.SEPARATED, 2, 10, rules.MOVE_IN)
