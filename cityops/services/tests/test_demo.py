from cityops.agencies.tests.factories import AgencyFactory
from cityops.demo.service_ratings import services_seed_demo
from cityops.reports.models import Report
from cityops.services.models import Office, Rating
from cityops.services.selectors import offices_ranking


def test_the_demo_seeds_rated_offices_once(conduct):
    AgencyFactory(code="so-noi-vu", name="Sở Nội vụ")
    AgencyFactory(code="ubnd-phu-hoi", name="UBND phường Phú Hội")
    first = services_seed_demo()
    assert first["service_offices"] == 2
    assert first["service_ratings"] == Rating.objects.count() > 10
    assert offices_ranking()[0].position == 1
    assert not Report.objects.exists()  # no demo rating opens a case in the real queue
    assert services_seed_demo() == {"service_offices": 0, "service_ratings": 0}
    assert Office.objects.count() == 2
