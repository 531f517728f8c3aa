"""The volunteers' file: the volunteer number, skills and availability, the consent notice. Pure, no ORM.

志愿者编号: the community's 12-digit code, the year of registration and the community's count that year, e.g.
210103001001-2026-00042 (23 characters, within the 24 the column holds). It never changes, even when the volunteer
moves to another community: it names the file, not the address.
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from linli.core.errors import FieldError

from .. import rules

# The notice a volunteer agrees to (in the portal, or on the paper form the community keeps): its version is stored
# with the volunteer. A new text gets a new version.
NOTICE_VERSION = "ZY-2026-1"
NAME_MAX = 60
DESCRIPTION_MAX = 500


def number(community_code: str, year: int, seq: int) -> str:
    return f"{community_code}-{year}-{seq:05d}"


def number_prefix(community_code: str, year: int) -> str:
    return f"{community_code}-{year}-"


def next_number(community_code: str, year: int, taken: Sequence[str]) -> str:
    """The next number of the community's year after those already `taken` (with its prefix)."""
    prefix = number_prefix(community_code, year)
    seqs = [int(n[len(prefix) :]) for n in taken if n.startswith(prefix) and n[len(prefix) :].isdigit()]
    return number(community_code, year, max(seqs, default=0) + 1)


def choice_errors(skills: Sequence[str], availability: Sequence[str]) -> list[FieldError]:
    errors = []
    if any(s not in rules.SKILLS for s in skills):
        errors.append(FieldError("skills", _("请从列出的技能特长中选择")))
    if any(a not in rules.AVAILABILITY for a in availability):
        errors.append(FieldError("availability", _("请从列出的可服务时间中选择")))
    return errors


def ordered(values: Sequence[str], vocabulary: dict) -> list[str]:
    """The chosen keys once each, in the vocabulary's order."""
    chosen = set(values)
    return [k for k in vocabulary if k in chosen]


def labels(values: Sequence[str], vocabulary: dict) -> str:
    return "、".join(str(vocabulary[v]) for v in values if v in vocabulary)
