"""Facts about a request: the client's address (X-Forwarded-For is believed only from
CITYOPS_TRUSTED_PROXIES) and its JSON body (one reader, depth-limited)."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from cityops.platform.http import (
    MAX_JSON_DEPTH,
    MalformedJSON,
    client_ip,
    json_parse,
    parse_trusted_proxies,
)


def _request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_forwarded_address_is_ignored(settings):
    settings.CITYOPS_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "1.1.1.1")) == "203.0.113.9"
    assert client_ip(_request("127.0.0.1", "1.1.1.1")) == "127.0.0.1"


def test_a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address(settings):
    settings.CITYOPS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("203.0.113.9", "1.1.1.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(settings):
    settings.CITYOPS_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(_request("10.0.0.5", "198.51.100.7")) == "198.51.100.7"


def test_addresses_the_client_wrote_itself_are_skipped(settings):
    """The client sends 'X-Forwarded-For: 1.1.1.1'; the proxy appends the address it saw."""
    settings.CITYOPS_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(_request("10.0.0.5", "1.1.1.1, 198.51.100.7")) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.CITYOPS_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    forwarded = "1.1.1.1, 198.51.100.7, 2001:db8::1, 10.2.3.4"
    assert client_ip(_request("10.0.0.5", forwarded)) == "198.51.100.7"
    # Every hop trusted: the furthest one is the best we know.
    assert client_ip(_request("10.0.0.5", "10.9.9.9")) == "10.9.9.9"


def test_a_hop_that_is_not_an_address_stops_the_walk(settings):
    settings.CITYOPS_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(_request("10.0.0.5", "198.51.100.7, unknown")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.5", "")) == "10.0.0.5"


@pytest.mark.parametrize("value", ["1", "proxy.example.vn", "10.0.0.300"])
def test_a_setting_that_names_no_address_is_refused_with_its_reason(value):
    with pytest.raises(ImproperlyConfigured, match="CITYOPS_TRUSTED_PROXIES"):
        parse_trusted_proxies((value,))


# JSON bodies: one reader, with a depth limit.


def test_json_as_deep_as_the_limit_is_read():
    nested = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert json_parse(nested) is not None


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 900, 100_000])
def test_json_nested_deeper_than_the_limit_is_refused_with_its_reason(depth):
    with pytest.raises(MalformedJSON) as refused:
        json_parse('{"a": ' * depth + "1" + "}" * depth)
    assert refused.value.message == f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep."
    assert refused.value.http_status == 400
    assert refused.value.fields == {"body": [refused.value.message]}


@pytest.mark.parametrize("raw", [b"", b"{", b"\xff\xfe{}", "[1,]"])
def test_text_that_is_not_json_is_refused_with_its_reason(raw):
    with pytest.raises(MalformedJSON, match=r"^The body is not valid JSON: "):
        json_parse(raw)


def test_a_wide_but_shallow_document_is_not_too_deep():
    wide = {"values": {f"m{n}": n for n in range(10_000)}, "list": list(range(10_000))}
    assert json_parse(json.dumps(wide)) == wide
