"""Pure rules of signing in with a code sent by SMS: what a code looks like, how long it lives, how often a number
or a client address may ask for one, and when wrong codes lock a number. No Django."""

import math
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.utils.translation import gettext

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=5)

# (window, how many) pairs: one more is allowed while every window holds fewer than its count.
Limits = tuple[tuple[timedelta, int], ...]
# Codes sent to one number: one a minute, five an hour, ten a day.
CODES_PER_PHONE: Limits = ((timedelta(minutes=1), 1), (timedelta(hours=1), 5), (timedelta(days=1), 10))
# Codes asked from one client address. Mobile carriers put many phones behind one address (CGNAT), so this is
# wide: it stops one machine from sending SMS to a list of numbers, not a housing estate from signing in.
CODES_PER_ADDRESS: Limits = ((timedelta(hours=1), 30), (timedelta(days=1), 100))
# Wrong codes from one client address (a guesser trying many numbers, five guesses each).
FAILURES_PER_ADDRESS: Limits = ((timedelta(hours=1), 30),)

# Five wrong codes within a quarter of an hour lock the number for a quarter of an hour after the fifth.
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
LOOKBACK = LOCKOUT_WINDOW + LOCKOUT  # the wrong codes that can still hold a number locked

KEEP = max(window for limits in (CODES_PER_PHONE, CODES_PER_ADDRESS, FAILURES_PER_ADDRESS) for window, _ in limits)


def new_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    return f"{randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def normalize_code(text: str) -> str:
    """What a resident types, as a code: full-width digits and spaces (a code pasted from an SMS) are forgiven."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def well_formed(code: str) -> bool:
    return len(code) == CODE_DIGITS and code.isascii() and code.isdigit()


def expired(created_at: datetime, now: datetime) -> bool:
    return now >= created_at + CODE_TTL


def wait(limits: Limits, earlier: Iterable[datetime], now: datetime) -> timedelta:
    """How long until one more is allowed, given when the earlier ones happened: zero when it is allowed now. One
    stamped after `now` counts too: a request that waited for another's lock took its time before the other wrote."""
    earlier = sorted(earlier, reverse=True)
    longest = timedelta(0)
    for window, count in limits:
        inside = [at for at in earlier if at > now - window]
        if len(inside) >= count:
            # The count-th most recent one has to leave the window first.
            longest = max(longest, inside[count - 1] + window - now)
    return longest


def locked_until(failures: Iterable[datetime], now: datetime) -> datetime | None:
    """The end of the number's lockout, or None: LOCKOUT_FAILURES wrong codes within LOCKOUT_WINDOW lock it for
    LOCKOUT after the last of them."""
    failures = sorted(failures)
    ends = [
        failures[i] + LOCKOUT
        for i in range(LOCKOUT_FAILURES - 1, len(failures))
        if failures[i] - failures[i - LOCKOUT_FAILURES + 1] <= LOCKOUT_WINDOW
    ]
    end = max(ends, default=None)
    return end if end is not None and end > now else None


def wait_text(delta: timedelta) -> str:
    """The wait in words, rounded up: a resident told "1分钟" who comes back after it must not be refused again."""
    seconds = max(1, math.ceil(delta.total_seconds()))
    return (
        gettext("%(seconds)s秒") % {"seconds": seconds}
        if seconds < 60
        else gettext("%(ceil)s分钟") % {"ceil": math.ceil(seconds / 60)}
    )
