"""大字: the resident and field pages' larger type, remembered in a cookie the server reads, so the first paint of
every page is already large (no flash of small type, no script needed before it). The cookie holds only "big" or
"normal"; the page's script (static/linli/text-size.js) sets it too, without reloading a half-typed form."""

COOKIE = "linli_text"
BIG = "big"
NORMAL = "normal"
MAX_AGE = 365 * 24 * 3600


def is_big(request) -> bool:
    return request.COOKIES.get(COOKIE) == BIG
