"""The city the chat webhooks' tests run in: a ward around (16.46, 107.59) in Huế, three
categories the classifier knows, the fake platforms, and both channels switched on."""

from __future__ import annotations

import pytest

from cityops.agencies.tests.factories import AreaFactory
from cityops.reports.tests.factories import CategoryFactory
from cityops.webhooks.tests.fakes import META_TOKEN, ZALO_TOKEN, FakePlatforms

ZALO_APP_ID = "3608465249409039670"
ZALO_OA_SECRET = "zalo-oa-secret-for-tests"
META_APP_SECRET = "meta-app-secret-for-tests"
META_VERIFY_TOKEN = "cityops-verify-for-tests"
INSIDE_HUE = (16.4637, 107.5909)  # Lê Lợi street, inside the test ward
OUTSIDE_HUE = (21.0285, 105.8542)  # Hà Nội


@pytest.fixture
def fake_platforms():
    fakes = FakePlatforms()
    yield fakes.platform
    fakes.stop()


@pytest.fixture
def city(db):
    AreaFactory()
    return {
        code: CategoryFactory(code=code, name=name, name_en=name_en)
        for code, name, name_en in [
            ("sanitation", "Vệ sinh môi trường", "Sanitation"),
            ("traffic-infrastructure", "Hạ tầng giao thông", "Traffic infrastructure"),
            ("other", "Khác", "Other"),
        ]
    }


@pytest.fixture
def channels_on(settings, fake_platforms, city):
    settings.CITYOPS_CHANNELS = {**settings.CITYOPS_CHANNELS, "zalo": True, "facebook": True}
    settings.CITYOPS_ZALO_API_URL = fake_platforms.url
    settings.CITYOPS_ZALO_OA_ACCESS_TOKEN = ZALO_TOKEN
    settings.CITYOPS_ZALO_APP_ID = ZALO_APP_ID
    settings.CITYOPS_ZALO_OA_SECRET_KEY = ZALO_OA_SECRET
    settings.CITYOPS_META_GRAPH_URL = fake_platforms.url + "/v19.0"
    settings.CITYOPS_META_PAGE_TOKEN = META_TOKEN
    settings.CITYOPS_META_APP_SECRET = META_APP_SECRET
    settings.CITYOPS_META_VERIFY_TOKEN = META_VERIFY_TOKEN
    settings.CITYOPS_RATE_LIMITS = {
        **settings.CITYOPS_RATE_LIMITS,
        "webhook_per_channel": "10000/m",
    }
    return fake_platforms
