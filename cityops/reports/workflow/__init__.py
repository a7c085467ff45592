"""The report lifecycle (ARCHITECTURE §2): every transition is one function in this package.

Each function locks the report, checks who may make the move and from which status
(``rules.ensure_allowed``), changes the report, writes one append-only ``ReportEvent`` and
publishes a ``report.changed`` event once the transaction commits. Nothing else writes
``Report.status``. The moves, their sources and their parties are the table ``rules.MOVES``.
"""

from cityops.reports.workflow.agency import (
    report_add_note,
    report_agency_accept,
    report_extend,
    report_resolve,
    report_return,
)
from cityops.reports.workflow.citizen import report_note_from_channel, report_rate, report_reopen
from cityops.reports.workflow.dispatch import (
    report_accept,
    report_assign,
    report_merge,
    report_reclassify,
    report_reject,
)
from cityops.reports.workflow.intake import Received, report_receive, report_submit
from cityops.reports.workflow.rules import MOVES, InvalidTransition, Move, Party, parties_of
from cityops.reports.workflow.system import (
    report_close,
    report_escalate,
    reports_close_quiet,
    reports_escalate_overdue,
)

__all__ = [
    "MOVES",
    "InvalidTransition",
    "Move",
    "Party",
    "Received",
    "parties_of",
    "report_accept",
    "report_add_note",
    "report_agency_accept",
    "report_assign",
    "report_close",
    "report_escalate",
    "report_extend",
    "report_merge",
    "report_note_from_channel",
    "report_rate",
    "report_receive",
    "report_reclassify",
    "report_reject",
    "report_reopen",
    "report_resolve",
    "report_return",
    "report_submit",
    "reports_close_quiet",
    "reports_escalate_overdue",
]
