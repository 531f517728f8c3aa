from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in

from linli.audit.services import audit_record
from linli.core.errors import DomainError

from .models import ApiToken


class LoginFailed(DomainError):
    status = 401


class LockedOut(LoginFailed):
    status = 429


def token_login(*, request, username: str, password: str) -> str:
    """Password → bearer token. Failures count toward the lockout (django-axes) like page logins."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut("登录失败次数过多，账户已锁定15分钟，请稍后再试")
    if user is None:
        raise LoginFailed("用户名或密码错误")
    # A token login is a login: the signal resets the failure count (AXES_RESET_ON_SUCCESS) and sets last_login.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    audit_record(actor=user, action="login", detail="API", request=request)
    return ApiToken.issue(user, settings.API_TOKEN_TTL)


def token_logout(*, token: str) -> None:
    ApiToken.objects.filter(key_hash=ApiToken.hash(token)).delete()
