"""Press and social-media monitoring: the outlets polled, what they published, the stories
several outlets tell, the watch list and where its entries are named.

An ``Item`` is kept once (by canonical address and by a hash of its text) with the hash as
evidence of what was read. Every item belongs to a ``Story``: the group of near-duplicate items
(the same news told by several outlets, found by MinHash LSH); a story of one item is a story.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityops.press.choices import (
    ItemPart,
    Language,
    PressAlarmKind,
    SourceKind,
    StoryReportOrigin,
    Tone,
    WatchKind,
)

if TYPE_CHECKING:
    from cityops.reports.models import Report


class Source(models.Model):
    """An outlet the IOC follows: a newspaper's RSS/Atom feed, polled politely, or a public
    social-media page whose exported posts an operator imports.

    ``etag`` and ``last_modified`` are the validators of the feed's last answer, sent back so an
    unchanged feed answers 304. After an error the next poll waits longer (``backoff_seconds``,
    doubling up to a cap) until a poll succeeds.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=SourceKind.choices, default=SourceKind.FEED
    )
    url = models.URLField(_("feed address"), max_length=1000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    fetch_pages = models.BooleanField(
        _("fetch article pages"),
        default=True,
        help_text=_("Read each article's page for its full text (else the feed's summary only)."),
    )
    poll_interval = models.PositiveIntegerField(
        _("poll interval (s)"), default=900, help_text=_("Seconds between two polls of the feed.")
    )
    etag = models.CharField(_("ETag"), max_length=300, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    next_poll_at = models.DateTimeField(_("next poll at"), null=True, blank=True)
    consecutive_errors = models.PositiveIntegerField(_("errors in a row"), default=0)
    backoff_seconds = models.PositiveIntegerField(_("back-off (s)"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(
        _("last fetched at"), null=True, blank=True, help_text=_("The last poll that got content.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("press source")
        verbose_name_plural = _("press sources")
        ordering = ["name"]
        indexes = [models.Index(fields=["is_active", "next_poll_at"], name="press_source_due")]

    def __str__(self) -> str:
        return self.name


class Story(models.Model):
    """One piece of news as several outlets told it: a group of near-duplicate items.

    Its counts, tone, category and place are worked out again from its items whenever one joins
    (``story_refresh``). ``lat``/``lon`` are the place's centroid when a city area is named.
    """

    headline = models.CharField(_("headline"), max_length=500)
    first_seen_at = models.DateTimeField(_("first seen"), db_index=True)
    last_seen_at = models.DateTimeField(_("last seen"), db_index=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    outlet_count = models.PositiveIntegerField(_("outlets"), default=0)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, blank=True)
    tone_confidence = models.FloatField(_("tone confidence"), null=True, blank=True)
    category = models.ForeignKey(
        "reports.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_stories",
    )
    area = models.ForeignKey(
        "agencies.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_stories",
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    reports: models.ManyToManyField[Report, StoryReport] = models.ManyToManyField(
        "reports.Report",
        through="StoryReport",
        verbose_name=_("field reports"),
        related_name="press_stories",
        blank=True,
    )

    class Meta:
        verbose_name = _("press story")
        verbose_name_plural = _("press stories")
        ordering = ["-last_seen_at", "-pk"]
        indexes = [
            models.Index(fields=["tone", "last_seen_at"], name="press_story_tone"),
            models.Index(fields=["outlet_count", "last_seen_at"], name="press_story_reach"),
        ]

    def __str__(self) -> str:
        return self.headline


class Item(models.Model):
    """One article or post as fetched, kept as evidence: its text, a SHA-256 of it, when and
    from where it was read.

    ``url`` is the canonical address (fragment and tracking parameters dropped): an article is
    kept once whatever feed or link brought it, and once per outlet by its text's hash.
    ``dated_at`` is the publication time when known and believable, else the fetch time: what
    time windows and daily counts go by.
    """

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="items"
    )
    url = models.URLField(_("address"), max_length=1000, unique=True)
    guid = models.CharField(_("id in the feed"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now)
    dated_at = models.DateTimeField(_("date"), db_index=True)
    content_hash = models.CharField(_("SHA-256 of the text"), max_length=64)
    # Title and lead folded (lower case, no diacritics): "ngap" finds "Ngập" (``item_record``).
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    signature = models.BinaryField(_("MinHash signature"), blank=True, default=b"", editable=False)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, blank=True)
    tone_confidence = models.FloatField(_("tone confidence"), null=True, blank=True)
    category = models.ForeignKey(
        "reports.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_items",
    )
    category_confidence = models.FloatField(_("category confidence"), null=True, blank=True)
    area = models.ForeignKey(
        "agencies.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_items",
    )
    story = models.ForeignKey(
        Story,
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("press item")
        verbose_name_plural = _("press items")
        ordering = ["-dated_at", "-pk"]
        constraints = [
            # The same text twice from one outlet (another address for it) is kept once; the
            # same wire copy from two outlets is two items of one story.
            models.UniqueConstraint(fields=["source", "content_hash"], name="press_item_text_once")
        ]
        indexes = [
            models.Index(fields=["story", "dated_at"], name="press_item_story"),
            models.Index(fields=["source", "dated_at"], name="press_item_source"),
            models.Index(fields=["tone", "dated_at"], name="press_item_tone"),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class WatchEntry(models.Model):
    """A person, agency, place or project the IOC wants to hear of in the press.

    ``folded`` holds the name and each alias folded (lower case, without diacritics), as the
    matcher compares them; it is written by ``watch_entry_save`` whenever the names change.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=WatchKind.choices)
    name = models.CharField(_("name"), max_length=200)
    aliases = models.TextField(
        _("other names"), blank=True, help_text=_("One per line: other spellings, abbreviations.")
    )
    folded = models.JSONField(_("folded forms"), default=list, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    area = models.ForeignKey(
        "agencies.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_watch",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_watch",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("watch-list entry")
        verbose_name_plural = _("watch list")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="press_watch_one_per_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Mention(models.Model):
    """A watched entry named in an item: the first place it was found (the words as written,
    the part of the item and the character offset there) and how many times.

    ``dated_at`` repeats the item's so the hourly counts behind spike detection read one table.
    """

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="mentions"
    )
    entry = models.ForeignKey(
        WatchEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="mentions"
    )
    matched_text = models.CharField(_("matched text"), max_length=300)
    part = models.CharField(_("found in"), max_length=10, choices=ItemPart.choices)
    position = models.PositiveIntegerField(_("position"))
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    dated_at = models.DateTimeField(_("date"))

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["-dated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "entry"], name="press_one_mention_per_item")
        ]
        indexes = [models.Index(fields=["entry", "dated_at"], name="press_mention_entry")]

    def __str__(self) -> str:
        return f"{self.entry} @ {self.item_id}"


class StoryReport(models.Model):
    """A field report tied to a story: one found alike (same category, place and days) or one
    an operator made from the story (through the reports' intake, channel ``press``)."""

    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="report_links"
    )
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="press_links",
    )
    origin = models.CharField(_("origin"), max_length=10, choices=StoryReportOrigin.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("story's report")
        verbose_name_plural = _("stories' reports")
        constraints = [
            models.UniqueConstraint(fields=["story", "report"], name="press_story_report_once"),
            models.UniqueConstraint(
                fields=["story"],
                condition=Q(origin=StoryReportOrigin.CREATED),
                name="press_one_report_made_per_story",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} → #{self.report_id}"


class PressAlarm(models.Model):
    """Ties an alarm raised by press monitoring to its watch-list entry (and story): a negative
    story is raised once per story and entry, whatever the alarm's later life."""

    alarm = models.ForeignKey(
        "alerts.Alarm", verbose_name=_("alarm"), on_delete=models.CASCADE, related_name="press"
    )
    entry = models.ForeignKey(
        WatchEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="alarms"
    )
    story = models.ForeignKey(
        Story,
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alarms",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PressAlarmKind.choices)
    value = models.FloatField(_("value"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("press alarm")
        verbose_name_plural = _("press alarms")
        constraints = [
            models.UniqueConstraint(
                fields=["story", "entry", "kind"],
                condition=Q(story__isnull=False),
                name="press_alarm_once_per_story",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.entry}"


class PressDigest(models.Model):
    """A daily press digest that went out: the city's day it was for, so a second run of the
    job that day sends nothing (``digest.press_digest_send``)."""

    day = models.DateField(_("day"), unique=True)
    period_end = models.DateTimeField(_("period up to"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    stories = models.PositiveIntegerField(_("stories in the digest"), default=0)

    class Meta:
        verbose_name = _("press digest")
        verbose_name_plural = _("press digests")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()
