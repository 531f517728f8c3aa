"""Field types the API schemas share, so that each bound is decided in one place."""

from datetime import date
from decimal import Decimal
from typing import Annotated, TypeVar

from pydantic import Field

# ---------------------------------------------------------------- numbers
# Every number and date a client sends is bounded before it reaches arithmetic or the database: an id past 64 bits,
# a year 99999 or a day in year 1 would otherwise fail deep inside (OverflowError, a database error) and answer 500
# instead of a 400 naming the field. The published schema carries the bounds, so clients see them too.

ID_MAX = 2**63 - 1  # primary keys are 64-bit (BigAutoField): a larger number names no row, and databases refuse it
Id = Annotated[int, Field(ge=1, le=ID_MAX)]

# Row versions for optimistic concurrency (PositiveIntegerField, 32-bit on every database). 0 is accepted: it is
# simply stale, and answers 409 like any other old version.
VERSION_MAX = 2**31 - 1
Version = Annotated[int, Field(ge=0, le=VERSION_MAX, description="读取时的版本号；已被他人修改时返回409")]

# A million pages of up to 100 rows is more than any district holds; the offset stays far inside 64 bits.
PAGE_MAX = 1_000_000
PageNumber = Annotated[int, Field(ge=1, le=PAGE_MAX)]

# Years and days: the platform's records start in the 20th century (the oldest residents' birth dates, the oldest
# estates' plans) and its plans look decades ahead, not centuries; within these bounds "the next day", "the end of
# the month" and a local midnight always exist.
YEAR_MIN, YEAR_MAX = 1900, 2100
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
DAY_MIN, DAY_MAX = date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31)
Day = Annotated[date, Field(ge=DAY_MIN, le=DAY_MAX)]

# Areas in square metres as the registry stores them (DecimalField(10, 2)): finite numbers the column holds. Which
# areas are plausible the registry's service decides, with its own message.
Area = Annotated[Decimal, Field(gt=-(10**8), lt=10**8, max_digits=10, decimal_places=2, allow_inf_nan=False)]

# A request's list: one page of the dispatcher's queue is 100 cases, a district has a few hundred communities to
# assess, a plan a few dozen targets and phases. A thousand items is ten times the largest of these, and keeps a
# request's work (one query or check per item in places) bounded.
LIST_MAX = 1000
T = TypeVar("T")
ListOf = Annotated[list[T], Field(max_length=LIST_MAX)]


def whole_number(value, low: int, high: int) -> int | None:
    """`value` (text from a query or a form, read by hand) as a whole number from `low` to `high`, or None."""
    text = str(value if value is not None else "").strip()
    # Length first: int() refuses text of more than 4300 digits with a ValueError.
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(ID_MAX))):
        return None
    number = int(text)
    return number if low <= number <= high else None
