from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityops.reports.choices import (
    AttachmentKind,
    BlurStatus,
    Channel,
    EventKind,
    Priority,
    RatingValue,
    RejectionReason,
    ReportStatus,
    StatusGroup,
    Visibility,
)


class DeadlinePolicy(models.Model):
    """How long an agency has, in working time, by priority; one policy is the city default."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    ack_minutes = models.PositiveIntegerField(_("acknowledge within (working minutes)"), default=30)
    urgent_hours = models.PositiveIntegerField(_("urgent: working hours"), default=4)
    normal_days = models.PositiveIntegerField(_("normal: working days"), default=7)
    complex_days = models.PositiveIntegerField(_("complex: working days"), default=15)
    is_default = models.BooleanField(_("city default"), default=False)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_deadline_policy",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A report's field (lĩnh vực); also an Open311 service with ``code`` as service_code."""

    code = models.SlugField(_("service code"), max_length=60, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    group = models.CharField(_("Open311 group"), max_length=100, blank=True)
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, published in the Open311 service list."),
    )
    attributes = models.JSONField(
        _("extra attributes"),
        default=list,
        blank=True,
        help_text=_(
            "Open311 service-definition attributes: a list of objects with code, "
            "datatype, required, description, order and values."
        ),
    )
    default_priority = models.CharField(
        _("default priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    deadline_policy = models.ForeignKey(
        DeadlinePolicy,
        verbose_name=_("deadline policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Empty: the city default policy."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Category × area → the agency that handles it; the most specific rule wins."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    area = models.ForeignKey(
        "agencies.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: every area."),
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), null=True, blank=True, on_delete=models.CASCADE
    )
    to_area_committee = models.BooleanField(
        _("to the area's People's Committee"),
        default=False,
        help_text=_("Route to the committee of the report's own ward or commune."),
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "area"], name="one_rule_per_category_area"),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(area=None),
                name="one_citywide_rule_per_category",
            ),
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False, to_area_committee=False)
                | models.Q(agency__isnull=True, to_area_committee=True),
                name="rule_names_an_agency_or_the_area_committee",
            ),
        ]

    def __str__(self) -> str:
        target = self.agency or _("area committee")
        area = self.area or _("all areas")
        return f"{self.category} / {area} → {target}"


class Report(models.Model):
    """A citizen's field report (phản ánh hiện trường) and where it stands."""

    title = models.CharField(_("title"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # What searches match (services.report_search_fields, written with the three texts above):
    # the texts folded (reports.filters), as written for IOC staff, and as the public reads
    # them (personal data left out) for everyone else, so no search confirms a masked number.
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    search_text_public = models.TextField(
        _("public search text"), blank=True, default="", editable=False
    )
    area = models.ForeignKey(
        "agencies.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="reports"
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )

    # Personal data: visible to IOC staff only (see selectors.reporter_identity_visible_to).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    is_anonymous = models.BooleanField(_("hide my name publicly"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=30, blank=True, choices=RejectionReason.choices
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    result_text = models.TextField(_("result"), blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("deadline before extension"), null=True, blank=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    escalated_due_at = models.DateTimeField(
        _("escalated for deadline"),
        null=True,
        blank=True,
        help_text=_("The deadline whose passing was already escalated, so it is recorded once."),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(
        _("updated at"), default=timezone.now, help_text=_("The time of the latest event.")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="report_status_due"),
            models.Index(fields=["agency", "status"], name="report_agency_status"),
            models.Index(fields=["category", "submitted_at"], name="report_category_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title or self.description[:40]}"

    @property
    def status_choice(self) -> ReportStatus:
        return ReportStatus(self.status)

    @property
    def group(self) -> StatusGroup:
        return self.status_choice.group

    def is_overdue(self, at: datetime) -> bool:
        """Derived, never stored: still in someone's hands after its deadline."""
        return self.status_choice.is_active and self.due_at is not None and self.due_at < at


class ReportEvent(models.Model):
    """One step in a report's life: the append-only timeline and audit trail."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(
        _("actor role"),
        max_length=20,
        blank=True,
        help_text=_("The actor's role at the time; empty for the system."),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    note = models.TextField(_("note"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["created_at", "pk"]
        indexes = [
            # A report's latest public note, looked up for each of up to 1000 Open311 requests.
            models.Index(
                fields=["report", "-created_at", "-id"],
                condition=models.Q(visibility=Visibility.PUBLIC) & ~models.Q(note=""),
                name="event_public_note_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.from_status}→{self.to_status}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"reports/{instance.report_id}/{filename}"


class Attachment(models.Model):
    """A photo of a report or of its result, re-encoded without metadata.

    ``file`` is the original, for IOC staff only; everyone else is given ``public_file`` (and
    its thumbnail), made by the blur job with the faces and plates in ``blur_regions`` blurred.
    Until then (``blur_status`` pending, or failed) the photo has no public URL at all.
    """

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        ReportEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=_attachment_path)
    thumbnail = models.FileField(_("thumbnail"), upload_to=_attachment_path)
    content_type = models.CharField(_("content type"), max_length=50)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    public_file = models.FileField(_("public copy"), upload_to=_attachment_path, blank=True)
    public_thumbnail = models.FileField(
        _("public thumbnail"), upload_to=_attachment_path, blank=True
    )
    blur_regions = models.JSONField(
        _("blurred regions"),
        default=list,
        blank=True,
        help_text=_(
            "The boxes blurred in the public copy: found by the detector or drawn by staff."
        ),
    )
    blur_status = models.CharField(
        _("blurring"), max_length=10, choices=BlurStatus.choices, default=BlurStatus.PENDING
    )
    blur_attempts = models.PositiveSmallIntegerField(_("detection attempts"), default=0)
    blurred_at = models.DateTimeField(_("blurred at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]
        indexes = [
            # The backlog the retry job and the operators' list read: few rows, never all.
            models.Index(
                fields=["blur_status", "created_at"],
                condition=~models.Q(blur_status=BlurStatus.BLURRED),
                name="attachment_blur_waiting",
            ),
        ]

    def __str__(self) -> str:
        return self.file.name


class Rating(models.Model):
    """The reporter's rating of a result; a reopened report can be rated again."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="ratings"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.CharField(_("rating"), max_length=12, choices=RatingValue.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.value}"


class Follow(models.Model):
    """A person who gets a report's public updates."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.report_id}"
