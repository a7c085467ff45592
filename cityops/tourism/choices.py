"""The vocabulary of tourist support."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The six languages tourists are answered in (ISO 639-1)."""

    VI = "vi", "Tiếng Việt"
    EN = "en", "English"
    KO = "ko", "한국어"
    ZH = "zh", "中文"
    JA = "ja", "日本語"
    FR = "fr", "Français"


# Where a question finds no entry in its own language, these are searched too (in this order).
FALLBACK_LANGUAGES = (Language.EN, Language.VI)


class Topic(models.TextChoices):
    """What an FAQ entry is about."""

    OPENING_HOURS = "opening_hours", _("Opening hours")
    TICKETS = "tickets", _("Tickets")
    PRICES = "prices", _("Prices")
    TRANSPORT = "transport", _("Transport")
    EMERGENCY = "emergency", _("Emergency numbers")
    SIGHTS = "sights", _("Sights")
    PRACTICAL = "practical", _("Practical information")
    COMPLAINTS = "complaints", _("Complaints and scams")
