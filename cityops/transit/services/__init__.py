"""Writes of the transit domain: the static feed's import, vehicle positions, transit alarms.
Import from here."""

from cityops.transit.services.alarms import transit_alarms_check
from cityops.transit.services.gtfs_import import GtfsError, Imported, Problem, Progress, feed_import
from cityops.transit.services.positions import (
    PositionIn,
    Recorded,
    position_from_json,
    vehicle_position_receive,
    vehicle_position_record,
    vehicle_positions_import,
    vehicle_positions_poll,
)
from cityops.transit.services.track import vehicle_moved, vehicle_tracks_prune

__all__ = [
    "GtfsError",
    "Imported",
    "PositionIn",
    "Problem",
    "Progress",
    "Recorded",
    "feed_import",
    "position_from_json",
    "transit_alarms_check",
    "vehicle_moved",
    "vehicle_position_receive",
    "vehicle_position_record",
    "vehicle_positions_import",
    "vehicle_positions_poll",
    "vehicle_tracks_prune",
]
