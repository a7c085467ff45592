"""What each live connection may see of the shared event feed."""

from __future__ import annotations

from typing import Any

from cityops.accounts.models import User
from cityops.platform.realtime import Accept, Message

IOC_TOPICS = frozenset({"report.changed", "alarm.changed"})


def ioc_accept() -> Accept:
    """IOC staff and leaders see every report and alarm change."""

    def accept(message: Message) -> dict[str, Any] | None:
        return message.payload if message.topic in IOC_TOPICS else None

    return accept


def agency_accept(user: User) -> Accept:
    """Agency staff see changes of their own agency's reports, including one returned by it."""
    agency_id = user.agency_id

    def accept(message: Message) -> dict[str, Any] | None:
        if message.topic != "report.changed" or message.payload.get("agency") != agency_id:
            return None
        return {key: message.payload.get(key) for key in ("id", "status", "kind")}

    return accept
