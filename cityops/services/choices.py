"""The rating's levels and criteria."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The three levels of the national one-stop-shop satisfaction survey."""

    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")

    @property
    def is_satisfied(self) -> bool:
        return self in (Level.VERY_SATISFIED, Level.SATISFIED)


class Score(models.IntegerChoices):
    """An optional criterion's answer."""

    BAD = 1, _("Not good")
    FAIR = 2, _("Acceptable")
    GOOD = 3, _("Good")


class Criterion(models.TextChoices):
    """The optional criteria, each a ``Score`` field of the rating."""

    ATTITUDE = "attitude", _("Officer's attitude")
    TIME = "time", _("Processing time as promised")
    CLARITY = "clarity", _("Clear guidance")
    FEES = "fees", _("Fees as posted")


class Via(models.TextChoices):
    """How the rating came: a dossier's QR code, the desk's QR code on a phone, the desk's
    tablet."""

    DOSSIER = "dossier", _("Dossier QR code")
    DESK = "desk", _("Desk QR code")
    KIOSK = "kiosk", _("Desk tablet")
