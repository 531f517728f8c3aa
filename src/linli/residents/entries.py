"""The portal's home page entries (我的 page): where the next modules plug in.

A module that serves residents (owners' votes, volunteering, certificate applications…) registers its entry from its
AppConfig.ready(); the portal never imports the module. `shown` decides, for one resident, whether the entry
appears: an owners' vote for residents bound to a person who owns a house, volunteering for registered volunteers.
It gets the Resident (with .person, which may be None before 实名认证) and must cost at most one query.

    from linli.residents.entries import Entry, register

    register(Entry("votes", "业主投票", "votes:mine", order=50, shown=lambda r: r.person_id is not None and
                   HouseOwner.objects.filter(person_id=r.person_id).exists()))
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


def _always(resident) -> bool:
    return True


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    url_name: str
    hint: str = ""  # a line under the label
    order: int = 100  # lower first
    shown: Callable[[object], bool] = _always
    needs_binding: bool = False  # shown to bound residents only

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_ENTRIES: dict[str, Entry] = {}


def register(entry: Entry) -> None:
    if entry.key in _ENTRIES and _ENTRIES[entry.key] != entry:
        raise ValueError(f"portal entry {entry.key!r} registered twice")
    _ENTRIES[entry.key] = entry


def for_resident(resident) -> list[Entry]:
    """The entries this resident sees, in order."""
    return [
        e
        for e in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key))
        if (resident.person_id or not e.needs_binding) and e.shown(resident)
    ]
