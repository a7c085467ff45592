import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cityops.intel.duplicates import (
    related_categories,
    similar_reports,
    similar_to_report,
    text_similarities,
)
from cityops.reports.choices import ReportStatus
from cityops.reports.selectors import reports_public
from cityops.reports.tests.factories import CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db

LAT, LON = 16.4637, 107.5909  # Lê Lợi, opposite Quốc Học
AT = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
POTHOLE = "Ổ gà lớn giữa đường Lê Lợi"
TRAFFIC = "traffic-infrastructure"


def north(metres: float) -> float:
    return LAT + metres / 111_320


def east(metres: float) -> float:
    return LON + metres / (111_320 * math.cos(math.radians(LAT)))


@pytest.fixture
def categories():
    codes = (TRAFFIC, "urban-infrastructure", "administrative-conduct", "other", "tourism")
    return {code: CategoryFactory(code=code) for code in codes}


def report(
    categories,
    *,
    metres=0.0,
    ago=timedelta(hours=1),
    code=TRAFFIC,
    text=POTHOLE,
    status=ReportStatus.SUBMITTED,
    updated_ago=None,
    lon=None,
):
    submitted = AT - ago
    return ReportFactory(
        description=text,
        category=categories[code],
        lat=north(metres),
        lon=LON if lon is None else lon,
        status=status,
        submitted_at=submitted,
        updated_at=AT - (updated_ago if updated_ago is not None else ago),
    )


def ids(found):
    return [similar.report_id for similar in found]


def test_candidates_are_ranked_by_distance_time_words_and_category(categories):
    far_same_words = report(categories, metres=180, ago=timedelta(days=6))
    old_open_other_words = report(
        categories,
        metres=10,
        ago=timedelta(days=60),
        text="Nắp cống bị vỡ",
        status=ReportStatus.IN_PROGRESS,
    )
    near_same = report(categories, metres=20, ago=timedelta(hours=2))
    near_related_other_words = report(
        categories,
        metres=30,
        ago=timedelta(days=1),
        code="urban-infrastructure",
        text="Cây xanh bị gãy cành",
    )

    found = similar_reports(lat=LAT, lon=LON, text=POTHOLE, category=TRAFFIC, at=AT)

    assert ids(found) == [
        near_same.pk,  # 0.35·0.9 + 0.2·(1 − 2/720) + 0.35·1 + 0.1 ≈ 0.96
        far_same_words.pk,  # 0.35·0.1 + 0.2·0.8 + 0.35 + 0.1 ≈ 0.65
        near_related_other_words.pk,  # 0.35·0.85 + 0.2·0.97 + 0 + 0.05 ≈ 0.54
        old_open_other_words.pk,  # 0.35·0.95 + 0 + 0 + 0.1 ≈ 0.43
    ]
    best = found[0]
    assert best.distance_m == pytest.approx(20, abs=0.5)
    assert best.hours_apart == 2.0
    assert best.text_similarity == pytest.approx(1.0)
    assert best.score == pytest.approx(0.35 * 0.9 + 0.2 * (1 - 2 / 720) + 0.35 + 0.1, abs=1e-3)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_only_nearby_live_reports_of_a_related_category_are_candidates(categories):
    kept = {
        "open": report(categories, metres=10),
        "open for months": report(
            categories, metres=10, ago=timedelta(days=90), status=ReportStatus.ASSIGNED
        ),
        "closed last week": report(
            categories,
            metres=10,
            ago=timedelta(days=45),
            updated_ago=timedelta(days=7),
            status=ReportStatus.CLOSED,
        ),
        "related category": report(categories, metres=10, code="urban-infrastructure"),
        "other": report(categories, metres=10, code="other"),
        "190 m east": report(categories, lon=east(190)),
    }
    left_out = {
        "210 m east": report(categories, lon=east(210)),
        "250 m north": report(categories, metres=250),
        "closed long ago": report(
            categories,
            metres=10,
            ago=timedelta(days=45),
            updated_ago=timedelta(days=40),
            status=ReportStatus.CLOSED,
        ),
        "rejected": report(categories, metres=10, status=ReportStatus.REJECTED),
        "merged duplicate": report(categories, metres=10, status=ReportStatus.DUPLICATE),
        "unrelated category": report(categories, metres=10, code="administrative-conduct"),
    }
    found = set(ids(similar_reports(lat=LAT, lon=LON, text=POTHOLE, category=TRAFFIC, at=AT)))
    assert found == {r.pk for r in kept.values()}

    any_category = similar_reports(lat=LAT, lon=LON, text=POTHOLE, at=AT)
    assert left_out["unrelated category"].pk in ids(any_category)


def test_the_radius_comes_from_the_settings(categories, settings):
    near, far = report(categories, metres=50), report(categories, metres=150)
    assert set(ids(similar_reports(lat=LAT, lon=LON, text=POTHOLE, at=AT))) == {near.pk, far.pk}
    settings.CITYOPS_DUPLICATE_RADIUS_M = 100
    assert ids(similar_reports(lat=LAT, lon=LON, text=POTHOLE, at=AT)) == [near.pk]


def test_limit_and_exclusion(categories):
    reports = [report(categories, metres=10 * n) for n in range(1, 5)]
    found = similar_reports(
        lat=LAT, lon=LON, text=POTHOLE, at=AT, limit=2, exclude_id=reports[0].pk
    )
    assert ids(found) == [reports[1].pk, reports[2].pk]


def test_candidates_can_be_limited_to_the_reports_a_caller_may_see(categories):
    reviewed = report(categories, metres=10, status=ReportStatus.ACCEPTED)
    report(categories, metres=10)  # not yet reviewed: not public
    public = reports_public(reviewed_only=True)
    found = similar_reports(lat=LAT, lon=LON, text=POTHOLE, at=AT, among=public)
    assert ids(found) == [reviewed.pk]


def test_a_stored_report_is_compared_from_its_own_place_time_and_words(categories):
    original = report(categories, metres=15, ago=timedelta(days=2))
    newer = report(categories, metres=0, ago=timedelta(hours=1), text="o ga lon duong le loi")
    found = similar_to_report(report=newer)
    assert ids(found) == [original.pk]
    assert found[0].hours_apart == 47.0
    assert similar_to_report(report=ReportFactory(lat=None, lon=None)) == []


def test_text_similarity_ignores_diacritics_case_and_abbreviations():
    same, other = text_similarities("O GA LON giua dg Le Loi!!", [POTHOLE, "Karaoke hát tới khuya"])
    assert same == pytest.approx(1.0)
    assert other == 0.0
    assert text_similarities("", [POTHOLE]) == [0.0]


def test_related_categories_pair_the_usual_confusions():
    assert related_categories(TRAFFIC) == {
        TRAFFIC,
        "urban-infrastructure",
        "construction-order",
        "other",
    }
    assert related_categories("tourism") == {"tourism", "public-order", "other"}
    assert related_categories("other") is None
