"""Retries must never write twice: the first response to a keyed write is kept and replayed.

A delivery layer opens a transaction and calls ``idempotency_begin`` before the write. ``None``
means "go ahead" (the key is now reserved); a ``Replay`` is the stored first response, to be sent
as it is. After the write, ``idempotency_finish`` stores the response in the same transaction.
When anything fails (the database goes away, an unexpected error), the transaction rolls back
the reservation with the write, so a retry proceeds; a concurrent retry with the same key waits
on the reservation's unique index until the first commits, then finds its answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.db import connection

from cityops.platform import clock
from cityops.platform.errors import Conflict
from cityops.platform.inserts import insert_unless_present
from cityops.platform.models import IdempotencyRecord

# A reservation whose request never finished (its process died) stops blocking retries after this.
STALE_RESERVATION = timedelta(minutes=5)
# Records are kept this long at most; the periodic purge removes older ones.
RETENTION = timedelta(days=2)


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: str
    content_type: str


def fingerprint_of(payload: Any) -> str:
    """A stable hash of a request's meaningful content (dicts compared regardless of order)."""
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def idempotency_begin(
    *, scope: str, key: str, fingerprint: str, ttl: timedelta, strict: bool = True
) -> Replay | None:
    """Reserve ``key`` or return the response already given for it.

    ``strict``: the same key with another payload is an error (``Idempotency-Key`` semantics);
    otherwise callers put the fingerprint in the key themselves.
    """
    now = clock.now()
    record = _reserve(scope=scope, key=key, fingerprint=fingerprint, at=now)
    if record is None:
        return None
    stale = record.status_code is None and record.created_at < now - STALE_RESERVATION
    if record.created_at < now - ttl or stale:
        # Forgotten: the key is free again (checked here, not on every write).
        IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
        record = _reserve(scope=scope, key=key, fingerprint=fingerprint, at=now)
        if record is None:
            return None
    if strict and record.fingerprint != fingerprint:
        raise Conflict(
            "This Idempotency-Key was already used for a different request.",
            code="idempotency_key_reused",
        )
    if record.status_code is None:
        raise Conflict(
            "The first request with this key is still being processed; retry shortly.",
            code="request_in_progress",
        )
    return Replay(record.status_code, record.body, record.content_type)


def _reserve(*, scope: str, key: str, fingerprint: str, at: datetime) -> IdempotencyRecord | None:
    """Reserve the key (None), or the record that already holds it."""
    reservation = IdempotencyRecord(scope=scope, key=key, fingerprint=fingerprint, created_at=at)
    # A taken key does not spoil the caller's transaction: no savepoint needed around it.
    if insert_unless_present(reservation, unique=("scope", "key")):
        return None
    return IdempotencyRecord.objects.get(scope=scope, key=key)


def idempotency_finish(
    *, scope: str, key: str, status_code: int, body: str, content_type: str
) -> None:
    # Run for every keyed write: the statement's text once, not the ORM's compiling each time.
    with connection.cursor() as cursor:
        cursor.execute(_finish_statement(), [status_code, body, content_type, scope, key])


@cache
def _finish_statement() -> str:
    quote = connection.ops.quote_name  # the model's own column names (no db_column)
    set_, where = ("status_code", "body", "content_type"), ("scope", "key")
    return (
        f"UPDATE {quote(IdempotencyRecord._meta.db_table)} "  # noqa: S608 - names only
        f"SET {', '.join(f'{quote(name)} = %s' for name in set_)} "
        f"WHERE {' AND '.join(f'{quote(name)} = %s' for name in where)}"
    )


def idempotency_purge() -> int:
    """Delete records past the retention period; returns how many."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.now() - RETENTION).delete()
    return deleted
