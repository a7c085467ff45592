"""The registry of service points (offices, desks, officers, procedures), the dossiers whose
receipts carry a QR code, and the ratings. A rating keeps no personal data: no account, no
address, no device; only the optional comment, which is the citizen's own words."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityops.agencies.models import Agency, Area
from cityops.services.choices import Level, Score, Via


def desk_key() -> str:
    return secrets.token_urlsafe(9)


class Office(models.Model):
    """A one-stop-shop office (bộ phận một cửa) of a department or a commune."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="service_offices"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL
    )
    address = models.CharField(_("address"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service office")
        verbose_name_plural = _("service offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Desk(models.Model):
    """A desk of an office; its QR code opens the rating page by ``key`` (not guessable)."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="desks"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("QR key"), max_length=20, unique=True, default=desk_key)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["office__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="services_desk_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office.name} — {self.name}"


class Officer(models.Model):
    """An officer serving at an office's desks (not necessarily a user of the system)."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="officers"
    )
    name = models.CharField(_("name"), max_length=150)
    staff_code = models.CharField(_("staff code"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service officer")
        verbose_name_plural = _("service officers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "staff_code"],
                condition=~models.Q(staff_code=""),
                name="services_officer_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính), by its national code."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Dossier(models.Model):
    """A dossier (hồ sơ) received at a desk; its receipt's QR code rates this one service."""

    desk = models.ForeignKey(
        Desk, verbose_name=_("desk"), on_delete=models.PROTECT, related_name="dossiers"
    )
    number = models.CharField(_("dossier number"), max_length=60)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT)
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), null=True, blank=True, on_delete=models.PROTECT
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "number"], name="services_dossier_unique")
        ]

    def __str__(self) -> str:
        return self.number


class Rating(models.Model):
    """One citizen's rating of a service. Nothing here says who rated: no account, no address,
    no device, no IP; a dossier is rated once (the unique key refuses a second)."""

    desk = models.ForeignKey(
        Desk, verbose_name=_("desk"), on_delete=models.PROTECT, related_name="ratings"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="ratings"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), null=True, blank=True, on_delete=models.PROTECT
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), null=True, blank=True, on_delete=models.PROTECT
    )
    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), null=True, blank=True, on_delete=models.PROTECT
    )
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    attitude = models.PositiveSmallIntegerField(
        _("officer's attitude"), null=True, blank=True, choices=Score.choices
    )
    time = models.PositiveSmallIntegerField(
        _("processing time"), null=True, blank=True, choices=Score.choices
    )
    clarity = models.PositiveSmallIntegerField(
        _("clear guidance"), null=True, blank=True, choices=Score.choices
    )
    fees = models.PositiveSmallIntegerField(
        _("fees as posted"), null=True, blank=True, choices=Score.choices
    )
    comment = models.TextField(_("comment"), blank=True)
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["office", "created_at"])]

    def __str__(self) -> str:
        return f"{self.office} · {self.get_level_display()}"
