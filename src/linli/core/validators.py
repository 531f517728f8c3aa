"""Pure validators shared by every app: phone numbers and unified social credit codes. No ORM; the messages are
marked for translation (gettext, said in the interface's language)."""

import re

from django.utils.translation import gettext


class InvalidValue(ValueError):
    """Carries a Chinese message fit to show next to the field."""


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


MOBILE_RE = re.compile(r"1[3-9]\d{9}")
LANDLINE_RE = re.compile(r"0\d{2,3}-\d{7,8}")


def normalize_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "")
    return value[3:] if value.startswith("+86") else value


def validate_phone(value: str) -> str:
    """Mobile (11 digits, 1[3-9]…) or a fixed line with its area code (024-88886666)."""
    value = normalize_phone(value)
    if MOBILE_RE.fullmatch(value) or LANDLINE_RE.fullmatch(value):
        return value
    raise InvalidValue(gettext("电话号码应为11位手机号（1开头，第二位3-9）或“区号-号码”格式的固定电话"))


# GB 32100-2015 unified social credit code.
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997 organisation code, characters 9-17 of the credit code.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_credit_code(value: str) -> str:
    value = normalize_id_number(value)
    if len(value) != 18:
        raise InvalidValue(gettext("统一社会信用代码应为18位"))
    if any(c not in CREDIT_CHARSET for c in value):
        raise InvalidValue(gettext("统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）"))
    org = value[8:17]
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", org) or org_code_check_char(org[:8]) != org[8]:
        raise InvalidValue(gettext("统一社会信用代码第9-17位组织机构代码校验不正确"))
    if credit_check_char(value[:17]) != value[17]:
        raise InvalidValue(gettext("统一社会信用代码校验位不正确"))
    return value
