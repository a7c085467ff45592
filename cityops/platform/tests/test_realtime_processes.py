"""The production shape: two uvicorn processes on PostgreSQL and Redis share live events.

A report sent through one web process reaches an operator's event stream held open on the other,
and a client reconnecting to either with ``Last-Event-ID`` gets what it missed.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from http.client import HTTPConnection

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client

from cityops.accounts.services import apikey_create
from cityops.platform.tests.servers import free_port, wait_until_serving
from cityops.reports.tests.factories import CategoryFactory

REDIS_URL = os.environ.get("CITYOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.django_db(transaction=True)


def _requirements_or_skip() -> None:
    problems = []
    if connection.vendor != "postgresql":
        problems.append("PostgreSQL (run with DATABASE_URL; `make test` does)")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        problems.append(f"Redis at {REDIS_URL}")
    if problems:
        reason = "two web processes need " + " and ".join(problems)
        if os.environ.get("CI") == "true" and connection.vendor == "postgresql":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def web_processes(tmp_path) -> Iterator[tuple[int, int]]:
    _requirements_or_skip()
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cityops.settings",
        "SECRET_KEY": settings.SECRET_KEY,  # the test signs the session the servers read
        "DATABASE_URL": database_url + db["NAME"],
        "REDIS_URL": REDIS_URL,
        "CITYOPS_REALTIME_STREAM": f"cityops:test-events:{uuid.uuid4().hex}",
        "CITYOPS_DATA_DIR": str(tmp_path / "data"),
        "CITYOPS_JOBS_IMMEDIATE": "1",
        "CITYOPS_SSE_KEEPALIVE_SECONDS": "1",
    }
    ports = (free_port(), free_port())
    processes = []
    for port in ports:
        log = tmp_path / f"uvicorn-{port}.log"
        command = [sys.executable, "-m", "uvicorn", "cityops.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
        process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        processes.append((process, port, log))
    try:
        for process, port, log in processes:
            wait_until_serving(port, process, log)
        yield ports
    finally:
        for process, _port, _log in processes:
            process.terminate()
        for process, _port, _log in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        redis.Redis.from_url(REDIS_URL).delete(env["CITYOPS_REALTIME_STREAM"])


class EventStream:
    """An SSE client on a thread, handing each message over a queue, like a browser would."""

    def __init__(self, port: int, session: str, last_event_id: str = "") -> None:
        self.messages: queue.Queue[dict] = queue.Queue()
        self.connection = HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": f"sessionid={session}", "Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.connection.request("GET", "/console/events/", headers=headers)
        self.response = self.connection.getresponse()
        assert self.response.status == 200, self.response.read()
        self.connected = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.connected.wait(10), "the stream never opened"

    def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("retry:"):
                    self.connected.set()
                elif line == "":
                    if "event" in fields:
                        self.messages.put({**fields, "data": json.loads(fields["data"])})
                    fields = {}
                elif not line.startswith(":"):
                    name, _, value = line.partition(": ")
                    fields[name] = value
        except (OSError, ValueError, AttributeError):
            pass  # http.client's ways of saying the test closed the connection

    def next_report(self, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            if message["event"] == "report.changed":
                return message

    def close(self) -> None:
        self.connection.close()


def _send_report(port: int, key: str, description: str) -> int:
    body = urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": "sanitation",
            "lat": "16.4637",
            "long": "107.5909",
            "description": description,
        }
    ).encode()
    url = f"http://127.0.0.1:{port}/open311/v2/requests.json"
    with urllib.request.urlopen(url, data=body, timeout=10) as answer:
        return int(json.loads(answer.read())[0]["service_request_id"])


def test_a_report_sent_through_one_process_reaches_a_console_on_the_other(web_processes, operator):
    first, second = web_processes
    CategoryFactory(code="sanitation")
    key = apikey_create(name="two processes").secret
    client = Client()
    client.force_login(operator)
    session = client.cookies["sessionid"].value

    console = EventStream(first, session)
    try:
        report_id = _send_report(second, key, "Rác tồn đọng ở chợ Đông Ba")
        arrived = console.next_report()
        assert arrived["data"]["id"] == report_id
        assert arrived["data"]["status"] == "submitted"
    finally:
        console.close()

    # Offline for a while: two more reports arrive, through both processes.
    missed = [
        _send_report(second, key, "Đèn đường hỏng trên đường Lê Lợi"),
        _send_report(first, key, "Ổ gà trên cầu Trường Tiền"),
    ]
    # The browser reconnects to the other process with the last id it saw: it gets both, once.
    again = EventStream(second, session, last_event_id=arrived["id"])
    try:
        caught_up = [again.next_report()["data"]["id"] for _ in missed]
        assert caught_up == missed
        assert again.messages.empty()
    finally:
        again.close()
