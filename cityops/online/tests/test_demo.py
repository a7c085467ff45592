from cityops.agencies.tests.factories import AgencyFactory
from cityops.demo.online import online_seed_demo
from cityops.online.selectors import catalogue


def test_the_demo_seeds_hue_s_online_services_once(db, monday):
    for code in ("so-xay-dung", "cong-an-hue", "ubnd-phu-hoi"):
        AgencyFactory(code=code)
    assert online_seed_demo() == {"online_services": 4}
    fees = {s.name: s.fee_today for s in catalogue()}
    assert fees["Cấp bản sao trích lục hộ tịch"] == 8000
    assert fees["Cấp giấy phép xây dựng nhà ở riêng lẻ"] == 75000
    assert fees["Xác nhận thông tin về cư trú"] == 0
    assert online_seed_demo() == {"online_services": 0}
