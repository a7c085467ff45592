"""Retries must never write twice: the first response to a keyed write is kept and replayed.

A delivery layer calls ``idempotency_begin`` before the write. ``None`` means "go ahead" (the
key is now reserved); a ``Replay`` is the stored first response, to be sent as it is. After the
write, ``idempotency_finish`` stores the response; when the write fails unexpectedly,
``idempotency_abandon`` releases the key so that a retry can proceed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from cityops.platform import clock
from cityops.platform.errors import Conflict
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
    expired = Q(created_at__lt=now - ttl) | Q(
        status_code__isnull=True, created_at__lt=now - STALE_RESERVATION
    )
    IdempotencyRecord.objects.filter(expired, scope=scope, key=key).delete()
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(
                scope=scope, key=key, fingerprint=fingerprint, created_at=now
            )
        return None
    except IntegrityError:
        record = IdempotencyRecord.objects.get(scope=scope, key=key)
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


def idempotency_finish(
    *, scope: str, key: str, status_code: int, body: str, content_type: str
) -> None:
    IdempotencyRecord.objects.filter(scope=scope, key=key).update(
        status_code=status_code, body=body, content_type=content_type
    )


def idempotency_abandon(*, scope: str, key: str) -> None:
    IdempotencyRecord.objects.filter(scope=scope, key=key, status_code__isnull=True).delete()


def idempotency_purge() -> int:
    """Delete records past the retention period; returns how many."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.now() - RETENTION).delete()
    return deleted
