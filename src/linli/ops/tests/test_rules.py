from datetime import date

import pytest

from linli.ops import rules


@pytest.mark.parametrize(
    ("today", "years"),
    [
        (date(2026, 1, 1), (2026,)),
        (date(2026, 11, 30), (2026,)),
        (date(2026, 12, 1), (2026, 2027)),
        (date(2026, 12, 31), (2026, 2027)),
        (date(2027, 1, 1), (2027,)),  # the new year: next year's turn comes again on 1 December
    ],
)
def test_calendar_years_needed(today, years):
    assert rules.calendar_years_needed(today) == years


def test_calendar_notice_names_the_year_and_where_to_enter_it():
    assert rules.calendar_notice_key(2027) == "calendar-2027"
    message = rules.calendar_notice_message(2027)
    assert "2027年" in message and "节假日调整" in message


def test_parse_env_file():
    text = "# keys\nLINLI_SECRET_KEY=a=b\n\n  LINLI_PII_KEYS = k1 \nnot a pair\n"
    assert rules.parse_env_file(text) == {"LINLI_SECRET_KEY": "a=b", "LINLI_PII_KEYS": "k1"}


DEV = {"LINLI_SECRET_KEY": "s-dev", "LINLI_PII_KEYS": "p-dev", "LINLI_PII_LOOKUP_KEY": "l-dev"}
PROD = {"LINLI_SECRET_KEY": "s", "LINLI_PII_KEYS": "p", "LINLI_PII_LOOKUP_KEY": "l"}


@pytest.mark.parametrize(
    ("configured", "development", "refused"),
    [
        (PROD, DEV, []),
        (PROD, {}, []),  # no var/keys.env on a production host
        (DEV, DEV, list(rules.KEY_NAMES)),
        (PROD | {"LINLI_PII_LOOKUP_KEY": "l-dev"}, DEV, ["LINLI_PII_LOOKUP_KEY"]),
        (PROD | {"LINLI_PII_KEYS": "p-new,p-dev"}, DEV, ["LINLI_PII_KEYS"]),  # rotating away from the dev key
        (PROD | {"LINLI_SECRET_KEY": ""}, DEV, ["LINLI_SECRET_KEY"]),
        ({"LINLI_PII_KEYS": " , "}, {}, list(rules.KEY_NAMES)),
    ],
)
def test_development_keys(configured, development, refused):
    assert rules.development_keys(configured, development) == refused
