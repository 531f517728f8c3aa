"""Personal information at rest (PIPL): Fernet encryption, a keyed hash for exact lookup, masking."""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in settings.PII_KEYS])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must never pass silently as data
        raise ValueError("cannot decrypt a PII field: check LINLI_PII_KEYS") from exc


def lookup_hash(value: str) -> str:
    """Deterministic keyed hash, so `id_number = X` can be answered without decrypting every row."""
    return hmac.new(settings.PII_LOOKUP_KEY.encode(), value.upper().encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stores a string encrypted; Python code sees plain text. Not filterable: use the lookup hash."""

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else encrypt(value)


def mask_id_number(value: str) -> str:
    """110101199003078515 → 110101********8515: region and last four kept; passports keep less."""
    if not value:
        return ""
    head, tail = (6, 4) if len(value) >= 14 else (1, 2)
    return value[:head] + "*" * max(len(value) - head - tail, 1) + value[-tail:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; landlines 024-88886666 → 024-****6666."""
    if not value:
        return ""
    if "-" in value:
        area, number = value.split("-", 1)
        return f"{area}-****{number[-4:]}"
    return value[:3] + "****" + value[-4:]


def mask_name(name: str) -> str:
    """张三 → 张*, 李建国 → 李*国, 欧阳娜娜 → 欧**娜: the public never reads a person's name in full."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
