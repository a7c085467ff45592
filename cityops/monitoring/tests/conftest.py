"""An MQTT broker for the ingest tests.

``MQTT_TEST_URL`` names one if set. Otherwise the tests start their own Mosquitto (Debian's
``mosquitto``) on a free port with the settings the ingest needs (``ingest/mosquitto.conf``:
deep queues; a default Mosquitto drops QoS 1 messages beyond 1000 queued per client, which
would break the restart test), and fall back to mqtt://127.0.0.1:1883. Without any broker the
tests are skipped with a reason, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cityops.monitoring.embedded import free_port_from
from cityops.monitoring.ingest.mqtt import Broker, broker_of

CONF = Path(__file__).resolve().parent.parent / "ingest" / "mosquitto.conf"


def reachable(broker: Broker) -> bool:
    try:
        socket.create_connection((broker.host, broker.port), timeout=1).close()
    except OSError:
        return False
    return True


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def mqtt_broker(tmp_path_factory) -> Iterator[Broker]:
    url = os.environ.get("MQTT_TEST_URL", "")
    if url:
        broker = broker_of(url)
        if not reachable(broker):
            _unavailable(f"MQTT_TEST_URL={url} is unreachable")
        yield broker
        return
    binary = shutil.which("mosquitto") or (
        "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None
    )
    if binary is None:
        broker = broker_of("mqtt://127.0.0.1:1883")
        if not reachable(broker):
            _unavailable(
                "the ingest tests need Mosquitto (apt-get install mosquitto) or MQTT_TEST_URL"
            )
        yield broker
        return
    # One broker per xdist worker, each from its own port range.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    first_port = 21883 + 100 * (int(worker) if worker.isdigit() else 0)
    folder = tmp_path_factory.mktemp("mosquitto")
    process, broker, error = None, None, ""
    for attempt in range(5):
        port = free_port_from("127.0.0.1", first_port + 10 * attempt)
        conf = folder / f"mosquitto-{port}.conf"
        conf.write_text(
            f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n"
            + CONF.read_text()
        )
        process = subprocess.Popen(
            [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        broker = broker_of(f"mqtt://127.0.0.1:{port}")
        deadline = time.monotonic() + 10
        while not reachable(broker) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if process.poll() is None and reachable(broker):
            break
        error = (
            process.stderr.read().decode() if process.poll() is not None and process.stderr else ""
        )
        process.kill()
        process.wait()
        process = None
    if process is None or broker is None:
        _unavailable(f"Mosquitto did not start: {error}")
        return
    try:
        yield broker
    finally:
        process.terminate()
        process.wait(timeout=10)
