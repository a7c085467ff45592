"""The production job path for real: Django task → Huey on Redis → a consumer thread runs it."""

import os
import signal
import time
from pathlib import Path

import pytest
from django_tasks import task

from cityops.platform import jobs
from cityops.platform.tests.servers import redis_or_skip

REDIS_URL = os.environ.get("CITYOPS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@task()
def write_marker(path: str, text: str) -> None:
    Path(path).write_text(text)


def _redis_or_skip() -> None:
    redis_or_skip(REDIS_URL)


@pytest.fixture
def redis_jobs(settings):
    _redis_or_skip()
    settings.REDIS_URL = REDIS_URL
    settings.CITYOPS_JOBS_IMMEDIATE = False
    jobs.huey().flush()
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    yield jobs.huey()
    jobs.huey().flush()
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def test_a_task_enqueued_through_django_runs_in_the_worker_via_redis(redis_jobs, tmp_path):
    marker = tmp_path / "done.txt"
    write_marker.enqueue(str(marker), "xong")
    assert redis_jobs.pending_count() == 1  # queued in Redis, not run inline

    # Without the periodic scheduler: a minute boundary during the test would queue the
    # periodic jobs (escalation, offline sensors, …) next to ours.
    worker = jobs.consumer(workers=1, periodic=False)
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.stop(graceful=True)
    assert marker.read_text() == "xong"
    assert redis_jobs.pending_count() == 0
