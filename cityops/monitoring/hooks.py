"""Where other apps plug into the ingest: callbacks run after each committed batch.

The alerts app registers its rule evaluation here (``readings_stored_register``), so rules see
readings in the same worker that stored them, right after the batch commits and before the
batch is acknowledged to the broker. ``sensor_seen_register`` tells which sensors spoke (for
offline/no-data rules). A failing callback is logged and does not stop the others or the ingest.

Callbacks get only readings that were new: a duplicate (same sensor, metric and observation
time) is dropped by the database and not passed on again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

logger = logging.getLogger(__name__)


class StoredReading(NamedTuple):
    """A reading the batch stored (a named tuple: cheap to build by the ten thousand)."""

    sensor_id: int
    sensor_code: str
    metric: str
    observed_at: datetime
    value: float


@dataclass(frozen=True, slots=True)
class SensorSeen:
    sensor_id: int
    sensor_code: str
    seen_at: datetime


ReadingsCallback = Callable[[Sequence[StoredReading]], None]
SeenCallback = Callable[[Sequence[SensorSeen]], None]

_lock = threading.Lock()
_readings_callbacks: list[ReadingsCallback] = []
_seen_callbacks: list[SeenCallback] = []


def readings_stored_register(callback: ReadingsCallback) -> Callable[[], None]:
    """Call ``callback(readings)`` after every committed batch; returns the unregister function.

    Registering the same callback twice has no effect (apps register in ``ready()``).
    """
    return _register(_readings_callbacks, callback)


def sensor_seen_register(callback: SeenCallback) -> Callable[[], None]:
    """Call ``callback(seen)`` with the sensors that sent data in a batch (one entry each)."""
    return _register(_seen_callbacks, callback)


def readings_stored_notify(readings: Sequence[StoredReading]) -> None:
    if readings:
        _notify(_readings_callbacks, readings, "readings_stored")


def sensor_seen_notify(seen: Sequence[SensorSeen]) -> None:
    if seen:
        _notify(_seen_callbacks, seen, "sensor_seen")


def _register(
    callbacks: list[Callable[..., Any]], callback: Callable[..., Any]
) -> Callable[[], None]:
    with _lock:
        if callback not in callbacks:
            callbacks.append(callback)

    def unregister() -> None:
        with _lock:
            if callback in callbacks:
                callbacks.remove(callback)

    return unregister


def _notify(callbacks: list[Callable[..., None]], items: Sequence[object], what: str) -> None:
    with _lock:
        targets = list(callbacks)
    for callback in targets:
        try:
            callback(items)
        except Exception:
            # One broken rule must not lose the batch (it is committed) nor starve the others.
            logger.exception("%s callback %r failed", what, callback)


# Camera analytics events arrive on MQTT next to readings; the alerts app turns them into alarms.

CameraEventCallback = Callable[[str, bytes], Any]
_camera_callbacks: list[CameraEventCallback] = []


def camera_event_register(callback: CameraEventCallback) -> Callable[[], None]:
    """Call ``callback(camera_code, payload)`` for every message on the camera events topic.

    It may raise a ``CityOpsError`` for a message that can never succeed (its ``code`` is the
    reason counted); the message is then acknowledged and dropped.
    """
    return _register(_camera_callbacks, callback)


def camera_event_handlers() -> list[CameraEventCallback]:
    with _lock:
        return list(_camera_callbacks)


# Vehicles' positions arrive on MQTT too (``cityops/vehicles/{id}/position``); transit takes them.

_vehicle_callbacks: list[CameraEventCallback] = []


def vehicle_position_register(callback: CameraEventCallback) -> Callable[[], None]:
    """Call ``callback(vehicle_id, payload)`` for every message on the vehicle positions topic
    (same contract as ``camera_event_register``)."""
    return _register(_vehicle_callbacks, callback)


def vehicle_position_handlers() -> list[CameraEventCallback]:
    with _lock:
        return list(_vehicle_callbacks)


# Cameras' violation events arrive on MQTT too (``cityops/cameras/{code}/violations``); the
# violations app takes them.

_violation_callbacks: list[CameraEventCallback] = []


def violation_event_register(callback: CameraEventCallback) -> Callable[[], None]:
    """Call ``callback(camera_code, payload)`` for every message on the violation events topic
    (same contract as ``camera_event_register``)."""
    return _register(_violation_callbacks, callback)


def violation_event_handlers() -> list[CameraEventCallback]:
    with _lock:
        return list(_violation_callbacks)
