from django.db import models
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    """The rule a camera saw broken (the fine bands and legal basis: ``fines.py``)."""

    RED_LIGHT = "red_light", _("Running a red light")
    WRONG_WAY = "wrong_way", _("Driving the wrong way")
    ILLEGAL_PARKING = "illegal_parking", _("Illegal parking")
    NO_HELMET = "no_helmet", _("Riding without a helmet")
    WRONG_LANE = "wrong_lane", _("Driving in the wrong lane")
    LITTERING = "littering", _("Littering in a public place")


class VehicleType(models.TextChoices):
    MOTORBIKE = "motorbike", _("Motorbike")
    CAR = "car", _("Car")
    TRUCK = "truck", _("Truck")
    BUS = "bus", _("Bus")
    OTHER = "other", _("Other vehicle")


class DetectionStatus(models.TextChoices):
    """A camera's violation event as received: kept whatever becomes of it (nothing lost)."""

    PENDING = "pending", _("Waiting to be processed")
    CASED = "cased", _("Made into a case")
    REFUSED = "refused", _("Refused")


class CaseStatus(models.TextChoices):
    """detected → reviewed → confirmed | rejected → notice_issued → paid | contested → closed."""

    DETECTED = "detected", _("Detected")
    REVIEWED = "reviewed", _("Reviewed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    NOTICE_ISSUED = "notice_issued", _("Notice issued")
    PAID = "paid", _("Paid")
    CONTESTED = "contested", _("Contested")
    CLOSED = "closed", _("Closed")

    @property
    def is_final(self) -> bool:
        return self in (CaseStatus.REJECTED, CaseStatus.CLOSED)

    @property
    def is_public(self) -> bool:
        """Whether the lookup page opens it: only once a notice (and with it the code) went out."""
        return self in (
            CaseStatus.NOTICE_ISSUED,
            CaseStatus.PAID,
            CaseStatus.CONTESTED,
            CaseStatus.CLOSED,
        )

    @classmethod
    def public_values(cls) -> list[str]:
        return [status.value for status in cls if status.is_public]


class CaseAction(models.TextChoices):
    """What a step of a case's audit trail did (who looked at owners' data is audited too)."""

    DETECTED = "detected", _("Detected by the camera")
    REVIEWED = "reviewed", _("Reviewed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    NOTICE_ISSUED = "notice_issued", _("Notice issued")
    PAID = "paid", _("Payment recorded")
    CONTESTED = "contested", _("Contested")
    CLOSED = "closed", _("Closed")
    OWNER_RECORDED = "owner_recorded", _("Owner recorded")
    OWNER_VIEWED = "owner_viewed", _("Owner's data viewed")
    BLUR_EDITED = "blur_edited", _("Blur regions edited")
    EVIDENCE_ADDED = "evidence_added", _("More evidence from the camera")


class EvidenceKind(models.TextChoices):
    EVENT = "event", _("Camera event (JSON)")
    FRAME = "frame", _("Frame")
    CLIP = "clip", _("Video clip")
    NOTICE = "notice", _("Notice (PDF)")
