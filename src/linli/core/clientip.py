"""The client's address, as every rate limit, the audit log and the login lockout record it.

Behind a reverse proxy REMOTE_ADDR is the proxy. The proxy appends the address it was connected from to
X-Forwarded-For, but whatever the client sent in that header comes first and is believed by nobody. So the header
is read from the right, and only as far as trusted proxies (settings.TRUSTED_PROXIES, from LINLI_TRUSTED_PROXIES)
vouch for it: the first address that is not a trusted proxy is the client. With no trusted proxy, the header is
ignored. docs/operations.md shows the matching nginx configuration.
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the proxy list and the limits know them as a.b.c.d.
    return getattr(address, "ipv4_mapped", None) or address


def client_address(remote_addr: str, forwarded_for: str, trusted: Iterable[Network]) -> str:
    """The client's address from the peer's address and the X-Forwarded-For header ("" if the peer's is not an
    IP address, e.g. a Unix socket). Each hop that is a trusted proxy hands over to the entry it appended, the
    one left of it; the walk stops at the first untrusted hop, which is the client. A malformed entry stops it
    too, at the last trusted hop: a trusted proxy writes addresses, so anything else came from the client."""
    trusted = tuple(trusted)
    hop = _address(remote_addr)
    if hop is None:
        return ""
    entries = forwarded_for.split(",") if forwarded_for else []
    for entry in reversed(entries):
        if not any(hop in network for network in trusted):
            break
        previous = _address(entry)
        if previous is None:
            break
        hop = previous
    return str(hop)


def client_ip(request) -> str:
    """client_address for a Django request, with the configured trusted proxies."""
    return client_address(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), settings.TRUSTED_PROXIES
    )
