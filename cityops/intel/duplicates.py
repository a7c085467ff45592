"""Reports that may describe the same problem as a new or draft one.

Candidates are reports within ``radius_m`` (``CITYOPS_DUPLICATE_RADIUS_M``, 200 m by default) of
the point, of the same or a related category, not rejected and not themselves merged
duplicates, that are still open or were submitted or last changed within ``days`` of ``at``.
A bounding box narrows them in SQL, the haversine distance decides. Each gets a score in 0–1:

    score = 0.35 · (1 − distance / radius)
          + 0.20 · max(0, 1 − hours apart / (days × 24))
          + 0.35 · text similarity (TF-IDF cosine over the classifier's normalised words)
          + 0.10 · category (1 same, 0.5 related, 0 when no category was given)

Distance and text weigh most: two reports 20 m apart saying "ổ gà" and "o ga lon" are almost
surely one pothole, while a week-old report next door about something else is not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from django.conf import settings
from django.db.models import Q, QuerySet
from sklearn.feature_extraction.text import TfidfVectorizer

from cityops.intel.masking import mask_personal_data
from cityops.intel.selectors import report_text
from cityops.intel.text import normalise
from cityops.platform import clock
from cityops.reports.choices import ReportStatus, StatusGroup
from cityops.reports.models import Report
from cityops.reports.selectors import distance_m

W_DISTANCE, W_TIME, W_TEXT, W_CATEGORY = 0.35, 0.20, 0.35, 0.10
METRES_PER_DEGREE = 111_320.0
MAX_CANDIDATES = 500

# Pairs of categories one problem is often filed under; "other" is related to every category.
RELATED_CATEGORIES: tuple[frozenset[str], ...] = (
    frozenset({"urban-infrastructure", "traffic-infrastructure"}),  # flooded road, manhole, tree
    frozenset({"sanitation", "urban-infrastructure"}),  # blocked drain, sewage
    frozenset({"construction-order", "traffic-infrastructure"}),  # materials on, digging up a road
    frozenset({"construction-order", "public-order"}),  # pavement encroachment, night noise
    frozenset({"public-order", "tourism"}),  # touts, overcharging parking attendants
)
ANY_CATEGORY = "other"


@dataclass(frozen=True)
class SimilarReport:
    report_id: int
    distance_m: float
    hours_apart: float
    text_similarity: float
    score: float


def related_categories(code: str) -> set[str] | None:
    """Categories a report of ``code`` may duplicate, itself included; None means every one."""
    if code == ANY_CATEGORY:
        return None
    related = {code, ANY_CATEGORY}
    for pair in RELATED_CATEGORIES:
        if code in pair:
            related |= pair
    return related


def _category_score(code: str, wanted: str | None) -> float:
    if not wanted:
        return 0.0
    return 1.0 if code == wanted else 0.5


def _words(text: str) -> list[str]:
    tokens = normalise(text).plain.split()
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def text_similarities(text: str, others: list[str]) -> list[float]:
    """TF-IDF cosine of ``text`` with each of ``others`` (IDF over these texts alone)."""
    if not others or not _words(text):
        return [0.0] * len(others)
    vectorizer = TfidfVectorizer(analyzer=_words, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([text, *others])
    except ValueError:  # no words at all
        return [0.0] * len(others)
    return [float(value) for value in (matrix[1:] @ matrix[0].T).toarray().ravel()]


def similar_reports(
    *,
    lat: float,
    lon: float,
    text: str,
    category: str | None = None,
    exclude_id: int | None = None,
    at: datetime | None = None,
    radius_m: float | None = None,
    days: int = 30,
    limit: int = 10,
    among: QuerySet[Report] | None = None,
    as_written: bool = False,
) -> list[SimilarReport]:
    """Reports that may be the same problem as one at (lat, lon) saying ``text``, best first.

    ``category`` is a category code (None: any); ``at`` the new report's time (default now);
    ``exclude_id`` the report itself when it is already stored; ``among`` the reports the caller
    may see (e.g. ``reports_public(reviewed_only=True)`` for citizens; default: all).
    ``as_written``: compare with the texts as written (only for IOC staff); otherwise with the
    texts as the public reads them, so that a score confirms no masked phone number or e-mail.
    """
    radius = float(radius_m if radius_m is not None else settings.CITYOPS_DUPLICATE_RADIUS_M)
    at = at or clock.now()
    start, end = at - timedelta(days=days), at + timedelta(days=days)
    dlat = radius / METRES_PER_DEGREE
    dlon = radius / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    excluded = [*ReportStatus.in_group(StatusGroup.HIDDEN), ReportStatus.DUPLICATE]
    candidates = (
        (Report.objects.all() if among is None else among)
        .filter(
            lat__range=(lat - dlat, lat + dlat),
            lon__range=(lon - dlon, lon + dlon),
            submitted_at__lte=end,
        )
        .exclude(status__in=excluded)
        .filter(
            Q(status__in=ReportStatus.active())
            | Q(submitted_at__gte=start)
            | Q(updated_at__gte=start)
        )
    )
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    related = related_categories(category) if category else None
    if related is not None:
        candidates = candidates.filter(category__code__in=related)
    fields = ("pk", "lat", "lon", "submitted_at", "title", "description", "category__code")
    nearby = []
    for row in candidates.order_by("-submitted_at").values(*fields)[:MAX_CANDIDATES]:
        distance = distance_m(lat, lon, row["lat"], row["lon"])
        if distance <= radius:
            nearby.append((row, distance))
    shown = str if as_written else mask_personal_data
    similarities = text_similarities(
        text,
        [
            shown(report_text(title=row["title"], description=row["description"]))
            for row, _ in nearby
        ],
    )
    found = []
    for (row, distance), similarity in zip(nearby, similarities, strict=True):
        hours = abs((at - row["submitted_at"]).total_seconds()) / 3600
        score = (
            W_DISTANCE * (1 - distance / radius if radius else 1.0)
            + W_TIME * max(0.0, 1 - hours / max(days * 24, 1))
            + W_TEXT * similarity
            + W_CATEGORY * _category_score(row["category__code"], category)
        )
        found.append(
            SimilarReport(
                report_id=row["pk"],
                distance_m=round(distance, 1),
                hours_apart=round(hours, 1),
                text_similarity=round(similarity, 3),
                score=round(score, 4),
            )
        )
    found.sort(key=lambda s: (-s.score, s.distance_m, -s.report_id))
    return found[:limit]


def similar_to_report(
    *,
    report: Report,
    radius_m: float | None = None,
    days: int = 30,
    limit: int = 10,
    among: QuerySet[Report] | None = None,
    as_written: bool = False,
) -> list[SimilarReport]:
    """``similar_reports`` for a stored report (``GET /reports/{id}/similar``): its place,
    words, category and submission time; a report without a location has none."""
    if report.lat is None or report.lon is None:
        return []
    text = report_text(title=report.title, description=report.description)
    return similar_reports(
        lat=report.lat,
        lon=report.lon,
        text=text if as_written else mask_personal_data(text),
        category=report.category.code,
        exclude_id=report.pk,
        at=report.submitted_at,
        radius_m=radius_m,
        days=days,
        limit=limit,
        among=among,
        as_written=as_written,
    )
