"""Where a piece of work given to a community stands against the lists (004 篇十八: 准入), and the burden report's
arithmetic. Pure: no database.

A body that gives a community work names its basis: an item of the district's two lists, or an access application
that covers the community. Work on a list item is 清单内; work under an approved application is 准入已批; work with no
basis, or under an application still being decided, is 待准入 (held: the community does not see it); work under a
refused application is 准入未批 and stays withheld.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from linli.burden import rules as burden_rules
from linli.burden.rules import ADMITTED, ASSIST, DECLINED, DUTIES, FORM, HELD, LISTED, REPORT, TASK  # noqa: F401

# Applications still on their way to a decision: work under them waits.
PENDING = frozenset({burden_rules.DRAFT, burden_rules.SUBMITTED, burden_rules.FIRST_PASSED})
# States in which the community does not see the work.
WITHHELD = frozenset({HELD, DECLINED})
# A basis as a form or an API sends it: "item:<id>", "access:<id>", or "" for none (待准入).
ITEM, ACCESS = "item", "access"


def parse_basis(value: str | None) -> tuple[str, int] | None:
    """("item", 3) / ("access", 7) / None for an empty basis; ValueError for anything else."""
    value = (value or "").strip()
    if not value:
        return None
    kind, _, pk = value.partition(":")
    if kind not in (ITEM, ACCESS) or not pk.isdigit() or int(pk) <= 0:
        raise ValueError(value)
    return kind, int(pk)


def basis_key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def covers(*, communities: Iterable[int], community: int, starts_on: date | None, ends_on: date | None,
           today: date) -> bool:  # fmt: skip
    """Whether an application covers work for `community` asked on `today`: it names the community (or names none,
    which means all of its district's) and its period, when given, holds the day."""
    named = set(communities)
    if named and community not in named:
        return False
    return (starts_on is None or starts_on <= today) and (ends_on is None or today <= ends_on)


def enforced(*, has_lists: bool) -> bool:
    """Work is checked against the lists once its district has them (its editors load the defaults or add items:
    `burden.access.services`); before that there is nothing to check it against, and it reaches the community as it
    did before 准入 existed."""
    return has_lists


def work_state(*, item_active: bool | None = None, access_state: str | None = None) -> str:
    """The state of new work from its basis: an active list item → LISTED; an application (already checked to
    cover the community) → ADMITTED when approved, HELD while pending, DECLINED when refused or withdrawn; no basis →
    HELD."""
    if item_active:
        return LISTED
    if access_state == burden_rules.APPROVED:
        return ADMITTED
    if access_state in PENDING:
        return HELD
    if access_state in (burden_rules.REFUSED, burden_rules.WITHDRAWN):
        return DECLINED
    return HELD


def visible(state: str) -> bool:
    """Whether the community sees the work (in 我的任务, in its survey areas)."""
    return state not in WITHHELD


# ---------------------------------------------------------------- the burden report


@dataclass
class Tally:
    """Counts of one cell of the report (a community, a requesting body, a month, or a total)."""

    by_kind: Counter = field(default_factory=Counter)
    by_state: Counter = field(default_factory=Counter)

    def add(self, kind: str, state: str, n: int = 1) -> None:
        self.by_kind[kind] += n
        self.by_state[state] += n

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def unlisted(self) -> int:
        """Work outside the two lists, whatever became of it: what the campaign wants to see fall."""
        return self.total - self.by_state[LISTED]

    @property
    def unlisted_share(self) -> float | None:
        return round(100 * self.unlisted / self.total, 1) if self.total else None


def months(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, inclusive."""
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def last_months(today: date, n: int) -> list[date]:
    """The `n` months ending with `today`'s (n ≥ 1)."""
    y, m = today.year, today.month - (n - 1)
    while m < 1:
        y, m = y - 1, m + 12
    return months(date(y, m, 1), today)
