from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityops.accounts.choices import Role
from cityops.accounts.names import name_given
from cityops.accounts.phones import validate_phone


class User(AbstractUser):
    """A person using CityOps: a citizen, IOC operator, agency staff member, leader or admin."""

    # One name in the Vietnamese order, never split into "first" and "last" names that would be
    # joined again in the Western order ("Bình Nguyễn Văn"); see ``accounts.names``.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(
        _("full name"),
        max_length=300,
        blank=True,
        help_text=_("As the person writes it: family name first (Nguyễn Văn Bình)."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    phone = models.CharField(
        _("phone number"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_phone],
        help_text=_("A Vietnamese number, stored as 0xxxxxxxxx."),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("Required for agency staff: the unit whose reports they handle."),
    )
    is_agency_lead = models.BooleanField(
        _("agency lead"),
        default=False,
        help_text=_("Leads are notified when their agency's reports pass the deadline."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    # A citizen's choices in the portal.
    email_notifications = models.BooleanField(
        _("email me about reports I follow"),
        default=True,
        help_text=_("An email on every public change of a report this person follows."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the emails this person gets; empty: the city's default."),
    )
    terms_accepted_at = models.DateTimeField(
        _("terms accepted at"),
        null=True,
        blank=True,
        help_text=_("When this person agreed to the terms and the processing of personal data."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.AGENCY_STAFF) | models.Q(agency__isnull=False),
                name="agency_staff_have_an_agency",
            ),
        ]

    @property
    def role_choice(self) -> Role:
        return Role(self.role)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """The given name (tên), the last word of the full name."""
        return name_given(self.full_name)


class HashedSecret(models.Model):
    """A secret shown once at creation; only its SHA-256 is kept, with its life dates."""

    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        abstract = True


class ApiKey(HashedSecret):
    """A key for a client system (a mobile app, an Open311 client)."""

    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiToken(HashedSecret):
    """A person's bearer token for the REST API (the mobile app)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("device or client"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"


class SavedView(models.Model):
    """A console user's named queue filters (a query string), offered as a link above the queue."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(
        _("filters"), max_length=2000, blank=True, help_text=_("The queue's query string.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="one_saved_view_name_per_user"),
        ]

    def __str__(self) -> str:
        return self.name


class IdentityAccess(models.Model):
    """A read of reporters' identities by IOC staff (triage page, exports): who, what, when.

    Written by ``accounts.services.identity_access_record``; never changed afterwards. The
    row names the report, not the reporter, so it holds no personal data of its own besides
    the staff member's account and address.
    """

    class What(models.TextChoices):
        TRIAGE = "triage", _("triage page")
        REPORTS_EXPORT = "reports_export", _("reports export")
        EVENTS_EXPORT = "events_export", _("events export")
        ADMIN = "admin", _("admin report page")

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="identity_accesses",
    )
    username = models.CharField(_("username"), max_length=150)  # kept if the account goes
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    detail = models.CharField(_("detail"), max_length=2000, blank=True)
    at = models.DateTimeField(_("at"))
    ip = models.CharField(_("IP address"), max_length=45, blank=True)

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["report", "at"], name="identity_access_report_at")]

    def __str__(self) -> str:
        return f"{self.username} · {self.what} · {self.at:%Y-%m-%d %H:%M}"
