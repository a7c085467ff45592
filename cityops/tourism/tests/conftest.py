"""The tourism tests' world: Huế's FAQ as shipped, the ``tourism`` category and a fixed
"now" (Monday 7 December 2026, 10:00 in Huế: office hours)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cityops.reports.tests.factories import CategoryFactory
from cityops.tourism.services import faq_load_file

DATA = Path(__file__).parent / "data"
HUE = ZoneInfo("Asia/Ho_Chi_Minh")


def rows(name: str) -> list[list[str]]:
    """A tab-separated test data file, one case a line."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip()]


@pytest.fixture
def faq(db):
    faq_load_file()


@pytest.fixture
def tourism_category(db):
    return CategoryFactory(code="tourism", name="Du lịch", name_en="Tourism")


def at(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=HUE)
