"""A commune's one-stop-shop office of ``agency`` (the root conftest's), with a desk, an
officer and a procedure; the category a dissatisfied rating's case goes to."""

import pytest
from django.core.cache import cache

from cityops.reports.tests.factories import CategoryFactory
from cityops.services.tests.factories import (
    DeskFactory,
    OfficeFactory,
    OfficerFactory,
    ProcedureFactory,
)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # rate limits and the kiosk's cool-down count in the cache
    yield
    cache.clear()


@pytest.fixture
def conduct(db):
    return CategoryFactory(code="administrative-conduct", name="Thái độ, thủ tục hành chính")


@pytest.fixture
def office(agency):
    return OfficeFactory(name="Bộ phận một cửa phường Phú Hội", agency=agency)


@pytest.fixture
def desk(office):
    return DeskFactory(office=office, name="Quầy số 2")


@pytest.fixture
def officer(office):
    return OfficerFactory(office=office, name="Trần Thị Lan", staff_code="CB-07")


@pytest.fixture
def procedure(db):
    return ProcedureFactory(code="1.001234", name="Chứng thực bản sao từ bản chính")
