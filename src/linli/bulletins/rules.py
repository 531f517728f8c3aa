"""Pure rules of the monthly bulletin (通报): the scoring scheme of a locality, a unit's score with the reason for every
deduction, and the ranking.

A score is out of 100: the weighted mean of the scheme's rates (a rate where lower is better, such as 返工率, counts
as 100 − rate), less the points deducted per counted event (late sign-in, late close, rework, unsolved), each kind
up to the scheme's cap for it, never below the scheme's floor. A rate without a base that month (no case to count it
on) is left out and the other weights carry the mean; a unit with none of the weighted rates has no score and is not
ranked. docs/bulletins.md gives the default scheme and its source.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.cases import rules as cases

FULL_MARKS = Decimal(100)
POINTS = Decimal("0.01")
MAX_POINTS_PER_EVENT = Decimal(100)


@dataclass(frozen=True)
class Event:
    label: str  # what happened, as the bulletin names it
    count: Callable[[cases.Counts], int]


# The events a scheme may deduct for, counted from a unit's indicator counts of the month.
EVENTS: dict[str, Event] = {
    "late_sign_in": Event(gettext_lazy("超时签收"), lambda c: c.response_due - c.responded),
    "late_close": Event(gettext_lazy("逾期结案"), lambda c: c.due - c.deferred - c.on_time),
    "rework": Event(gettext_lazy("返工"), lambda c: c.reworked),
    "returned": Event(gettext_lazy("退单"), lambda c: c.returned),
    "unsolved": Event(gettext_lazy("回访未解决"), lambda c: c.visited - c.solved),
}

# Rates a scheme may weight: the percentages of cases.rules.Indicators (解决率 is counted from the return visits).
_LABELS = {**cases.INDICATOR_LABELS, "solve_rate": cases.INDICATOR_LABELS.get("solve_rate", "解决率")}
RATES = {k: label for k, label in _LABELS.items() if k.endswith("_rate")}


@dataclass(frozen=True)
class Scheme:
    weights: Mapping[str, Decimal]  # rate → weight; only their proportions matter
    deductions: Mapping[str, Decimal]  # event → points per event
    floor: Decimal = Decimal(0)
    caps: Mapping[str, Decimal] = field(default_factory=dict)  # event → most points deducted for it in a month


# The hotline's 三率 weighted as Beijing's 接诉即办 assessment weights them, and points per event as the monthly
# bulletins of 12345 centres deduct them, each kind capped: without caps a street's month (hundreds of cases) lost
# more than 100 points and every street sat at the floor, tied. docs/bulletins.md gives the sources.
DEFAULT_SCHEME = Scheme(
    weights={"response_rate": Decimal(10), "solve_rate": Decimal(45), "satisfaction_rate": Decimal(45)},
    deductions={
        "late_sign_in": Decimal("0.5"),
        "late_close": Decimal(1),
        "rework": Decimal("0.5"),
        "unsolved": Decimal(1),
    },
    floor=Decimal(0),
    caps={"late_sign_in": Decimal(5), "late_close": Decimal(10), "rework": Decimal(5), "unsolved": Decimal(10)},
)


def scheme_errors(scheme: Scheme) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with a scheme; empty when it can be used."""
    errors = []
    for rate, weight in scheme.weights.items():
        if rate not in RATES:
            errors.append(
                (
                    "weights",
                    _("权重中的指标“%(rate)s”不存在，可用：%(join)s")
                    % {"rate": rate, "join": "、".join(map(str, RATES.values()))},
                )
            )
        elif not 0 <= weight <= FULL_MARKS:
            errors.append(("weights", _("%(RATES)s的权重应在 0 到 100 之间") % {"RATES": RATES[rate]}))
    if not any(w > 0 for w in scheme.weights.values()):
        errors.append(("weights", _("至少一项指标的权重应大于 0")))
    for event, points in scheme.deductions.items():
        if event not in EVENTS:
            labels = "、".join(str(e.label) for e in EVENTS.values())
            errors.append(
                ("deductions", _("扣分事项“%(event)s”不存在，可用：%(labels)s") % {"event": event, "labels": labels})
            )
        elif not 0 <= points <= MAX_POINTS_PER_EVENT:
            errors.append(("deductions", _("%(label)s每件扣分应在 0 到 100 之间") % {"label": EVENTS[event].label}))
    for event, cap in scheme.caps.items():
        if event not in EVENTS:
            errors.append(("caps", _("扣分上限中的事项“%(event)s”不存在") % {"event": event}))
        elif not 0 <= cap <= FULL_MARKS:
            errors.append(("caps", _("%(label)s最多扣分应在 0 到 100 之间") % {"label": EVENTS[event].label}))
    if not 0 <= scheme.floor < FULL_MARKS:
        errors.append(("floor", _("最低分应不小于 0 且小于 100")))
    return errors


@dataclass(frozen=True)
class Deduction:
    event: str
    count: int
    each: Decimal
    points: Decimal  # each × count, or the cap when that is less
    reason: str


@dataclass(frozen=True)
class Score:
    base: Decimal | None  # the weighted mean of the rates, before deductions
    deductions: tuple[Deduction, ...]
    total: Decimal | None  # the score: base less deductions, not below the floor

    @property
    def deducted(self) -> Decimal:
        return sum((d.points for d in self.deductions), Decimal(0))


def _points(value: Decimal) -> Decimal:
    return value.quantize(POINTS)


def shown(value: Decimal) -> str:
    """Points as people write them: 1, 0.5, 2.25."""
    return format(value.normalize(), "f")


def score(counts: cases.Counts, values: cases.Indicators, scheme: Scheme) -> Score:
    """The unit's score for one month under `scheme`, each deduction with its reason."""
    weighted = total_weight = Decimal(0)
    for rate, weight in scheme.weights.items():
        value = getattr(values, rate)
        if value is None or weight == 0:
            continue
        weighted += weight * (value if rate in cases.HIGHER_IS_BETTER else FULL_MARKS - value)
        total_weight += weight
    deductions = []
    # In the order of EVENTS, not of the scheme's mapping: PostgreSQL's jsonb keeps no key order.
    for event in (e for e in EVENTS if e in scheme.deductions):
        each = scheme.deductions[event]
        n = EVENTS[event].count(counts)
        if n and each:
            points = _points(each * n)
            reason = _("%(label)s %(n)s 件，每件扣 %(shown)s 分，计 %(shown2)s 分") % {
                "label": EVENTS[event].label,
                "n": n,
                "shown": shown(each),
                "shown2": shown(points),
            }
            cap = scheme.caps.get(event)
            if cap is not None and points > cap:
                points = _points(cap)
                reason += _("，超过上限，按 %(shown)s 分扣") % {"shown": shown(points)}
            deductions.append(Deduction(event, n, each, points, reason))
    if not total_weight:
        return Score(None, tuple(deductions), None)
    base = _points(weighted / total_weight)
    deducted = sum((d.points for d in deductions), Decimal(0))
    return Score(base, tuple(deductions), max(scheme.floor, base - deducted))


@dataclass
class Unit:
    key: object
    name: str
    counts: cases.Counts
    values: cases.Indicators
    score: Score
    rank: int | None = field(default=None)


def ranked(units: Sequence[Unit]) -> list[Unit]:
    """The units with their rank on the score (ties share a rank, as on the indicator pages), best first; units
    without a score last, by name."""
    by_key = {u.key: u for u in units}
    for r in cases.competition_rank([(u.key, u.score.total) for u in units], higher_is_better=True):
        by_key[r.key].rank = r.rank
    return sorted(units, key=lambda u: (u.rank is None, u.rank or 0, u.name))


def standing(score: Decimal | None, rank: int | None, ranked: int) -> str:
    """A unit's place in the bulletin, as its staff are told it: score and rank among the `ranked` units."""
    if score is None or rank is None:
        return _("本单位本月没有可计分的案件，未参加排名")
    return _("本单位得分%(shown)s，在%(ranked)s个参加排名的单位中列第%(rank)s名") % {
        "shown": shown(score),
        "ranked": ranked,
        "rank": rank,
    }


def last_month(today: date) -> date:
    """The first day of the month before `today`'s."""
    return month_bounds(date.fromordinal(today.replace(day=1).toordinal() - 1))[0]


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month holding `month`."""
    first = month.replace(day=1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, date.fromordinal(after.toordinal() - 1)
