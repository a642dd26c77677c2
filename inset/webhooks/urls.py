"""Where webhooks may go: https to public addresses only (no requests into our network)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from inset.errors import Invalid
from inset.webhooks.settings import allow_loopback

MAX_URL_LENGTH = 2000
# Cloud metadata services that are not in a private or link-local range everywhere.
METADATA = {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Invalid(f"the host {host!r} does not resolve", ("url",)) from None
    found = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        found.append(address)
    return found


def check_url(url: str) -> str:
    """The URL, trimmed, when a webhook may be sent to it; Invalid (field `url`) otherwise.

    Checked when an endpoint is saved and again before every request, since what a name
    resolves to can change. Every address the host resolves to must be public: loopback,
    private, link-local (169.254.169.254 and other metadata services), shared, reserved
    and multicast addresses are refused, so that a webhook cannot reach into the network
    Inset runs in. With INSET_WEBHOOK_ALLOW_LOOPBACK=1, 127.0.0.1 and ::1 are allowed,
    over http too.
    """
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise Invalid(f"url is longer than {MAX_URL_LENGTH} characters", ("url",))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Invalid("url is not a valid URL", ("url",)) from None
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise Invalid("url must be an https:// URL", ("url",))
    if parts.username is not None or parts.password is not None:
        raise Invalid("url must not carry a user name or password", ("url",))
    if parts.fragment:
        raise Invalid("url must not have a #fragment", ("url",))
    addresses = _addresses(host, port or (443 if parts.scheme == "https" else 80))
    loopback_allowed = allow_loopback() and all(a.is_loopback for a in addresses)
    if parts.scheme == "http" and not loopback_allowed:
        raise Invalid("url must use https; plain http is refused", ("url",))
    for address in addresses:
        if loopback_allowed:
            break
        if not address.is_global or address in METADATA or address.is_multicast:
            raise Invalid(
                f"url resolves to {address}, which is not a public address; webhooks go "
                "only to public https endpoints",
                ("url",),
            )
    return url
