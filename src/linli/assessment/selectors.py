"""Reads of assessment, always through the user's scope.

Assessment is region work: departments and property companies have no part in it (403). A scheme or a round is
visible, like a plan, to the subtree of its region and to the levels above it (a community sees the district's
round). Units (their sheets, scores and evidence) are visible only inside the user's subtree: a community worker sees
their own community's sheets and its rank among all units, never another community's scores.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.roles import ASSESSMENT, ORGANISE, REGION_ROLES, REVIEW, can, effective_role, in_group
from linli.accounts.scope import (
    ancestors_or_self,
    contains,
    covers,
    get_or_404,
    region_path,
    subtree,
    subtree_or_above_q,
    within,
)
from linli.core.dates import day_bounds
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed
from linli.regions.models import Region
from linli.volunteers.stats import selectors as volunteer_stats

from . import rules, standard
from .models import Evidence, Indicator, Item, Round, RoundUnit, Scheme, Score, Sheet


def reader_path(user) -> str:
    """The user's region path ("" for the whole tree); 403 for those who take no part in assessment."""
    path = region_path(user)
    if path is None or not in_group(user, REGION_ROLES):
        raise PermissionDenied(_("测评考核只对区、街道、社区和网格的工作人员开放"))
    return path


def scheme_queryset(*, user) -> QuerySet:
    return Scheme.objects.filter(subtree_or_above_q(reader_path(user), "region")).select_related("region", "plan")


def scheme_get(*, user, pk: int) -> Scheme:
    return get_or_404(scheme_queryset(user=user), pk=pk)


def scheme_list(*, user) -> QuerySet:
    """The index systems the user can see, each with its `item_count`."""
    return scheme_queryset(user=user).annotate(item_count=Count("items"))


def scheme_report(*, user, pk: int) -> Scheme:
    """An index system with its indicator `tree`, its `total_points` and the rounds using it that the user can see
    (`visible_rounds`)."""
    scheme = scheme_get(user=user, pk=pk)
    scheme.tree = scheme_tree(scheme)
    scheme.total_points = sum((n.points for n in scheme.tree), Decimal(0))
    scheme.visible_rounds = round_queryset(user=user).filter(scheme=scheme)
    return scheme


@dataclass
class IndicatorNode:
    indicator: Indicator
    items: list[Item] = field(default_factory=list)
    children: list["IndicatorNode"] = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        return sum((i.max_points for i in self.items), Decimal(0)) + sum((c.points for c in self.children), Decimal(0))


def scheme_tree(scheme: Scheme) -> list[IndicatorNode]:
    """The 一级指标 in order, each with its 二级指标 and items: two queries whatever the size."""
    nodes = {i.pk: IndicatorNode(i) for i in scheme.indicators.all()}
    roots = []
    for node in nodes.values():
        if node.indicator.parent_id:
            nodes[node.indicator.parent_id].children.append(node)
        else:
            roots.append(node)
    for item in scheme.items.select_related("indicator"):
        nodes[item.indicator_id].items.append(item)
    return roots


def items_of(scheme: Scheme) -> list[Item]:
    """The items in reading order: by 一级指标, then 二级指标, then item."""
    return [item for root in scheme_tree(scheme) for item in _walk(root)]


def _walk(node: IndicatorNode):
    yield from node.items
    for child in node.children:
        yield from _walk(child)


def round_queryset(*, user) -> QuerySet:
    return Round.objects.filter(subtree_or_above_q(reader_path(user), "region")).select_related("scheme", "region")


def round_get(*, user, pk: int) -> Round:
    return get_or_404(round_queryset(user=user), pk=pk)


def round_list(*, user) -> QuerySet:
    """The rounds the user can see, newest first, each with its `unit_count`."""
    return round_queryset(user=user).annotate(unit_count=Count("units")).order_by("-created_at", "-id")


def unit_regions(*, user) -> QuerySet:
    """The streets and communities of the user's subtree: the units a round the user organises may assess."""
    regions = Region.objects.filter(level__in=(rules.STREET_LEVEL, rules.COMMUNITY_LEVEL))
    return subtree(reader_path(user), regions).order_by("path")


def unit_queryset(*, user) -> QuerySet:
    """Units of visible rounds that lie in the user's subtree."""
    path = reader_path(user)
    visible_rounds = Round.objects.filter(subtree_or_above_q(path, "region")).values("pk")
    qs = RoundUnit.objects.filter(round_id__in=visible_rounds)
    return within(qs, path, "region").select_related("round", "round__scheme", "region")


def unit_get(*, user, pk: int) -> RoundUnit:
    return get_or_404(unit_queryset(user=user), pk=pk)


def may_organise(user) -> bool:
    """Whether the user draws up index systems and organises rounds (for their own region)."""
    return can(user, ASSESSMENT, ORGANISE)


def offers_install(user) -> bool:
    """Whether the user is offered to install the standard index systems for their region: an organiser with a
    region for which they are not already in force there or above (a street uses the district's)."""
    if not may_organise(user) or not user.region_id:
        return False
    keys = {standard.STAR_KEY, standard.KEYPOINT_KEY}
    serving = Scheme.objects.filter(region__in=ancestors_or_self(user.region.path), key__in=keys)
    return set(serving.values_list("key", flat=True)) != keys


def may_confirm(user, rnd: Round) -> bool:
    """Whether the user may confirm (认定) the round: the district or the administrator over its region."""
    return can(user, ASSESSMENT, REVIEW) and covers(user, rnd.region)


def may_score(user, unit: RoundUnit, stage: str) -> bool:
    return rules.may_score(
        stage,
        role=effective_role(user),
        in_scope=contains(reader_path(user), unit.region.path),
        user_is_unit=user.region_id == unit.region_id,
        unit_level=unit.region.level,
    )


def can_score(user, unit: RoundUnit, stage: str) -> bool:
    """Whether the user may score the unit's sheet of `stage` now: the unit is at that stage and the round open."""
    return unit.stage == stage and unit.round.status == Round.OPEN and may_score(user, unit, stage)


def sheet_get(*, user, unit_id: int, stage: str) -> tuple[RoundUnit, Sheet]:
    """A unit's sheet for a stage it has reached. The unit's own staff see the reviewers' sheets once submitted."""
    unit = unit_get(user=user, pk=unit_id)
    if stage not in rules.STAGES:
        raise Http404(_("没有这个测评阶段"))
    if not rules.stage_reached(unit.stage, stage):
        raise ValidationFailed(
            [
                FieldError(
                    "stage",
                    _("%(name)s尚未进入%(STAGE_LABELS)s阶段")
                    % {"name": unit.region.name, "STAGE_LABELS": rules.STAGE_LABELS[stage]},
                )
            ]
        )
    sheet = unit.sheets.prefetch_related("scores").get(stage=stage)
    if not sheet_readable(user, unit, stage, submitted=sheet.submitted_at is not None):
        raise PermissionDenied(
            _("%(STAGE_LABELS)s尚未完成，完成后可查看评分") % {"STAGE_LABELS": rules.STAGE_LABELS[stage]}
        )
    return unit, sheet


def sheet_readable(user, unit: RoundUnit, stage: str, *, submitted: bool) -> bool:
    """The unit's own staff read a reviewer's sheet once it is submitted, or when they score it themselves."""
    own = user.region_id == unit.region_id
    return not own or stage == rules.SELF or submitted or may_score(user, unit, stage)


@dataclass
class SheetView:
    """One unit's sheet of one stage as its page and the API show it: the scheme's items in reading order, the
    scores, the evidence, and whether the user may score it now."""

    unit: RoundUnit
    sheet: Sheet
    items: list[Item]
    evidence: list[Evidence]
    can_score: bool
    measured: dict[int, str] = field(default_factory=dict)  # item id → the figure its content cites

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def stage_label(self) -> str:
        return rules.STAGE_LABELS[self.sheet.stage]

    @property
    def scores(self) -> dict[int, Score]:
        return {s.item_id: s for s in self.sheet.scores.all()}

    @property
    def rating(self) -> rules.StarRating | None:
        return rules.star_level(self.sheet.stars) if self.sheet.stars is not None else None


def sheet_view(*, user, unit_id: int, stage: str) -> SheetView:
    unit, sheet = sheet_get(user=user, unit_id=unit_id, stage=stage)
    evidence = list(unit.evidence.select_related("uploaded_by"))
    items = items_of(unit.round.scheme)
    return SheetView(unit, sheet, items, evidence, can_score(user, unit, stage), measured_citations(unit, items))


def measured_citations(unit: RoundUnit, items: list[Item], *, today: date | None = None) -> dict[int, str]:
    """What the system measured for the unit's region, for each item whose 测评内容 names such a figure
    (rules.MEASURED_CUES): the twelve months up to today, as the volunteers' statistics count them. At most three
    queries, none without such an item."""
    cited = {item.pk: m for item in items if (m := rules.cited_measure(item.content))}
    if not cited:
        return {}
    today = today or timezone.localdate()
    start, end = day_bounds(today - timedelta(days=365), today)
    f = volunteer_stats.region_measures(unit.region.path, start, end)

    def shown(value) -> str:
        return "—" if value is None else str(value)

    text = {
        "volunteer_share": _("注册志愿者占常住人口比例 %(shown)s%%（在册志愿者%(f)s人，辖区人员%(f2)s人）")
        % {"shown": shown(f["volunteer_share"]), "f": f["volunteers"], "f2": f["persons"]},
        "volunteer_hours_per_capita": _("人均志愿服务时长 %(shown)s小时/人（近一年确认%(f)s小时）")
        % {"shown": shown(f["volunteer_hours_per_capita"]), "f": f["hours"]},
    }
    return {pk: _("系统测得：%(text)s") % {"text": text[m]} for pk, m in cited.items()}


def evidence_get(*, user, unit_id: int, pk: int) -> Evidence:
    """An evidence file of a unit in the user's scope."""
    return get_or_404(unit_get(user=user, pk=unit_id).evidence.all(), pk=pk)


# ---------------------------------------------------------------- results


@dataclass
class UnitResult:
    unit: RoundUnit
    stage_totals: dict[str, Decimal | None]  # per submitted stage (the 认定 sheet once the round is confirmed)
    final_stage: str | None
    total: Decimal | None
    stars: int | None
    level: str  # 十星级和谐社区 / 达标社区 / 未达标 for star schemes, the grade for total schemes
    rank: int | None = None
    actions: list[tuple[str, str, bool]] = field(default_factory=list)  # (stage, label, may score now), reached

    @property
    def stage_label(self) -> str:
        return rules.STAGE_LABELS[self.unit.stage]

    @property
    def stage_columns(self) -> list[tuple[str, Decimal | None]]:
        return [(rules.STAGE_LABELS[s], self.stage_totals[s]) for s in rules.STAGES]

    @property
    def final_label(self) -> str:
        return rules.STAGE_LABELS[self.final_stage] if self.final_stage else ""


def round_results(*, user, round: Round) -> list[UnitResult]:
    """Every unit of the round the user may see, with its result so far (the last completed stage's) and its rank
    among all the round's units; ranked units first. Three queries whatever the number of units."""
    visible = set(unit_queryset(user=user).filter(round=round).values_list("pk", flat=True))
    units = list(
        round.units.select_related("region").prefetch_related(
            Prefetch("sheets", queryset=Sheet.objects.only("unit_id", "stage", "total", "stars", "submitted_at"))
        )
    )
    results = [_result(round, u) for u in units]
    ranked = [r for r in results if r.total is not None]
    if round.scheme.rating == rules.STARS:
        keys = [(r.stars or 0, r.total) for r in ranked]
    else:
        keys = [r.total for r in ranked]
    for r, rank in zip(ranked, rules.competition_ranks(keys), strict=True):
        r.rank = rank
    shown = [r for r in results if r.unit.pk in visible]
    shown.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.region.path))
    for r in shown:
        submitted = {s.stage for s in r.unit.sheets.all() if s.submitted_at}
        r.actions = [
            (stage, rules.STAGE_LABELS[stage], can_score(user, r.unit, stage))
            for stage in rules.STAGES
            if rules.stage_reached(r.unit.stage, stage)
            and sheet_readable(user, r.unit, stage, submitted=stage in submitted)
        ]
    return shown


def round_report(*, user, pk: int) -> Round:
    """A round with what its pages and the API show: `results` (round_results), `unit_count` and `waiting` (of all
    its units, those not yet through 复核), `stars` (a star scheme) and `can_confirm`."""
    rnd = round_get(user=user, pk=pk)
    rnd.results = round_results(user=user, round=rnd)
    counts = rnd.units.aggregate(
        all=Count("pk"), waiting=Count("pk", filter=~Q(stage__in=(rules.CONFIRM, rules.DONE)))
    )  # fmt: skip
    rnd.unit_count, rnd.waiting = counts["all"], counts["waiting"]
    rnd.stars = rnd.scheme.rating == rules.STARS
    rnd.can_confirm = rnd.status == Round.OPEN and may_confirm(user, rnd)
    return rnd


def results_chart(rnd: Round) -> dict:
    """The bar chart of a round_report's ranked units: their totals (and stars) against the scheme's full marks."""
    ranked = [r for r in rnd.results if r.rank is not None]
    return {
        "names": [r.unit.region.name for r in ranked],
        "totals": [float(r.total) for r in ranked],
        "stars": [r.stars or 0 for r in ranked] if rnd.stars else [],
        "max": float(sum((i.max_points for i in rnd.scheme.items.all()), Decimal(0))),
    }


def final_scores(rnd: Round) -> tuple[list[Item], dict[tuple[int, int], Decimal]]:
    """The scheme's items in reading order, and the item scores {(unit id, item id): points} of a round_report's
    units in their final stage (the export's detail sheet)."""
    finals = {r.unit.pk: r.final_stage for r in rnd.results if r.final_stage}
    scores = Score.objects.filter(sheet__unit_id__in=list(finals)).values_list(
        "sheet__unit_id", "sheet__stage", "item_id", "points"
    )
    points = {(unit_id, item_id): value for unit_id, stage, item_id, value in scores if finals[unit_id] == stage}
    return items_of(rnd.scheme), points


def _result(round: Round, unit: RoundUnit) -> UnitResult:
    sheets = {s.stage: s for s in unit.sheets.all()}
    totals = {s: (sheets[s].total if s in sheets and sheets[s].submitted_at else None) for s in rules.STAGES}
    final = rules.final_stage(unit.stage)
    sheet = sheets.get(final) if final else None
    total = sheet.total if sheet else None
    stars = sheet.stars if sheet else None
    if sheet is None:
        level = ""
    elif round.scheme.rating == rules.STARS:
        level = rules.star_level(stars or 0).label
    else:
        level = rules.grade(total, [(g, Decimal(str(at))) for g, at in round.scheme.grades])
    return UnitResult(unit, totals, final, total, stars, level)
