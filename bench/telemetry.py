"""Telemetry throughput: data points per second from MQTT into PostgreSQL through the ingest.

``.venv/bin/python bench/telemetry.py`` (``make bench`` runs it). Needs Debian's ``mosquitto``
binary and PostgreSQL at ``PG_URL`` (default postgres://postgres@127.0.0.1:5432/cityops; the
bench works in a database of its own, ``<name>_bench``, created afresh).

One run of each, three times, medians reported:

- **Mosquitto pass-through**: a paho publisher sends 10,000 QoS 1 messages to a paho subscriber
  (QoS 1) through the broker; the time from the first publish to the last message received.
- **Ingest**: the same 10,000 messages of 4 values each (pm25, pm10, o3, no2), spread over 100
  sensors, to ``cityops ingest`` running as its own process (as in production) with the rule
  hooks of the installed apps registered (the alerts app's rule evaluator); the time from the
  first publish until all 40,000 readings are committed in PostgreSQL.

Both go through one Mosquitto started for the bench with ``cityops/monitoring/ingest/
mosquitto.conf`` (the settings the ingest needs). Results go to
``bench/results/telemetry.json`` with the machine described. Not a test: the figures depend on
the machine and its load.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lib.machine import command_version, machine

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "telemetry.json"
CONF = ROOT / "cityops" / "monitoring" / "ingest" / "mosquitto.conf"
MESSAGES = 10_000
VALUES = 4
SENSORS = 100
RUNS = 3
GOAL_POINTS_PER_S = 40_000


def _payloads(run: int) -> list[tuple[str, bytes]]:
    base = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=run)
    return [
        (
            f"cityops/sensors/bench-{i % SENSORS:03d}/readings",
            json.dumps(
                {
                    "observed_at": (base + timedelta(seconds=i // SENSORS)).isoformat(),
                    "values": {"pm25": 35.2 + i % 7, "pm10": 60.1, "o3": 80.5, "no2": 40.2},
                }
            ).encode(),
        )
        for i in range(MESSAGES)
    ]


def _publish(broker, messages: list[tuple[str, bytes]]) -> None:
    from paho.mqtt.enums import MQTTErrorCode

    from cityops.monitoring.ingest.mqtt import client_for

    client = client_for(broker, persistent=False)
    client.max_queued_messages_set(0)
    client.connect(broker.host, broker.port)
    client.loop_start()
    infos = []
    for topic, body in messages:
        while True:
            info = client.publish(topic, body, qos=1)
            if info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS:
                break
            if info.rc != MQTTErrorCode.MQTT_ERR_QUEUE_SIZE:
                raise RuntimeError(f"publish failed: {info.rc}")
            time.sleep(0.001)  # back-pressure (paho refuses past ~65k unacknowledged)
        infos.append(info)
    for info in infos:
        info.wait_for_publish(120)
    client.disconnect()
    client.loop_stop()


def subscriber_main(url: str, expected: int) -> None:
    """``telemetry.py --subscriber URL N``: the pass-through's receiving end, in its own process
    as the ingest worker is: says "ready" once subscribed and "done" after N messages."""
    sys.path.insert(0, str(ROOT))
    from paho.mqtt.subscribeoptions import SubscribeOptions

    from cityops.monitoring.ingest.mqtt import broker_of, client_for

    broker = broker_of(url)
    received = 0
    done, subscribed = threading.Event(), threading.Event()

    def on_message(client, userdata, message) -> None:
        nonlocal received
        received += 1
        if received == expected:
            done.set()

    subscriber = client_for(broker, persistent=False)
    subscriber.on_message = on_message
    subscriber.on_subscribe = lambda *args: subscribed.set()
    subscriber.connect(broker.host, broker.port)
    subscriber.loop_start()
    subscriber.subscribe("cityops/sensors/+/readings", options=SubscribeOptions(qos=1))
    subscribed.wait(10)
    print("ready", flush=True)
    done.wait(300)
    print("done" if done.is_set() else f"got {received}", flush=True)
    subscriber.disconnect()
    subscriber.loop_stop()


def passthrough(broker, messages: list[tuple[str, bytes]]) -> float:
    """Seconds for ``messages`` to go publisher → Mosquitto → subscriber at QoS 1."""
    receiver = subprocess.Popen(  # noqa: S603 - our own binaries and arguments
        [sys.executable, __file__, "--subscriber", broker.url, str(len(messages))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert receiver.stdout is not None
    if receiver.stdout.readline().strip() != "ready":
        raise RuntimeError("the subscriber did not subscribe")
    started = time.perf_counter()
    _publish(broker, messages)
    answer = receiver.stdout.readline().strip()
    elapsed = time.perf_counter() - started
    receiver.wait(30)
    if answer != "done":
        raise RuntimeError(f"the subscriber {answer} of {len(messages)}")
    return elapsed


def ingest(broker, messages: list[tuple[str, bytes]], count_readings) -> float:
    """Seconds for ``messages`` to be published and all their readings committed."""
    expected = len(messages) * VALUES
    started = time.perf_counter()
    sender = threading.Thread(target=_publish, args=(broker, messages))
    sender.start()
    deadline = started + 300
    while count_readings() < expected:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"only {count_readings()} of {expected} readings after 300 s")
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    sender.join()
    return elapsed


def main() -> None:
    sys.path.insert(0, str(ROOT))
    pg_url = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/cityops")
    bench_db = pg_url.rsplit("/", 1)[1] + "_bench"
    bench_url = pg_url.rsplit("/", 1)[0] + "/" + bench_db
    data_dir = tempfile.mkdtemp(prefix="cityops-bench-")
    os.environ.update(
        CITYOPS_DATA_DIR=data_dir, DATABASE_URL=bench_url, DJANGO_SETTINGS_MODULE="cityops.settings"
    )
    import psycopg

    admin_url = pg_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{bench_db}"')

    import django

    django.setup()
    from django.core.management import call_command

    from cityops.monitoring import hooks
    from cityops.monitoring.embedded import free_port_from
    from cityops.monitoring.ingest.mqtt import broker_of
    from cityops.monitoring.services import sensor_create

    call_command("migrate", verbosity=0)
    for n in range(SENSORS):
        sensor_create(
            code=f"bench-{n:03d}", name=f"Bench {n}", kind="air_quality", lat=16.4, lon=107.6
        )
    rule_hooks = [getattr(c, "__qualname__", repr(c)) for c in hooks._readings_callbacks]

    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    port = free_port_from("127.0.0.1", 31883)
    conf = Path(data_dir) / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n"
        + CONF.read_text()
    )
    mosquitto = subprocess.Popen([binary, "-c", str(conf)])  # noqa: S603 - our own binaries and arguments
    broker = broker_of(f"mqtt://127.0.0.1:{port}")
    time.sleep(0.5)

    worker_env = {**os.environ}
    worker_env.pop("DJANGO_SETTINGS_MODULE", None)
    wrap = os.environ.get("BENCH_WORKER_WRAP", "").split()  # e.g. a profiler
    worker = subprocess.Popen(  # noqa: S603 - our own binaries and arguments
        [
            *wrap,
            str(ROOT / ".venv" / "bin" / "cityops"),
            "ingest",
            "--url",
            broker.url,
            "--client-id",
            "bench-ingest",
            "--stats-interval",
            "3600",
        ],
        env=worker_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert worker.stdout is not None
    for line in worker.stdout:
        if "ingest: subscribed" in line:
            break
    threading.Thread(target=lambda: [None for _ in worker.stdout], daemon=True).start()  # type: ignore[union-attr]

    with psycopg.connect(bench_url, autocommit=True) as db:

        def count_readings() -> int:
            return db.execute("SELECT count(*) FROM monitoring_reading").fetchone()[0]

        def clear() -> None:
            db.execute("TRUNCATE monitoring_reading, monitoring_latestreading")

        through, ingested = [], []
        try:
            for run in range(RUNS):
                messages = _payloads(run)
                through.append(passthrough(broker, messages))
                clear()
                ingested.append(ingest(broker, messages, count_readings))
                print(
                    f"run {run + 1}: Mosquitto {MESSAGES / through[-1]:,.0f} msg/s, "
                    f"ingest {MESSAGES * VALUES / ingested[-1]:,.0f} points/s",
                    flush=True,
                )
            pg_version = db.execute("SHOW server_version").fetchone()[0]
        finally:
            worker.terminate()
            worker.wait(30)
            mosquitto.terminate()
            mosquitto.wait(10)

    mosquitto_version = command_version([binary, "-h"])
    import paho.mqtt

    mosquitto_rate = MESSAGES / statistics.median(through)
    ingest_msgs = MESSAGES / statistics.median(ingested)
    result = {
        "what": (
            f"{MESSAGES} QoS 1 MQTT messages of {VALUES} values ({SENSORS} sensors): Mosquitto's "
            "own publisher→subscriber pass-through, and publisher→Mosquitto→`cityops ingest`→"
            "PostgreSQL with the rule hooks called; medians of 3 runs"
        ),
        "runs": RUNS,
        "mosquitto_passthrough_msg_per_s": round(mosquitto_rate),
        "ingest_msg_per_s": round(ingest_msgs),
        "ingest_points_per_s": round(ingest_msgs * VALUES),
        "ratio_to_mosquitto": round(ingest_msgs / mosquitto_rate, 3),
        "goal_points_per_s": GOAL_POINTS_PER_S,
        "goal_met": ingest_msgs * VALUES >= GOAL_POINTS_PER_S
        and ingest_msgs / mosquitto_rate >= 0.5,
        "seconds": {
            "mosquitto": [round(s, 3) for s in through],
            "ingest": [round(s, 3) for s in ingested],
        },
        "rule_hooks": rule_hooks,
        "machine": machine(
            postgresql=pg_version, mosquitto=mosquitto_version, paho_mqtt=paho.mqtt.__version__
        ),
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--subscriber":
        subscriber_main(sys.argv[2], int(sys.argv[3]))
    else:
        main()
