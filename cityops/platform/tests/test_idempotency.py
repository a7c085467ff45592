"""Keyed writes are answered once; retries get the first answer."""

from datetime import datetime, timedelta

import pytest
import time_machine

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.platform.errors import Conflict
from cityops.platform.idempotency import (
    Replay,
    idempotency_begin,
    idempotency_finish,
    idempotency_purge,
)
from cityops.platform.models import IdempotencyRecord

NOON = datetime(2026, 3, 9, 12, 0, tzinfo=VIETNAM_TZ)
DAY = timedelta(hours=24)


def _begin(fingerprint: str = "a", ttl: timedelta = DAY, strict: bool = True) -> Replay | None:
    return idempotency_begin(scope="api:7", key="k1", fingerprint=fingerprint, ttl=ttl,
                             strict=strict)  # fmt: skip


pytestmark = pytest.mark.django_db


def test_a_retry_gets_the_first_answer():
    assert _begin() is None
    idempotency_finish(scope="api:7", key="k1", status_code=201, body='{"id": 5}',
                       content_type="application/json")  # fmt: skip
    assert _begin() == Replay(201, '{"id": 5}', "application/json")


def test_the_same_key_with_another_payload_is_a_conflict():
    _begin()
    idempotency_finish(scope="api:7", key="k1", status_code=201, body="{}", content_type="x")
    with pytest.raises(Conflict) as refused:
        _begin(fingerprint="b")
    assert refused.value.code == "idempotency_key_reused"


def test_a_retry_while_the_first_request_runs_is_told_to_wait():
    _begin()
    with pytest.raises(Conflict) as refused:
        _begin()
    assert refused.value.code == "request_in_progress"


def test_a_reservation_left_by_a_dead_process_stops_blocking_after_a_few_minutes():
    with time_machine.travel(NOON, tick=False):
        _begin()
    with time_machine.travel(NOON + timedelta(minutes=6), tick=False):
        assert _begin() is None


def test_an_expired_answer_is_not_replayed():
    with time_machine.travel(NOON, tick=False):
        _begin(ttl=timedelta(minutes=10))
        idempotency_finish(scope="api:7", key="k1", status_code=201, body="{}", content_type="x")
    with time_machine.travel(NOON + timedelta(minutes=11), tick=False):
        assert _begin(ttl=timedelta(minutes=10)) is None


def test_the_purge_removes_only_old_records():
    with time_machine.travel(NOON, tick=False):
        _begin()
    with time_machine.travel(NOON + timedelta(days=3), tick=False):
        idempotency_begin(scope="api:8", key="k2", fingerprint="c", ttl=DAY)
        assert idempotency_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k2"]
