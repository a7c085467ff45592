from cityops.agencies.tests.factories import AgencyFactory
from cityops.demo.online import online_seed_demo
from cityops.online.selectors import catalogue


def test_the_demo_seeds_hue_s_online_services_once(db, monday):
    for code in ("so-xay-dung", "cong-an-hue", "ubnd-phu-hoi"):
        AgencyFactory(code=code)
    assert online_seed_demo() == {"online_services": 4, "online_applications": 0}
    fees = {s.name: s.fee_today for s in catalogue()}
    assert fees["Cấp bản sao trích lục hộ tịch"] == 8000
    assert fees["Cấp giấy phép xây dựng nhà ở riêng lẻ"] == 75000
    assert fees["Xác nhận thông tin về cư trú"] == 0
    assert online_seed_demo() == {"online_services": 0, "online_applications": 0}


def test_with_demo_citizens_the_demo_sends_applications_some_finished(db, monday):
    from cityops.accounts.choices import Role
    from cityops.accounts.tests.factories import UserFactory
    from cityops.online.models import Application

    police = AgencyFactory(code="cong-an-hue")
    AgencyFactory(code="ubnd-phu-hoi")
    UserFactory(username="demo-citizen", role=Role.CITIZEN, is_demo=True)
    UserFactory(username="demo-police", role=Role.AGENCY_STAFF, agency=police)
    assert online_seed_demo()["online_applications"] == 12
    assert Application.objects.filter(status="done").exists()
    assert Application.objects.filter(status="submitted").exists()
