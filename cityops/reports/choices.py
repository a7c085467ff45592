"""The vocabulary of reports. Groups are properties of the status, so no query lists statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatusGroup(models.TextChoices):
    HIDDEN = "hidden", _("Hidden")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")

    @property
    def group(self) -> StatusGroup:
        return _GROUPS[self]

    @property
    def is_active(self) -> bool:
        """Still in someone's hands: the deadline runs and overdue can apply."""
        return self in _ACTIVE

    @classmethod
    def in_group(cls, group: StatusGroup) -> list[ReportStatus]:
        return [status for status in cls if status.group == group]

    @classmethod
    def active(cls) -> list[ReportStatus]:
        return [status for status in cls if status.is_active]


_GROUPS = {
    ReportStatus.SUBMITTED: StatusGroup.OPEN,
    ReportStatus.ACCEPTED: StatusGroup.OPEN,
    ReportStatus.ASSIGNED: StatusGroup.OPEN,
    ReportStatus.IN_PROGRESS: StatusGroup.OPEN,
    ReportStatus.RESOLVED: StatusGroup.CLOSED,
    ReportStatus.CLOSED: StatusGroup.CLOSED,
    ReportStatus.REJECTED: StatusGroup.HIDDEN,
    ReportStatus.DUPLICATE: StatusGroup.CLOSED,
}
_ACTIVE = frozenset(
    {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS}
)


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    COMPLEX = "complex", _("Complex")


class Channel(models.TextChoices):
    WEB = "web", _("Web portal")
    APP = "app", _("Mobile app")
    HOTLINE = "hotline", _("Hotline")
    OPEN311 = "open311", _("Open311 client")
    FACEBOOK = "facebook", _("Facebook")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    MONITORING = "monitoring", _("Monitoring alarm")
    PRESS = "press", _("Press and social media")
    SERVICE_RATING = "service_rating", _("Service desk rating")
    TOURIST = "tourist", _("Tourist help")


class RejectionReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    DUPLICATE = "duplicate", _("Duplicate of another report")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    INSUFFICIENT_INFORMATION = "insufficient_information", _("Insufficient information")
    ABUSIVE = "abusive", _("Abusive content")
    OUTSIDE_JURISDICTION = "outside_jurisdiction", _("Outside the jurisdiction")


class RatingValue(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied (Hài lòng)")
    ACCEPTABLE = "acceptable", _("Acceptable (Chấp nhận)")
    UNSATISFIED = "unsatisfied", _("Unsatisfied (Không hài lòng)")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted by the IOC")
    REJECTED = "rejected", _("Rejected")
    RECLASSIFIED = "reclassified", _("Category or priority changed")
    ASSIGNED = "assigned", _("Assigned to an agency")
    REASSIGNED = "reassigned", _("Reassigned to another agency")
    AGENCY_ACCEPTED = "agency_accepted", _("Taken up by the agency")
    RETURNED = "returned", _("Returned to the IOC")
    NOTE = "note", _("Note")
    EXTENDED = "extended", _("Deadline extended")
    RESOLVED = "resolved", _("Resolved")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    MERGED = "merged", _("Merged into another report")
    CLOSED = "closed", _("Closed")
    ESCALATED = "escalated", _("Deadline passed")
    BLUR_EDITED = "blur_edited", _("Photo blurring changed")


class AttachmentKind(models.TextChoices):
    REPORT = "report", _("Photo of the problem")
    RESULT = "result", _("Photo of the result")


class BlurStatus(models.TextChoices):
    """Where a photo's public copy stands: none until faces and plates are blurred."""

    PENDING = "pending", _("Waiting for blurring")
    BLURRED = "blurred", _("Blurred")
    FAILED = "failed", _("Blurring failed")
