from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityops.channels.choices import ConversationState, Delivery, Direction
from cityops.reports.choices import Channel


def _thread_token() -> str:
    return secrets.token_urlsafe(12)


class Conversation(models.Model):
    """One citizen's exchange on one outside channel: a chat with the city's Zalo or Facebook
    page, an e-mail thread, a phone number's text messages.

    ``address`` is who the citizen is on that channel (a Zalo user id, a Messenger page-scoped
    id, an e-mail address, a phone number): personal data, shown to IOC staff only. ``draft``
    holds what has been gathered for the report while it is not yet sent (text, place, photos,
    category), ``token`` names the thread where the channel needs one (an e-mail reply
    address).
    """

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    address = models.CharField(_("address on the channel"), max_length=255)
    token = models.CharField(max_length=32, unique=True, default=_thread_token)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ConversationState.choices,
        default=ConversationState.GATHERING,
    )
    draft = models.JSONField(_("draft"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [models.Index(fields=["channel", "address", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address"],
                condition=models.Q(state=ConversationState.GATHERING),
                name="one_gathering_conversation_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk}"


class ChannelMessage(models.Model):
    """A message received from or sent to a citizen on an outside channel, kept as evidence
    with its raw payload and the time it arrived (or was sent).

    ``external_id`` is the platform's own id of the message: the same delivery twice (webhooks
    are retried) is recognised by it and kept once.
    """

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    external_id = models.CharField(_("message id on the channel"), max_length=255, blank=True)
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="channel_messages",
    )
    address = models.CharField(_("address on the channel"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    payload = models.TextField(_("raw payload"), blank=True)
    received_at = models.DateTimeField(_("received or sent at"), default=timezone.now)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.RECEIVED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("channel message")
        verbose_name_plural = _("channel messages")
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "direction", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_message_per_external_id",
            ),
        ]
        indexes = [models.Index(fields=["report", "received_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_direction_display()} #{self.pk}"


class PushSubscription(models.Model):
    """A browser where a signed-in portal user allowed web push notifications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    failures = models.PositiveSmallIntegerField(_("failed deliveries in a row"), default=0)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user} ({self.user_agent[:40]})"
