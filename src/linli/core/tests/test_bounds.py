"""The number bounds shared by the API schemas and the pages."""

import pytest

from linli.core.schemas import ID_MAX, whole_number


@pytest.mark.parametrize(
    "text, number",
    [("7", 7), (" 12 ", 12), (str(ID_MAX), ID_MAX), (str(ID_MAX + 1), None), ("99999999999999999999", None),
     ("1" * 5000, None), ("0", None), ("-3", None), ("3.0", None), ("\u0661\u0662", None), ("", None), (None, None)],
)  # fmt: skip
def test_a_whole_number_read_by_hand_is_an_id_or_nothing(text, number):
    assert whole_number(text, 1, ID_MAX) == number
