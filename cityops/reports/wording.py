"""How a citizen reads a report's status: the portal's and the emails' words (see
docs/architecture.md, "Statuses and groups"). The staff's labels stay on ``ReportStatus``."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from cityops.reports.choices import ReportStatus

S = ReportStatus

PUBLIC_STATUS: dict[ReportStatus, Promise] = {
    S.SUBMITTED: pgettext_lazy("public status", "Sent"),
    S.ACCEPTED: pgettext_lazy("public status", "Received"),
    S.ASSIGNED: pgettext_lazy("public status", "Sent to the agency in charge"),
    S.IN_PROGRESS: pgettext_lazy("public status", "Being handled"),
    S.RESOLVED: pgettext_lazy("public status", "Handled"),
    S.CLOSED: pgettext_lazy("public status", "Closed"),
    S.DUPLICATE: pgettext_lazy("public status", "Same as another report"),
    S.REJECTED: pgettext_lazy("public status", "Not accepted"),
}

PUBLIC_STATUS_HELP: dict[ReportStatus, Promise] = {
    S.SUBMITTED: pgettext_lazy("public status", "Waiting for the operations centre to check it."),
    S.ACCEPTED: pgettext_lazy(
        "public status",
        "The operations centre checked it and is passing it to the agency in charge.",
    ),
    S.ASSIGNED: pgettext_lazy(
        "public status", "The agency in charge has the report and will start work."
    ),
    S.IN_PROGRESS: pgettext_lazy("public status", "The agency in charge is working on it."),
    S.RESOLVED: pgettext_lazy(
        "public status", "The agency published its result; the reporter can rate it."
    ),
    S.CLOSED: pgettext_lazy("public status", "The case is finished."),
    S.DUPLICATE: pgettext_lazy(
        "public status", "Another report describes the same problem; follow that one."
    ),
    S.REJECTED: pgettext_lazy(
        "public status", "The operations centre did not accept this report; see the reason."
    ),
}


def public_status(status: str) -> str:
    return str(PUBLIC_STATUS[ReportStatus(status)])


def public_status_help(status: str) -> str:
    return str(PUBLIC_STATUS_HELP[ReportStatus(status)])
