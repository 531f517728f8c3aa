"""Reads of operations: the notices a user is shown."""

from linli.accounts.roles import EDIT_CALENDAR, REGISTRY, can

from .models import Notice

# Who is shown each audience's notices: the users who can resolve them.
AUDIENCES = {Notice.Audience.CALENDAR: (REGISTRY, EDIT_CALENDAR)}


def notices_for(user) -> list[Notice]:
    """The open notices the user can act on; no query for a user in no audience (most page views)."""
    audiences = [audience for audience, (table, capability) in AUDIENCES.items() if can(user, table, capability)]
    if not audiences:
        return []
    return list(Notice.objects.filter(audience__in=audiences, resolved_at__isnull=True))
