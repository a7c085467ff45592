"""What each live connection may see of the shared event feed."""

from __future__ import annotations

from typing import Any

from cityops.accounts.models import User
from cityops.platform.realtime import Accept, Message

IOC_TOPICS = frozenset({"report.changed", "alarm.changed"})
# Buses move every few seconds: only the connections that ask for them (the map) get them.
VEHICLE_TOPICS = frozenset({"vehicle.moved"})


def ioc_accept(*, vehicles: bool = False) -> Accept:
    """IOC staff and leaders see every report and alarm change, and the buses if asked."""
    topics = IOC_TOPICS | VEHICLE_TOPICS if vehicles else IOC_TOPICS

    def accept(message: Message) -> dict[str, Any] | None:
        return message.payload if message.topic in topics else None

    return accept


def agency_accept(user: User) -> Accept:
    """Agency staff see changes of their own agency's reports, including one returned by it."""
    agency_id = user.agency_id

    def accept(message: Message) -> dict[str, Any] | None:
        if message.topic != "report.changed" or message.payload.get("agency") != agency_id:
            return None
        return {key: message.payload.get(key) for key in ("id", "status", "kind")}

    return accept
