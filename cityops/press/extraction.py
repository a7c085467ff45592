"""From bytes to items: feed entries (feedparser), article pages (trafilatura and htmldate),
exported social-media posts (JSON or CSV). No database here."""

from __future__ import annotations

import csv
import io
import json
import logging
from calendar import timegm
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import feedparser
import htmldate
import trafilatura
from django.conf import settings
from django.utils.dateparse import parse_datetime

from cityops.platform import clock
from cityops.press.text import clean, one_line, sentences

logger = logging.getLogger(__name__)

TITLE_MAX, AUTHOR_MAX, GUID_MAX, URL_MAX = 500, 200, 500, 1000
LEAD_MAX = 1000
TEXT_MAX = 100_000


class FeedError(Exception):
    """The content is not a feed CityOps can read (bad XML, an HTML page …)."""


class ExportError(Exception):
    """A social-media export that cannot be read; the message says where."""


@dataclass(frozen=True)
class ItemIn:
    """One article or post as a source gives it, before it is kept."""

    url: str
    guid: str = ""
    title: str = ""
    author: str = ""
    lead: str = ""
    text: str = ""
    published_at: datetime | None = None


# --- addresses -------------------------------------------------------------------------------

_TRACKING = ("utm_", "fbclid", "gclid", "zarsrc", "mc_cid", "mc_eid", "_ga")


def canonical_url(url: str) -> str:
    """The address an article is known by: scheme and host in lower case, no default port, no
    fragment, no tracking parameters (``utm_*``, ``fbclid`` …), the other parameters sorted."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not (
        (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(_TRACKING)
    )
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))[
        :URL_MAX
    ]


# --- dates -----------------------------------------------------------------------------------


def city_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def as_utc(moment: datetime | None) -> datetime | None:
    """Aware and in UTC; a naive time is the city's local time. Outside 1900–2999: None."""
    if moment is None or not clock.in_range(moment):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=city_zone())
    return moment.astimezone(UTC)


def parse_date(text: str | None) -> datetime | None:
    """An ISO 8601 or RFC 822 date as found in exports and pages, in UTC (None if unreadable)."""
    if not text:
        return None
    text = text.strip()
    try:
        parsed = parse_datetime(text)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(text)  # RFC 822, as in e-mail and RSS
        except (TypeError, ValueError, IndexError):
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                return None
    return as_utc(parsed)


def _struct_date(entry: Any, *names: str) -> datetime | None:
    for name in names:
        struct = entry.get(name)
        if struct:
            try:
                return as_utc(datetime.fromtimestamp(timegm(struct), tz=UTC))
            except (OverflowError, ValueError):
                continue
    return None


# --- feeds -----------------------------------------------------------------------------------


def _html_to_text(html: str) -> str:
    if "<" not in html:
        return clean(html)
    try:
        extracted = trafilatura.extract(html, include_comments=False, include_tables=False)
    except Exception:
        return ""
    return clean(extracted or "")


def feed_entries(content: bytes, *, base_url: str = "") -> list[ItemIn]:
    """The entries of an RSS or Atom document, newest first as the feed orders them."""
    parsed = feedparser.parse(
        content, response_headers={"content-location": base_url} if base_url else None
    )
    if parsed.get("bozo") and not parsed.entries and not parsed.feed.get("title"):
        error = parsed.get("bozo_exception")
        raise FeedError(f"Not a readable feed: {error or 'no entries'}"[:500])
    if not parsed.get("version") and not parsed.entries:
        raise FeedError("Not an RSS or Atom feed.")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
            link = entry["id"]
        if not link:
            continue
        summary = entry.get("summary") or ""
        contents = entry.get("content") or []
        body = " ".join(part.get("value", "") for part in contents) if contents else ""
        items.append(
            ItemIn(
                url=link.strip(),
                guid=str(entry.get("id") or entry.get("guid") or "")[:GUID_MAX],
                title=one_line(entry.get("title"), TITLE_MAX),
                author=one_line(entry.get("author"), AUTHOR_MAX),
                lead=_html_to_text(summary)[:LEAD_MAX],
                text=_html_to_text(body)[:TEXT_MAX] if body else "",
                published_at=_struct_date(entry, "published_parsed", "updated_parsed"),
            )
        )
    return items


# --- article pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    title: str
    author: str
    lead: str
    text: str
    published_at: datetime | None


def page_extract(html: bytes | str, *, url: str) -> Page | None:
    """The main text, title, author, lead and publication time of an article page (None when
    no article text is found)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as error:
        logger.info("press page %s: not extracted (%s)", url, error)
        return None
    if document is None:
        return None
    title = one_line(getattr(document, "title", ""), TITLE_MAX)
    text = clean(getattr(document, "text", "") or "")
    lines = text.split("\n")
    if lines and title and one_line(lines[0], TITLE_MAX) == title:
        text = "\n".join(lines[1:]).strip()  # the page's own heading, repeated
    if not text:
        return None
    description = one_line(getattr(document, "description", "") or "", LEAD_MAX)
    lead = description or next(iter(sentences(text)), "")[:LEAD_MAX]
    return Page(
        title=title,
        author=one_line(getattr(document, "author", "") or "", AUTHOR_MAX),
        lead=lead,
        text=text[:TEXT_MAX],
        published_at=_page_date(html, url),
    )


def _page_date(html: str, url: str) -> datetime | None:
    try:
        found = htmldate.find_date(
            html,
            url=url,
            original_date=True,
            extensive_search=False,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
        )
    except Exception:
        return None
    return parse_date(found) if found else None


def item_with_page(item: ItemIn, page: Page | None) -> ItemIn:
    """The feed's entry completed by its page: the page's text; the feed's title, author and
    date when it has them (a feed says them plainly, a page's are guessed)."""
    if page is None:
        return item
    return replace(
        item,
        title=item.title or page.title,
        author=item.author or page.author,
        lead=item.lead or page.lead,
        text=page.text or item.text,
        published_at=item.published_at or page.published_at,
    )


# --- exported social-media posts -------------------------------------------------------------

EXPORT_FIELDS = {
    "id": ("id", "post_id", "postId"),
    "time": ("time", "created_time", "created_at", "timestamp", "date"),
    "text": ("text", "message", "content", "post_text"),
    "url": ("url", "permalink_url", "permalink", "link", "post_url"),
}


def _field(row: dict[str, Any], name: str) -> str:
    for key in EXPORT_FIELDS[name]:
        value = row.get(key)
        if value not in (None, ""):
            return str(value)
    return ""


def _export_time(value: str) -> datetime | None:
    if value.strip().isdigit():
        seconds = int(value.strip())
        if seconds > 10**11:  # milliseconds
            seconds //= 1000
        try:
            return as_utc(datetime.fromtimestamp(seconds, tz=UTC))
        except (OverflowError, ValueError, OSError):
            return None
    return parse_date(value)


def social_posts(content: bytes, *, name: str) -> list[ItemIn]:
    """The posts of a page's export: a JSON list (or ``{"data": [...]}``) or a CSV with a header,
    each with an id, a time, a text and an address (a post without address or text is returned
    as it is, and left out when kept: ``item_record``). ``name`` (the file's) decides the
    format: ``.csv``, or else JSON."""
    text = content.decode("utf-8-sig", errors="replace")
    rows: list[dict[str, Any]]
    if name.lower().endswith(".csv"):
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ExportError(f"Not JSON: line {error.lineno}: {error.msg}") from error
        if isinstance(data, dict):
            data = data.get("data") or data.get("posts") or []
        if not isinstance(data, list):
            raise ExportError("A JSON export is a list of posts.")
        rows = [row for row in data if isinstance(row, dict)]
    posts = []
    for row in rows:
        url, body = _field(row, "url").strip(), clean(_field(row, "text"))
        first = next(iter(sentences(body)), body)
        posts.append(
            ItemIn(
                url=url,
                guid=_field(row, "id")[:GUID_MAX],
                title=one_line(first, TITLE_MAX),
                lead=one_line(first, LEAD_MAX),
                text=body[:TEXT_MAX],
                published_at=_export_time(_field(row, "time")),
            )
        )
    return posts
