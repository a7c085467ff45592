"""Polling the outlets and keeping what they publish, each item once.

Each due source is polled in its own job (``tasks.poll_source``), so a slow or broken outlet
holds only its own worker for at most its timeouts. A poll asks the feed conditionally; each new
entry's page is fetched once (its address not seen before), its text extracted, the item kept
and read (``item_analyse``). An error (HTTP status, timeout, unreadable feed) postpones the next
poll: the poll interval doubled for each error in a row, capped.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from cityops.intel.text import fold
from cityops.platform import clock
from cityops.press.choices import SourceKind
from cityops.press.extraction import (
    FeedError,
    ItemIn,
    canonical_url,
    feed_entries,
    item_with_page,
    page_extract,
)
from cityops.press.models import Item, Source
from cityops.press.text import clean
from cityops.press.web import FetchError, fetch, same_site, web_address

logger = logging.getLogger(__name__)

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
FUTURE_TOLERANCE = timedelta(hours=1)  # a date ahead of the fetch by more is a wrong date


# --- the source's state ----------------------------------------------------------------------


def backoff_for(*, interval: int, errors: int) -> int:
    """Seconds before the next poll after ``errors`` errors in a row: the interval doubled per
    error, at most ``backoff_max_seconds`` (and never less than the interval)."""
    cap = max(int(settings.CITYOPS_PRESS["backoff_max_seconds"]), interval)
    return int(min(cap, interval * 2 ** min(errors, 30)))


def _succeeded(source: Source, now: datetime, *, fetched: bool, etag: str, modified: str) -> None:
    values: dict[str, object] = {
        "consecutive_errors": 0,
        "backoff_seconds": 0,
        "last_polled_at": now,
        "next_poll_at": now + timedelta(seconds=source.poll_interval),
        "etag": etag,
        "last_modified": modified,
    }
    if fetched:
        values["last_fetched_at"] = now
    Source.objects.filter(pk=source.pk).update(**values)
    source.refresh_from_db()


def _failed(source: Source, now: datetime, error: str) -> None:
    errors = source.consecutive_errors + 1
    backoff = backoff_for(interval=source.poll_interval, errors=errors)
    Source.objects.filter(pk=source.pk).update(
        consecutive_errors=F("consecutive_errors") + 1,
        backoff_seconds=backoff,
        last_error=error[:2000],
        last_error_at=now,
        last_polled_at=now,
        next_poll_at=now + timedelta(seconds=backoff),
    )
    source.refresh_from_db()
    logger.info("press source %s: %s (next poll in %s s)", source.name, error, backoff)


def sources_due(*, now: datetime | None = None) -> list[Source]:
    """Active feed sources whose next poll time has come (or that were never polled)."""
    now = now or clock.now()
    return list(
        Source.objects.filter(is_active=True, kind=SourceKind.FEED)
        .exclude(url="")
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .order_by(F("next_poll_at").asc(nulls_first=True), "pk")
    )


# The scheduler runs once a minute: a source due before its next run is taken now, else every
# poll would come up to a minute late and a 300 s interval would be ≈356 s (bench/press.py).
CLAIM_AHEAD = timedelta(seconds=30)


def sources_claim_due(*, now: datetime | None = None) -> list[int]:
    """Take the sources due by the scheduler's next run (within ``CLAIM_AHEAD``): each one's
    next poll time is pushed one interval on at once, so the scheduler does not hand it out
    again while its job waits or runs (the poll sets it properly when it ends). Returns the
    ids taken."""
    now = now or clock.now()
    due_by = now + CLAIM_AHEAD
    claimed = []
    for source in sources_due(now=due_by):
        lease = now + timedelta(seconds=max(source.poll_interval, 60))
        taken = (
            Source.objects.filter(pk=source.pk)
            .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=due_by))
            .update(next_poll_at=lease)
        )
        if taken:
            claimed.append(source.pk)
    return claimed


# --- items -----------------------------------------------------------------------------------


def content_hash(*, title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Recorded:
    item: Item | None  # None: an entry without address or text
    new: bool


def item_known(*, url: str) -> bool:
    return Item.objects.filter(url=canonical_url(url)).exists()


def item_record(*, source: Source, entry: ItemIn, now: datetime | None = None) -> Recorded:
    """Keep one article or post once: by its canonical address, and by the hash of its title
    and text within its outlet. The item is not read here (``item_analyse``)."""
    now = now or clock.now()
    if not web_address(entry.url):
        return Recorded(None, new=False)
    url = canonical_url(entry.url)
    title, text, lead = clean(entry.title), clean(entry.text), clean(entry.lead)
    if not (title or text or lead):
        return Recorded(None, new=False)
    body = text or lead
    digest = content_hash(title=title, text=body)
    seen = Item.objects.filter(Q(url=url) | Q(source=source, content_hash=digest)).first()
    if seen is not None:
        return Recorded(seen, new=False)
    published = entry.published_at
    dated = published if published is not None and published <= now + FUTURE_TOLERANCE else now
    try:
        with transaction.atomic():
            item = Item.objects.create(
                source=source,
                url=url,
                guid=entry.guid,
                title=title,
                author=entry.author,
                lead=lead,
                text=text,
                published_at=published,
                fetched_at=now,
                dated_at=dated,
                content_hash=digest,
                search_text=item_search_text(title=title, lead=lead),
            )
    except IntegrityError:  # kept by a concurrent poll meanwhile
        seen = Item.objects.filter(Q(url=url) | Q(source=source, content_hash=digest)).first()
        return Recorded(seen, new=False)
    return Recorded(item, new=True)


def item_search_text(*, title: str, lead: str) -> str:
    """What the press lists search in: title and lead, folded as the words searched for."""
    return fold(f"{title}\n{lead}")


def _with_page(source: Source, entry: ItemIn) -> ItemIn:
    """The entry with its page's text; the feed's own text when the page cannot be had."""
    if not source.fetch_pages:
        return entry
    if not same_site(entry.url, source.url):
        logger.info("press page %s: not on the feed's site, not fetched", entry.url)
        return entry
    try:
        page = fetch(
            entry.url, max_bytes=int(settings.CITYOPS_PRESS["max_page_bytes"]), accept=PAGE_ACCEPT
        )
    except FetchError as error:
        logger.info("press page %s: %s", entry.url, error)
        return entry
    return item_with_page(entry, page_extract(page.content, url=page.url))


# --- a poll ----------------------------------------------------------------------------------


@dataclass
class Polled:
    """What one poll of a source did."""

    source: Source
    outcome: str  # "fetched", "not_modified", "error", "skipped"
    new: int = 0
    seen: int = 0
    error: str = ""
    items: list[int] = field(default_factory=list)


def source_poll(
    *,
    source: Source,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Polled:
    """Poll one feed source once (whether due or not): fetch it conditionally, keep and read each
    new entry. ``progress(done, total)`` is told after each entry."""
    from cityops.press.services.analysis import item_analyse

    now = now or clock.now()
    if source.kind != SourceKind.FEED or not source.url:
        return Polled(source, "skipped")
    config = settings.CITYOPS_PRESS
    try:
        answer = fetch(
            source.url,
            max_bytes=int(config["max_feed_bytes"]),
            etag=source.etag,
            last_modified=source.last_modified,
            accept=FEED_ACCEPT,
        )
        if answer.not_modified:
            _succeeded(source, now, fetched=False, etag=source.etag, modified=source.last_modified)
            return Polled(source, "not_modified")
        entries = feed_entries(answer.content, base_url=answer.url)
    except (FetchError, FeedError) as error:
        _failed(source, now, str(error))
        return Polled(source, "error", error=str(error))
    polled = Polled(source, "fetched")
    entries = entries[: int(config["max_items_per_poll"])]
    for done, entry in enumerate(entries, start=1):
        if item_known(url=entry.url):
            polled.seen += 1
        else:
            recorded = item_record(source=source, entry=_with_page(source, entry), now=now)
            if recorded.new and recorded.item is not None:
                item_analyse(item=recorded.item)
                polled.new += 1
                polled.items.append(recorded.item.pk)
            else:
                polled.seen += 1
        if progress is not None:
            progress(done, len(entries))
    _succeeded(source, now, fetched=True, etag=answer.etag, modified=answer.last_modified)
    return polled
