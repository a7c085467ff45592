"""Who acts in a synthetic history, and one report's rows as they are built in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cityops.accounts.models import User
from cityops.agencies.models import Agency
from cityops.reports.models import Report


@dataclass
class Cast:
    operator: User
    citizens: list[User]
    staff: dict[int, User]  # agency pk → a member of its staff
    ioc: Agency
    others: list[Agency]


@dataclass
class Story:
    """One report's rows, built in memory before the batch is written."""

    report: Report
    events: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    original_index: int | None = None  # a duplicate's original, within all generated reports
