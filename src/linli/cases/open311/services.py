"""Open311 clients: the API keys the administrator issues (only their hash is stored)."""

import hashlib
import secrets

from linli.accounts import roles
from linli.core.errors import FieldError, PermissionDenied, ValidationFailed

from ..models import Open311Key


def key_issue(*, user, name: str, contact: str = "") -> tuple[Open311Key, str]:
    """A new key for a civic app, by the administrator: the row, and the key itself, which is shown once."""
    if not roles.is_admin(user):
        raise PermissionDenied("只有系统管理员可以发放Open311密钥")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed([FieldError("name", "请填写应用名称（不超过100字）")])
    key = secrets.token_urlsafe(24)
    return Open311Key.objects.create(name=name, contact=contact[:100], key_hash=key_hash(key)), key


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_check(key: str | None) -> Open311Key | None:
    if not key:
        return None
    return Open311Key.objects.filter(key_hash=key_hash(key), active=True).first()
