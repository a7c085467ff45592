import pytest
from django.contrib.auth.models import AnonymousUser

from cityops.intel.masking import mask_personal_data, masked_for


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        # mobile phones, as citizens write them
        ("Gọi tôi 0905 123 456 nhé", "Gọi tôi 090•••••56 nhé"),
        ("sdt 0905123456.", "sdt 090•••••56."),
        ("0905.123.456", "090•••••56"),
        ("0935-123-456", "093•••••56"),
        ("090 512 3456", "090•••••56"),
        ("+84 905123456", "+849••••••56"),
        ("(+84) 905 123 456", "+849••••••56"),
        ("84905123456", "849••••••56"),
        # landlines (Huế's area code 0234)
        ("ĐT bàn (0234) 3822 123", "ĐT bàn 023••••••23"),
        ("0234 3822123", "023••••••23"),
        ("0234.3822.123", "023••••••23"),
    ],
)
def test_phone_numbers_keep_three_leading_and_two_trailing_digits(written, shown):
    assert mask_personal_data(written) == shown


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("CCCD 046 099 012 345", "CCCD •••••••••345"),
        ("số căn cước 046099012345 cấp ngày", "số căn cước •••••••••345 cấp ngày"),
        ("046.099.012.345", "•••••••••345"),
        ("CMND 191234567.", "CMND ••••••567."),
        ("cmnd số 191 234 567", "cmnd số ••••••567"),
        ("chứng minh 191.234.567", "chứng minh ••••••567"),
    ],
)
def test_citizen_ids_keep_only_their_last_three_digits(written, shown):
    assert mask_personal_data(written) == shown


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("email nguyen.van.a@gmail.com nhé", "email n•••@gmail.com nhé"),
        ("Liên hệ: tran_thi.b+hue@hue.gov.vn", "Liên hệ: t•••@hue.gov.vn"),
    ],
)
def test_email_addresses_keep_the_first_letter_and_the_domain(written, shown):
    assert mask_personal_data(written) == shown


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("ô tô 75A-123.45 đỗ trên vỉa hè", "ô tô 75A-•••.•• đỗ trên vỉa hè"),
        ("xe 75A12345", "xe 75A•••••"),
        ("xe máy 75-B1 234.56 nẹt pô", "xe máy 75-B1 •••.•• nẹt pô"),
        ("43A-12345", "43A-•••••"),
        ("biển số 75-G1 123.45", "biển số 75-G1 •••.••"),
        ("xe 75g1 12345 chạy ẩu", "xe 75g1 ••••• chạy ẩu"),
        ("biển cũ 75K1-1234", "biển cũ 75K1-••••"),
    ],
)
def test_vehicle_plates_keep_the_province_and_series(written, shown):
    assert mask_personal_data(written) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Ổ gà trước nhà số 12 Lê Lợi",
        "kiệt 45/12 Phan Đình Phùng",
        "từ ngày 22/11/2026 đến 5/12",
        "lúc 22h30 tối qua",
        "tô bún bò 50.000đ, trà đá 5k",
        "dự án 150.000.000 đồng",
        "phạt 150 000 000 đồng",
        "xây từ năm 2019, cao 4 tầng, rộng 3,5 m",
        "hotline 1900 1234 và 1022",
        "quốc lộ 1A km 791",
        "QL49 đoạn km 5",
        "giá 1.200.000 VNĐ một đêm",
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    assert mask_personal_data(text) == text


def test_every_kind_is_masked_in_one_text_and_masking_twice_changes_nothing():
    text = (
        "Tôi là Hòa, sđt 0905 123 456, CCCD 046 099 012 345, mail hoa@gmail.com; "
        "xe 75A-123.45 đỗ trước số 12 từ 22/11/2026, phạt 50.000đ"
    )
    masked = mask_personal_data(text)
    assert masked == (
        "Tôi là Hòa, sđt 090•••••56, CCCD •••••••••345, mail h•••@gmail.com; "
        "xe 75A-•••.•• đỗ trước số 12 từ 22/11/2026, phạt 50.000đ"
    )
    assert mask_personal_data(masked) == masked


def test_ioc_staff_read_the_text_intact_and_everyone_else_masked(operator, citizen, agency_staff):
    text = "Gọi 0905 123 456"
    assert masked_for(text, user=operator) == text
    for user in (citizen, agency_staff, AnonymousUser(), None):
        assert masked_for(text, user=user) == "Gọi 090•••••56"
