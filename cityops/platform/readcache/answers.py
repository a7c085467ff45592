"""Kept answers: who may be given one, under which key, and how it is given."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import parse_qsl

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.csrf import (  # type: ignore[attr-defined]
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    InvalidTokenFormat,
    _check_token_format,
    _get_new_csrf_string,
    _mask_cipher_secret,
    _unmask_cipher_token,
)
from django.utils import translation
from django.utils.http import http_date, parse_etags, parse_http_date_safe

logger = logging.getLogger(__name__)

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

CREDENTIAL_HEADERS = frozenset({b"authorization", b"proxy-authorization", b"x-api-key"})
# A query parameter named like a credential (Open311's ``api_key``, a ``token``) sends the
# request to Django: its answer could be the caller's own.
_CREDENTIAL_PARAM = re.compile(r"key|token", re.IGNORECASE)
# The request headers the key holds besides the language: what the views vary on.
KEYED_HEADERS = (b"hx-request",)
# Response ``Vary`` names the key accounts for: the language (negotiated from the cookie and
# Accept-Language), the cookie (only the CSRF and language ones get here) and htmx.
KEYED_VARY = frozenset({"accept-language", "cookie", "hx-request"})
# Headers a 304 repeats (RFC 9110 §15.4.5), as Django's ConditionalGetMiddleware.
NOT_MODIFIED_HEADERS = frozenset(
    {b"cache-control", b"content-location", b"date", b"etag", b"expires", b"last-modified", b"vary"}
)
_MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)
# Clocks of different processes may differ this much (seconds): Last-Modified allows for it.
CLOCK_MARGIN = 0.25


# -- kept answers -----------------------------------------------------------------------------


@dataclass
class Entry:
    """An answer as Django gave it, ready to be given again."""

    headers: Headers  # without Set-Cookie, ETag, Last-Modified
    parts: list[bytes]  # the body, cut where Django wrote a CSRF token
    digest: str
    depends_on: tuple[str, ...]
    generations: list[int]
    last_modified: int | None
    expires: float  # time.monotonic()
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.size = sum(map(len, self.parts)) + sum(len(n) + len(v) for n, v in self.headers)

    @property
    def has_tokens(self) -> bool:
        return len(self.parts) > 1


class Store:
    """The kept answers of this process: least recently used go first, by count and bytes."""

    def __init__(self, *, entries: int, size: int) -> None:
        self.max_entries, self.max_size = entries, size
        self._entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self.size = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple[Any, ...]) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[Any, ...], entry: Entry) -> None:
        if entry.size > self.max_size:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old.size
        self._entries[key] = entry
        self.size += entry.size
        while len(self._entries) > self.max_entries or self.size > self.max_size:
            _, dropped = self._entries.popitem(last=False)
            self.size -= dropped.size

    def clear(self) -> None:
        self._entries.clear()
        self.size = 0


# -- the visitor ------------------------------------------------------------------------------


class _LanguageProbe:
    """What ``translation.get_language_from_request`` reads of a request."""

    def __init__(self, cookies: dict[str, str], accept: str, path: str) -> None:
        self.COOKIES = cookies
        self.META = {"HTTP_ACCEPT_LANGUAGE": accept}
        self.path_info = path


@dataclass
class Visitor:
    """An anonymous GET or HEAD request, as far as the cache reads it."""

    key: tuple[Any, ...]
    head: bool
    csrf_secret: str | None
    if_none_match: str | None
    if_modified_since: int | None


def _language(cookies: dict[str, str], accept: str, path: str) -> str:
    """The language LocaleMiddleware will choose, by the same function."""
    check_path = is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]
    probe = _LanguageProbe(cookies, accept, path)
    return translation.get_language_from_request(probe, check_path=check_path)  # type: ignore[arg-type]


def _csrf_secret(cookies: dict[str, str]) -> str | None:
    """The visitor's CSRF secret, as CsrfViewMiddleware reads it; None: Django makes a new one."""
    value = cookies.get(settings.CSRF_COOKIE_NAME)
    if value is None:
        return None
    try:
        _check_token_format(value)
    except InvalidTokenFormat:
        return None
    return _unmask_cipher_token(value) if len(value) == CSRF_TOKEN_LENGTH else value


def visitor_of(scope: Scope) -> Visitor | None:
    """The request, if it may be answered from the cache (else None: Django answers it)."""
    method = scope["method"]
    if method not in ("GET", "HEAD"):
        return None
    query: bytes = scope.get("query_string") or b""
    if query and _CREDENTIAL_PARAM.search(query.decode("latin-1")):
        names = {name for name, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)}
        if any(_CREDENTIAL_PARAM.search(name) for name in names):
            return None
    cookie = accept = host = if_none_match = if_modified_since = ""
    keyed: list[bytes] = []
    forwarded: list[bytes] = []
    forwarded_names = _forwarded_headers()
    for name, value in scope.get("headers") or ():
        name = name.lower()
        if name in CREDENTIAL_HEADERS:
            return None
        if name == b"cookie":
            cookie = value.decode("latin-1")
        elif name == b"accept-language":
            accept = value.decode("latin-1")
        elif name == b"host":
            host = value.decode("latin-1")
        elif name == b"if-none-match":
            if_none_match = value.decode("latin-1")
        elif name == b"if-modified-since":
            if_modified_since = value.decode("latin-1")
        elif name in KEYED_HEADERS:
            keyed += (name, value)
        elif name in forwarded_names:
            forwarded += (name, value)
    cookies = parse_cookie(cookie) if cookie else {}
    allowed = (settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)
    if any(name not in allowed for name in cookies):
        return None  # a session, a message or anything else the page may show: Django's
    path = scope["path"]
    key = (
        scope.get("scheme", "http"),
        host,
        scope.get("root_path", ""),
        path,
        query,
        _language(cookies, accept, path),
        tuple(keyed),
        tuple(forwarded),
    )
    return Visitor(
        key=key,
        head=method == "HEAD",
        csrf_secret=_csrf_secret(cookies),
        if_none_match=if_none_match or None,
        if_modified_since=parse_http_date_safe(if_modified_since) if if_modified_since else None,
    )


def _forwarded_headers() -> frozenset[bytes]:
    """Proxy headers Django reads for the scheme and host (when configured to)."""
    names = set()
    if settings.SECURE_PROXY_SSL_HEADER:
        names.add(settings.SECURE_PROXY_SSL_HEADER[0].removeprefix("HTTP_"))
    if settings.USE_X_FORWARDED_HOST:
        names.add("X_FORWARDED_HOST")
    if settings.USE_X_FORWARDED_PORT:
        names.add("X_FORWARDED_PORT")
    return frozenset(name.replace("_", "-").lower().encode() for name in names)


# -- answers ----------------------------------------------------------------------------------


def _header(headers: Headers, name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _vary_names(headers: Headers) -> set[str]:
    return {
        part.strip().lower()
        for key, value in headers
        if key.lower() == b"vary"
        for part in value.decode("latin-1").split(",")
        if part.strip()
    }


def _secret_tag(secret: str) -> str:
    """A visitor's part of a page's ETag: their copy holds tokens of their CSRF secret only."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"read-cache-etag:" + secret.encode(), hashlib.sha256).hexdigest()[:12]


def csrf_cookie_header(secret: str) -> bytes:
    """The CSRF cookie exactly as CsrfViewMiddleware sets it (and Django's handler writes it)."""
    before, after = _csrf_cookie_around(
        settings.CSRF_COOKIE_NAME,
        settings.CSRF_COOKIE_AGE,
        settings.CSRF_COOKIE_DOMAIN,
        settings.CSRF_COOKIE_PATH,
        settings.CSRF_COOKIE_SECURE,
        settings.CSRF_COOKIE_HTTPONLY,
        settings.CSRF_COOKIE_SAMESITE,
        int(time.time()),  # its Expires date is this second's
    )
    return before + secret.encode("ascii") + after


@lru_cache(maxsize=4)
def _csrf_cookie_around(
    name: str,
    max_age: int | None,
    domain: str | None,
    path: str,
    secure: bool,
    httponly: bool,
    samesite: Literal["Lax", "Strict", "None", False] | None,
    second: int,
) -> tuple[bytes, bytes]:
    """The CSRF cookie's header around its value, written by Django's own ``set_cookie`` once
    a ``second`` (its ``expires`` date is to the second): making a response for every
    visitor's cookie cost as much as the rest of a kept page's answer."""
    marker = "0" * CSRF_SECRET_LENGTH
    response = HttpResponse()
    response.set_cookie(
        name,
        marker,
        max_age=max_age,
        domain=domain,
        path=path,
        secure=secure,
        httponly=httponly,
        samesite=samesite,
    )
    header = response.cookies[name].output(header="").encode("ascii").strip()
    before, _, after = header.partition(marker.encode())
    return before, after


def _csrf_cookie_secret(cookies: Sequence[bytes]) -> str | None:
    """The secret of the only cookie Django set, if it is the CSRF cookie; else None."""
    if len(cookies) != 1:
        return None
    name, _, rest = cookies[0].decode("latin-1").partition("=")
    if name.strip() != settings.CSRF_COOKIE_NAME:
        return None
    secret = rest.split(";", 1)[0].strip()
    return secret if len(secret) == CSRF_SECRET_LENGTH and secret.isalnum() else None


def _cut_tokens(body: bytes, secret: str) -> list[bytes] | None:
    """``body`` cut around every CSRF token of ``secret``; None if the secret itself shows."""
    parts: list[bytes] = []
    start = 0
    for match in _MASKED_TOKEN.finditer(body):
        if _unmask_cipher_token(match.group().decode()) == secret:
            parts.append(body[start : match.start()])
            start = match.end()
    parts.append(body[start:])
    if any(secret.encode() in part for part in parts):
        return None
    return parts


def entry_of(
    status: int,
    headers: Headers,
    body: bytes,
    *,
    depends_on: tuple[str, ...],
    generations: list[int],
    born: float,
    seconds: float,
) -> tuple[Entry, str | None] | None:
    """What to keep of Django's answer, and the CSRF secret its tokens belong to; None when it
    must not be kept: another status, a private answer, another cookie, another Vary."""
    if status != 200:
        return None
    control = (_header(headers, b"cache-control") or b"").lower()
    if b"private" in control or b"no-store" in control:
        return None
    if not _vary_names(headers) <= KEYED_VARY:
        return None
    cookies = [value for name, value in headers if name.lower() == b"set-cookie"]
    secret = _csrf_cookie_secret(cookies) if cookies else None
    if cookies and secret is None:
        return None
    parts = _cut_tokens(body, secret) if secret else [body]
    if parts is None:
        return None
    replaced = (b"set-cookie", b"etag", b"last-modified")
    kept = [(n, v) for n, v in headers if n.lower() not in replaced]
    if b"cache-control" not in {n.lower() for n, _ in kept}:
        # Browsers keep it and ask each time; a page with a visitor's tokens is theirs alone.
        kept.append((b"Cache-Control", b"private, no-cache" if len(parts) > 1 else b"no-cache"))
    digest = hashlib.blake2b(b"\0".join(parts), digest_size=12).hexdigest()
    changed = max(generations, default=0) / 1e6
    # Only a second no change shares with an earlier copy may be Last-Modified: a copy made in
    # the second of a change has none (its ETag still answers If-None-Match).
    unambiguous = math.floor(born - CLOCK_MARGIN) > math.floor(changed + CLOCK_MARGIN)
    entry = Entry(
        headers=kept,
        parts=parts,
        digest=digest,
        depends_on=depends_on,
        generations=generations,
        last_modified=math.floor(born) if unambiguous else None,
        expires=time.monotonic() + seconds,
    )
    return entry, secret


def _not_modified(visitor: Visitor, etag: bytes, last_modified: int | None) -> bool:
    if visitor.if_none_match is not None:  # RFC 9110 §13.1.3: then If-Modified-Since is not read
        wanted = parse_etags(visitor.if_none_match)
        return "*" in wanted or etag.decode().removeprefix("W/") in {
            tag.removeprefix("W/") for tag in wanted
        }
    if visitor.if_modified_since is not None and last_modified is not None:
        return last_modified <= visitor.if_modified_since
    return False


async def answer(entry: Entry, visitor: Visitor, send: Send, *, secret: str | None = None) -> None:
    """Give the kept answer to ``visitor`` (its tokens made from ``secret`` or theirs)."""
    headers = list(entry.headers)
    if entry.has_tokens:
        secret = secret or visitor.csrf_secret or _get_new_csrf_string()
        body = entry.parts[0] + b"".join(
            _mask_cipher_secret(secret).encode() + part for part in entry.parts[1:]
        )
        etag = f'W/"{entry.digest}-{_secret_tag(secret)}"'.encode()
        cookies = [(b"Set-Cookie", csrf_cookie_header(secret))]
    else:
        body = entry.parts[0]
        etag = f'"{entry.digest}"'.encode()
        cookies = []
    headers.append((b"ETag", etag))
    if entry.last_modified is not None:
        headers.append((b"Last-Modified", http_date(entry.last_modified).encode()))
    if _not_modified(visitor, etag, entry.last_modified):
        kept = [(n, v) for n, v in headers if n.lower() in NOT_MODIFIED_HEADERS]
        await send({"type": "http.response.start", "status": 304, "headers": kept + cookies})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": headers + cookies})
    await send({"type": "http.response.body", "body": b"" if visitor.head else body})
