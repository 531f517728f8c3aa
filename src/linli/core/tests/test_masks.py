"""What the public and the staff without PII rights read of a person: names, ID and phone numbers masked."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.core.pii import mask_name


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("李建国", "李*国"), ("欧阳娜娜", "欧**娜"), ("王", "*"), ("", ""), (" 王五 ", "王*")],
)
def test_the_public_never_reads_a_name_in_full(name, masked):
    assert mask_name(name) == masked


# A name of asterisks would read the same masked: names hold none.
@given(st.text(st.characters(exclude_characters="*"), min_size=2, max_size=12))
def test_a_masked_name_hides_all_but_two_characters(name):
    masked = mask_name(name)
    if len(name.strip()) >= 2:
        assert masked != name.strip() and len(masked) == len(name.strip())
