"""Pure figures of the volunteers' statistics: shares, hours per resident, fill rates, the star distribution and the
months of a period. No ORM: the selectors count, these divide and arrange."""

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, gettext_lazy

CENT = Decimal("0.01")

# An activity's fill rate (confirmed sign-ups / maximum) falls in one of these bands, in percent: the lower bound
# of each, the last band being full (100%).
FILL_BANDS = (
    (0, gettext_lazy("不足一半")),
    (50, gettext_lazy("五成以上")),
    (80, gettext_lazy("八成以上")),
    (100, gettext_lazy("满员")),
)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole in percent to two decimals (注册志愿者占常住人口比例 is small: 6.02%); None when whole is 0."""
    if whole < 0 or part < 0:
        raise ValueError(f"negative counts: {part}/{whole}")
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def per_capita(hours: Decimal | int, persons: int) -> Decimal | None:
    """人均志愿服务时长: hours / persons to two decimals; None without residents."""
    if persons < 0 or hours < 0:
        raise ValueError(f"negative figures: {hours} h / {persons}")
    if persons == 0:
        return None
    return (Decimal(hours) / Decimal(persons)).quantize(CENT, ROUND_HALF_UP)


def fill_band(taken: int, max_people: int) -> int:
    """The index in FILL_BANDS of an activity with `taken` of `max_people` places filled."""
    if max_people <= 0 or not 0 <= taken <= max_people:
        raise ValueError(f"inconsistent capacity: {taken}/{max_people}")
    rate = Decimal(taken) * 100 / max_people
    return max(i for i, (low, _) in enumerate(FILL_BANDS) if rate >= low)


def star_counts(at_least: Sequence[int], total: int) -> list[int]:
    """Volunteers per star level 0★ … n★ from `total` and the counts of those reaching each threshold
    (at_least[i]: volunteers with at least the hours of (i+1)★, so never increasing)."""
    counts = [total, *at_least]
    if any(b > a for a, b in zip(counts, counts[1:], strict=False)) or min(counts, default=0) < 0:
        raise ValueError(f"counts must not increase: {counts}")
    return [a - b for a, b in zip(counts, [*at_least, 0], strict=True)]


def month_starts(last: date, n: int) -> list[date]:
    """The first days of the `n` months ending with the month of `last`, oldest first."""
    if n < 1:
        raise ValueError("at least one month")
    months = []
    year, month = last.year, last.month
    for _ in range(n):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_label(month: date) -> str:
    return gettext("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}
