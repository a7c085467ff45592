from datetime import datetime

import pytest
from django.core.cache import cache

from cityops.agencies.calendar import VIETNAM_TZ
from cityops.online.tests.factories import FeeFactory, OnlineServiceFactory
from cityops.platform import clock

# A Monday at 09:00 in Huế.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def monday():
    with clock.frozen_at(MONDAY):
        yield MONDAY


@pytest.fixture
def free_service(agency):
    return OnlineServiceFactory(
        code="xac-nhan-cu-tru", name="Xác nhận thông tin cư trú", agency=agency, processing_days=3
    )


@pytest.fixture
def paid_service(agency):
    service = OnlineServiceFactory(
        code="trich-luc-ho-tich", name="Cấp bản sao trích lục hộ tịch", agency=agency
    )
    FeeFactory(service=service, amount_vnd=8000)
    return service
