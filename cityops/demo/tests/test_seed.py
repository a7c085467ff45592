"""The Huế configuration seed and the demo data replayed through the workflow."""

from __future__ import annotations

from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from shapely.geometry import Point, shape

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.agencies.choices import AgencyKind, AreaKind
from cityops.agencies.models import Agency, Area
from cityops.agencies.selectors import area_at
from cityops.demo.demo_data import demo_credentials, seed_demo
from cityops.demo.hue import catalogue, seed_configuration
from cityops.demo.hue.areas import APPROXIMATE_SOURCE
from cityops.demo.services import seed_if_first_start
from cityops.reports.choices import Channel, EventKind, ReportStatus
from cityops.reports.models import Category, DeadlinePolicy, Report, RoutingRule
from cityops.reports.selectors import agency_suggested_for

CATEGORY_CODES = {
    "construction-order",
    "sanitation",
    "traffic-infrastructure",
    "urban-infrastructure",
    "public-order",
    "tourism",
    "administrative-conduct",
    "other",
}
OPEN311_DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


@pytest.fixture
def configured(db: None) -> dict[str, int]:
    return seed_configuration()


@pytest.fixture
def demo(configured: dict[str, int]) -> dict[str, int]:
    return seed_demo(reports=60, progress=False)


def _area(short_name: str) -> Area:
    return Area.objects.get(name__endswith=f" {short_name}")


def _snapshot() -> list[list[dict[str, Any]]]:
    models = (DeadlinePolicy, Category, Area, Agency, RoutingRule)
    return [list(model.objects.order_by("pk").values()) for model in models]


# --- configuration ---------------------------------------------------------------------------


def test_the_configuration_has_the_eight_categories_with_their_exact_codes(configured):
    assert set(Category.objects.values_list("code", flat=True)) == CATEGORY_CODES
    for category in Category.objects.all():
        filled = (
            category.name,
            category.name_en,
            category.description,
            category.description_en,
            category.group,
            category.keywords,
        )
        assert all(filled), category.code


def test_category_attributes_follow_the_open311_service_definition(configured):
    with_attributes = Category.objects.exclude(attributes=[])
    assert {"sanitation", "traffic-infrastructure"} <= {c.code for c in with_attributes}
    for category in with_attributes:
        for attribute in category.attributes:
            assert attribute["datatype"] in OPEN311_DATATYPES
            assert {
                "code",
                "required",
                "datatype_description",
                "order",
                "description",
                "values",
            } <= attribute.keys()
            if attribute["datatype"].endswith("valuelist"):
                assert all({"key", "name"} == set(v) for v in attribute["values"])
                assert attribute["values"]


def test_the_default_and_category_deadline_policies_are_seeded(configured):
    default = DeadlinePolicy.objects.get(is_default=True)
    assert (
        default.name,
        default.ack_minutes,
        default.urgent_hours,
        default.normal_days,
        default.complex_days,
    ) == ("Huế default", 30, 4, 7, 15)
    public_order = Category.objects.get(code="public-order").deadline_policy
    assert public_order is not None
    assert public_order.urgent_hours < default.urgent_hours


def test_the_configuration_has_the_forty_areas_of_hue(configured):
    assert Area.objects.count() == configured["areas"] == 40
    assert Area.objects.filter(kind=AreaKind.WARD).count() == 21
    assert Area.objects.filter(kind=AreaKind.COMMUNE).count() == 19
    vy_da = Area.objects.get(code="19777")
    assert vy_da.name == "Phường Vỹ Dạ"
    assert vy_da.boundary_source == APPROXIMATE_SOURCE


def test_every_area_has_a_committee_and_at_least_fifteen_other_agencies_exist(configured):
    committees = Agency.objects.filter(kind=AgencyKind.COMMITTEE)
    assert committees.count() == 40
    assert set(committees.values_list("area__code", flat=True)) == set(
        Area.objects.values_list("code", flat=True)
    )
    assert committees.get(code="ubnd-19777").name == "UBND Phường Vỹ Dạ"
    others = Agency.objects.exclude(kind=AgencyKind.COMMITTEE)
    assert others.count() >= 15
    assert others.get(code="ioc-hue").kind == AgencyKind.IOC
    assert all(agency.name_en for agency in Agency.objects.all())


def test_every_centroid_lies_inside_its_own_polygon_and_area_at_finds_its_area(configured):
    for area in Area.objects.all():
        assert shape(area.boundary).contains(Point(area.centroid_lon, area.centroid_lat))
        assert area_at(lat=area.centroid_lat, lon=area.centroid_lon) == area


def test_approximate_polygons_do_not_overlap(configured):
    polygons = [shape(area.boundary) for area in Area.objects.all()]
    for index, polygon in enumerate(polygons):
        for other in polygons[index + 1 :]:
            assert polygon.intersection(other).area < 1e-12


def test_seeding_twice_changes_nothing(configured):
    before = _snapshot()
    again = seed_configuration()
    assert again["changed"] == 0
    assert _snapshot() == before


def test_seeding_again_keeps_an_imported_boundary(configured):
    square = {
        "type": "Polygon",
        "coordinates": [
            [[107.6, 16.47], [107.62, 16.47], [107.62, 16.49], [107.6, 16.49], [107.6, 16.47]]
        ],
    }
    Area.objects.filter(code="19777").update(boundary=square, boundary_source="imported: a.json")
    seed_configuration()
    vy_da = Area.objects.get(code="19777")
    assert (vy_da.boundary, vy_da.boundary_source) == (square, "imported: a.json")


@pytest.mark.parametrize(
    ("category", "area", "agency"),
    [
        ("construction-order", "Vỹ Dạ", "UBND Phường Vỹ Dạ"),
        ("construction-order", "A Lưới 1", "UBND Xã A Lưới 1"),
        ("sanitation", "Thuận Hóa", catalogue.HEPCO),
        ("traffic-infrastructure", "Kim Long", catalogue.CONSTRUCTION_DEPARTMENT),
        ("urban-infrastructure", "Vỹ Dạ", catalogue.POWER),
        ("urban-infrastructure", "Phú Xuân", catalogue.PARKS),
        ("urban-infrastructure", "Kim Long", "UBND Phường Kim Long"),
        ("public-order", "An Cựu", catalogue.POLICE),
        ("tourism", "Phú Xuân", catalogue.TOURISM_DEPARTMENT),
        ("administrative-conduct", "Hương Trà", catalogue.HOME_AFFAIRS),
    ],
)
def test_routing_suggests_the_agency_of_huế_rules(configured, category, area, agency):
    suggested = agency_suggested_for(category=Category.objects.get(code=category), area=_area(area))
    assert suggested is not None
    assert agency in (suggested.code, suggested.name)


def test_other_reports_stay_in_the_ioc_queue(configured):
    other = Category.objects.get(code="other")
    assert agency_suggested_for(category=other, area=_area("Vỹ Dạ")) is None


# --- demo data -------------------------------------------------------------------------------


def test_demo_data_covers_every_status_even_with_few_reports(demo):
    assert demo["reports"] == Report.objects.filter(is_demo=True).count() == 60
    statuses = set(Report.objects.values_list("status", flat=True))
    assert statuses == set(ReportStatus.values)


def test_every_demo_report_has_a_consistent_event_history(demo):
    for report in Report.objects.prefetch_related("events"):
        events = list(report.events.all())
        assert events[0].kind == EventKind.SUBMITTED
        assert events[0].from_status == ""
        for previous, event in pairwise(events):
            assert event.from_status == previous.to_status, (report.pk, event.kind)
            assert event.created_at >= previous.created_at
        assert events[-1].to_status == report.status


def test_demo_hotline_calls_are_credited_to_the_operator_who_typed_them_in(demo):
    hotline = Report.objects.filter(channel=Channel.HOTLINE, reporter=None)
    assert hotline.exists()
    for report in hotline:
        submitted = report.events.get(kind=EventKind.SUBMITTED)
        assert submitted.actor.username == "demo-operator"


def test_demo_history_lies_in_the_past_and_recent_reports_are_still_open(demo):
    now = timezone.now()
    reports = Report.objects.filter(is_demo=True)
    assert not reports.filter(events__created_at__gt=now).exists()
    newest = list(reports.order_by("-submitted_at")[:5])
    assert any(report.status_choice.is_active for report in newest)
    oldest = reports.order_by("submitted_at").first()
    assert oldest is not None
    assert (now - oldest.submitted_at).days >= 30


def test_demo_reports_are_located_in_their_area_and_answered_in_the_hue_s_style(demo):
    reports = Report.objects.filter(is_demo=True).select_related("area")
    assert not reports.filter(area=None).exists()
    for report in reports:
        assert report.lat is not None
        assert report.lon is not None
        assert area_at(lat=report.lat, lon=report.lon) == report.area
    for result in reports.exclude(result_text="").values_list("result_text", flat=True):
        assert result.startswith("Kính gửi: Quý Ông/Bà. Vấn đề quý Ông/Bà phản ánh, ")
        assert result.endswith("Trân trọng./.")


def test_demo_users_exist_for_every_role_with_the_demo_password(demo):
    users = {user.username: user for user in User.objects.filter(is_demo=True)}
    expected_roles = {
        "demo-citizen": Role.CITIZEN,
        "demo-operator": Role.OPERATOR,
        "demo-agency": Role.AGENCY_STAFF,
        "demo-hepco": Role.AGENCY_STAFF,
        "demo-leader": Role.LEADER,
        "demo-admin": Role.ADMIN,
    }
    for username, role in expected_roles.items():
        assert users[username].role == role
        assert users[username].check_password("cityops-demo")
    assert users["demo-agency"].is_agency_lead
    assert users["demo-agency"].agency.code == catalogue.CONSTRUCTION_DEPARTMENT
    assert users["demo-hepco"].agency.code == catalogue.HEPCO
    citizens = [u for u in users.values() if u.username.startswith("demo-citizen-")]
    assert len(citizens) == 30


def test_demo_credentials_take_the_password_from_the_environment(demo, monkeypatch):
    monkeypatch.setenv("CITYOPS_DEMO_PASSWORD", "another-secret")
    credentials = demo_credentials()
    assert {username for _, username, _ in credentials} >= {"demo-operator", "demo-admin"}
    assert {password for *_, password in credentials} == {"another-secret"}


def test_the_same_seed_gives_the_same_demo_reports(configured):
    def contents() -> list[tuple[str, str, str]]:
        return list(
            Report.objects.order_by("pk").values_list("description", "category__code", "status")
        )

    seed_demo(reports=20, days=60, seed=7, progress=False)
    first = contents()
    Report.objects.filter(is_demo=True).delete()
    seed_demo(reports=20, days=60, seed=7, progress=False)
    assert contents() == first


def test_seed_if_first_start_seeds_once(db, monkeypatch):
    monkeypatch.setattr(
        "cityops.demo.services.seed_demo", lambda **kwargs: seed_demo(reports=12, progress=False)
    )
    assert seed_if_first_start(demo=True) is True
    counts = (Area.objects.count(), Report.objects.count(), User.objects.count())
    assert counts[1] == 12
    assert seed_if_first_start(demo=True) is False
    assert (Area.objects.count(), Report.objects.count(), User.objects.count()) == counts


def test_seed_if_first_start_without_demo_seeds_only_the_configuration(db):
    assert seed_if_first_start(demo=False) is True
    assert Area.objects.count() == 40
    assert not Report.objects.exists()
    assert not User.objects.exists()
    assert seed_if_first_start(demo=False) is False


def test_the_seed_command_prints_counts_and_does_not_seed_demo_data_twice(db):
    out = StringIO()
    call_command("seed", "--reports", "10", "--days", "30", stdout=out, verbosity=0)
    assert "categories: 8" in out.getvalue()
    assert "reports: 10" in out.getvalue()
    again = StringIO()
    call_command("seed", "--reports", "10", stdout=again, verbosity=0)
    assert "not seeded again" in again.getvalue()
    assert "rows created or updated: 0" in again.getvalue()
    assert Report.objects.count() == 10


def test_the_seed_command_without_demo_leaves_out_users_and_reports(db):
    call_command("seed", "--no-demo", stdout=StringIO())
    assert Category.objects.count() == 8
    assert not Report.objects.exists()
    assert not User.objects.exists()
