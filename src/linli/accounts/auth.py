from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user", "user__region", "user__organization__region")
            .filter(key_hash=ApiToken.hash(token), expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if found and found.is_current():
            request.user = found.user
            return found.user
        return None


# Pages' JavaScript calls the API with the session cookie (CSRF checked); other clients use bearer tokens.
API_AUTH = [BearerToken(), django_auth]
