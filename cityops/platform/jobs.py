"""Background jobs: Django's tasks API (``django_tasks``) in front of Huey.

Code defines jobs with ``@task`` from ``django_tasks`` and enqueues them with ``.enqueue()``;
this backend hands them to Huey, which stores them in a SQLite file under the data directory
(embedded run) or in Redis (``REDIS_URL``, production). Periodic jobs are registered with
``every(minutes=...)`` and run by the Huey consumer that ``cityops run`` starts in-process
(or ``cityops worker`` as its own process in production).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules, import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

logger = logging.getLogger(__name__)

T = TypeVar("T")


def huey() -> Huey:
    """The Huey instance the current settings choose (one per configuration, reused)."""
    return _huey_for(
        immediate=settings.CITYOPS_JOBS_IMMEDIATE,
        redis_url=settings.REDIS_URL,
        data_dir=str(settings.DATA_DIR),
    )


@cache
def _huey_for(*, immediate: bool, redis_url: str, data_dir: str) -> Huey:
    if immediate:
        return MemoryHuey("cityops", immediate=True)
    if redis_url:
        return RedisHuey("cityops", url=redis_url)
    return SqliteHuey("cityops", filename=str(Path(data_dir) / "jobs.sqlite3"))


_periodic: list[tuple[str, int]] = []


def _run_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    task = import_string(module_path)
    return task.call(*args, **kwargs)


@cache
def _huey_runner(instance: Huey) -> Callable[..., Any]:
    return instance.task(name="cityops.run_task")(_run_task)


class HueyBackend(BaseTaskBackend):
    """A ``django_tasks`` backend that queues each task as one generic Huey job."""

    supports_defer = False
    supports_get_result = False

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result: TaskResult = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        _huey_runner(huey())(task.module_path, list(args), dict(kwargs))
        return result


def every(*, minutes: int) -> Callable[[Task], Task]:
    """Schedule a ``@task`` to run every ``minutes`` minutes in the consumer."""

    if not 1 <= minutes <= 59:
        raise ValueError("every(minutes=...) takes 1 to 59; use a crontab for longer periods")

    def register(task: Task) -> Task:
        _periodic.append((task.module_path, minutes))
        return task

    return register


@cache  # once per Huey instance: registering a task twice is an error in Huey
def _register_periodic(instance: Huey) -> None:
    for module_path, minutes in _periodic:
        # Each schedule gets its own Huey task so the consumer's scheduler sees it.
        def run(module_path: str = module_path) -> Any:
            return _run_task(module_path, [], {})

        instance.periodic_task(crontab(minute=f"*/{minutes}"), name=f"periodic:{module_path}")(run)


def consumer(*, workers: int = 2, periodic: bool = True) -> Consumer:
    """A Huey consumer with threads, for running inside the web process or on its own;
    ``periodic=False`` leaves the periodic jobs to another consumer."""
    autodiscover_modules("tasks")  # modules that declare periodic jobs with ``every``
    instance = huey()
    _huey_runner(instance)
    _register_periodic(instance)
    return instance.create_consumer(workers=workers, worker_type="thread", periodic=periodic)
