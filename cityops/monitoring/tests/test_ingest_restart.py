"""A worker killed mid-stream and restarted loses no reading and stores none twice.

The worker runs as a real ``cityops ingest`` process against the test database (on SQLite a
file database of its own, since the test database lives in memory). 5,000 messages of 4 values
go out at QoS 1 at a steady pace; half way the worker is SIGKILLed — whatever it had received
but not committed is unacknowledged — and a new process with the same client id resumes the
session: the broker hands it what arrived meanwhile and redelivers the unacknowledged rest.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from cityops.monitoring.models import Reading
from cityops.monitoring.services import sensor_create
from cityops.monitoring.tests.mqtt_helpers import Publisher, payload, unique_root, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = 5000
SENSORS = 10
VALUES = 4
CITYOPS = [sys.executable, "-m", "cityops.cli"]


class Database:
    """The database the worker process writes to, and how the test counts its rows."""

    def __init__(self, tmp_path: Path) -> None:
        self.env = {**os.environ, "CITYOPS_JOBS_IMMEDIATE": "1", "PYTHONUNBUFFERED": "1"}
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            self.file = None
            user, host, port = (
                settings["USER"],
                settings["HOST"] or "127.0.0.1",
                settings["PORT"] or 5432,
            )
            password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
            self.env["DATABASE_URL"] = (
                f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
            )
            for n in range(SENSORS):
                sensor_create(
                    code=f"kill-{n}", name=f"K{n}", kind="air_quality", lat=16.4, lon=107.6
                )
        else:
            self.file = tmp_path / "ingest.sqlite3"
            self.env["DATABASE_URL"] = f"sqlite:///{self.file}"
            self.env["CITYOPS_DATA_DIR"] = str(tmp_path)
            subprocess.run([*CITYOPS, "migrate", "-v0", "--skip-checks"], env=self.env, check=True)
            script = (
                "from cityops.monitoring.services import sensor_create\n"
                f"for n in range({SENSORS}):\n"
                "    sensor_create(code=f'kill-{n}', name=f'K{n}', kind='air_quality',\n"
                "                  lat=16.4, lon=107.6)\n"
            )
            subprocess.run(
                [*CITYOPS, "shell", "-c", script], env=self.env, check=True, capture_output=True
            )

    def count(self) -> int:
        if self.file is None:
            return Reading.objects.count()
        with sqlite3.connect(self.file, timeout=20) as db:
            return db.execute("SELECT count(*) FROM monitoring_reading").fetchone()[0]

    def keys(self) -> list[tuple[str, str, float]]:
        if self.file is None:
            return list(Reading.objects.values_list("sensor__code", "metric", "value"))
        with sqlite3.connect(self.file, timeout=20) as db:
            return db.execute(
                "SELECT s.code, r.metric, r.value FROM monitoring_reading r "
                "JOIN monitoring_sensor s ON s.id = r.sensor_id"
            ).fetchall()


class WorkerProcess:
    def __init__(self, *, db: Database, broker, root: str, client_id: str) -> None:
        self.lines: list[str] = []
        self.subscribed = threading.Event()
        self.process = subprocess.Popen(
            [
                *CITYOPS,
                "ingest",
                "--url",
                broker.url,
                "--client-id",
                client_id,
                "--topic",
                f"{root}/sensors/+/readings",
                "--group",
                root,
                "--session-expiry",
                "300",
                "--stats-interval",
                "1",
            ],
            env=db.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if "ingest: subscribed" in line:
                self.subscribed.set()

    def wait_subscribed(self) -> None:
        assert self.subscribed.wait(60), "".join(self.lines)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)
        return "".join(self.lines)


def test_a_worker_killed_mid_stream_and_restarted_loses_nothing_and_doubles_nothing(
    mqtt_broker, tmp_path
):
    db = Database(tmp_path)
    root, client_id = unique_root(), f"test-kill-{uuid.uuid4().hex[:8]}"
    first = WorkerProcess(db=db, broker=mqtt_broker, root=root, client_id=client_id)
    first.wait_subscribed()
    publisher = Publisher(mqtt_broker)
    done = threading.Event()

    def publish() -> None:
        # A steady stream, ~1,250 messages/s, so that the kill lands in the middle of it.
        for start in range(0, MESSAGES, 250):
            publisher.publish(
                (f"{root}/sensors/kill-{i % SENSORS}/readings", payload(i))
                for i in range(start, start + 250)
            )
            time.sleep(0.2)
        publisher.wait()
        done.set()

    sender = threading.Thread(target=publish, daemon=True)
    sender.start()
    second = None
    try:
        wait_until(
            lambda: db.count() >= MESSAGES * VALUES // 4, timeout=60, what="a quarter stored"
        )
        first.kill()
        killed_at = db.count()
        # Mid-stream: readings were still to come, from the publisher or the broker's queue for
        # this session (on a busy machine the publisher may be done while the worker lags).
        assert killed_at < MESSAGES * VALUES, "the worker stored everything before the kill"
        second = WorkerProcess(db=db, broker=mqtt_broker, root=root, client_id=client_id)
        second.wait_subscribed()
        assert done.wait(120), "the publisher did not finish"
        wait_until(
            lambda: db.count() >= MESSAGES * VALUES, timeout=120, what="every reading stored"
        )
        time.sleep(1.0)  # anything redelivered late would show up now
        log = second.stop()
    finally:
        publisher.close()
        first.stop()
        if second is not None:
            second.stop()
    keys = db.keys()
    assert len(keys) == MESSAGES * VALUES
    expected = {(f"kill-{i % SENSORS}", "pm25", i / 10) for i in range(MESSAGES)}
    assert {k for k in keys if k[1] == "pm25"} == expected
    assert MESSAGES * VALUES // 4 <= killed_at < MESSAGES * VALUES
    assert "session resumed" in log
