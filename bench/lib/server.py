"""The HTTP benches' server side: a seeded database of their own and uvicorn on a free port.

Used through ``bench/lib/web.py`` by ``bench/intake.py`` and ``bench/scaling.py``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.machine import cpu_seconds

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SEEDED_REPORTS = int(os.environ.get("BENCH_REPORTS", "20000"))
DATA_PREFIX = "cityops-bench-http-"  # the server's data directory and log, removed after a run


# -- progress --------------------------------------------------------------------------------


class Progress:
    """Counts the planned measurements and prints where a long run stands."""

    def __init__(self, planned: int) -> None:
        self.planned = planned
        self.done = 0
        self.started = time.monotonic()

    def step(self) -> str:
        self.done += 1
        return f"[{self.done}/{self.planned} {self.elapsed()}]"

    def elapsed(self) -> str:
        seconds = int(time.monotonic() - self.started)
        return f"{seconds // 60}m{seconds % 60:02d}s"


def say(text: str) -> None:
    print(text, flush=True)


# -- setup -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def psql(base: str, sql: str, db: str = "postgres") -> str:
    import psycopg

    with psycopg.connect(f"{base}/{db}", autocommit=True) as conn:
        cur = conn.execute(sql)
        row = cur.fetchone() if cur.description else None
        return str(row[0]) if row else ""


def psql_row(base: str, sql: str, params: tuple[Any, ...], db: str) -> tuple[Any, ...]:
    import psycopg

    with psycopg.connect(f"{base}/{db}", autocommit=True) as conn:
        row = conn.execute(sql, params).fetchone()
        return tuple(row) if row else ()


def cityops(env: dict[str, str], *args: str) -> str:
    started = time.monotonic()
    out = subprocess.run(  # noqa: S603 - our own binaries and arguments
        [str(BIN / "cityops"), *args], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise SystemExit(f"cityops {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    say(f"   cityops {' '.join(args)[:60].splitlines()[0]}: {time.monotonic() - started:.1f} s")
    return out.stdout


SESSION_CODE = """
from django.test import Client
from cityops.accounts.models import User, Role
user, _ = User.objects.get_or_create(username="bench-operator", defaults={"role": Role.OPERATOR})
user.role = Role.OPERATOR
user.set_password("bench-operator-password")
user.save()
client = Client()
client.force_login(user)
print("SESSION", client.cookies["sessionid"].value)
"""


@dataclass
class Bench:
    """One bench run's settings, database and server environment."""

    name: str
    db_name: str
    seconds: int
    rounds: int
    quick: bool
    base: str = ""
    redis_url: str = ""
    env: dict[str, str] = field(default_factory=dict)
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix=DATA_PREFIX)))
    key: str = ""
    session: str = ""

    @classmethod
    def from_environment(cls, name: str, db_name: str, argv: Sequence[str]) -> Bench:
        """``--quick`` (or BENCH_QUICK=1): 3 s measurements, one round, 5,000 seeded reports."""
        quick = "--quick" in argv or os.environ.get("BENCH_QUICK") == "1"
        seconds = int(os.environ.get("BENCH_SECONDS", "3" if quick else "15"))
        rounds = int(os.environ.get("BENCH_ROUNDS", "1" if quick else "3"))
        db_name = os.environ.get("BENCH_DB_NAME", db_name)
        bench = cls(name=name, db_name=db_name, seconds=seconds, rounds=rounds, quick=quick)
        pg_url = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/cityops")
        bench.base = pg_url.rsplit("/", 1)[0]
        bench.redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
        bench.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cityops.settings",
            "DATABASE_URL": f"{bench.base}/{db_name}",
            "CITYOPS_DATA_DIR": str(bench.data_dir / "data"),
            "SECRET_KEY": secrets.token_urlsafe(50),  # the session made here is read by the server
            "REDIS_URL": bench.redis_url,
            "CITYOPS_JOBS_IMMEDIATE": "0",
            "CITYOPS_RATE_WRITE_PER_IP": "10000000/m",
            "CITYOPS_RATE_WRITE_PER_KEY": "10000000/m",
            "CITYOPS_RATE_LOGIN_PER_IP": "10000000/m",
            "LOG_LEVEL": "WARNING",
        }
        bench.env.pop("CITYOPS_READ_CACHE", None)  # the deployed default, whatever the shell says
        return bench

    @property
    def reports(self) -> int:
        return 5000 if self.quick and "BENCH_REPORTS" not in os.environ else SEEDED_REPORTS

    def result_path(self) -> Path:
        """bench/results/<name>.json; a quick run's figures are not results: a temporary file."""
        if self.quick:
            return Path(tempfile.gettempdir()) / "cityops-bench" / f"{self.name}.quick.json"
        return ROOT / "bench" / "results" / f"{self.name}.json"

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    def prepare(self) -> dict[str, Any]:
        """A fresh database with the Huế configuration, an API key, an operator's session and
        ``reports`` bulk-seeded reports, analysed."""
        self.flush_redis()
        psql(self.base, f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")
        psql(self.base, f"CREATE DATABASE {self.db_name}")
        started = time.monotonic()
        cityops(self.env, "migrate", "--no-input", "-v", "0")
        cityops(self.env, "seed", "--no-demo", "-v", "0")
        self.key = cityops(self.env, "apikey", "create", "--name", "bench").strip().split()[-1]
        out = cityops(self.env, "shell", "-c", SESSION_CODE)
        self.session = out.split("SESSION", 1)[1].strip()
        seeded = time.monotonic()
        cityops(self.env, "seed", "--reports", str(self.reports), "--bulk", "-v", "0")
        seed_seconds = time.monotonic() - seeded
        # As autovacuum would have by now (it is off on this machine's PostgreSQL): without table
        # statistics the planner guesses, and the query figures measure its guesses.
        psql(self.base, "VACUUM ANALYZE", self.db_name)
        return {
            "name": self.db_name,
            "setup_seconds": round(seeded - started, 1),
            "seed_reports_seconds": round(seed_seconds, 1),
            "reports_for_reads": self.report_count(),
        }

    def report_count(self) -> int:
        return int(psql(self.base, "SELECT count(*) FROM reports_report", self.db_name))

    def cleanup(self) -> None:
        self.flush_redis()
        shutil.rmtree(self.data_dir, ignore_errors=True)


class Server:
    """``uvicorn cityops.asgi:application --workers N`` on a free port, and beside it the read
    cache's refresher (``cityops readcache_refresh``, as deployed with Redis: docs/scaling.md)
    unless ``refresher=False``; both stopped by ``stop()``."""

    def __init__(
        self,
        bench: Bench,
        *,
        workers: int = 2,
        env: dict[str, str] | None = None,
        refresher: bool = True,
    ):
        self.refresher = (
            subprocess.Popen(  # noqa: S603 - our own binary and arguments
                [str(BIN / "cityops"), "readcache_refresh"],
                env={**bench.env, **(env or {})},
                stdout=(bench.data_dir / "refresher.log").open("w"),
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
            if refresher
            else None
        )
        self.port = free_port()
        self.workers = workers
        self.log = bench.data_dir / f"uvicorn-{self.port}.log"
        command = [str(BIN / "python"), "-m", "uvicorn", "cityops.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        command += ["--lifespan", "off", "--no-access-log", "--log-level", "warning"]
        command += ["--loop", "uvloop", "--http", "httptools"]
        self.process = subprocess.Popen(  # noqa: S603 - our own binaries and arguments
            command,
            env={**bench.env, **(env or {})},
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"uvicorn exited:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as answer:  # noqa: S310
                    if answer.status == 200 and len(self.worker_pids()) >= workers:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"uvicorn did not start:\n{self.log.read_text()}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        """The processes answering requests: the supervisor's children, or with one worker
        the process itself (uvicorn then runs without a supervisor)."""
        return _children(self.process.pid) if self.workers > 1 else [self.process.pid]

    def stop(self) -> None:
        for process in (self.process, self.refresher):
            if process is None:
                continue
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def settle(server: Server) -> float:
    """Wait until the workers have finished the previous measurement's requests.

    wrk closes its connections at the end, but the workers still finish what they had started
    (32 one-thousand-report pages are ≈10 s of CPU): the next measurement must not pay for it.
    A request to /healthz cannot tell (an idle worker answers it), the workers' CPU time can:
    settled when they used under 5 % of a core over half a second.
    """
    started = time.monotonic()
    workers = server.worker_pids()
    time.sleep(1)
    while time.monotonic() - started < 60:
        before = cpu_seconds(workers)
        time.sleep(0.5)
        if cpu_seconds(workers) - before < 0.025:
            break
    return round(time.monotonic() - started, 1)


def require_wrk() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
