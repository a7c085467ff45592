"""The press sites, seen from CityOps: polite HTTP GETs of feeds and article pages.

Every request names itself (``CITYOPS_PRESS["user_agent"]``), goes to http(s) addresses only,
has a connect and a read timeout and an overall deadline (a server trickling bytes cannot hold
a worker), and stops reading past a size cap. A feed is asked conditionally (ETag and
Last-Modified of its previous answer), so an unchanged feed costs a 304.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings


class FetchError(Exception):
    """A fetch that did not give a usable answer: the message says why (kept on the source)."""


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 (not modified: ``content`` empty)
    url: str  # after redirects
    content: bytes
    content_type: str
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


MAX_REDIRECTS = 5


def web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def same_site(url: str, feed: str) -> bool:
    """Whether ``url`` is on the feed's site: its host, a host under it, or under the feed
    host's parent (rss.tuoitre.vn publishes tuoitre.vn/...). An article address a feed names
    elsewhere (an internal address, another site) is not fetched: the feed's text is kept."""
    host, home = urlsplit(url).hostname or "", urlsplit(feed).hostname or ""
    if not host or not home:
        return False
    labels = home.split(".")
    parent = ".".join(labels[1:]) if len(labels) >= 3 and not home[0].isdigit() else home
    return any(host == site or host.endswith("." + site) for site in {home, parent})


def fetch(
    url: str,
    *,
    max_bytes: int,
    etag: str = "",
    last_modified: str = "",
    accept: str = "*/*",
) -> Fetched:
    """GET ``url``; raises ``FetchError`` for a refused address, a timeout, a connection error,
    an HTTP error status or an answer larger than ``max_bytes``."""
    if not web_address(url):
        raise FetchError(f"Not an http(s) address: {url[:200]}")
    config = settings.CITYOPS_PRESS
    connect, read = float(config["connect_timeout"]), float(config["read_timeout"])
    headers = {"User-Agent": str(config["user_agent"]), "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + connect + read * 2
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    try:
        with session.get(url, headers=headers, timeout=(connect, read), stream=True) as response:
            if not web_address(response.url):
                raise FetchError(f"Redirected outside http(s): {response.url[:200]}")
            if response.status_code == 304:
                return Fetched(304, response.url, b"", "", etag, last_modified)
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason or ''}".strip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"Too large: {declared} bytes (at most {max_bytes}).")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"Too large: more than {max_bytes} bytes.")
                if time.monotonic() > deadline:
                    raise FetchError("Too slow: the answer did not arrive in time.")
                chunks.append(chunk)
            return Fetched(
                status=response.status_code,
                url=response.url,
                content=b"".join(chunks),
                content_type=response.headers.get("Content-Type", ""),
                etag=response.headers.get("ETag", "")[:300],
                last_modified=response.headers.get("Last-Modified", "")[:100],
            )
    except requests.Timeout as error:
        raise FetchError(f"Timed out: {type(error).__name__}") from error
    except requests.TooManyRedirects as error:
        raise FetchError("Too many redirects.") from error
    except requests.RequestException as error:
        raise FetchError(f"Connection failed: {type(error).__name__}") from error
    finally:
        session.close()
