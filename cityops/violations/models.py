"""Violation cases from camera evidence ("xử phạt vi phạm hành chính thông qua hình ảnh").

A camera's violation event is kept as a ``Detection`` the moment it arrives, whatever becomes of
it; the job queue turns it into a ``Case`` (or refuses it with a reason). A case's files are
``Evidence`` rows in an append-only hash chain: each row's ``chain_hash`` covers its file's
SHA-256 and the previous row's ``chain_hash``, so a changed file or a changed, removed or
inserted row is found by ``evidence_verify``. Every step of a case is a ``CaseStep``.

Originals (frames, clip, the event) stay in restricted storage and are shown to enforcement
officers only; the public lookup page shows each frame's blurred copy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityops.violations.choices import (
    CaseAction,
    CaseStatus,
    DetectionStatus,
    EvidenceKind,
    Rule,
    VehicleType,
)


class CameraClock(models.Model):
    """How far a camera's clock is off: ``offset_seconds`` is added to the time it reports
    (a camera 90 s slow has +90). Cameras without a row are taken to be right."""

    camera = models.OneToOneField(
        "monitoring.Sensor",
        verbose_name=_("camera"),
        on_delete=models.CASCADE,
        related_name="violation_clock",
    )
    offset_seconds = models.IntegerField(_("clock offset (s)"), default=0)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("camera clock")
        verbose_name_plural = _("camera clocks")

    def __str__(self) -> str:
        return f"{self.camera_id}: {self.offset_seconds:+d} s"


class Detection(models.Model):
    """One violation event as the camera sent it, before (or instead of) a case."""

    camera = models.ForeignKey(
        "monitoring.Sensor", verbose_name=_("camera"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    plate_text = models.CharField(_("plate as read"), max_length=40)
    vehicle_type = models.CharField(
        _("vehicle type"), max_length=10, choices=VehicleType.choices, default=VehicleType.OTHER
    )
    confidence = models.FloatField(_("confidence"))
    camera_time = models.DateTimeField(_("time on the camera's clock"))
    # The camera's time with its clock offset applied: when it happened.
    observed_at = models.DateTimeField(_("observed at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DetectionStatus.choices, default=DetectionStatus.PENDING
    )
    refusal_code = models.CharField(_("refusal code"), max_length=30, blank=True)
    refusal = models.CharField(_("why refused"), max_length=200, blank=True)
    # The received files, in restricted storage until the case's evidence takes them over.
    payload = models.JSONField(_("files received"), default=dict)
    case = models.ForeignKey(
        "Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="detections"
    )

    class Meta:
        verbose_name = _("detection")
        verbose_name_plural = _("detections")
        indexes = [models.Index(fields=["status", "received_at"], name="detection_status_time")]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.rule} {self.plate_text}"


class Case(models.Model):
    """A violation case: one vehicle, one rule, one camera, one moment."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    # The secret printed on the notice (and in its QR code) that opens the public lookup page.
    lookup_code = models.CharField(_("lookup code"), max_length=16, unique=True)
    camera = models.ForeignKey(
        "monitoring.Sensor", verbose_name=_("camera"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "agencies.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    vehicle_type = models.CharField(
        _("vehicle type"), max_length=10, choices=VehicleType.choices, default=VehicleType.OTHER
    )
    plate = models.CharField(_("number plate"), max_length=20, db_index=True)
    observed_at = models.DateTimeField(_("observed at"))  # the camera's time, clock corrected
    confidence = models.FloatField(_("confidence"))
    status = models.CharField(
        _("status"), max_length=15, choices=CaseStatus.choices, default=CaseStatus.DETECTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("confirmed or rejected at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=300, blank=True)
    # The band and its legal basis as determined when the case was made (fines.py).
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    fine_min = models.PositiveIntegerField(_("lowest fine (VND)"), null=True, blank=True)
    fine_max = models.PositiveIntegerField(_("highest fine (VND)"), null=True, blank=True)
    notice_number = models.CharField(_("notice number"), max_length=30, blank=True)
    notice_issued_at = models.DateTimeField(_("notice issued at"), null=True, blank=True)
    # The registered owner, entered by an officer from the vehicle register: officers only.
    owner_name = models.CharField(_("owner's name"), max_length=200, blank=True)
    owner_address = models.CharField(_("owner's address"), max_length=300, blank=True)
    # Whether (never what): readers of a case may know that the owner is on record.
    owner_recorded_at = models.DateTimeField(_("owner recorded at"), null=True, blank=True)
    amount_paid = models.PositiveIntegerField(_("amount paid (VND)"), null=True, blank=True)
    # The last link of the evidence chain: a link removed from its end is found too.
    evidence_head = models.CharField(_("evidence chain head"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("violation case")
        verbose_name_plural = _("violation cases")
        ordering = ["-observed_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-observed_at"], name="case_status_time"),
            models.Index(fields=["camera", "rule", "plate", "observed_at"], name="case_dedupe"),
        ]
        permissions = [("view_owner", "Can see vehicle owners' data")]

    def __str__(self) -> str:
        return self.number


class Evidence(models.Model):
    """One file of a case, a link of its append-only hash chain."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="evidence"
    )
    position = models.PositiveIntegerField(_("position in the chain"))
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("original"), upload_to="violations/%Y/%m/")
    # The blurred copy the public lookup page shows (frames only; empty until blurred).
    public_file = models.FileField(_("blurred copy"), upload_to="violations/%Y/%m/", blank=True)
    blur_regions = models.JSONField(_("blurred regions"), default=list, blank=True)
    blurred_at = models.DateTimeField(_("blurred at"), null=True, blank=True)
    # Failed detector runs: a frame that keeps failing is left without a public copy.
    blur_attempts = models.PositiveSmallIntegerField(_("blur attempts"), default=0)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    previous_hash = models.CharField(_("previous link's hash"), max_length=64)
    chain_hash = models.CharField(_("this link's hash"), max_length=64)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="evidence_chain_position")
        ]
        indexes = [
            # The frames still waiting for their blurred copy (the sweep's queue).
            models.Index(
                fields=["created_at"],
                condition=models.Q(kind="frame", blurred_at__isnull=True),
                name="evidence_blur_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.position} {self.kind}"


class CaseSequence(models.Model):
    """The last case number given in a year (``VP-2026-000123``), counted in the database so
    that concurrent workers never give the same number twice."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CaseStep(models.Model):
    """An audited step of a case: who did what, from which status to which, and why."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=CaseAction.choices)
    from_status = models.CharField(_("from"), max_length=15, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=15, choices=CaseStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"
