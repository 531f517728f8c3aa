"""The portal's one door: pages take `@resident_required`, the API `auth=RESIDENT_AUTH` (accounts.auth)."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from linli.accounts import roles


def resident_required(view):
    """Signed-in residents only: others are sent to sign in, staff answered 403 (they have their own pages)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not roles.is_resident(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
