"""Domain events for live views.

Domain services call ``publish`` after their transaction commits. This in-process fan-out is
what the embedded run needs; the console issue adds server-sent events and a Redis relay on top
of the same ``publish``/``subscribe`` pair.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Something that happened, for whoever watches ``topic`` (e.g. ``report.changed``)."""

    topic: str
    payload: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[Event], None]
_subscribers: list[Subscriber] = []
_lock = threading.Lock()


def subscribe(callback: Subscriber) -> Callable[[], None]:
    """Register ``callback`` for every event; returns the function that unsubscribes it."""
    with _lock:
        _subscribers.append(callback)

    def unsubscribe() -> None:
        with _lock:
            if callback in _subscribers:
                _subscribers.remove(callback)

    return unsubscribe


def publish(event: Event) -> None:
    with _lock:
        targets = list(_subscribers)
    for callback in targets:
        try:
            callback(event)
        except Exception:
            # One broken listener must not undo a committed state change or starve the others.
            logger.exception("event subscriber failed for %s", event.topic)
