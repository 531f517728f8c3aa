"""Who the API answers: staff (most of it), residents (the portal's endpoints) or anyone signed in (their own
messages). A session or token of the other kind is answered 403, so a resident never reaches a staff endpoint
whatever the endpoint's own checks say, and the reverse."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth

from linli.core.errors import PermissionDenied

from . import roles
from .models import ApiToken

STAFF_ONLY = _("居民账号不能使用此功能")
RESIDENTS_ONLY = _("此功能仅供居民使用")


def _admit(user, accept: str):
    """The user, if `accept` ("staff", "residents" or "anyone") lets them in; 403 if they are of the other kind."""
    if accept == "staff" and not roles.is_staff_member(user):
        raise PermissionDenied(STAFF_ONLY)
    if accept == "residents" and not roles.is_resident(user):
        raise PermissionDenied(RESIDENTS_ONLY)
    return user


class BearerToken(HttpBearer):
    def __init__(self, accept: str = "staff"):
        super().__init__()
        self.accept = accept

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user", "user__region", "user__organization__region")
            .filter(key_hash=ApiToken.hash(token), expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if found and found.is_current():
            request.user = _admit(found.user, self.accept)
            return found.user
        return None


class Session(SessionAuth):
    """Django's session (CSRF checked, as ninja's django_auth), for pages' JavaScript."""

    def __init__(self, accept: str = "staff"):
        super().__init__()
        self.accept = accept

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return _admit(user, self.accept) if user else None


# Pages' JavaScript calls the API with the session cookie (CSRF checked); other clients use bearer tokens.
API_AUTH = [BearerToken(), Session()]
RESIDENT_AUTH = [BearerToken("residents"), Session("residents")]
USER_AUTH = [BearerToken("anyone"), Session("anyone")]
