"""Open311 clients: the API keys the administrator issues (only their hash is stored), and the requests they file,
at most POSTS_PER_MINUTE a key."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from linli.accounts import roles
from linli.core.errors import FieldError, PermissionDenied, TooManyRequests, ValidationFailed
from linli.core.locks import hold

from .. import services
from ..models import Case, Open311Key
from . import selectors

POSTS_PER_MINUTE = 60


def key_issue(*, user, name: str, contact: str = "") -> tuple[Open311Key, str]:
    """A new key for a civic app, by the administrator: the row, and the key itself, which is shown once."""
    if not roles.is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以发放Open311密钥"))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed([FieldError("name", _("请填写应用名称（不超过100字）"))])
    key = secrets.token_urlsafe(24)
    return Open311Key.objects.create(name=name, contact=contact[:100], key_hash=key_hash(key)), key


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_check(key: str | None) -> Open311Key | None:
    if not key:
        return None
    return Open311Key.objects.filter(key_hash=key_hash(key), active=True).first()


def posts_limit_check(*, key: Open311Key, now: datetime) -> None:
    """Refuse (429) one more request from a client that has filed POSTS_PER_MINUTE in the past minute. The
    endpoint asks before it reads the request, to turn a client over its cap away cheaply; request_file asks
    again where it counts."""
    if selectors.requests_since(key, now - timedelta(minutes=1)) >= POSTS_PER_MINUTE:
        raise TooManyRequests(
            _("提交过于频繁：每个API密钥每分钟最多提交%(POSTS_PER_MINUTE)s件，请稍后再试")
            % {"POSTS_PER_MINUTE": POSTS_PER_MINUTE}
        )


def request_file(*, key: Open311Key, data: dict, now: datetime) -> Case:
    """File a client's request as a case. The cap is counted again in the insert's transaction, holding the key,
    so simultaneous posts cannot all pass a count taken before any of them was written."""

    def claim() -> None:
        hold(f"open311:{key.pk}")
        posts_limit_check(key=key, now=now)

    return services.case_create(
        user=None, channel=Case.Channel.OPEN311, data=data, open311_key=key, now=now, claim=claim
    )
