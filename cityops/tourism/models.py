"""Tourist support: the FAQ knowledge base (an entry per subject, its text per language) and
the conversations with tourists (questions, the answers shown, their feedback)."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityops.tourism.choices import Language, Topic


class FaqEntry(models.Model):
    """One subject tourists ask about (the Imperial City's hours, the airport bus…), told in
    each language by its texts."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["topic", "position", "key"]

    def __str__(self) -> str:
        return self.key


class FaqText(models.Model):
    """An entry's question and answer in one language; ``phrasings`` are other ways of asking
    (one a line), searched with the question."""

    entry = models.ForeignKey(
        FaqEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="texts"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    question = models.CharField(_("question"), max_length=300)
    phrasings = models.TextField(
        _("other phrasings"), blank=True, help_text=_("Other ways of asking, one a line.")
    )
    answer = models.TextField(_("answer"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("FAQ text")
        verbose_name_plural = _("FAQ texts")
        ordering = ["entry", "language"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "language"], name="tourism_text_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.entry.key} [{self.language}]"


def _token() -> str:
    return secrets.token_urlsafe(18)


class Conversation(models.Model):
    """A tourist's questions in one visit, held by a random token (no account); it becomes the
    transcript of the report sent to the IOC."""

    token = models.CharField(_("token"), max_length=40, unique=True, default=_token)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    started_at = models.DateTimeField(_("started"))
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tourist conversation")
        verbose_name_plural = _("tourist conversations")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Question(models.Model):
    """A question a tourist asked, the language it was read in, and whether it sounded like a
    complaint."""

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    detected_language = models.CharField(
        _("detected language"), max_length=2, choices=Language.choices
    )
    is_complaint = models.BooleanField(_("complaint"), default=False)
    asked_at = models.DateTimeField(_("asked"))

    class Meta:
        verbose_name = _("tourist question")
        verbose_name_plural = _("tourist questions")
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Shown(models.Model):
    """An FAQ answer shown for a question, its similarity score and the tourist's "did this
    help?" (empty until answered)."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="shown"
    )
    entry = models.ForeignKey(
        FaqEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="shown"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    helpful = models.BooleanField(_("helpful"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer shown")
        verbose_name_plural = _("answers shown")
        ordering = ["question", "rank"]

    def __str__(self) -> str:
        return f"{self.entry.key} #{self.rank}"
