"""An application's status and a message's author."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    """awaiting_payment (a fee is due) → submitted → in_progress ⇄ needs_info → done / refused."""

    AWAITING_PAYMENT = "awaiting_payment", _("Waiting for the fee")
    SUBMITTED = "submitted", _("Received")
    IN_PROGRESS = "in_progress", _("Being processed")
    NEEDS_INFO = "needs_info", _("More information needed")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
