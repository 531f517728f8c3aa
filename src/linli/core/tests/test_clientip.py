"""The client's address behind trusted proxies: the rule as a table and a property, the setting, and the places that
record an address (audit log, login lockout) reading it alike."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from linli.audit.models import AuditEntry
from linli.core.clientip import client_address, client_ip
from linli.settings import envnetworks
from linli.testing.factories import PASSWORD

NETS = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "192.168.1.5/32", "::1/128")]
CLIENT = "203.0.113.7"


@pytest.mark.parametrize(
    "remote, forwarded, trusted, expected",
    [
        # nobody trusted: the header is whatever the client wrote
        (CLIENT, "198.51.100.1", [], CLIENT),
        ("10.0.0.2", "198.51.100.1", [], "10.0.0.2"),
        # the peer is not a proxy of ours: its header is ignored too
        (CLIENT, "10.0.0.9", NETS, CLIENT),
        # one proxy appends the client
        ("10.0.0.2", CLIENT, NETS, CLIENT),
        ("192.168.1.5", CLIENT, NETS, CLIENT),
        ("192.168.1.6", CLIENT, NETS, "192.168.1.6"),
        # what the client sent comes first and is passed over, even when it names a trusted address
        ("10.0.0.2", f"198.51.100.1, {CLIENT}", NETS, CLIENT),
        ("10.0.0.2", f"10.9.9.9, {CLIENT}", NETS, CLIENT),
        # a chain of trusted proxies, each appending the one before it
        ("10.0.0.2", f"198.51.100.1, {CLIENT}, 10.0.0.3, 192.168.1.5", NETS, CLIENT),
        # every hop trusted: the farthest one known
        ("10.0.0.2", "10.0.0.3, 10.0.0.4", NETS, "10.0.0.3"),
        ("10.0.0.2", "", NETS, "10.0.0.2"),
        # malformed entries end the walk at the last trusted hop
        ("10.0.0.2", "unknown", NETS, "10.0.0.2"),
        ("10.0.0.2", f"{CLIENT}, garbage, 10.0.0.3", NETS, "10.0.0.3"),
        ("10.0.0.2", f"{CLIENT},, 10.0.0.3", NETS, "10.0.0.3"),
        ("10.0.0.2", f"{CLIENT}:4711", NETS, "10.0.0.2"),
        ("10.0.0.2", f"  {CLIENT}  ", NETS, CLIENT),
        # IPv6, and IPv4 peers as a dual-stack socket reports them
        ("::1", "2001:db8::7", NETS, "2001:db8::7"),
        ("10.0.0.2", "2001:DB8:0::7", NETS, "2001:db8::7"),
        ("::ffff:10.0.0.2", CLIENT, NETS, CLIENT),
        ("10.0.0.2", f"::ffff:{CLIENT}", NETS, CLIENT),
        # no address at all (a Unix socket): nothing to go on
        ("", CLIENT, NETS, ""),
        ("unix:/run/linli.sock", CLIENT, NETS, ""),
    ],
)
def test_client_address(remote, forwarded, trusted, expected):
    assert client_address(remote, forwarded, trusted) == expected


public_ips = st.ip_addresses(v=4).filter(lambda a: a.is_global).map(str)
proxies = st.lists(st.ip_addresses(network="10.0.0.0/8").map(str), max_size=4)
anything = st.lists(st.one_of(st.text(max_size=20), st.ip_addresses().map(str)), max_size=5)


@given(client=public_ips, chain=proxies, proxy=st.ip_addresses(network="10.0.0.0/8").map(str), spoofed=anything)
def test_whatever_the_client_writes_first_the_answer_is_the_same(client, chain, proxy, spoofed):
    honest = ", ".join([client, *chain])
    forged = ", ".join([*spoofed, honest])
    assert client_address(proxy, forged, NETS) == client_address(proxy, honest, NETS) == client


@pytest.mark.parametrize(
    "value, networks",
    [
        ("", []),
        (" , ", []),
        ("10.0.0.0/8, 192.168.1.5", ["10.0.0.0/8", "192.168.1.5/32"]),
        ("127.0.0.1,::1", ["127.0.0.1/32", "::1/128"]),
        ("2001:db8::/32", ["2001:db8::/32"]),
    ],
)
def test_trusted_proxies_setting(monkeypatch, value, networks):
    monkeypatch.setenv("LINLI_TRUSTED_PROXIES", value)
    assert [str(n) for n in envnetworks("LINLI_TRUSTED_PROXIES")] == networks


@pytest.mark.parametrize("value", ["10.0.0.1/8", "proxy.example", "10.0.0.0/33"])
def test_a_wrong_trusted_proxies_setting_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("LINLI_TRUSTED_PROXIES", value)
    with pytest.raises(ImproperlyConfigured, match="LINLI_TRUSTED_PROXIES"):
        envnetworks("LINLI_TRUSTED_PROXIES")


def test_client_ip_reads_the_request_with_the_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.1, {CLIENT}")
    settings.TRUSTED_PROXIES = []
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXIES = NETS
    assert client_ip(request) == CLIENT


def test_login_lockout_and_audit_log_record_the_client_behind_the_proxy(world, settings):
    """django-axes (AXES_CLIENT_IP_CALLABLE) and the audit log ask the same function as the rate limits."""
    settings.TRUSTED_PROXIES = NETS
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.1, {CLIENT}")

    def login(password: str):
        body = {"username": "community_worker", "password": password}
        return client.post("/api/v1/auth/login", body, content_type="application/json")

    assert login("wrong-password").status_code == 401
    assert AccessAttempt.objects.get().ip_address == CLIENT
    assert login(PASSWORD).status_code == 200
    assert AuditEntry.objects.get(action=AuditEntry.Action.LOGIN).ip == CLIENT
