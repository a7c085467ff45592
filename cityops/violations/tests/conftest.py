"""Fixtures of the violations tests: a camera, two officers, the other roles, and a detector
that answers at once (the blurring's own tests are in cityops/platform; here one test runs
the real one)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from cityops.platform.blurring import Region
from cityops.violations.services import blurring

from .factories import CameraFactory, OfficerFactory

DETECTED = Region(x=65, y=58, width=30, height=8, kind="plate")


@pytest.fixture(autouse=True)
def _quick_detector(request, monkeypatch):
    """The real detector costs seconds a frame; these tests are about what is done with its
    answer. A test that asks for ``real_detector`` gets the real one, and so do the page and
    browser tests (their own folders, their own choice)."""
    theirs = {"pages", "browser"} & set(request.node.path.parts)
    if "real_detector" not in request.fixturenames and not theirs:
        monkeypatch.setattr(blurring, "regions_detect", lambda content: [DETECTED])
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def camera(db):
    return CameraFactory(code="hue-cam-01", name="Ngã tư Lê Lợi - Hùng Vương")


@pytest.fixture
def officer(db):
    return OfficerFactory(username="officer-an", full_name="Lê Văn An")


@pytest.fixture
def second_officer(db):
    return OfficerFactory(username="officer-binh", full_name="Võ Thị Bình")


@pytest.fixture
def real_detector():
    """OpenCV's detector, as in production (see ``_quick_detector``)."""
