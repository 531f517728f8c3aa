"""Pure rules for people: identity numbers, ages, ethnic groups. No ORM.

Phones and credit codes are checked by core.validators, shared with the apps below people; this module names them
too (the `as` imports), so the registry's code and its users read every rule of a person from one place.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.validators import InvalidValue as InvalidValue
from linli.core.validators import credit_check_char as credit_check_char
from linli.core.validators import normalize_id_number as normalize_id_number
from linli.core.validators import normalize_phone as normalize_phone
from linli.core.validators import org_code_check_char as org_code_check_char
from linli.core.validators import validate_credit_code as validate_credit_code
from linli.core.validators import validate_phone as validate_phone

# GB 11643-1999 citizen identity number.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# Province-level codes of GB/T 2260, plus 81/82/83 used by residence permits of HK, Macao, Taiwan residents.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
EARLIEST_BIRTH = date(1880, 1, 1)


@dataclass(frozen=True)
class IdentityFacts:
    birth_date: date | None
    gender: str | None  # "M" / "F"


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def parse_resident_id(value: str, today: date | None = None) -> IdentityFacts:
    """Validate an 18-character number per GB 11643 and return the birth date and gender it encodes."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise InvalidValue(_("身份证号码应为18位，前17位为数字，末位为数字或X"))
    if value[:2] not in PROVINCE_CODES:
        raise InvalidValue(_("身份证号码前6位地址码无效"))
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidValue(_("身份证号码中的出生日期无效")) from None
    if not EARLIEST_BIRTH <= born <= (today or date.today()):
        raise InvalidValue(_("身份证号码中的出生日期无效"))
    if id_check_char(value[:17]) != value[17]:
        raise InvalidValue(_("身份证号码校验位不正确"))
    return IdentityFacts(birth_date=born, gender="M" if int(value[16]) % 2 else "F")


# Identity document types; the numbers of the first three share the GB 11643 structure.
ID_RESIDENT = "resident"
ID_HMT_PERMIT = "hmt_permit"  # 港澳台居民居住证: 810000/820000/830000 + GB 11643
ID_PASSPORT = "passport"
ID_FOREIGN_PR = "foreign_pr"  # 外国人永久居留身份证: 2023 edition starts with 9 and uses the same check digit

ID_TYPE_LABELS = {
    ID_RESIDENT: gettext_lazy("居民身份证"),
    ID_HMT_PERMIT: gettext_lazy("港澳台居民居住证"),
    ID_PASSPORT: gettext_lazy("护照"),
    ID_FOREIGN_PR: gettext_lazy("外国人永久居留身份证"),
}


def parse_id_number(id_type: str, value: str, today: date | None = None) -> IdentityFacts:
    """Validate a document number of any supported type; facts are known only where the number encodes them."""
    if not value:
        raise InvalidValue(_("证件号码不能为空"))
    if id_type == ID_RESIDENT:
        if value[:2] in ("81", "82", "83") and value[2:6] == "0000":
            raise InvalidValue(_("该号码为港澳台居民居住证号码，请选择对应证件类型"))
        return parse_resident_id(value, today)
    if id_type == ID_HMT_PERMIT:
        if value[:6] not in ("810000", "820000", "830000"):
            raise InvalidValue(_("港澳台居民居住证号码应以810000、820000或830000开头"))
        return parse_resident_id(value, today)
    if id_type == ID_FOREIGN_PR:
        if re.fullmatch(r"[A-Z]{3}\d{12}", value):  # 2004 edition: nationality letters + 12 digits
            return IdentityFacts(None, None)
        if not re.fullmatch(r"9\d{16}[\dX]", value):
            raise InvalidValue(_("外国人永久居留身份证号码应为9开头的18位或3位字母加12位数字"))
        if id_check_char(value[:17]) != value[17]:
            raise InvalidValue(_("外国人永久居留身份证号码校验位不正确"))
        return IdentityFacts(None, "M" if int(value[16]) % 2 else "F")
    if id_type == ID_PASSPORT:
        if not re.fullmatch(r"[A-Z0-9]{5,17}", value):
            raise InvalidValue(_("护照号码应为5至17位字母或数字"))
        return IdentityFacts(None, None)
    raise InvalidValue(_("证件类型无效"))


# 承租人 of one rented house. The 商品房屋租赁管理办法 (住建部令第6号, art. 8) lets a house be let by its rooms as
# designed, at no less living area per tenant than the city sets (5 to 10 m² in most cities): a 250 m² flat at 5 m²
# holds 50. More than that is a mistake or a list built to load the server; a dormitory is a collective household.
MAX_TENANTS = 50


def rental_tenants(ids: Iterable[int]) -> list[int]:
    """The tenants of one rental, each once, in the order given; at least one and at most MAX_TENANTS."""
    unique = list(dict.fromkeys(ids))
    if not unique:
        raise InvalidValue(_("请至少登记一名承租人"))
    if len(unique) > MAX_TENANTS:
        raise InvalidValue(_("一处出租房屋最多登记%(MAX_TENANTS)s名承租人") % {"MAX_TENANTS": MAX_TENANTS})
    return unique


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_band(age: int, width: int = 5, top: int = 85) -> str:
    """Bands for a population pyramid: 0-4, 5-9, … and a last open band (85+)."""
    if age >= top:
        return f"{top}+"
    low = age // width * width
    return f"{low}-{low + width - 1}"


ETHNIC_GROUPS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 "
    "黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 "
    "毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 "
    "独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()
