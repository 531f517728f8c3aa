"""Reference data that most pages draw and few users change: the region tree's names, case categories, departments,
tags. Read per request, their queries cost a list page about a tenth of its time (2 ms of 20 at a district of
1,000,000 residents), for rows that change a few times a year.

`kept` holds what a function returns in the process's memory for REFERENCE_SECONDS. A change made through the
models in this process drops it at once, and again when the transaction commits (a read inside the transaction may
have kept what it was about to write); other processes and nodes see it when their copy expires. So a renamed grid
or a new category reaches the other workers' selects within REFERENCE_SECONDS. Kept values are for drawing choices
and names, never for deciding scope or permission: those read the database on every request.
"""

import threading
from collections.abc import Callable, Iterable, Mapping

from cachetools import TTLCache, cached
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

_KEPT: list[Callable] = []


def kept(*models, maxsize: int = 1) -> Callable[[Callable], Callable]:
    """Keep a function's values (one per distinct arguments, at most `maxsize`) until `models` change or
    REFERENCE_SECONDS pass; `cache_clear()` drops them. Values are shared between callers: return tuples or
    read-only mappings."""

    def decorate(build: Callable) -> Callable:
        # Locked: the test server and the background worker run threads.
        read = cached(TTLCache(maxsize=maxsize, ttl=settings.REFERENCE_SECONDS), lock=threading.Lock())(build)

        def drop(**kwargs) -> None:
            read.cache_clear()
            transaction.on_commit(read.cache_clear)

        for model in models:
            post_save.connect(drop, sender=model, weak=False)
            post_delete.connect(drop, sender=model, weak=False)
        _KEPT.append(read)
        return read

    return decorate


def covering(read: Callable[[], Mapping], keys: Iterable) -> Mapping:
    """The mapping a kept function of no arguments returns, read again if it lacks one of `keys` (None aside): a row
    made by another process since the mapping was kept."""
    mapping = read()
    if any(key is not None and key not in mapping for key in keys):
        read.cache_clear()
        mapping = read()
    return mapping


def forget() -> None:
    """Drop every kept value: after writes that send no model signals (bulk loads, a test's rolled-back data)."""
    for read in _KEPT:
        read.cache_clear()
