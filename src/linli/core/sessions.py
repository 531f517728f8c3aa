"""Sessions: the pages keep their idle timeout, refreshed at most once a minute; the API never writes a session;
and a session that cannot be saved never turns a response into an error."""

import logging
import time

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import DatabaseError
from django.utils.cache import patch_vary_headers

from .http import served_by_the_api

logger = logging.getLogger(__name__)


class ReadOnly:
    """Mixed into the configured session store for API requests: the session loads, and is never written."""

    def save(self, must_create=False):
        pass

    def create(self):
        pass

    def delete(self, session_key=None):
        pass


# The session key holding when the idle timeout was last pushed back (seconds since the epoch).
TOUCHED = "_touched"


def refreshed_at_login(sender, request, user, **kwargs):
    """A login saves the session: the idle timeout starts there (connected to user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        request.session[TOUCHED] = int(time.time())


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, with three differences.

    A page extends the idle timeout (SESSION_COOKIE_AGE after the last request) by saving the session, but at most
    once every SESSION_REFRESH_SECONDS: a signed-in user's clicks do not each write the session row, and the
    timeout ends at most that much earlier than it would with a save on every request.

    An API request reads the session and never writes it. The pages' JavaScript is authenticated by the session
    cookie, but an API call neither creates a session (django-axes would create one at a token login) nor saves
    one (the refresh would extend the pages' idle timeout), and it answers without Set-Cookie: a client that keeps
    cookies writes no session rows.

    A session that cannot be saved once the view has answered (deleted meanwhile by a logout in another tab, or
    the database busy past its timeout) is logged, and the view's response goes out unchanged, without the
    cookie: the view's transaction has committed, and answering an error would tell the client that its change
    failed when it did not.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        # Same class name as the configured store's: Django signs session data with a salt made from it.
        store = self.SessionStore
        self.ReadOnlyStore = type(store.__name__, (ReadOnly, store), {"__qualname__": store.__qualname__})

    def process_view(self, request, view_func, view_args, view_kwargs):
        if served_by_the_api(request):
            request.session = self.ReadOnlyStore(request.session.session_key)

    def process_response(self, request, response):
        if isinstance(getattr(request, "session", None), ReadOnly):
            if request.session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(TOUCHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[TOUCHED] = now  # modified: Django saves it and sends the cookie with the new expiry
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, DatabaseError):
            logger.warning("session not saved; the response goes out without it", exc_info=True)
            return response


def seconds_left(session) -> int:
    """How long the signed-in session lasts without another request, at the latest save this request makes: the
    middleware pushes the timeout back on the way out when the last push is SESSION_REFRESH_SECONDS old, else it
    ends SESSION_COOKIE_AGE after that push (a later save of the session for another reason only makes it longer)."""
    touched = session.get(TOUCHED, 0)
    now = int(time.time())
    if now - touched >= settings.SESSION_REFRESH_SECONDS:
        return settings.SESSION_COOKIE_AGE
    return max(0, touched + settings.SESSION_COOKIE_AGE - now)


def keep(session) -> int:
    """Push the idle timeout back now (the "继续使用" of the expiry warning); the seconds it lasts from here."""
    session[TOUCHED] = int(time.time())  # modified: the middleware saves it with a fresh expiry and cookie
    return settings.SESSION_COOKIE_AGE
