"""PostgreSQL restarts in the middle of intake: clients get errors, no accepted report is lost.

The test starts a PostgreSQL 15 cluster of its own on a free port (so that killing it disturbs
nobody else), migrates a database there, and runs ``uvicorn cityops.asgi:application --workers
2`` against it, as in production. Client threads send reports through Open311 and API v1, and
resend a refused one until it is accepted, while the cluster is stopped as a crash would stop it
(``pg_ctl stop -m immediate``), left down for a few seconds and started again; the server is not
restarted. The fixture ``restart`` does this once; each test checks one thing of what happened
(docs/reliability.md):

- every request is answered within the client's timeout;
- every request answered 2xx has its report in the database, with its timeline event, once;
- every answer while the database was down is a 503 with ``Retry-After`` in the API's shape;
- new reports are accepted again within seconds of the database coming back;
- a second restart, between requests, costs each worker one refused request at most.

The cluster is private, so the test does not need the suite's database: it runs in the
PostgreSQL pass only (running it in the SQLite pass as well would repeat the same thing).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from cityops.platform.tests.servers import free_port, wait_until_serving

PG_BIN = Path(os.environ.get("CITYOPS_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
CLIENTS = 4
CLIENT_TIMEOUT = 10  # seconds a client waits for an answer before calling it a hang
POOL_TIMEOUT = 5  # DATABASE_POOL_TIMEOUT's default: how long a request waits for a connection
OUTAGE = POOL_TIMEOUT + 1  # seconds the database stays down: some requests wait out the pool
RECOVERY = 5  # seconds within which intake must work again once the database is back

SETUP = """
from django.core.management import call_command
from cityops.accounts.services import apikey_create
call_command("migrate", "--no-input", verbosity=0)
call_command("seed", "--no-demo", verbosity=0)
print("KEY", apikey_create(name="database fault test").secret)
"""


class Cluster:
    """A throw-away PostgreSQL cluster in a directory of its own, run by the postgres user."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(PG_BIN / tool), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode:
            raise AssertionError(f"{tool} {' '.join(args)} failed:\n{done.stdout}{done.stderr}")

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, user="postgres")
        self.directory.chmod(0o700)
        # No fsync: a killed server keeps what it wrote in the OS's cache, all a crash test needs.
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-N")
        self.start()
        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE cityops")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "postgresql.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


def _requirements_or_skip() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (its cluster is its own; once is enough)")
    missing = [tool for tool in ("initdb", "pg_ctl") if not (PG_BIN / tool).exists()]
    if os.geteuid() == 0 and not shutil.which("runuser"):
        missing.append("runuser")
    if missing:
        reason = f"a private PostgreSQL cluster needs {', '.join(missing)} (in {PG_BIN})"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@dataclass
class Intake:
    """A server on a private cluster, and what it takes to send it reports."""

    cluster: Cluster
    port: int
    key: str
    log: Path

    def database(self) -> psycopg.Connection:
        return psycopg.connect(self.cluster.url("cityops"), autocommit=True)


@pytest.fixture(scope="module")
def intake() -> Iterator[Intake]:
    _requirements_or_skip()
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="cityops-pg-")))
    process: subprocess.Popen | None = None
    try:
        cluster.create()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "REDIS_URL", "DJANGO_SETTINGS_MODULE"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "cityops.settings",
                "DATABASE_URL": cluster.url("cityops"),
                "CITYOPS_DATA_DIR": str(cluster.directory / "cityops"),
                "SECRET_KEY": uuid.uuid4().hex * 2,
                "CITYOPS_JOBS_IMMEDIATE": "0",  # queued in the data directory, not run
                "CITYOPS_RATE_WRITE_PER_IP": "1000000/m",
                "CITYOPS_RATE_WRITE_PER_KEY": "1000000/m",
                "LOG_LEVEL": "WARNING",
            }
        )
        command = [sys.executable, "-m", "cityops.cli", "shell", "-c", SETUP]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"setup failed:\n{done.stdout}{done.stderr}"
        key = done.stdout.split("KEY", 1)[1].strip()

        port = free_port()
        log = cluster.directory / "uvicorn.log"
        command = [sys.executable, "-m", "uvicorn", "cityops.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
        command += ["--lifespan", "off", "--no-access-log", "--log-level", "warning"]
        process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        wait_until_serving(port, process, log, seconds=60)
        yield Intake(cluster, port, key, log)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(AssertionError):  # never started, or already down
            cluster.stop("immediate")
        shutil.rmtree(cluster.directory, ignore_errors=True)


@dataclass
class Report:
    """A report a client sends until it is accepted, the same each time (an app's outbox)."""

    api: str
    client: int
    description: str
    key: str = field(default_factory=lambda: uuid.uuid4().hex)  # Idempotency-Key / device_id

    def request(self, intake: Intake) -> urllib.request.Request:
        base = f"http://127.0.0.1:{intake.port}"
        if self.api == "open311":
            form = {
                "api_key": intake.key,
                "service_code": "sanitation",
                "attribute[waste_type]": "household",
                "lat": "16.4637",
                "long": "107.5909",
                "description": self.description,
                "device_id": self.key,  # Open311's retry protection: same device, same report
            }
            body = urllib.parse.urlencode(form).encode()
            return urllib.request.Request(f"{base}/open311/v2/requests.json", data=body)
        document = {
            "category": "sanitation",
            "description": self.description,
            "lat": 16.4637,
            "lon": 107.5909,
        }
        headers = {
            "Content-Type": "application/json",
            "X-API-Key": intake.key,
            "Idempotency-Key": self.key,
        }
        return urllib.request.Request(
            f"{base}/api/v1/reports", data=json.dumps(document).encode(), headers=headers
        )


@dataclass
class Attempt:
    """One sending of a report, and what the server answered (status 0: no answer in time)."""

    report: Report
    sent: float
    answered: float = 0.0
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def api(self) -> str:
        return self.report.api

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300

    def report_id(self) -> int:
        document = json.loads(self.body)
        if self.api == "open311":
            return int(document[0]["service_request_id"])
        return int(document["id"])

    def __repr__(self) -> str:
        took = self.answered - self.sent
        return f"<{self.api} {self.status} after {took:.1f} s: {self.body[:160]!r}>"


def _client(intake: Intake, number: int, stop: threading.Event, attempts: list[Attempt]) -> None:
    """Send reports one after the other; resend a refused one until it is accepted."""
    api = ("open311", "api")[number % 2]
    sent = 0
    report = None
    while not stop.is_set():
        if report is None:
            sent += 1
            report = Report(
                api, number, f"Rác thải đổ trộm ở chợ Đông Ba, nguồn {number} số {sent}"
            )
        if _send(intake, report, attempts).accepted:
            report = None
        else:
            time.sleep(0.2)  # Retry-After says 5 s; the test has no time for manners


def _send(intake: Intake, report: Report, attempts: list[Attempt]) -> Attempt:
    attempt = Attempt(report, sent=time.monotonic())
    attempts.append(attempt)
    try:
        with urllib.request.urlopen(report.request(intake), timeout=CLIENT_TIMEOUT) as answer:
            attempt.status, attempt.body = answer.status, answer.read()
            attempt.headers = {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as error:
        attempt.status, attempt.body = error.code, error.read()
        attempt.headers = {k.lower(): v for k, v in error.headers.items()}
    except OSError:
        pass  # no answer in time, or the connection dropped: status stays 0
    attempt.answered = time.monotonic()
    return attempt


def _wait_until_warm(attempts: list[Attempt]) -> None:
    """Until both workers answer quickly: a fresh worker's first requests import half the code."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now, seen = time.monotonic(), list(attempts)
        recent = [a for a in seen if a.answered][-20:]
        if (
            len(recent) == 20
            and all(a.accepted and a.answered - a.sent < 0.5 for a in recent)
            and all(now - a.sent < 0.5 for a in seen if not a.answered)
        ):
            return
    raise AssertionError(f"intake never answered steadily: {attempts[-5:]}")


def _pending(attempts: list[Attempt], at: float) -> list[Report]:
    """The clients' reports refused before ``at``, each once."""
    reports = {id(a.report): a.report for a in list(attempts) if a.sent < at and not a.accepted}
    return [report for report in reports.values() if report.client >= 0]


def _all_through(attempts: list[Attempt], at: float) -> bool:
    accepted = {id(a.report) for a in list(attempts) if a.accepted}
    return all(id(report) in accepted for report in _pending(attempts, at))


def _probe(api: str) -> Report:
    return Report(api, -1, f"Ổ gà trên cầu Trường Tiền, báo số {uuid.uuid4().hex[:8]}")


@dataclass
class Restart:
    """What the clients saw while the database went down and came back, and what it kept."""

    attempts: list[Attempt]
    stopped: float  # the database is down from here (pg_ctl stop returned)
    starting: float  # until here (pg_ctl start called)
    started: float  # and serves again from here (pg_ctl start returned)
    recovered: dict[str, float]  # each API's first acceptance of a new report, after `started`
    stored: dict[int, tuple[str, int]]  # report id → (description, events)

    def summary(self) -> str:
        refused = [a for a in self.attempts if a.sent > self.started and not a.accepted]
        during = self.during_outage()
        return (
            f"\n{len(self.attempts)} requests, {sum(a.accepted for a in self.attempts)} accepted; "
            f"{len(during)} answered during the {self.starting - self.stopped:.1f} s outage in "
            f"{min((a.answered - a.sent for a in during), default=0):.2f}–"
            f"{max((a.answered - a.sent for a in during), default=0):.2f} s; back after "
            + ", ".join(f"{api} {at - self.started:.2f} s" for api, at in self.recovered.items())
            + f"; refused after: {sorted(a.status for a in refused)}"
        )

    def during_outage(self) -> list[Attempt]:
        return [a for a in self.attempts if a.sent >= self.stopped and a.answered <= self.starting]


@pytest.fixture(scope="module")
def restart(intake) -> Restart:
    attempts: list[Attempt] = []
    stop = threading.Event()
    clients = [
        threading.Thread(target=_client, args=(intake, n, stop, attempts), daemon=True)
        for n in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    recovered: dict[str, float] = {}
    probes: list[threading.Thread] = []
    try:
        _wait_until_warm(attempts)
        intake.cluster.stop("immediate")
        stopped = time.monotonic()
        # A new report through each API meanwhile, besides the clients' (busy resending theirs).
        probes = [
            threading.Thread(target=_send, args=(intake, _probe(api), attempts), daemon=True)
            for api in ("open311", "api")
        ]
        for probe in probes:
            probe.start()
        time.sleep(OUTAGE)
        starting = time.monotonic()
        intake.cluster.start()
        started = time.monotonic()
        # Fresh reports, beside the clients' resent ones: when does intake as such work again?
        deadline = started + RECOVERY + CLIENT_TIMEOUT
        while len(recovered) < 2 and time.monotonic() < deadline:
            for api in {"open311", "api"} - set(recovered):
                attempt = _send(intake, _probe(api), attempts)
                if attempt.accepted:
                    recovered[api] = attempt.answered
            time.sleep(0.1)
        while time.monotonic() < started + RECOVERY and not _all_through(attempts, started):
            time.sleep(0.1)  # the clients' resent reports go through (or not)
    finally:
        stop.set()
        for thread in [*clients, *probes]:
            thread.join(timeout=CLIENT_TIMEOUT + 5)
    with intake.database() as database:
        rows = database.execute(
            "SELECT r.id, r.description, count(e.id) FROM reports_report r "
            "LEFT JOIN reports_reportevent e ON e.report_id = r.id GROUP BY r.id"
        ).fetchall()
    stored = {report_id: (description, events) for report_id, description, events in rows}
    restart = Restart(attempts, stopped, starting, started, recovered, stored)
    print(restart.summary())  # shown with -s: the figures docs/reliability.md quotes
    return restart


def test_every_request_is_answered_within_the_clients_timeout(restart, intake):
    assert restart.attempts
    unanswered = [a for a in restart.attempts if a.status == 0]
    assert not unanswered, (
        f"{len(unanswered)} requests got no answer within {CLIENT_TIMEOUT} s, the first sent "
        f"{unanswered[0].sent - restart.stopped:+.1f} s after the database stopped\n"
        + intake.log.read_text(errors="replace")[-3000:]
    )


def test_every_accepted_report_is_stored_once_with_its_event(restart):
    accepted = [a for a in restart.attempts if a.accepted]
    assert len(accepted) > 20
    lost = [a for a in accepted if a.report_id() not in restart.stored]
    assert not lost, f"{len(lost)} accepted reports are not in the database: {lost[:3]}"
    for attempt in accepted:
        assert restart.stored[attempt.report_id()] == (attempt.report.description, 1), attempt
    descriptions = [description for description, _events in restart.stored.values()]
    twice = {d for d in descriptions if descriptions.count(d) > 1}
    assert not twice, f"stored twice: {sorted(twice)[:3]}"


def test_clients_are_told_to_retry_in_their_apis_shape_while_the_database_is_down(restart):
    during = restart.during_outage()
    assert {a.api for a in during} == {"open311", "api"}, during
    for attempt in during:
        assert attempt.status == 503, attempt
        assert attempt.headers.get("retry-after") == "5", attempt
        document = json.loads(attempt.body)
        if attempt.api == "open311":
            assert document[0]["code"] == 503, attempt
        else:
            assert document["code"] == "unavailable", attempt
    # At once when the request's connection died; at most the pool's timeout when none was left.
    slowest = max(a.answered - a.sent for a in during)
    assert slowest < POOL_TIMEOUT + 1, f"an answer during the outage took {slowest:.1f} s"


def test_intake_works_again_within_seconds_without_restarting_the_server(restart):
    for api in ("open311", "api"):
        assert api in restart.recovered, f"{api} accepted no report after the restart"
        took = restart.recovered[api] - restart.started
        assert took < RECOVERY, f"{api} accepted a new report only {took:.1f} s after the restart"


def test_a_report_resent_with_its_key_is_accepted_within_seconds_of_the_restart(restart):
    pending = _pending(restart.attempts, restart.started)
    assert pending, "no client was resending a report when the database came back"
    for report in pending:
        tries = [a for a in restart.attempts if a.report is report]
        through = [a for a in tries if a.accepted]
        assert through, f"{report.api} report never accepted: {tries[-2:]}"
        assert through[0].answered - restart.started < RECOVERY, (report, through[0])


def test_after_a_restart_between_requests_each_worker_refuses_one_request_at_most(intake, restart):
    """Nobody sent anything while the database was down: the pools still hold dead connections.

    The first request to meet one is refused (503) and has its pool check the others, so the
    next request of that worker gets a new connection, not another dead one.
    """
    burst = [  # enough requests at once that each worker's pool keeps several connections
        threading.Thread(target=_send, args=(intake, _probe(api), []))
        for api in ("open311", "api") * 4
    ]
    for thread in burst:
        thread.start()
    for thread in burst:
        thread.join(timeout=CLIENT_TIMEOUT + 5)
    intake.cluster.stop("immediate")
    time.sleep(1)
    intake.cluster.start()

    after = [_send(intake, _probe(api), []) for api in ("open311", "api") * 6]
    refused = [a for a in after if not a.accepted]
    assert all(a.status == 503 for a in refused), refused
    assert len(refused) <= 2, f"{len(refused)} of {len(after)} refused: {refused}"  # 2 workers
