"""Jobs of the transit domain; thin wrappers over the domain functions."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django_tasks import task

from cityops.platform.errors import CityOpsError
from cityops.platform.jobs import every
from cityops.transit.services import vehicle_positions_poll, vehicle_tracks_prune

logger = logging.getLogger(__name__)


@every(minutes=1)
@task()
def poll_vehicle_positions() -> int:
    """Take the positions of the GTFS-realtime feed ``CITYOPS_TRANSIT_GTFS_RT_URL`` (if set);
    returns how many were accepted."""
    url = settings.CITYOPS_TRANSIT_GTFS_RT_URL
    if not url:
        return 0
    try:
        outcomes = vehicle_positions_poll(url=url)
    except (CityOpsError, requests.RequestException) as error:
        logger.warning("GTFS-realtime feed %s: %s", url, error)
        return 0
    return outcomes.get("accepted", 0)


@every(minutes=10)
@task()
def prune_vehicle_tracks() -> int:
    """Forget the vehicles' track points older than two hours; returns how many went."""
    return vehicle_tracks_prune()
