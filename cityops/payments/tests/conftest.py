import pytest

from cityops.payments import hooks
from cityops.payments.tests import fake_gateway as fake


@pytest.fixture
def gateway(settings):
    """The fake VNPay and MoMo, with CityOps configured to talk to it."""
    state = fake.FakeGateway()
    server = fake.serve(state)
    settings.CITYOPS_VNPAY_TMN_CODE = fake.VNPAY_TMN
    settings.CITYOPS_VNPAY_HASH_SECRET = fake.VNPAY_SECRET
    settings.CITYOPS_VNPAY_QUERY_URL = f"{state.url}/vnpay/query"
    settings.CITYOPS_MOMO_PARTNER_CODE = fake.MOMO_PARTNER
    settings.CITYOPS_MOMO_ACCESS_KEY = fake.MOMO_ACCESS
    settings.CITYOPS_MOMO_SECRET_KEY = fake.MOMO_SECRET
    settings.CITYOPS_MOMO_ENDPOINT = f"{state.url}/momo"
    settings.CITYOPS_VIETQR_BANK_BIN = "970415"
    settings.CITYOPS_VIETQR_ACCOUNT = "0011001932418"
    settings.CITYOPS_VIETQR_ACCOUNT_NAME = "UBND THANH PHO HUE"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def handled(monkeypatch):
    """What the purpose ``test``'s handler was called with."""
    calls = []
    monkeypatch.setitem(hooks._HANDLERS, "test", calls.append)
    return calls


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
