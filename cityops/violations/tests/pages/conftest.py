"""The page tests' people and camera: two enforcement officers (the two-officer rule needs
both) and a camera at a Huế crossing."""

import pytest

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory

from .world import camera_at_le_loi


@pytest.fixture(autouse=True)
def in_english(client):
    """The pages in English, so that the tests read the msgids (Vietnamese is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def officer_a(db):
    return UserFactory(username="officer-a", role=Role.OFFICER, full_name="Lê Văn An")


@pytest.fixture
def officer_b(db):
    return UserFactory(username="officer-b", role=Role.OFFICER, full_name="Võ Thị Bình")


@pytest.fixture
def camera(db):
    return camera_at_le_loi()
