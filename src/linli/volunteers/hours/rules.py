"""Hours, stars, leaderboards and certificates: pure rules, no ORM.

Star levels (星级): 中国社区志愿者注册管理办法 第十八条 counts 100/300/600/1000/1500 hours for one to five stars
(rules.DEFAULT_STARS); a district may set its own thresholds (Beijing counts 100/200/500/800/1000). A volunteer holds
the highest star whose threshold their cumulative hours reach.
"""

import secrets
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy

from linli.core.errors import FieldError

from ..rules import DEFAULT_STARS

STARS = 5
THRESHOLD_MAX = 100_000  # hours: far above any lifetime of service (1500 h is five stars)


def stars(hours: Decimal | int, thresholds: Sequence[int] = DEFAULT_STARS) -> int:
    """The star level (0–5) of `hours` cumulative hours: how many thresholds the hours reach."""
    return sum(1 for t in thresholds if hours >= t)


def to_next(hours: Decimal | int, thresholds: Sequence[int] = DEFAULT_STARS) -> Decimal | None:
    """The hours still needed for the next star, or None at the top level."""
    level = stars(hours, thresholds)
    if level >= len(thresholds):
        return None
    return Decimal(thresholds[level]) - Decimal(hours)


def threshold_errors(values: Sequence) -> list[FieldError]:
    """Five whole numbers of hours, each above the one before: what a district's 星级标准 must be."""
    if len(values) != STARS:
        return [FieldError("thresholds", gettext("请填写一星至五星各自所需的服务时长（共五项）"))]
    errors = []
    for i, v in enumerate(values):
        if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= THRESHOLD_MAX:
            errors.append(
                FieldError(
                    "thresholds",
                    gettext("%(value)s星所需时长须为1至%(THRESHOLD_MAX)s之间的整数小时")
                    % {"value": i + 1, "THRESHOLD_MAX": THRESHOLD_MAX},
                )
            )
        elif i and isinstance(values[i - 1], int) and v <= values[i - 1]:
            errors.append(
                FieldError(
                    "thresholds",
                    gettext("%(value)s星所需时长须多于%(i)s星（%(values)s小时）")
                    % {"value": i + 1, "i": i, "values": values[i - 1]},
                )
            )
    return errors


# ---- leaderboards: by period, from the confirmation time of the hours
MONTH, QUARTER, YEAR, ALL = "month", "quarter", "year", "all"
PERIODS = {
    MONTH: gettext_lazy("本月"),
    QUARTER: gettext_lazy("本季度"),
    YEAR: gettext_lazy("本年度"),
    ALL: gettext_lazy("累计"),
}
BOARD_SIZE = 50


def period_start(period: str, today: date) -> date | None:
    """The first day of the period holding `today` (None: all time)."""
    if period == MONTH:
        return today.replace(day=1)
    if period == QUARTER:
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if period == YEAR:
        return today.replace(month=1, day=1)
    if period == ALL:
        return None
    raise ValueError(period)


def ranks(totals: Sequence[Decimal]) -> list[int]:
    """Competition ranks (1, 2, 2, 4 …) of totals already sorted from the highest."""
    out: list[int] = []
    for i, total in enumerate(totals):
        out.append(out[-1] if i and total == totals[i - 1] else i + 1)
    return out


# ---- what the public sees of a name

# ---- certificates
# A verification code is typed from paper: no 0/O, 1/I/L; 12 characters of 31 are about 59 bits, not guessable.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
SERIAL_PREFIX = "ZYSC"  # 志愿服务时长证明


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """A code as typed or scanned (spaces, dashes, lower case) in its stored form, or None if it cannot be one."""
    code = "".join(ch for ch in (text or "").upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def shown_code(code: str) -> str:
    """ABCD2345EFGH → ABCD-2345-EFGH, as printed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def serial(year: int, district_code: str, seq: int) -> str:
    """证明编号: ZYSC-2026-210103-000042 (prefix, year, the district's code, the district's count that year)."""
    return f"{SERIAL_PREFIX}-{year}-{district_code[:6]}-{seq:06d}"


def next_seq(serials: Sequence[str]) -> int:
    """The next count after the serials already issued in a district and year."""
    return max((int(s.rsplit("-", 1)[1]) for s in serials), default=0) + 1


VALID, REVOKED, UNKNOWN = "valid", "revoked", "unknown"
VERDICTS = {VALID: gettext_lazy("证明有效"), REVOKED: gettext_lazy("证明已作废"), UNKNOWN: gettext_lazy("查无此证明")}


def verdict(found: bool, revoked: bool) -> str:
    if not found:
        return UNKNOWN
    return REVOKED if revoked else VALID
