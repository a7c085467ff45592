"""The adapters sign as the gateways document it: each signature is recomputed here on its own
(hmac, urllib) or compared with a published example."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from cityops.payments.choices import Gateway
from cityops.payments.gateways import vietqr
from cityops.payments.gateways.momo import MoMo
from cityops.payments.gateways.vnpay import VNPay, query_checksum
from cityops.payments.models import Payment
from cityops.payments.tests import fake_gateway as fake


def unsaved(gateway: Gateway, amount: int = 250_000) -> Payment:
    return Payment(
        purpose="test",
        reference="HS-9",
        description="Phí thẩm định",
        amount_vnd=amount,
        gateway=gateway,
        txn_ref="261207ABCDEF012345",
        created_at=datetime(2026, 12, 7, 3, 0, tzinfo=UTC),
        expires_at=datetime(2026, 12, 7, 3, 15, tzinfo=UTC),
    )


def test_the_vnpay_address_carries_the_documented_fields_and_a_valid_hmac_sha512():
    adapter = VNPay(
        tmn_code=fake.VNPAY_TMN, secret=fake.VNPAY_SECRET, url="https://sandbox.test/pay"
    )
    target = adapter.pay_target(
        unsaved(Gateway.VNPAY),
        return_url="https://city.vn/back?x=1 y",
        ipn_url="",
        client_ip="203.0.113.9",
    )
    address = urlsplit(target.url)
    params = dict(parse_qsl(address.query))
    given = params.pop("vnp_SecureHash")
    assert (params["vnp_Version"], params["vnp_Command"], params["vnp_CurrCode"]) == (
        "2.1.0",
        "pay",
        "VND",
    )
    assert params["vnp_Amount"] == "25000000"  # đồng × 100
    # 03:00 UTC is 10:00 in GMT+7, the zone VNPay reads.
    assert (params["vnp_CreateDate"], params["vnp_ExpireDate"]) == (
        "20261207100000",
        "20261207101500",
    )
    # Sorted, form-encoded (space as +), HMAC-SHA512: as in VNPay's demo code.
    canonical = urlencode(sorted(params.items()))
    assert "vnp_ReturnUrl=https%3A%2F%2Fcity.vn%2Fback%3Fx%3D1+y" in canonical
    expected = hmac.new(fake.VNPAY_SECRET.encode(), canonical.encode(), hashlib.sha512).hexdigest()
    assert given == expected
    assert adapter.verify({**params, "vnp_SecureHash": given}).signature_valid


def test_vnpay_querydr_signs_its_fields_joined_by_bars_in_the_documented_order():
    data = {
        "vnp_RequestId": "1",
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": "T",
        "vnp_TxnRef": "R",
        "vnp_TransactionDate": "20261207100000",
        "vnp_CreateDate": "20261207110000",
        "vnp_IpAddr": "127.0.0.1",
        "vnp_OrderInfo": "Truy van",
    }
    order = (
        "vnp_RequestId",
        "vnp_Version",
        "vnp_Command",
        "vnp_TmnCode",
        "vnp_TxnRef",
        "vnp_TransactionDate",
        "vnp_CreateDate",
        "vnp_IpAddr",
        "vnp_OrderInfo",
    )
    raw = "1|2.1.0|querydr|T|R|20261207100000|20261207110000|127.0.0.1|Truy van"
    assert (
        query_checksum(data, order, "k") == hmac.new(b"k", raw.encode(), hashlib.sha512).hexdigest()
    )


def test_the_momo_create_request_is_signed_over_its_fixed_field_order():
    adapter = MoMo(
        partner=fake.MOMO_PARTNER,
        access_key=fake.MOMO_ACCESS,
        secret=fake.MOMO_SECRET,
        endpoint="https://test-payment.momo.vn",
    )
    body = adapter.create_request(
        unsaved(Gateway.MOMO), return_url="https://city.vn/r", ipn_url="https://city.vn/ipn"
    )
    raw = (
        f"accessKey={fake.MOMO_ACCESS}&amount=250000&extraData=&ipnUrl=https://city.vn/ipn"
        f"&orderId=261207ABCDEF012345&orderInfo=Phí thẩm định&partnerCode=MOMO"
        f"&redirectUrl=https://city.vn/r&requestId={body['requestId']}"
        f"&requestType=captureWallet"
    )
    assert (
        body["signature"]
        == hmac.new(fake.MOMO_SECRET.encode(), raw.encode(), hashlib.sha256).hexdigest()
    )
    assert "accessKey" not in body  # the key signs; it is not sent


@pytest.mark.parametrize("field", ["amount", "resultCode", "transId", "orderId"])
def test_a_momo_notification_changed_in_any_signed_field_is_refused(field):
    adapter = MoMo(partner=fake.MOMO_PARTNER, access_key=fake.MOMO_ACCESS, secret=fake.MOMO_SECRET)
    ipn = fake.FakeGateway().momo_ipn(unsaved(Gateway.MOMO))
    assert adapter.verify(ipn).signature_valid
    assert not adapter.verify({**ipn, field: "1"}).signature_valid


def test_the_vietqr_string_matches_a_published_example():
    # github.com/subiz/vietqr README: 120.000 đ to account 0011001932418 at BIN 970415.
    published = (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
        "530370454061200005802VN62170813ung ho lu lut6304C15C"
    )
    made = vietqr.payload(
        bin_code="970415", account="0011001932418", amount_vnd=120_000, memo="ung ho lu lut"
    )
    assert made == published


def test_the_vietqr_checksum_is_crc16_ccitt_false():
    assert vietqr.crc16_ccitt("123456789") == "29B1"  # the algorithm's standard check value
