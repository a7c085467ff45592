from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityops.alerts.choices import (
    AlarmEventKind,
    AlarmState,
    AlarmType,
    BulletinKind,
    BulletinOrigin,
    CapCertainty,
    CapMsgType,
    CapSeverity,
    CapUrgency,
    Comparison,
    RuleKind,
    Severity,
)
from cityops.monitoring.choices import SensorKind
from cityops.reports.choices import Priority


class AlarmRule(models.Model):
    """A condition on sensor data that raises an alarm while it holds (docs/alerts.md).

    Scope: one sensor, or every sensor of a kind. Kinds: ``threshold`` (metric compared with a
    value, holding for every reading during ``minutes``), ``offline`` (no data for ``minutes``),
    ``aqi_band`` (hourly VN_AQI level at least ``aqi_level`` for ``minutes``), ``fire``
    (``fire_state`` is 1). Rules change through ``services.alarm_rule_save`` so that the ingest
    workers reload them.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    sensor = models.ForeignKey(
        "monitoring.Sensor",
        verbose_name=_("sensor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alarm_rules",
        help_text=_("One sensor; leave empty to watch every sensor of the kind below."),
    )
    sensor_kind = models.CharField(
        _("sensor kind"),
        max_length=20,
        choices=SensorKind.choices,
        blank=True,
        help_text=_("Every sensor of this kind (when no single sensor is chosen)."),
    )
    metric = models.CharField(
        _("metric"),
        max_length=32,
        blank=True,
        help_text=_("Threshold rules: the metric code, e.g. pm25, water_level."),
    )
    comparison = models.CharField(
        _("comparison"), max_length=3, choices=Comparison.choices, blank=True
    )
    value = models.FloatField(_("value"), null=True, blank=True)
    minutes = models.PositiveIntegerField(
        _("minutes"),
        default=0,
        help_text=_(
            "Threshold and AQI rules: how long the condition must hold before the alarm is "
            "raised (0: at once). No-data rules: how long without data."
        ),
    )
    aqi_level = models.PositiveSmallIntegerField(
        _("AQI level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("AQI rules: raise at this level or worse (1 Good … 6 Hazardous)."),
    )
    category = models.ForeignKey(
        "reports.Category",
        verbose_name=_("report category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The category of a report made from its alarms; empty: by sensor kind."),
    )
    priority = models.CharField(
        _("report priority"),
        max_length=10,
        choices=Priority.choices,
        blank=True,
        help_text=_(
            "The priority of a report made from its alarms; empty: by sensor kind (a river "
            "level or a fire alarm is urgent)."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sensor__isnull=False) | ~Q(sensor_kind=""),
                name="alerts_rule_has_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Alarm(models.Model):
    """Something an operator must see: raised by a rule or by a camera's analytics.

    Two independent states: active until ``cleared_at`` (automatically when the condition ends,
    or by an operator) and unacknowledged until ``acknowledged_at``. While active, a repeat of
    the same source and type (``dedup_key``) bumps ``count`` and ``last_raised_at`` instead of
    raising a second alarm. Changes go through ``services`` and leave ``AlarmEvent`` rows.
    """

    type = models.CharField(_("type"), max_length=20, choices=AlarmType.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    message = models.CharField(_("message"), max_length=500)
    sensor = models.ForeignKey(
        "monitoring.Sensor",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alarms",
        help_text=_("The sensor or camera that raised it."),
    )
    source_name = models.CharField(
        _("source name"), max_length=260, help_text=_("Kept when the sensor is deleted.")
    )
    rule = models.ForeignKey(
        AlarmRule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alarms",
    )
    dedup_key = models.CharField(_("de-duplication key"), max_length=120, editable=False)
    value = models.FloatField(_("last value"), null=True, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    observed_at = models.DateTimeField(_("observed at"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), default=1)
    first_raised_at = models.DateTimeField(_("first raised"), db_index=True)
    last_raised_at = models.DateTimeField(_("last raised"))
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alarms_assigned",
    )
    snapshot = models.FileField(_("snapshot"), upload_to="alarms/%Y/%m/", blank=True)
    snapshot_thumbnail = models.FileField(
        _("snapshot thumbnail"), upload_to="alarms/%Y/%m/", blank=True
    )
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alarms",
    )

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-last_raised_at", "-pk"]
        constraints = [
            # The database, not only the code, keeps one active alarm per source and type.
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=Q(cleared_at__isnull=True),
                name="alerts_alarm_one_active_per_key",
            ),
        ]
        indexes = [models.Index(fields=["cleared_at", "severity"], name="alerts_alarm_state")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.type} {self.source_name}"

    @staticmethod
    def key_for(*, sensor_id: int, type: str, rule_id: int | None = None) -> str:
        """The de-duplication key: one active alarm per source and type (and rule: two rules
        on one sensor are two conditions)."""
        key = f"sensor:{sensor_id}:{type}"
        return f"{key}:rule:{rule_id}" if rule_id is not None else key

    @property
    def state(self) -> AlarmState:
        return AlarmState.ACTIVE if self.cleared_at is None else AlarmState.CLEARED

    @property
    def is_active(self) -> bool:
        return self.cleared_at is None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def severity_rank(self) -> int:
        return Severity(self.severity).rank


class AlarmEvent(models.Model):
    """One change of an alarm (append-only): its history and audit log."""

    alarm = models.ForeignKey(
        Alarm, verbose_name=_("alarm"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AlarmEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the system (a rule or a camera)."),
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.kind}"


class OnDuty(models.Model):
    """An operator on duty: critical and major alarms are mailed to them while they are."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        related_name="on_duty",
    )
    since = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("operator on duty")
        verbose_name_plural = _("operators on duty")

    def __str__(self) -> str:
        return str(self.user)


class Bulletin(models.Model):
    """A public warning bulletin (bản tin cảnh báo): written by an operator or imported from CAP.

    ``(identifier, sender, sent)`` is the CAP identity of the message, unique so that a
    re-imported document is recognised. An Update supersedes the bulletins it references, a
    Cancel cancels them; the public sees bulletins neither superseded, cancelled nor expired.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=BulletinKind.choices)
    headline = models.CharField(_("headline"), max_length=300)
    event = models.CharField(_("event"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    instruction = models.TextField(_("what to do"), blank=True)
    web = models.URLField(_("more information"), max_length=500, blank=True)
    sender_name = models.CharField(_("issued by"), max_length=300, blank=True)
    areas = models.ManyToManyField(
        "agencies.Area", verbose_name=_("areas"), blank=True, related_name="bulletins"
    )
    area_description = models.TextField(_("area description"), blank=True)
    geometry = models.JSONField(
        _("area geometry"),
        null=True,
        blank=True,
        help_text=_(
            "GeoJSON FeatureCollection (longitude/latitude): polygons, and circles as points "
            'with a "radius_km" property.'
        ),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=CapSeverity.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=CapUrgency.choices, default=CapUrgency.UNKNOWN
    )
    certainty = models.CharField(
        _("certainty"), max_length=10, choices=CapCertainty.choices, default=CapCertainty.UNKNOWN
    )
    onset = models.DateTimeField(_("from"), null=True, blank=True)
    expires = models.DateTimeField(_("until"), db_index=True)
    language = models.CharField(_("language"), max_length=20, default="vi")
    identifier = models.CharField(_("identifier"), max_length=300)
    sender = models.CharField(_("sender"), max_length=300)
    sent = models.DateTimeField(_("sent"))
    msg_type = models.CharField(
        _("message type"), max_length=10, choices=CapMsgType.choices, default=CapMsgType.ALERT
    )
    references = models.TextField(_("references"), blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=BulletinOrigin.choices)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("warning bulletin")
        verbose_name_plural = _("warning bulletins")
        ordering = ["-sent", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier", "sender", "sent"], name="alerts_bulletin_cap_identity"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    @property
    def severity_rank(self) -> int:
        return CapSeverity(self.severity).rank
