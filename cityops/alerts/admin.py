"""Admin: alarm rules are configuration (saved through the service, so ingest workers reload
them); alarms and their history are read here and handled in the console; bulletins are
written in the console or imported from CAP, and may be corrected here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from cityops.alerts.models import Alarm, AlarmEvent, AlarmRule, Bulletin, OnDuty
from cityops.alerts.rules import rules_changed
from cityops.alerts.services import alarm_rule_delete, alarm_rule_problems, alarm_rule_save


class AlarmRuleForm(forms.ModelForm):
    class Meta:
        model = AlarmRule
        fields = (
            "name",
            "kind",
            "severity",
            "is_active",
            "sensor",
            "sensor_kind",
            "metric",
            "comparison",
            "value",
            "minutes",
            "aqi_level",
            "category",
            "priority",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rule = self.instance
        for name, value in cleaned.items():
            setattr(rule, name, value)
        for field, messages in alarm_rule_problems(rule).items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
        return cleaned


@admin.register(AlarmRule)
class AlarmRuleAdmin(admin.ModelAdmin):
    form = AlarmRuleForm
    list_display = ("name", "kind", "severity", "sensor", "sensor_kind", "metric", "is_active")
    list_filter = ("kind", "severity", "is_active", "sensor_kind")
    search_fields = ("name", "metric", "sensor__code", "sensor__name")
    raw_id_fields = ("sensor",)
    fieldsets = (
        (None, {"fields": ("name", "kind", "severity", "is_active")}),
        ("Scope", {"fields": ("sensor", "sensor_kind")}),
        ("Condition", {"fields": ("metric", "comparison", "value", "minutes", "aqi_level")}),
        ("Report", {"fields": ("category", "priority")}),
    )

    def save_model(self, request: HttpRequest, obj: AlarmRule, form: Any, change: bool) -> None:
        alarm_rule_save(rule=obj)

    def delete_model(self, request: HttpRequest, obj: AlarmRule) -> None:
        alarm_rule_delete(rule=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AlarmRule]) -> None:
        super().delete_queryset(request, queryset)
        rules_changed()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AlarmEventInline(admin.TabularInline):
    model = AlarmEvent
    fields = ("created_at", "kind", "actor", "note", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Alarm)
class AlarmAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "severity",
        "type",
        "source_name",
        "count",
        "first_raised_at",
        "acknowledged_at",
        "cleared_at",
        "assignee",
    )
    list_filter = ("severity", "type")
    search_fields = ("source_name", "message")
    inlines = [AlarmEventInline]


@admin.register(OnDuty)
class OnDutyAdmin(admin.ModelAdmin):
    list_display = ("user", "since")
    raw_id_fields = ("user",)


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    # A link typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("headline", "kind", "severity", "sent", "expires", "origin", "cancelled_at")
    list_filter = ("kind", "severity", "origin", "msg_type")
    search_fields = ("headline", "identifier", "sender", "area_description")
    filter_horizontal = ("areas",)
    readonly_fields = ("identifier", "sender", "sent", "msg_type", "references", "origin")
