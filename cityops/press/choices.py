"""The vocabulary of press monitoring."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tone(models.TextChoices):
    """How a story speaks of its subject (the tone model's three classes)."""

    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class SourceKind(models.TextChoices):
    """Where a source's items come from: a feed polled over HTTP, or files exported from a
    public social-media page and imported by an operator (never scraped)."""

    FEED = "feed", _("RSS or Atom feed")
    SOCIAL = "social", _("Social-media export")


class WatchKind(models.TextChoices):
    """What a watch-list entry names."""

    PERSON = "person", _("Person")
    AGENCY = "agency", _("Agency")
    PLACE = "place", _("Place")
    PROJECT = "project", _("Project")

    @property
    def alarms_on_negative(self) -> bool:
        """A negative story about a person or an agency is an alarm; about a place it is news."""
        return self in (WatchKind.PERSON, WatchKind.AGENCY)


class ItemPart(models.TextChoices):
    """The part of an item a mention was found in."""

    TITLE = "title", _("Title")
    LEAD = "lead", _("Lead")
    TEXT = "text", _("Text")


class PressAlarmKind(models.TextChoices):
    """The press conditions that raise an alarm through the alerts services."""

    SPIKE = "spike", _("Mentions spike")
    NEGATIVE = "negative", _("Negative story")


class StoryReportOrigin(models.TextChoices):
    """How a field report is tied to a story."""

    MATCHED = "matched", _("Same category, place and time")
    CREATED = "created", _("Made from the story")


class Language(models.TextChoices):
    VIETNAMESE = "vi", _("Vietnamese")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other")
