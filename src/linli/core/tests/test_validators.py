"""Phones and credit codes: table tests from the standards plus Hypothesis properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.core import validators


@pytest.mark.parametrize("phone", ["13812345678", "19912345678", "+8613812345678", "024-88886666", "0755-1234567"])
def test_valid_phones(phone):
    assert validators.validate_phone(phone) == phone.removeprefix("+86")


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "88886666", "abc"])
def test_invalid_phones(phone):
    with pytest.raises(validators.InvalidValue, match="电话号码"):
        validators.validate_phone(phone)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the worked example used with GB 32100
        "91110000802100433B",
        "91440300708461136T",
    ],
)
def test_valid_credit_codes(code):
    assert validators.validate_credit_code(code) == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "应为18位"),
        ("91350100M000100Y4I", "不允许的字符"),
        ("91350100M000100Y44", "校验位不正确"),
        ("91350100M000101Y43", "组织机构代码校验不正确"),
    ],
)
def test_invalid_credit_codes(code, message):
    with pytest.raises(validators.InvalidValue, match=message):
        validators.validate_credit_code(code)


credit_chars = st.sampled_from(validators.CREDIT_CHARSET)
org_chars = st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY")


@given(st.lists(credit_chars, min_size=8, max_size=8), st.lists(org_chars, min_size=8, max_size=8))
def test_generated_credit_codes_validate(head, org):
    org8 = "".join(org)
    org9 = org8 + validators.org_code_check_char(org8)
    if org9[-1] not in validators.CREDIT_CHARSET:  # 'X' is fine, other letters never occur
        return
    first17 = "".join(head) + org9
    assert validators.validate_credit_code(first17 + validators.credit_check_char(first17))
