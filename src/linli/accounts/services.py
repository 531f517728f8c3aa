from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core.errors import DomainError

from .models import ApiToken, User


class LoginFailed(DomainError):
    status = 401


class LockedOut(LoginFailed):
    status = 429


def token_login(*, request, username: str, password: str) -> str:
    """Password → bearer token. Failures count toward the lockout (django-axes) like page logins."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(_("登录失败次数过多，账户已锁定15分钟，请稍后再试"))
    if user is None:
        raise LoginFailed(_("用户名或密码错误"))
    # A token login is a login: the signal resets the failure count (AXES_RESET_ON_SUCCESS) and sets last_login.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    audit_record(actor=user, action=AuditEntry.Action.LOGIN, detail="API", request=request)
    # The user's expired tokens, and those a new password or "log out everywhere" ended, are refused already;
    # their rows go here so the table holds only live tokens.
    ApiToken.objects.filter(user=user).exclude(
        user_auth_hash=user.get_session_auth_hash(), expires_at__gt=timezone.now()
    ).delete()
    return ApiToken.issue(user, settings.API_TOKEN_TTL)


def token_logout(*, token: str) -> None:
    ApiToken.objects.filter(key_hash=ApiToken.hash(token)).delete()


@transaction.atomic
def logout_everywhere(*, user: User, request=None) -> None:
    """退出所有设备: every browser session and every API token of the user ends, the caller's own included.

    Bumping the login epoch changes the user's session auth hash, which every session and token carries; the
    sessions are not looked up (Django flushes each on its next use), the token rows are deleted.
    """
    User.objects.filter(pk=user.pk).update(login_epoch=F("login_epoch") + 1)
    ApiToken.objects.filter(user=user).delete()
    audit_record(actor=user, action=AuditEntry.Action.LOGOUT_ALL, request=request)
