"""Configuration kept in memory: fresh at once after a change here, within seconds after one
made by another process."""

import pytest

from cityops.agencies.models import Area
from cityops.agencies.selectors import area_at
from cityops.agencies.tests.factories import AreaFactory
from cityops.platform import kept as kept_module
from cityops.reports.models import Category
from cityops.reports.selectors import category_by_code
from cityops.reports.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[107.5, 16.4], [107.6, 16.4], [107.6, 16.5], [107.5, 16.5], [107.5, 16.4]]],
}


@pytest.fixture
def clock(monkeypatch):
    """The monotonic clock the kept values read, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(kept_module.time, "monotonic", lambda: now[0])
    return now


def test_an_area_saved_here_is_found_at_once(clock):
    assert area_at(lat=16.45, lon=107.55) is None

    area = AreaFactory(code="vy-da", boundary=SQUARE)

    assert area_at(lat=16.45, lon=107.55) == area


def test_a_boundary_changed_by_another_process_is_used_within_thirty_seconds(clock):
    area = AreaFactory(code="vy-da", boundary=SQUARE)
    assert area_at(lat=16.45, lon=107.55) == area
    # Another process moves the boundary away: no signal reaches this one.
    moved = {**SQUARE, "coordinates": [[[x + 1, y] for x, y in SQUARE["coordinates"][0]]]}
    Area.objects.filter(pk=area.pk).update(boundary=moved)

    clock[0] += 29
    assert area_at(lat=16.45, lon=107.55) == area
    clock[0] += 2
    assert area_at(lat=16.45, lon=107.55) is None


def test_a_category_deactivated_here_stops_taking_reports_at_once(clock):
    category = CategoryFactory(code="potholes")
    assert category_by_code("potholes", active_only=True) == category

    category.is_active = False
    category.save()

    assert category_by_code("potholes", active_only=True) is None
    assert category_by_code("potholes") == category


def test_a_category_deactivated_elsewhere_is_refused_within_thirty_seconds(clock):
    CategoryFactory(code="potholes")
    assert category_by_code("potholes", active_only=True) is not None
    Category.objects.filter(code="potholes").update(is_active=False)

    clock[0] += 31

    assert category_by_code("potholes", active_only=True) is None


def test_the_kept_area_cannot_be_changed_through_a_caller(clock):
    AreaFactory(code="vy-da", name="Vỹ Dạ", boundary=SQUARE)
    found = area_at(lat=16.45, lon=107.55)
    assert found is not None
    found.name = "changed by a caller"

    again = area_at(lat=16.45, lon=107.55)

    assert again is not None
    assert again.name == "Vỹ Dạ"
