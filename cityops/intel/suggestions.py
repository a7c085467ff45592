"""What operators are offered for a report: a category and a priority, and why.

From a citizen's words the classifier suggests the category (``classifier.suggest_category``)
and the cue rules the priority (``priority.suggest_priority``). A report made from a monitoring
alarm is not read: its alarm's rule says what it is (``alerts.services.report_defaults_for``) —
a rising river is urgent flooding whatever the alarm's message says. CityOps suggests; the
operator decides, and what was suggested is recorded when they accept (docs/intelligence.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cityops.alerts.models import Alarm
from cityops.alerts.services import report_defaults_for
from cityops.intel.classifier import suggest_category
from cityops.intel.priority import suggest_priority
from cityops.intel.selectors import SOURCE_ALARM_RULE, SOURCE_TEXT, report_text
from cityops.reports.choices import Channel, Priority
from cityops.reports.models import Category, Report

FROM_TEXT, FROM_ALARM_RULE = SOURCE_TEXT, SOURCE_ALARM_RULE


@dataclass(frozen=True)
class ReportSuggestion:
    """A category (None when nothing can be suggested) and a priority, with their grounds:
    ``confidence`` of the category (1 for a rule), the priority's ``cues``, and ``source``."""

    category: Category | None
    priority: Priority
    confidence: float = 0.0
    cues: tuple[str, ...] = field(default=())
    source: str = FROM_TEXT

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)

    @property
    def reason(self) -> str:
        return ", ".join(self.cues)

    @property
    def recorded(self) -> dict[str, str]:
        """What goes into the ``accepted`` event, to measure how often suggestions are kept."""
        code = self.category.code if self.category is not None else ""
        return {"category": code, "priority": str(self.priority), "source": self.source}


def suggestion_for_text(text: str) -> ReportSuggestion:
    """The category and priority suggested for a citizen's words; never raises for a text."""
    found = suggest_category(text)
    category = (
        Category.objects.filter(code=found.category, is_active=True).first()
        if found.category
        else None
    )
    priority = suggest_priority(text)
    return ReportSuggestion(
        category=category,
        priority=priority.priority,
        confidence=found.confidence,
        cues=priority.cues,
    )


def suggestion_for_report(report: Report) -> ReportSuggestion:
    """What the operator is offered for a report: its alarm's rule, or its words."""
    alarm = (
        Alarm.objects.filter(report=report).select_related("rule__category", "sensor").first()
        if report.channel == Channel.MONITORING
        else None
    )
    if alarm is not None:
        defaults = report_defaults_for(alarm)
        category = defaults.category
        usual = category.default_priority if category is not None else Priority.NORMAL
        return ReportSuggestion(
            category=category,
            priority=Priority(defaults.priority or usual),
            confidence=1.0,
            source=FROM_ALARM_RULE,
        )
    return suggestion_for_text(report_text(title=report.title, description=report.description))
