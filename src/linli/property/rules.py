"""Pure rules of property supervision: the tender rule for choosing an estate's first company, the credit scheme
(score and grade), the 物业化率 and the complaint rate. No Django: the localities' settings come in as arguments
(selectors.tender_rule / selectors.credit_scheme read them)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, gettext_lazy

# ---------------------------------------------------------------- companies

NO_QUALIFICATION = "none"
# 资质等级 were abolished nationally in 2018; a company's former grade is kept for the record only.
QUALIFICATION_LABELS = {
    NO_QUALIFICATION: gettext_lazy("无(资质已取消)"),
    "grade1": gettext_lazy("原一级"),
    "grade2": gettext_lazy("原二级"),
    "grade3": gettext_lazy("原三级"),
}

PUBLIC_TENDER = "public"
INVITATION = "invitation"
AGREEMENT = "agreement"
SELECTION_LABELS = {
    PUBLIC_TENDER: gettext_lazy("公开招标"),
    INVITATION: gettext_lazy("邀请招标"),
    AGREEMENT: gettext_lazy("协议选聘"),
}


@dataclass(frozen=True)
class TenderRule:
    """物业管理条例 art. 24 and the locality's thresholds. Default from 000 篇1 (沈阳): a new estate of 5万㎡ or more
    (含5万) must choose its 前期 company by public tender; below that, by invitation or agreement with the
    district housing authority's approval."""

    public_tender_area: Decimal = Decimal("50000")
    min_invited: int = 3

    @classmethod
    def of(cls, values: dict | None) -> "TenderRule":
        values = values or {}
        return cls(Decimal(str(values.get("public_tender_area", cls.public_tender_area))),
                   int(values.get("min_invited", cls.min_invited)))  # fmt: skip


def tender_errors(
    rule: TenderRule, *, preliminary: bool, area: Decimal, selection: str, invited: int | None, approval: str
) -> list[tuple[str, str]]:
    """(field, message) for each way a project's choice breaks the rule; empty when it follows it. Only the 前期
    company is bound; owners' assemblies choose later companies as they decide (招标 encouraged, not required)."""
    if selection not in SELECTION_LABELS:
        return [
            ("selection", gettext("选聘方式应为：%(join)s") % {"join": "、".join(map(str, SELECTION_LABELS.values()))})
        ]
    if not preliminary:
        return []
    if area >= rule.public_tender_area:
        if selection != PUBLIC_TENDER:
            return [
                (
                    "selection",
                    gettext("建筑面积%(area)s㎡，达到%(public_tender_area)s㎡，前期物业须公开招标")
                    % {"area": format(area, ","), "public_tender_area": format(rule.public_tender_area, ",")},
                )
            ]
        return []
    errors = []
    if selection == INVITATION and (invited or 0) < rule.min_invited:
        errors.append(
            ("invited", gettext("邀请招标应邀请不少于%(min_invited)s家物业企业") % {"min_invited": rule.min_invited})
        )
    if selection in (INVITATION, AGREEMENT) and not approval.strip():
        errors.append(
            ("approval", gettext("建筑面积不足规定标准时采用邀请招标或协议方式，须记录区房产行政主管部门的批准"))
        )
    return errors


# ---------------------------------------------------------------- credit files

BAD = "bad"
GOOD = "good"
KIND_LABELS = {BAD: gettext_lazy("不良记录"), GOOD: gettext_lazy("良好记录")}


@dataclass(frozen=True)
class Item:
    code: str
    kind: str  # BAD or GOOD
    label: str
    points: Decimal
    severity: str = ""  # bad records: 一般, 较重, 严重


@dataclass(frozen=True)
class Scheme:
    """A credit scheme: the base score of a year, the catalogue, the grade bands (lowest score of each grade, from
    the top: a score at a band's lower bound has that grade, so every band is closed below and open above), and
    the range a score is kept in."""

    name: str
    base: Decimal
    items: tuple[Item, ...]
    bands: tuple[tuple[Decimal, str], ...]
    lowest_grade: str
    floor: Decimal = Decimal(0)
    ceiling: Decimal = Decimal(100)
    catalogue: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "catalogue", {i.code: i for i in self.items})

    @property
    def grades(self) -> list[str]:
        return [g for _, g in self.bands] + [self.lowest_grade]

    @classmethod
    def of(cls, values: dict) -> "Scheme":
        """A scheme from settings (a dict shaped like JINAN below, numbers as strings or numbers)."""
        items = tuple(Item(i["code"], i["kind"], i["label"], Decimal(str(i["points"])), i.get("severity", ""))
                      for i in values["items"])  # fmt: skip
        bands = tuple((Decimal(str(low)), grade) for low, grade in values["bands"])
        return cls(values["name"], Decimal(str(values["base"])), items, bands, values["lowest_grade"],
                   Decimal(str(values.get("floor", 0))), Decimal(str(values.get("ceiling", 100))))  # fmt: skip


def D(value) -> Decimal:
    return Decimal(str(value))


# Seeded from 济南's 物业服务企业信用评价 bands (SPEC §5: AAA ≥ 85, AA 80–85, A 70–80, B 60–70, C < 60). Every company
# starts a year at 80 (AA); the catalogue follows 000 篇1's "违法、违规、违诺 … 依据情节的严重程度，扣除相应的分数".
JINAN = Scheme(
    name="济南市物业服务企业信用评价(示例配置)",
    base=D(80),
    items=(
        Item("B01", BAD, gettext_lazy("经查实的业主投诉(未按合同提供服务)"), D(2), "一般"),
        Item("B02", BAD, gettext_lazy("未按规定公示收费项目和标准"), D(2), "一般"),
        Item("B03", BAD, gettext_lazy("项目经理未持证上岗"), D(3), "一般"),
        Item("B04", BAD, gettext_lazy("整改通知逾期不改或整改不到位"), D(5), "较重"),
        Item("B05", BAD, gettext_lazy("擅自提高收费标准或违规收费"), D(5), "较重"),
        Item("B06", BAD, gettext_lazy("挪用、侵占专项维修资金或共有部分收益"), D(15), "严重"),
        Item("B07", BAD, gettext_lazy("擅自撤离、弃管小区"), D(15), "严重"),
        Item("B08", BAD, gettext_lazy("发生安全生产责任事故"), D(20), "严重"),
        Item("G01", GOOD, gettext_lazy("获市级及以上表彰"), D(5)),
        Item("G02", GOOD, gettext_lazy("获区级表彰"), D(3)),
        Item("G03", GOOD, gettext_lazy("红色物业、参与社区治理成效突出"), D(2)),
        Item("G04", GOOD, gettext_lazy("业主满意度测评优秀"), D(3)),
    ),
    bands=((D(85), "AAA"), (D(80), "AA"), (D(70), "A"), (D(60), "B")),
    lowest_grade="C",
)


def score(scheme: Scheme, good: Decimal, bad: Decimal) -> Decimal:
    """The year's score: base + good records − bad records, kept within [floor, ceiling]."""
    return min(max(scheme.base + good - bad, scheme.floor), scheme.ceiling)


def points(value) -> Decimal:
    """A score as shown and compared, to one decimal (databases hand sums back in different precisions)."""
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grade(scheme: Scheme, value: Decimal) -> str:
    for low, name in scheme.bands:
        if value >= low:
            return name
    return scheme.lowest_grade


# ---------------------------------------------------------------- rates


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole in percent to one decimal; None when there is nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def per_hundred(count: int, households: int) -> Decimal | None:
    """投诉率: complaints per 100 houses served (件/百户), to two decimals; None when no house is served."""
    if not households:
        return None
    return (Decimal(count) * 100 / households).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade_range(scheme: Scheme, name: str) -> tuple[Decimal | None, Decimal | None]:
    """The scores [low, high) that earn a grade: None for an open end."""
    lows = [low for low, _ in scheme.bands]
    names = [n for _, n in scheme.bands]
    if name == scheme.lowest_grade:
        return None, lows[-1]
    i = names.index(name)
    return lows[i], (lows[i - 1] if i else None)


def certificate_expired(valid_until, today) -> bool:
    """A certificate is valid through its last day."""
    return valid_until < today
