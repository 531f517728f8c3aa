"""业主大会表决 by the Civil Code art. 278 and the Supreme People's Court interpretation on building co-ownership
(法释〔2009〕7号, arts. 8–9). Pure: no Django, exact arithmetic (Fraction), never floats.

Who votes (the electorate): the owners of the estate's exclusive units (专有部分) in the housing registry.
- Area: a unit's 专有部分面积, else its 建筑面积 (a fallback the pages show: the register lacks the exclusive area).
- Count: one per unit, except that units with exactly the same registered owners (one buyer of several units, or
  the same joint owners) count once, and units with no registered owner — the developer's unsold or undelivered
  units — count once together. Owner sets that merely overlap ({甲, 乙} for one unit, {甲} for another) are
  different owners: co-ownership makes {甲, 乙} an owner of its own, as the register records it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext, gettext_lazy

# ---------------------------------------------------------------- art. 278 items

ITEMS = {
    "1": gettext_lazy("（一）制定和修改业主大会议事规则"),
    "2": gettext_lazy("（二）制定和修改管理规约"),
    "3": gettext_lazy("（三）选举业主委员会或者更换业主委员会成员"),
    "4": gettext_lazy("（四）选聘和解聘物业服务企业或者其他管理人"),
    "5": gettext_lazy("（五）使用建筑物及其附属设施的维修资金"),
    "6": gettext_lazy("（六）筹集建筑物及其附属设施的维修资金"),
    "7": gettext_lazy("（七）改建、重建建筑物及其附属设施"),
    "8": gettext_lazy("（八）改变共有部分的用途或者利用共有部分从事经营活动"),
    "9": gettext_lazy("（九）有关共有和共同管理权利的其他重大事项"),
}
MAJOR_ITEMS = frozenset({"6", "7", "8"})


def is_major(item: str) -> bool:
    return item in MAJOR_ITEMS


# ---------------------------------------------------------------- ballots and the silent-owner clause

AGREE, AGAINST, ABSTAIN = "agree", "against", "abstain"
CHOICES = {AGREE: gettext_lazy("同意"), AGAINST: gettext_lazy("反对"), ABSTAIN: gettext_lazy("弃权")}

PORTAL, PAPER, PROXY = "portal", "paper", "proxy"
CHANNELS = {
    PORTAL: gettext_lazy("业主在居民端投票"),
    PAPER: gettext_lazy("纸质表决票录入"),
    PROXY: gettext_lazy("委托代理人投票"),
}

# A 管理规约/议事规则 clause some local regulations allow for owners who do not vote. It reaches the majority step
# only: participation always counts the ballots actually cast.
SILENT_NONE, SILENT_AGREE, SILENT_MAJORITY = "none", "agree", "majority"
SILENT_RULES = {
    SILENT_NONE: gettext_lazy("未投票的业主不计入同意"),
    SILENT_AGREE: gettext_lazy("未投票的业主视为同意"),
    SILENT_MAJORITY: gettext_lazy("未投票的业主视为同意已投票业主的多数意见"),
}

DRAFT, OPEN, CLOSED, PUBLISHED = "draft", "open", "closed", "published"
STATES = {
    DRAFT: gettext_lazy("草稿"),
    OPEN: gettext_lazy("投票中"),
    CLOSED: gettext_lazy("已截止"),
    PUBLISHED: gettext_lazy("已公示"),
}
TRANSITIONS = {"open": (DRAFT, OPEN), "close": (OPEN, CLOSED), "publish": (CLOSED, PUBLISHED)}
REFUSED = {
    "open": gettext_lazy("只有草稿可以开始投票"),
    "close": gettext_lazy("只有投票中的表决可以截止"),
    "publish": gettext_lazy("截止后才能公示结果"),
    "cast": gettext_lazy("表决不在投票期内，不能投票"),
    "edit": gettext_lazy("已开始投票的表决不能修改"),
}

TITLE_MAX = 100
MOTION_MAX = 5000


def may(action: str, state: str) -> bool:
    return TRANSITIONS[action][0] == state


# ---------------------------------------------------------------- the electorate


@dataclass(frozen=True)
class UnitRow:
    """One exclusive unit as the register has it: its owners' ids (empty: the developer's)."""

    house_id: int
    label: str
    exclusive_area: Decimal | None
    building_area: Decimal | None
    owner_ids: frozenset[int]


@dataclass(frozen=True)
class Voter:
    """One owner in the sense of the SPC interpretation: its key, units, total area, whether some area fell back."""

    key: str
    owner_ids: frozenset[int]
    units: tuple[UnitRow, ...]
    area: Decimal
    fallback: bool

    @property
    def developer(self) -> bool:
        return not self.owner_ids


DEVELOPER_KEY = "developer"


def unit_area(unit: UnitRow) -> tuple[Decimal, bool]:
    """The unit's counted area and whether it is the 建筑面积 fallback. A unit with neither area cannot be counted:
    the caller refuses to open the vote (missing_area)."""
    if unit.exclusive_area is not None:
        return unit.exclusive_area, False
    return unit.building_area, True


def missing_area(units: Iterable[UnitRow]) -> list[UnitRow]:
    return [u for u in units if u.exclusive_area is None and u.building_area is None]


def voter_key(owner_ids: frozenset[int]) -> str:
    return "p:" + ",".join(str(i) for i in sorted(owner_ids)) if owner_ids else DEVELOPER_KEY


def electorate(units: Iterable[UnitRow]) -> list[Voter]:
    """The owners of the units (none may lack an area), grouped by identical owner set, in the order of their first
    unit, the developer last."""
    groups: dict[frozenset[int], list[UnitRow]] = {}
    for unit in units:
        groups.setdefault(unit.owner_ids, []).append(unit)
    voters = []
    for owners, rows in groups.items():
        areas = [unit_area(u) for u in rows]
        voters.append(Voter(voter_key(owners), owners, tuple(sorted(rows, key=lambda u: u.house_id)),
                            sum((a for a, _ in areas), Decimal(0)), any(f for _, f in areas)))  # fmt: skip
    return sorted(voters, key=lambda v: (v.developer, v.units[0].house_id))


# ---------------------------------------------------------------- the tally


@dataclass(frozen=True)
class Threshold:
    """One condition of the result: numerator / denominator against a required share, ≥ or >."""

    key: str
    label: str
    numerator: Decimal | int
    denominator: Decimal | int
    required: Fraction
    strict: bool  # "more than" (过半数) rather than "at least"

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.numerator) / Fraction(self.denominator) if self.denominator else None

    @property
    def met(self) -> bool:
        share = self.share
        if share is None:
            return False
        return share > self.required if self.strict else share >= self.required

    @property
    def required_label(self) -> str:
        sign = ">" if self.strict else "≥"
        return f"{sign} {self.required.numerator}/{self.required.denominator}（{percent(self.required)}）"


def percent(share: Fraction | None) -> str:
    """A share as a percentage with two decimals, rounded half up: for display only, never for a decision."""
    if share is None:
        return "—"
    hundredths = (share * 10000 + Fraction(1, 2)).__floor__()
    return f"{Decimal(hundredths) / 100:.2f}%"


TWO_THIRDS, HALF, THREE_QUARTERS = Fraction(2, 3), Fraction(1, 2), Fraction(3, 4)


@dataclass(frozen=True)
class Cast:
    """A ballot as the tally sees it: the voter's area and choice (each ballot is one owner)."""

    area: Decimal
    choice: str


@dataclass(frozen=True)
class Result:
    item: str
    silent: str
    total_area: Decimal
    total_owners: int
    cast_area: Decimal
    cast_owners: int
    agree_area: Decimal
    agree_owners: int
    against_area: Decimal
    against_owners: int
    abstain_area: Decimal
    abstain_owners: int
    silent_area: Decimal  # counted as agreeing by the estate's clause (0 without one or without participation)
    silent_owners: int
    thresholds: tuple[Threshold, ...]

    @property
    def participation_met(self) -> bool:
        return all(t.met for t in self.thresholds[:2])

    @property
    def passed(self) -> bool:
        return all(t.met for t in self.thresholds)

    @property
    def verdict(self) -> str:
        if not self.participation_met:
            return gettext("未通过：参与表决的业主不足")
        return gettext("通过") if self.passed else gettext("未通过：同意的业主不足")


def tally(*, item: str, silent: str, total_area: Decimal, total_owners: int, casts: Iterable[Cast]) -> Result:
    """The result of a vote from its ballots (in any order). Participation: ballots cast, ≥ 2/3 of the area and
    of the owners. Majority: agreeing area and owners over the participating ones, > 1/2 (ordinary items) or ≥ 3/4
    (items 六、七、八). With the estate's clause, once participation is met, the owners who did not vote join the
    majority step — as agreeing (SILENT_AGREE), or with the choice most voters made by that measure
    (SILENT_MAJORITY: agreeing only when the agreeing outnumber those against) — over the whole electorate."""
    sums = {c: [Decimal(0), 0] for c in CHOICES}
    for cast in casts:
        sums[cast.choice][0] += cast.area
        sums[cast.choice][1] += 1
    cast_area = sum((a for a, _ in sums.values()), Decimal(0))
    cast_owners = sum(n for _, n in sums.values())
    participation = (
        Threshold("participation_area", gettext("参与表决的专有部分面积"), cast_area, total_area, TWO_THIRDS, False),
        Threshold("participation_owners", gettext("参与表决的业主人数"), cast_owners, total_owners, TWO_THIRDS, False),
    )
    agree_area, agree_owners = sums[AGREE]
    base_area, base_owners = cast_area, cast_owners
    silent_area, silent_owners = Decimal(0), 0
    if silent != SILENT_NONE and all(t.met for t in participation):
        rest_area, rest_owners = total_area - cast_area, total_owners - cast_owners
        base_area, base_owners = total_area, total_owners
        if silent == SILENT_AGREE or agree_area > sums[AGAINST][0]:
            silent_area = rest_area
        if silent == SILENT_AGREE or agree_owners > sums[AGAINST][1]:
            silent_owners = rest_owners
    required, strict = (THREE_QUARTERS, False) if is_major(item) else (HALF, True)
    majority = (
        Threshold("agree_area", gettext("同意的专有部分面积"), agree_area + silent_area, base_area, required, strict),
        Threshold(
            "agree_owners", gettext("同意的业主人数"), agree_owners + silent_owners, base_owners, required, strict
        ),
    )
    return Result(
        item, silent, total_area, total_owners, cast_area, cast_owners, agree_area, agree_owners,
        sums[AGAINST][0], sums[AGAINST][1], sums[ABSTAIN][0], sums[ABSTAIN][1], silent_area, silent_owners,
        participation + majority,
    )  # fmt: skip


def summary(result: Result) -> dict:
    """The result as stored with a closed vote and compared on recount: plain strings and numbers."""
    return {
        "passed": result.passed,
        "participation_met": result.participation_met,
        "cast_area": str(result.cast_area),
        "cast_owners": result.cast_owners,
        "agree_area": str(result.agree_area),
        "agree_owners": result.agree_owners,
        "against_area": str(result.against_area),
        "against_owners": result.against_owners,
        "abstain_area": str(result.abstain_area),
        "abstain_owners": result.abstain_owners,
        "silent_area": str(result.silent_area),
        "silent_owners": result.silent_owners,
        "total_area": str(result.total_area),
        "total_owners": result.total_owners,
    }


def shown(result: Result) -> dict:
    """The result as the pages print it: each threshold with its numbers, the verdict, the clause applied."""
    silent_used = bool(result.silent_area or result.silent_owners)
    rows = []
    for i, t in enumerate(result.thresholds):
        unit = "㎡" if t.key.endswith("area") else gettext("人")
        label = t.label + (gettext("（含视为同意）") if i >= 2 and silent_used else "")
        rows.append({"label": label, "actual": f"{t.numerator} / {t.denominator} {unit}", "share": percent(t.share),
                     "required": t.required_label, "met": t.met})  # fmt: skip
    clause = SILENT_RULES[result.silent]
    if silent_used:
        counted = gettext("未投票的 %(silent_owners)s 位业主、%(silent_area)s ㎡") % {
            "silent_owners": result.silent_owners,
            "silent_area": result.silent_area,
        }
        clause += gettext("：%(counted)s计入同意（只用于同意比例，不计入参与）") % {"counted": counted}
    elif result.silent != SILENT_NONE:
        clause += gettext("（本次未适用）")
    return {"rows": rows, "verdict": result.verdict, "passed": result.passed, "clause": clause}
