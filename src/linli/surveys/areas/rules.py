"""普查小区: proposing areas of about N people from the buildings of a 普查区 (community) in their walking order,
and the coverage check (不重不漏) that every building and household of the survey's place lies in exactly one area.

Pure: ids in, ids out; the selectors bring the registry's numbers."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

CODE_DIGITS = 3  # 小区 numbers 001, 002 … within a 普查区


def propose(buildings: Sequence[tuple[int, int]], target: int) -> list[list[int]]:
    """Groups `buildings` — (building id, people) in walking order, one community's — into consecutive areas of
    about `target` people.

    A building is never split: its households are visited by one enumerator, and a 小区 boundary through a stairwell
    is what leaves a household out or counts it twice. So an area is closed at the building that brings its count
    nearest the target: the next building joins while adding it brings the total nearer (or as near: an empty
    building joins the area it lies in); otherwise a new area starts with it. A building of `target` people or more
    starts an area of its own, which only empty buildings then join. The last area keeps what remains, however
    few.
    """
    if target < 1:
        raise ValueError("target must be positive")
    groups: list[list[int]] = []
    current: list[int] = []
    total = 0
    for building, people in buildings:
        if current and (people >= target or abs(total + people - target) > abs(total - target)):
            groups.append(current)
            current, total = [building], people
        else:
            current.append(building)
            total += people
    if current:
        groups.append(current)
    return groups


def area_code(community_path: str, number: int) -> str:
    """The code of a community's `number`-th area: its 普查区 (the community's street and community digits, unique
    in a district) and the 小区 number, e.g. "001002-003"."""
    return f"{community_path[-6:]}-{number:0{CODE_DIGITS}d}"


def area_number(code: str) -> int:
    """The 小区 number of an area code (0 for a code not made by area_code)."""
    tail = code.rpartition("-")[2]
    return int(tail) if tail.isdigit() else 0


def next_number(codes: Iterable[str]) -> int:
    """The number a new area of a community takes: one past the highest of its existing areas."""
    return max((area_number(c) for c in codes), default=0) + 1


@dataclass(frozen=True)
class Coverage:
    """What the check found. `overlaps`: building → the areas holding it (two or more); `gaps`: buildings of the place
    in no area; `outside`: building → areas holding a building outside the place; the households of each building
    listed come from `households`, so a household left out or counted twice is named with its building."""

    overlaps: dict[int, list[int]] = field(default_factory=dict)
    gaps: list[int] = field(default_factory=list)
    outside: dict[int, list[int]] = field(default_factory=dict)
    households_twice: list[int] = field(default_factory=list)
    households_left_out: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.overlaps or self.gaps or self.outside)


def coverage(
    areas: Mapping[int, Iterable[int]], place: Iterable[int], households: Mapping[int, Sequence[int]]
) -> Coverage:
    """不重不漏: `areas` maps each area to its buildings, `place` is every building of the survey's place (in the
    order to report them), `households` maps a building to its households. A household lies in one building, so a
    household is counted twice exactly when its building lies in two areas and left out when its building lies in
    none; a building with no household still has to be placed (it may be lived in by the standard moment)."""
    holders: dict[int, list[int]] = {}
    for area, buildings in areas.items():
        for building in dict.fromkeys(buildings):
            holders.setdefault(building, []).append(area)
    place = list(dict.fromkeys(place))
    inside = set(place)
    overlaps = {b: sorted(holders[b]) for b in place if len(holders.get(b, ())) > 1}
    gaps = [b for b in place if b not in holders]
    outside = {b: sorted(a) for b, a in holders.items() if b not in inside}
    return Coverage(
        overlaps=overlaps,
        gaps=gaps,
        outside=outside,
        households_twice=[h for b in overlaps for h in households.get(b, ())],
        households_left_out=[h for b in gaps for h in households.get(b, ())],
    )
