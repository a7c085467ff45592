"""The catalogue of online services, their fees by date, and citizens' applications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityops.online.choices import ApplicationStatus


class OnlineService(models.Model):
    """A procedure a citizen can request online, and who handles it in how long."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    procedure_code = models.CharField(
        _("national procedure code"), max_length=40, blank=True,
        help_text=_("The code in the National Public Service Portal, e.g. 1.001234."),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)
    documents = models.JSONField(
        _("required documents"), default=list, blank=True,
        help_text=_('[{"key": "cccd", "name": "…", "required": true}], one upload each.'),
    )  # fmt: skip
    processing_days = models.PositiveSmallIntegerField(_("processing time (working days)"))
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="online_services",
        verbose_name=_("responsible agency"),
    )  # fmt: skip
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("online service")
        verbose_name_plural = _("online services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """A service's fee from a date on (a new row for a new fee table; old ones stay)."""

    service = models.ForeignKey(OnlineService, on_delete=models.CASCADE, related_name="fees")
    valid_from = models.DateField(_("valid from"))
    amount_vnd = models.PositiveBigIntegerField(_("amount (đồng)"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["service", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["service", "valid_from"], name="online_fee_once"),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} {self.valid_from}: {self.amount_vnd}"


class Application(models.Model):
    """A citizen's request for an online service (hồ sơ trực tuyến)."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    service = models.ForeignKey(
        OnlineService, on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )  # fmt: skip
    details = models.TextField(_("details"), blank=True)
    fee_vnd = models.PositiveBigIntegerField(_("fee (đồng)"), default=0)
    payment = models.OneToOneField(
        "payments.Payment", on_delete=models.PROTECT, null=True, blank=True,
        related_name="application",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    key = models.CharField(_("document"), max_length=40)
    file = models.FileField(_("file"), upload_to="online/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.file_name


class ApplicationEvent(models.Model):
    """A step or a message on an application, in order: what the applicant follows."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20)  # a status, or "message"
    text = models.TextField(_("text"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_applicant = models.BooleanField(_("message to the applicant"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application.number} {self.kind}"
