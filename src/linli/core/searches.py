"""Searches by a full ID or phone number that keep the number out of every URL.

A URL reaches the web server's and the proxies' access logs, the browser's history and the Referer header of the
next page. A page that looks people up by such a number has its form posted; the number waits in the user's session,
encrypted like every stored number (core.pii), under a random search id, and the page redirects to its list with
`?search=<id>` beside the harmless filters. Paging, reloading and the back button then work without the number ever
travelling in a URL. A search lives half an hour at most, and a session keeps only its latest few.
"""

import secrets
import time
from collections.abc import Iterable, Mapping

from django.http import HttpRequest, QueryDict

from .pii import decrypt, encrypt

PARAM = "search"
SESSION_KEY = "searches"
LIFETIME = 30 * 60  # seconds: time to page through the results, not to keep numbers around
KEPT = 10  # the newest searches a session keeps; an older one's link shows "expired"


def search_url(request: HttpRequest, path: str, public: Mapping[str, str], secret: Mapping[str, str]) -> str:
    """`path` with the public filters in its query string and, when numbers were given, the id of a new search."""
    query = QueryDict(mutable=True)
    query.update({name: value for name, value in public.items() if value})
    if any(secret.values()):
        query[PARAM] = _remember(request, {name: value for name, value in secret.items() if value})
    return f"{path}?{query.urlencode()}" if query else path


def search_criteria(request: HttpRequest, secret: Iterable[str]) -> tuple[QueryDict, bool]:
    """The query string's filters with the numbers of its search id; the numbers never come from the URL itself.

    The flag is False when the URL names a search that has expired or belongs to another session: the caller shows
    no rows then, rather than the whole list as if no number had been asked for.
    """
    data = request.GET.copy()
    for name in (*secret, PARAM):
        data.pop(name, None)
    key = request.GET.get(PARAM)
    if not key:
        return data, True
    entry = _live(request).get(key)
    if entry is None:
        return data, False
    data.update({name: decrypt(token) for name, token in entry["values"].items()})
    return data, True


def _live(request: HttpRequest) -> dict:
    now = time.time()
    return {k: v for k, v in request.session.get(SESSION_KEY, {}).items() if now - v["at"] < LIFETIME}


def _remember(request: HttpRequest, values: Mapping[str, str]) -> str:
    key = secrets.token_urlsafe(12)
    searches = {**_live(request), key: {"at": time.time(), "values": {n: encrypt(v) for n, v in values.items()}}}
    newest = sorted(searches.items(), key=lambda item: item[1]["at"])[-KEPT:]
    request.session[SESSION_KEY] = dict(newest)
    return key
