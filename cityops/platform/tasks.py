"""Periodic housekeeping of the platform."""

from __future__ import annotations

from django_tasks import task

from cityops.platform.idempotency import idempotency_purge
from cityops.platform.jobs import every


@every(minutes=30)
@task()
def purge_idempotency_records() -> int:
    return idempotency_purge()
