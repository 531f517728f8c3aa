"""Identity numbers and ages: table tests from the standards plus Hypothesis properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.people import rules

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("number", "birth", "gender"),
    [
        ("11010519491231002X", date(1949, 12, 31), "F"),  # the example of GB 11643-1999 annex
        ("440524188001010014", date(1880, 1, 1), "M"),  # the standard's second example
        ("210103199003078511", date(1990, 3, 7), "M"),
    ],
)
def test_valid_resident_ids_yield_birth_date_and_gender(number, birth, gender):
    assert rules.parse_resident_id(number, TODAY) == rules.IdentityFacts(birth, gender)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010519491231002", "身份证号码应为18位，前17位为数字，末位为数字或X"),
        ("11010519491231002Y", "身份证号码应为18位，前17位为数字，末位为数字或X"),
        ("110105194912310021", "身份证号码校验位不正确"),
        ("990105194912310021", "身份证号码前6位地址码无效"),
        ("110105194902300028", "身份证号码中的出生日期无效"),  # 30 February
        ("110105203001010011", "身份证号码中的出生日期无效"),  # born in the future
    ],
)
def test_invalid_resident_ids_are_refused_with_a_chinese_reason(number, message):
    with pytest.raises(rules.InvalidValue, match=message):
        rules.parse_resident_id(number, TODAY)


def body17(born: date, region: str, seq: int) -> str:
    return f"{region}{born:%Y%m%d}{seq:03d}"


births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
regions = st.sampled_from(["110105", "210103", "440524", "650102", "540102"])
seqs = st.integers(min_value=0, max_value=999)


@given(births, regions, seqs)
def test_any_number_with_its_check_char_is_valid_and_round_trips(born, region, seq):
    body = body17(born, region, seq)
    facts = rules.parse_resident_id(body + rules.id_check_char(body), TODAY)
    assert facts.birth_date == born
    assert facts.gender == ("M" if seq % 2 else "F")


@given(births, regions, seqs, st.sampled_from("0123456789X"))
def test_every_other_check_char_is_refused(born, region, seq, wrong):
    body = body17(born, region, seq)
    if wrong == rules.id_check_char(body):
        return
    with pytest.raises(rules.InvalidValue):
        rules.parse_resident_id(body + wrong, TODAY)


@given(births, regions, seqs, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_a_single_digit_change_is_always_detected(born, region, seq, position, delta):
    """The mod-11 check catches every single-digit error: the property that makes the scheme worth having."""
    number = body17(born, region, seq)
    number += rules.id_check_char(number)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(rules.InvalidValue):
        rules.parse_resident_id(changed, TODAY)


def test_hmt_permit_and_foreign_permanent_residence_numbers():
    body = "81000019800101002"
    hk = body + rules.id_check_char(body)
    assert rules.parse_id_number(rules.ID_HMT_PERMIT, hk, TODAY).birth_date == date(1980, 1, 1)
    with pytest.raises(rules.InvalidValue, match="港澳台居民居住证"):
        rules.parse_id_number(rules.ID_RESIDENT, hk, TODAY)
    foreign = "93311519800101001"
    assert rules.parse_id_number(rules.ID_FOREIGN_PR, foreign + rules.id_check_char(foreign), TODAY).gender == "M"
    assert rules.parse_id_number(rules.ID_FOREIGN_PR, "USA110080010112", TODAY).birth_date is None
    assert rules.parse_id_number(rules.ID_PASSPORT, "E12345678", TODAY) == rules.IdentityFacts(None, None)
    with pytest.raises(rules.InvalidValue):
        rules.parse_id_number(rules.ID_PASSPORT, "E1-234", TODAY)


@given(births, st.integers(min_value=0, max_value=40000))
def test_age_is_whole_years_and_never_negative(born, days):
    on = born + timedelta(days=days)
    age = rules.age_on(born, on)
    assert age >= 0
    assert born.replace(year=born.year + age) <= on if not (born.month == 2 and born.day == 29) else True


@pytest.mark.parametrize(
    ("age", "band"), [(0, "0-4"), (4, "0-4"), (5, "5-9"), (84, "80-84"), (85, "85+"), (103, "85+")]
)
def test_age_bands(age, band):
    assert rules.age_band(age) == band


@pytest.mark.parametrize(
    ("ids", "tenants"),
    [([7], [7]), ([7, 3, 7, 3], [7, 3]), (list(range(1, 51)), list(range(1, 51))), ([5] * 1000, [5])],
)
def test_each_tenant_counts_once_in_the_order_given(ids, tenants):
    assert rules.rental_tenants(ids) == tenants


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ([], "请至少登记一名承租人"),
        (range(1, 52), "一处出租房屋最多登记50名承租人"),
        (range(1, 100_001), "一处出租房屋最多登记50名承租人"),
    ],
)
def test_no_tenants_or_more_than_a_house_holds_are_refused(ids, message):
    with pytest.raises(rules.InvalidValue, match=message):
        rules.rental_tenants(ids)
