"""Vehicle positions over MQTT (``cityops/vehicles/{id}/position``) through the ingest's worker."""

from __future__ import annotations

import json
import uuid

import pytest

from cityops.monitoring.hooks import vehicle_position_handlers
from cityops.monitoring.ingest.cameras import CameraEventWorker
from cityops.monitoring.tests.conftest import mqtt_broker  # noqa: F401  (the shared broker)
from cityops.monitoring.tests.mqtt_helpers import Publisher, unique_root, wait_until
from cityops.platform import clock
from cityops.transit.models import Vehicle
from cityops.transit.selectors import positions_status
from cityops.transit.services import feed_import
from cityops.transit.tests.factories import STOPS, feed_zip

pytestmark = pytest.mark.django_db(transaction=True)


def test_positions_published_over_mqtt_move_the_bus_and_bad_ones_are_counted(
    mqtt_broker,  # noqa: F811
    tmp_path,
):
    feed_import(path=feed_zip(tmp_path))
    root = unique_root()
    worker = CameraEventWorker(
        broker=mqtt_broker,
        client_id=f"test-vehicles-{uuid.uuid4().hex[:8]}",
        topic=f"{root}/vehicles/+/position",
        group=root,
        session_expiry=60,
        handlers=vehicle_position_handlers,
    )
    worker.start()
    assert worker.subscribed.wait(10), "the vehicle worker did not subscribe"
    publisher = Publisher(mqtt_broker)
    now = clock.now()
    good = {"lat": STOPS[1][1], "lon": STOPS[1][2], "timestamp": now.isoformat(), "trip_id": "T1"}
    try:
        publisher.publish(
            [
                (f"{root}/vehicles/bus-01/position", json.dumps(good).encode()),
                (
                    f"{root}/vehicles/bus-02/position",
                    json.dumps({**good, "lat": 0, "lon": 0}).encode(),
                ),
                (f"{root}/vehicles/bus-03/position", b"{not json"),
            ]
        )
        publisher.wait()
        wait_until(lambda: sum(worker.stats().values()) == 3, what="three messages seen")
    finally:
        publisher.close()
        worker.stop()
    assert worker.stats() == {"handled": 2, "malformed_json": 1}
    assert list(Vehicle.objects.values_list("vehicle_id", "route_id")) == [("bus-01", "R1")]
    assert positions_status()["null_island"] == 1
