"""Reads the intelligence layer needs from the reports."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from cityops.intel.corpus import Example
from cityops.intel.masking import mask_personal_data
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
