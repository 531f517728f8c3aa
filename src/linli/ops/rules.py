"""Pure rules of operations: which holiday calendars must be known on a day, and whether a server is about to
start on the development keys. No Django."""

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext

# The State Council publishes next year's holidays in November (docs/workdays.md); from this day of the year on, a
# missing calendar for next year is worth a reminder, since deadlines set in December already reach into January.
REMIND_FROM = (12, 1)

# The keys that production must set itself; var/keys.env holds development values for the demo and tests.
KEY_NAMES = ("LINLI_SECRET_KEY", "LINLI_PII_KEYS", "LINLI_PII_LOOKUP_KEY")


def calendar_years_needed(today: date) -> tuple[int, ...]:
    """The years whose holidays must be known on `today`: this year always, next year from 1 December."""
    if (today.month, today.day) >= REMIND_FROM:
        return (today.year, today.year + 1)
    return (today.year,)


def calendar_notice_key(year: int) -> str:
    return f"calendar-{year}"


def calendar_notice_message(year: int) -> str:
    return gettext(
        "%(year)s年的法定节假日和调休安排尚未录入工作日历，当年的期限将只按周一至周五计算。请在“系统管理 → "
        "工作日历 → 节假日调整”中录入%(year)s年的放假日和调休上班日，或升级 chine"
        "secalendar。"
    ) % {"year": year}


def parse_env_file(text: str) -> dict[str, str]:
    """NAME=value lines, as ./linli writes var/keys.env (no quoting); comments and blank lines skipped."""
    pairs = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def _parts(value: str | None) -> set[str]:
    return {part.strip() for part in (value or "").split(",") if part.strip()}


def development_keys(configured: Mapping[str, str], development: Mapping[str, str]) -> list[str]:
    """The names of the keys that are missing from `configured` or share a value with their development value
    (LINLI_PII_KEYS is a list: a development key anywhere in it counts)."""
    return [
        name
        for name in KEY_NAMES
        if not _parts(configured.get(name)) or _parts(configured.get(name)) & _parts(development.get(name))
    ]
