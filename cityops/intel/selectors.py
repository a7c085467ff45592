"""Reads the intelligence layer needs from the reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from cityops.intel.corpus import Example
from cityops.intel.masking import mask_personal_data
from cityops.platform import clock
from cityops.reports.choices import EventKind, ReportStatus
from cityops.reports.models import Report, ReportEvent


def report_text(*, title: str, description: str) -> str:
    """The words the classifier and duplicate detection read: title, then description."""
    return f"{title.strip()}\n{description.strip()}".strip()


def confirmed_examples() -> list[Example]:
    """Reports whose category an operator confirmed, as training examples.

    Confirmed means the IOC accepted the report (its ``accepted`` event) and it was not rejected
    afterwards; the category is the report's current one, which only ``report_accept`` and
    ``report_reclassify`` set — the category the operator chose. Demo reports are left out: the
    seed's simulated operators confirm template texts, not citizens' words. Texts are masked, so
    no phone number or e-mail address ends up in a model file.
    """
    accepted = ReportEvent.objects.filter(report=OuterRef("pk"), kind=EventKind.ACCEPTED)
    rows = (
        Report.objects.filter(Exists(accepted), is_demo=False)
        .exclude(status=ReportStatus.REJECTED)
        .order_by("pk")
        .values_list("title", "description", "category__code")
    )
    return [
        Example(
            text=mask_personal_data(report_text(title=title, description=description)),
            category=code,
        )
        for title, description, code in rows.iterator()
    ]


# Where a suggestion came from (``intel.suggestions``): the report's words, or its alarm's rule.
SOURCE_TEXT = "text"
SOURCE_ALARM_RULE = "alarm_rule"


@dataclass(frozen=True)
class SuggestionsKept:
    """How often operators kept what was suggested for the reports they accepted in a month."""

    month: date  # its first day
    total: int  # reports accepted with a suggestion from their words
    category_kept: int
    priority_kept: int

    @property
    def category_percent(self) -> int:
        return round(100 * self.category_kept / self.total) if self.total else 0

    @property
    def priority_percent(self) -> int:
        return round(100 * self.priority_kept / self.total) if self.total else 0


def suggestions_kept(*, at: datetime | None = None) -> SuggestionsKept:
    """The month of ``at`` (now by default, in the city's time): of the reports accepted with a
    suggestion from their words, how many kept the suggested category, and the priority.

    ``report_accept`` records what the operator was offered in the ``accepted`` event; reports
    made from alarms are left out, their rule decides and is not a guess to measure.
    """
    local = timezone.localtime(at or clock.now())
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    counts = ReportEvent.objects.filter(
        kind=EventKind.ACCEPTED,
        created_at__gte=start,
        created_at__lt=end,
        data__suggested__source=SOURCE_TEXT,
    ).aggregate(
        total=Count("pk"),
        category=Count("pk", filter=Q(data__suggested__category=F("data__category"))),
        priority=Count("pk", filter=Q(data__suggested__priority=F("data__priority"))),
    )
    return SuggestionsKept(
        month=start.date(),
        total=counts["total"],
        category_kept=counts["category"],
        priority_kept=counts["priority"],
    )
