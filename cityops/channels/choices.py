from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    IN = "in", _("Received")
    OUT = "out", _("Sent")


class ConversationState(models.TextChoices):
    """Where a conversation stands: gathering a report, following it, or over."""

    GATHERING = "gathering", _("Gathering the report")
    FOLLOWING = "following", _("Following the report")
    CLOSED = "closed", _("Closed")


class Delivery(models.TextChoices):
    """What became of a message sent to a citizen."""

    RECEIVED = "received", _("Received")  # an incoming message
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
