"""Redis goes away and comes back: live events degrade, nothing breaks, and they recover."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from cityops.platform import realtime
from cityops.platform.events import Event
from cityops.platform.tests.servers import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisProcess:
    """A throw-away Redis of our own, so that stopping it disturbs nobody else."""

    def __init__(self, port: int, directory: str) -> None:
        self.port, self.directory = port, directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", self.directory]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path) -> Iterator[RedisProcess]:
    if not os.path.exists(REDIS_SERVER):
        if os.environ.get("CI") == "true":
            pytest.fail(f"redis-server is required in CI ({REDIS_SERVER})")
        pytest.skip("redis-server is not installed")
    server = RedisProcess(free_port(), str(tmp_path))
    server.start()
    yield server
    server.stop()


def next_payload(listener: realtime.Listener, timeout: float) -> dict | None:
    message = listener.next(timeout=timeout)
    return None if message is None else message.payload


def test_live_events_stop_while_redis_is_down_and_resume_when_it_is_back(own_redis, caplog):
    sender = realtime.RedisRelay(own_redis.url, key="cityops:events")
    web = realtime.RedisRelay(own_redis.url, key="cityops:events")
    listener = realtime.Listener()
    web.hub.attach(listener)
    web.start()
    try:
        sender.send(Event("report.changed", {"id": 1}))
        assert next_payload(listener, timeout=5) == {"id": 1}

        own_redis.stop()
        sender.send(Event("report.changed", {"id": 2}))  # logged, not raised
        assert "could not relay report.changed to Redis" in caplog.text
        assert next_payload(listener, timeout=1) is None

        own_redis.start()  # an empty Redis: what was sent meanwhile is gone, pages reload
        deadline = time.monotonic() + 20
        received = None
        while received is None and time.monotonic() < deadline:
            sender.send(Event("report.changed", {"id": 3}))
            received = next_payload(listener, timeout=1)
        assert received == {"id": 3}
    finally:
        web.stop()
