"""Pure rules of the person workbook: how clerks write houses and tags. No ORM."""

import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext as _

TAG_SEPARATORS = re.compile(r"[,，、;；]")
_TAG_RE = re.compile(r"^(?P<name>.+?)\s*(?:[(（]\s*(?P<g1>[0-9一二三四]+)\s*级?\s*[)）]|(?P<g2>[0-9一二三四]+)级)?$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def _strip_suffix(text: str, suffixes: Iterable[str]) -> str:
    text = text.replace(" ", "")
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def house_key(estate: str, building: str, unit: str, number: str) -> tuple[str, str, str, str]:
    """(小区, 楼栋, 单元, 房号) as clerks write them: “3号楼”, “3栋” and “3” name the same building."""
    return (
        unicodedata.normalize("NFKC", estate).replace(" ", ""),
        _strip_suffix(unicodedata.normalize("NFKC", building), (_("号楼"), _("栋"), _("幢"), _("号"), "#")),
        _strip_suffix(unicodedata.normalize("NFKC", unit), (_("单元"),)),
        _strip_suffix(unicodedata.normalize("NFKC", number), (_("室"), _("号"))),
    )


def split_tags(text: str) -> list[tuple[str, int | None]]:
    """“独居老人,残疾人(2级)” → [("独居老人", None), ("残疾人", 2)]; a grade that is no number 1-4 reads as 0."""
    tags = []
    for token in filter(None, (t.strip() for t in TAG_SEPARATORS.split(text))):
        match = _TAG_RE.match(token)
        grade_text = match["g1"] or match["g2"]
        grade = None
        if grade_text:
            grade = _CN_DIGITS.get(grade_text) or (int(grade_text) if grade_text.isdigit() else 0)
        tags.append((match["name"].strip(), grade))
    return tags
