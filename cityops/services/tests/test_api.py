"""GET /api/v1/service-offices: the public ranking, figures hidden below ten."""

from cityops.services.choices import Level, Via
from cityops.services.services import Answers, rating_submit
from cityops.services.tests.factories import DeskFactory

URL = "/api/v1/service-offices"


def rate(desk, levels, scores=None):
    for level in levels:
        rating_submit(desk=desk, answers=Answers(level=level, scores=scores or {}), via=Via.DESK)


def test_the_api_lists_offices_ranked_with_figures_hidden_below_ten(client, db):
    big = DeskFactory(office__code="mc-lon", office__name="Một cửa lớn")
    small = DeskFactory(office__code="mc-nho", office__name="Một cửa nhỏ")
    rate(big, [Level.SATISFIED] * 8 + [Level.DISSATISFIED] * 2, {"attitude": 3})
    rate(small, [Level.VERY_SATISFIED] * 3)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == [
        {"code": "mc-lon", "name": "Một cửa lớn", "agency": big.office.agency.name, "rank": 1,
         "ratings": 10, "satisfied_percent": 80, "response_rate_percent": None,
         "criteria_good_percent": {"attitude": 100, "time": None, "clarity": None, "fees": None}},
        {"code": "mc-nho", "name": "Một cửa nhỏ", "agency": small.office.agency.name,
         "rank": None, "ratings": 3, "satisfied_percent": None, "response_rate_percent": None,
         "criteria_good_percent": {"attitude": None, "time": None, "clarity": None, "fees": None}},
    ]  # fmt: skip
