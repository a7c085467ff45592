"""Facts about an HTTP request that several delivery apps need."""

from __future__ import annotations

import ipaddress
import json
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from cityops.platform.errors import InvalidInput

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request: HttpRequest) -> str:
    """The client's address: the only place that decides it (rate limits, identity-read log).

    The socket's peer, unless that peer is one of ``CITYOPS_TRUSTED_PROXIES``: then
    ``X-Forwarded-For`` is read from the right (each proxy appends the address it saw), past
    the trusted proxies, to the first address no trusted proxy could have written for itself.
    Everything to its left was written by the client and is ignored. The web server must not
    rewrite the peer itself (``cityops run`` turns uvicorn's proxy headers off; production runs
    uvicorn with ``--no-proxy-headers``).
    """
    peer = str(request.META.get("REMOTE_ADDR") or "unknown")
    proxies = trusted_proxies()
    if not proxies or not _within(peer, proxies):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = peer
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        if _address(hop) is None:
            break  # not an address: a trusted proxy did not write it, so stop at the last one
        address = hop
        if not _within(hop, proxies):
            break
    return address


def trusted_proxies() -> tuple[Network, ...]:
    return parse_trusted_proxies(tuple(settings.CITYOPS_TRUSTED_PROXIES))


@lru_cache(maxsize=8)
def parse_trusted_proxies(values: tuple[str, ...]) -> tuple[Network, ...]:
    """``CITYOPS_TRUSTED_PROXIES``: addresses and networks (CIDR); ImproperlyConfigured if bad."""
    networks = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        try:
            if text.isdigit():  # the former meaning, a number of proxies, is not an address
                raise ValueError(text)
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"CITYOPS_TRUSTED_PROXIES: {text!r} is not an IP address or network; list the "
                "proxies' addresses or CIDR networks, comma-separated, e.g. 10.0.0.5,10.1.0.0/16."
            ) from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _within(text: str, networks: tuple[Network, ...]) -> bool:
    address = _address(text)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


# JSON bodies -------------------------------------------------------------------------------------

# No CityOps payload is nested deeper than a few levels (a list of readings: 3; GeoJSON: 7).
# Deeper JSON is an attack on the parser (100,000 levels exhaust Python's recursion).
MAX_JSON_DEPTH = 32
_PARSED = "_cityops_json_body"


class MalformedJSON(InvalidInput):
    """A body (or field) that is not JSON, or is nested deeper than ``MAX_JSON_DEPTH``."""

    def __init__(self, message: str) -> None:
        super().__init__(message, fields={"body": [message]})


def json_parse(raw: bytes | str) -> Any:
    """The JSON value of ``raw``; ``MalformedJSON`` with the reason when it is not one."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise MalformedJSON(_too_deep()) from None
    except ValueError as error:  # JSONDecodeError, and UnicodeDecodeError for bad UTF-8
        raise MalformedJSON(f"The body is not valid JSON: {error}.") from None
    if _deeper_than(value, MAX_JSON_DEPTH):
        raise MalformedJSON(_too_deep())
    return value


def json_body(request: HttpRequest) -> Any:
    """The request's JSON body, parsed once per request (the write guard and the route share
    it); raises ``MalformedJSON`` every time it is asked for a body that is not JSON."""
    parsed: Any = getattr(request, _PARSED, _PARSED)
    if parsed is _PARSED:
        try:
            parsed = json_parse(request.body)
        except MalformedJSON as malformed:
            parsed = malformed
        setattr(request, _PARSED, parsed)
    if isinstance(parsed, MalformedJSON):
        raise parsed
    return parsed


def _too_deep() -> str:
    return f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep."


def _deeper_than(value: Any, limit: int) -> bool:
    """Walked without recursion, so that the check cannot exhaust the stack itself."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False
