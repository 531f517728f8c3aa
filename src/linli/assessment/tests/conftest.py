from dataclasses import dataclass

import pytest

from linli.assessment import rules, services
from linli.assessment.models import Round, RoundUnit, Scheme
from linli.testing import factories


@dataclass
class Assessment:
    world: object
    star: Scheme
    keypoint: Scheme
    round: Round
    a1: RoundUnit  # 甲一社区 (community_worker's), street 甲 (street_staff's)
    a2: RoundUnit  # 甲二社区
    b1: RoundUnit  # 乙一社区, street 乙: out of street_staff's scope
    extra: dict  # staff of street 乙 and community 乙一, who are not among the personas

    @property
    def users(self):
        return self.world.users


def star_scores(scheme: Scheme, points) -> list[dict]:
    """One score per aspect: `points` a number for all ten or a list of ten."""
    points = points if isinstance(points, list) else [points] * 10
    return [{"item_id": i.pk, "points": str(p)} for i, p in zip(scheme.items.order_by("order"), points, strict=True)]


def play(a: Assessment, unit: RoundUnit, points, *, until: str = rules.CONFIRM) -> None:
    """Score and submit a unit through the stages up to (not including) `until`."""
    scorers = {rules.SELF: _own(a, unit), rules.FIRST: "street_staff", rules.RECHECK: "district_staff"}
    if unit.region.parent_id != a.world.street_a.pk:
        scorers[rules.FIRST] = "street_staff_b"
    for stage in rules.STAGES[: rules.STAGES.index(until)]:
        user = a.users.get(scorers[stage]) or a.extra[scorers[stage]]
        sheet = unit.sheets.get(stage=stage)
        sheet = services.sheet_save(
            user=user, unit_id=unit.pk, stage=stage, version=sheet.version, scores=star_scores(a.star, points)
        )
        services.sheet_submit(user=user, unit_id=unit.pk, stage=stage, version=sheet.version)
    unit.refresh_from_db()


def _own(a: Assessment, unit: RoundUnit) -> str:
    if unit.region_id == a.world.community_a1.pk:
        return "community_worker"
    if unit.region_id == a.world.community_a2.pk:
        return "community_worker2"
    return "community_worker_b"


@pytest.fixture
def a(world):
    star, keypoint = services.standard_schemes_install(region=world.district)
    w = world
    rnd = services.round_create(
        user=w.users["district_staff"],
        scheme_id=star.pk,
        name="2025年度和谐社区星级评定",
        period="2025年度",
        unit_ids=[w.community_a1.pk, w.community_a2.pk, w.community_b1.pk],
    )
    units = {u.region_id: u for u in rnd.units.select_related("region")}
    extra = {
        "street_staff_b": factories.user("street_staff_b", "street_staff", w.street_b),
        "community_worker_b": factories.user("community_worker_b", "community_worker", w.community_b1),
    }
    return Assessment(
        w, star, keypoint, rnd, units[w.community_a1.pk], units[w.community_a2.pk], units[w.community_b1.pk], extra
    )


def messages(exc) -> str:
    """Every message a domain error carries, for matching."""
    return " ".join([exc.detail] + [e.message for e in exc.errors])
