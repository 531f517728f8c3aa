"""Random draws anyone can recompute (随机抽取): the size, the tickets, the allocation over strata.

A frame is a list of unit keys in a fixed order (a census household's 户号, an organisation's credit code); its
digest is SHA-256 over the keys, each followed by a line feed, in UTF-8: `printf '%s\\n' KEY… | sha256sum`.

Size: n = N × p / 100 rounded half up (2 % of 74 is 1.48 → 1, of 75 is 1.5 → 2), and at least 1 when the
population is not empty and p > 0, so a small frame still has one unit re-checked.

Tickets: each unit's ticket is SHA-256 of the UTF-8 text `seed + "|" + key` read as a 256-bit number; the n units
with the smallest tickets are drawn (ties, which need equal keys, by position). Nothing depends on a programming
language's random number generator: a clerk with `sha256sum` and a sorted list can check a draw.

Strata (the long form by 普查小区): the total is the overall n above; each stratum's share N_s × n / N gets its
whole part, and the units left over go one each to the strata with the largest fractional parts (ties by the
stratum's name in code-point order); within a stratum the smallest tickets are drawn.
"""

import hashlib
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

METHOD_SIMPLE = _("SHA-256 票号最小者中选（简单随机抽样）")
METHOD_STRATIFIED = _("SHA-256 票号最小者中选（按普查小区分层，最大余数法分配）")


def digest(keys: Sequence[str]) -> str:
    h = hashlib.sha256()
    for key in keys:
        h.update(key.encode())
        h.update(b"\n")
    return h.hexdigest()


def draw_size(population: int, percent: Decimal | int | str) -> int:
    """n = N × p / 100 rounded half up, at least 1 when N > 0 and p > 0, never more than N."""
    p = Decimal(str(percent))
    if population <= 0 or p <= 0:
        return 0
    n = int((Decimal(population) * p / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(population, max(1, n))


def ticket(seed: str, key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}|{key}".encode()).digest(), "big")


def allocate(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Largest-remainder allocation of `total` over strata in proportion to their sizes."""
    population = sum(sizes.values())
    if population == 0 or total == 0:
        return dict.fromkeys(sizes, 0)
    shares = {s: Fraction(size * total, population) for s, size in sizes.items()}
    out = {s: int(share) for s, share in shares.items()}
    left = total - sum(out.values())
    for s in sorted(sizes, key=lambda s: (-(shares[s] - out[s]), s))[:left]:
        out[s] += 1
    return out


def _smallest(seed: str, keys: Sequence[str], indexes: Sequence[int], n: int) -> list[int]:
    ranked = sorted(indexes, key=lambda i: (ticket(seed, keys[i]), i))
    return sorted(ranked[:n])


def draw(
    keys: Sequence[str], percent: Decimal | int | str, seed: str, strata: Sequence[str] | None = None
) -> list[int]:
    """Indexes (ascending) into `keys` of the units drawn; `strata[i]` names the stratum of unit i."""
    n = draw_size(len(keys), percent)
    if strata is None:
        return _smallest(seed, keys, range(len(keys)), n)
    if len(strata) != len(keys):
        raise ValueError("strata and keys differ in length")
    members: dict[str, list[int]] = {}
    for i, s in enumerate(strata):
        members.setdefault(s, []).append(i)
    quotas = allocate({s: len(m) for s, m in members.items()}, n)
    return sorted(i for s, m in members.items() for i in _smallest(seed, keys, m, quotas[s]))


def strata_table(strata: Sequence[str], picked: Sequence[int]) -> dict[str, dict[str, int]]:
    """Per stratum: its population and the units drawn, as a draw publishes them."""
    table: dict[str, dict[str, int]] = {}
    for s in strata:
        table.setdefault(s, {"population": 0, "drawn": 0})["population"] += 1
    for i in picked:
        table[strata[i]]["drawn"] += 1
    return dict(sorted(table.items()))
