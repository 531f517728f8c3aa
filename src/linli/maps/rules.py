"""Coordinates and addresses, pure: no Django.

Points are stored in WGS-84 (lon, lat); CGCS2000, the datum of 天地图, differs from it by centimetres and is treated
as the same. Chinese commercial maps (高德, 腾讯) publish tiles and geocode in GCJ-02, the obfuscated datum of
GB 20263: a point shown on such tiles, or answered by such a geocoder, must be converted. The transform is the
published one (as in eviltransform and gcoord); its inverse has no closed form and is found by iteration.
"""

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext

WGS84 = "wgs84"
CGCS2000 = "cgcs2000"
GCJ02 = "gcj02"
SYSTEMS = (WGS84, CGCS2000, GCJ02)

_A = 6378245.0  # Krasovsky 1940, the ellipsoid GCJ-02 is defined on
_EE = 0.00669342162296594323


def same_datum(a: str, b: str) -> bool:
    """WGS-84 and CGCS2000 agree to centimetres; GCJ-02 is offset by hundreds of metres."""
    return (a == GCJ02) == (b == GCJ02)


def outside_china(lon: float, lat: float) -> bool:
    """GCJ-02 leaves points outside China's bounding box unchanged."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _shift_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _shift_lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if outside_china(lon, lat):
        return lon, lat
    d_lat = _shift_lat(lon - 105.0, lat - 35.0)
    d_lon = _shift_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is (lon, lat), to well under a millimetre."""
    x, y = lon, lat
    for _ in range(30):
        gx, gy = wgs84_to_gcj02(x, y)
        dx, dy = lon - gx, lat - gy
        x, y = x + dx, y + dy
        if abs(dx) < 1e-10 and abs(dy) < 1e-10:
            break
    return x, y


def convert(lon: float, lat: float, source: str, target: str) -> tuple[float, float]:
    """(lon, lat) from one system to another; unchanged between WGS-84 and CGCS2000."""
    if same_datum(source, target):
        return lon, lat
    return wgs84_to_gcj02(lon, lat) if target == GCJ02 else gcj02_to_wgs84(lon, lat)


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points (haversine, mean Earth radius)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


# ---- addresses -------------------------------------------------------------------------------------------

_DIGITS = str.maketrans("０１２３４５６７８９－—", "0123456789--")
# "7号楼2单元301室", "7栋2单元301", "7幢", "7-2-301": the building, unit and room typed after a name.
_FLAT = re.compile(
    r"(?P<building>\d+)\s*(?:号楼|号|栋|幢|#|楼)\s*(?:(?P<unit>\d+)\s*单元)?\s*(?:(?P<room>\d+)\s*(?:室|号)?)?$"
    r"|(?P<b2>\d+)-(?P<u2>\d+)(?:-(?P<r2>\d+))?$"
)
_NUMBERED_ROAD = re.compile(r"(?P<road>.+?(?:路|街|道|巷|胡同|里))(?P<number>\d+)号?$")


@dataclass(frozen=True)
class Query:
    """What an address typed into a search box names: a place name (estate or road), maybe a building, unit,
    room, or a street number on a road ("大南街195号")."""

    name: str
    building: str = ""
    unit: str = ""
    room: str = ""
    road: str = ""
    road_number: str = ""


def parse_address(text: str) -> Query:
    """Split "金域花园7号楼2单元301" into its parts; a bare name stays a name."""
    text = re.sub(r"\s+", "", text.translate(_DIGITS))
    road = _NUMBERED_ROAD.fullmatch(text)
    if road and not re.search(r"号楼|栋|幢|单元", text):
        return Query(name=text, road=road["road"], road_number=road["number"])
    flat = _FLAT.search(text)
    if flat and flat.start() > 0:
        building = flat["building"] or flat["b2"]
        unit = flat["unit"] or flat["u2"] or ""
        room = flat["room"] or flat["r2"] or ""
        return Query(name=text[: flat.start()], building=building, unit=unit, room=room)
    return Query(name=text)


@dataclass(frozen=True)
class Place:
    kind: str  # "estate", "building", "house" from the registry; "address" from an outside service
    label: str  # what the list shows: "金域花园7号楼"
    address: str  # what fills the form's address: "大南街195号金域花园7号楼"
    lon: float | None  # WGS-84
    lat: float | None
    estate: int | None = None
    building: int | None = None
    house: int | None = None


def building_label(number: str) -> str:
    return gettext("%(number)s号楼") % {"number": number}


def flat_label(estate: str, building: str, unit: str = "", room: str = "") -> str:
    """The address as residents write it: "金域花园7号楼2单元301室"."""
    text = estate + building_label(building)
    if unit:
        text += gettext("%(unit)s单元") % {"unit": unit}
    if room:
        text += gettext("%(room)s室") % {"room": room}
    return text


# A view wider than this (about 20 km) is a district overview: its estates are dots too small to tell apart.
BOX_MAX_DEGREES = 0.2


# ---- the tile service -------------------------------------------------------------------------------------

# 天地图's vector map and its annotation layer, in Web Mercator ("_w"); the datum is CGCS2000.
TIANDITU = (
    "https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=%s&STYLE=default"
    "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%s"
)
TIANDITU_HOSTS = [f"https://t{n}.tianditu.gov.cn" for n in range(8)]


def tiles(*, tianditu_key: str = "", url: str = "", attribution: str = "", system: str = WGS84) -> dict | None:
    """What a map page needs to draw the configured tile service: its layers, attribution, coordinate system and
    the hosts the Content-Security-Policy must allow. None: no service, the registry is the base map."""
    if tianditu_key:
        layers = [TIANDITU % (name, name, tianditu_key) for name in ("vec", "cva")]
        return {
            "layers": layers,
            "subdomains": "01234567",
            "attribution": gettext("天地图"),
            "system": CGCS2000,
            "hosts": TIANDITU_HOSTS,
            "max_zoom": 18,
        }
    if not url:
        return None
    if system not in SYSTEMS:
        raise ValueError(
            gettext("瓦片坐标系须为 %(join)s 之一，而不是 %(system)s")
            % {"join": "、".join(SYSTEMS), "system": repr(system)}
        )
    if not attribution:
        raise ValueError(gettext("配置了瓦片服务，须同时配置其版权说明（LINLI_MAP_TILES_ATTRIBUTION）"))
    match = re.match(r"(https://[^/]+)/", url)
    if not match or not all(k in url for k in ("{z}", "{x}", "{y}")):
        raise ValueError(gettext("瓦片地址须为 https:// 开头、含 {z}、{x}、{y} 的模板"))
    subdomains = "abc" if "{s}" in url else ""
    hosts = [match[1].replace("{s}", s) for s in subdomains] if subdomains else [match[1]]
    return {
        "layers": [url],
        "subdomains": subdomains,
        "attribution": attribution,
        "system": system,
        "hosts": hosts,
        "max_zoom": 18,
    }


def tile_shift(lon: float, lat: float, system: str) -> tuple[float, float]:
    """(Δlon, Δlat) between where a WGS-84 point is and where tiles in `system` draw it, near (lon, lat): the map
    moves its tiles back by this much. Within a street-sized view it varies by well under a metre."""
    shown = convert(lon, lat, WGS84, system)
    return shown[0] - lon, shown[1] - lat
