"""Pure rules for the region tree and its statistical codes (统计用区划代码). No ORM."""

import json
import re

from django.utils.translation import gettext

# Levels of the statistical division code: 2 province + 2 city + 2 county + 3 town + 3 village = 12 digits.
PROVINCE, CITY, DISTRICT, STREET, COMMUNITY, GRID = 1, 2, 3, 4, 5, 6
SIGNIFICANT_DIGITS = {PROVINCE: 2, CITY: 4, DISTRICT: 6, STREET: 9, COMMUNITY: 12}
GRID_DIGITS = 3  # each grid level (大/中/小/微网格) appends three digits to its parent's code
# The households a node serves: more than any district holds, so a typing slip is caught, not stored.
HOUSEHOLDS_PLANNED_MAX = 10_000_000


class InvalidCode(ValueError):
    pass


def path_for(code: str, level: int) -> str:
    """The significant prefix of a code: what every descendant's code starts with.

    District 210102000000 → 210102; community 210102001002 → 210102001002; grid codes are used whole.
    """
    if level == GRID:
        return code
    return code[: SIGNIFICANT_DIGITS[level]]


def child_level(level: int) -> int:
    """The level of a node added below one of `level`: below a community or a grid, only grids (大/中/小/微网格)."""
    return GRID if level >= COMMUNITY else level + 1


def validate_code(code: str, level: int, parent_code: str | None, parent_level: int | None) -> str:
    """Check the code's shape for its level and that it extends its parent's significant prefix."""
    code = (code or "").strip()
    if level == GRID:
        if parent_code is None or parent_level not in (COMMUNITY, GRID):
            raise InvalidCode(gettext("网格必须隶属于社区/村或上级网格"))
        parent_path = path_for(parent_code, parent_level)
        if not re.fullmatch(r"\d+", code) or len(code) != len(parent_path) + GRID_DIGITS:
            raise InvalidCode(
                gettext("网格编码应为上级编码%(parent_path)s后加%(GRID_DIGITS)s位数字")
                % {"parent_path": parent_path, "GRID_DIGITS": GRID_DIGITS}
            )
        if not code.startswith(parent_path) or code.endswith("000"):
            raise InvalidCode(
                gettext("网格编码应以上级编码%(parent_path)s开头，且末3位不能为000") % {"parent_path": parent_path}
            )
        return code
    if not re.fullmatch(r"\d{12}", code):
        raise InvalidCode(gettext("区划代码应为12位数字"))
    significant = SIGNIFICANT_DIGITS[level]
    if set(code[significant:]) - {"0"}:
        raise InvalidCode(gettext("该层级的区划代码第%(value)s位起应全为0") % {"value": significant + 1})
    own = code[SIGNIFICANT_DIGITS.get(level - 1, 0) : significant]
    if own and set(own) == {"0"}:
        raise InvalidCode(gettext("本级代码段不能全为0"))
    if parent_code is not None:
        if parent_level is None or parent_level >= level:
            raise InvalidCode(gettext("上级区域的层级必须高于本级"))
        parent_path = path_for(parent_code, parent_level)
        if not code.startswith(parent_path):
            raise InvalidCode(gettext("区划代码应以上级代码%(parent_path)s开头") % {"parent_path": parent_path})
    return code


def validate_boundary(geometry: dict | str | None) -> dict | None:
    """A GeoJSON Polygon or MultiPolygon in WGS84 with closed rings of at least four positions."""
    if geometry in (None, "", {}):
        return None
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except json.JSONDecodeError:
            raise InvalidCode(gettext("边界不是有效的GeoJSON")) from None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise InvalidCode(gettext("边界应为GeoJSON的Polygon或MultiPolygon"))
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    try:
        for polygon in polygons:
            for ring in polygon:
                if len(ring) < 4 or list(ring[0]) != list(ring[-1]):
                    raise InvalidCode(gettext("边界的每个环至少4个点且首尾相同"))
                for lon, lat, *_ in ring:
                    if not (-180 <= float(lon) <= 180 and -90 <= float(lat) <= 90):
                        raise InvalidCode(gettext("边界坐标超出经纬度范围"))
    except (TypeError, ValueError) as exc:
        if isinstance(exc, InvalidCode):
            raise
        raise InvalidCode(gettext("边界坐标格式不正确")) from None
    return geometry
