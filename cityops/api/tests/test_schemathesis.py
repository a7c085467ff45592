"""Property-based conformance: schemathesis drives every operation of the OpenAPI document
against the real Django app (WSGI, in-process) and checks each answer against the document:
no server errors, documented statuses, content types, headers and bodies, refused invalid
input, enforced authentication and 405 for undocumented methods. Each call carries a citizen's
token and a client system's API key, so operations behind either credential are reached."""

from datetime import timedelta
from uuid import uuid4

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cityops.accounts.services import apikey_create, token_issue
from cityops.agencies.tests.factories import AreaFactory
from cityops.api.auth import API_KEY_HEADER
from cityops.api.writes import MAX_KEY_LENGTH
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import ReadingFactory, SensorFactory
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, ReportStatus
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps, report_in

S = ReportStatus
CATEGORY_CODES = [
    "construction-order",
    "sanitation",
    "traffic-infrastructure",
    "urban-infrastructure",
    "public-order",
    "tourism",
    "administrative-conduct",
    "other",
]


@pytest.fixture
def seeded(django_db_reset_sequences, operator, agency, agency_staff, citizen):
    """A small city: categories, an area, the citizen's reports #1-#6 (#1 resolved), and the
    documented example air-quality station and camera with a day of readings.

    Real transactions (not a test transaction) so that commit hooks run as in production,
    and ids from 1 so that the documented example id reaches a real report."""
    categories = [CategoryFactory(code=code) for code in CATEGORY_CODES]
    AreaFactory(code="19774", name="Phường Thuận Hóa")
    reports = {}
    for n, status in enumerate([S.RESOLVED, S.ACCEPTED, S.IN_PROGRESS, S.SUBMITTED, S.REJECTED]):
        reports[status] = report_in(
            status,
            operator=operator,
            agency=agency,
            staff=agency_staff,
            reporter=citizen,
            category=categories[n],
            photos=[jpeg_with_gps()],
        )
    closed = report_in(
        S.RESOLVED, operator=operator, agency=agency, staff=agency_staff, reporter=citizen
    )
    workflow.report_rate(report=closed, actor=citizen, value=RatingValue.SATISFIED)
    station = SensorFactory(code="hue-aq-01")
    SensorFactory(code="hue-cam-01", kind=SensorKind.CAMERA)
    now = clock.now()
    for hour in range(24):
        ReadingFactory(sensor=station, observed_at=now - timedelta(hours=hour), value=20.0 + hour)
    return reports


@pytest.fixture(autouse=True)
def _classifier(trained):
    """POST /classify answers from the corpus model, stored in the test's data directory."""


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # Hundreds of requests from one address in a minute: lift the limits, which have tests
    # of their own, so that the fuzzing reaches the operations themselves.
    settings.CITYOPS_RATE_LIMITS = dict.fromkeys(settings.CITYOPS_RATE_LIMITS, "100000/m")


# Loaded at collection: the document needs no database, and one test per operation follows.
# (schemathesis.pytest.from_fixture would defer this, but it breaks on pytest 9.2's node ids.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


# Cases are generated before the database exists (at collection, too), so the provider only
# marks where the token goes; the test swaps in a fresh real one for each call.
TOKEN_PLACEHOLDER = "seeded-citizen-token"
KEY_PLACEHOLDER = "seeded-api-key"


@schema.auth(refresh_interval=None, retry_on=[])
class CitizenTokenAndApiKey:
    def get(self, case, context):
        return TOKEN_PLACEHOLDER

    def set(self, case, data, context):
        case.headers = {
            **(case.headers or {}),
            "Authorization": f"Bearer {data}",
            API_KEY_HEADER: KEY_PLACEHOLDER,
        }


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_the_promises_of_its_openapi_document(case, seeded, citizen):
    # A fresh token per call: DELETE /auth/token may have revoked the one before. Cases that
    # test a missing or invalid Authorization header carry none or another value.
    headers = case.headers or {}
    if headers.get("Authorization") == f"Bearer {TOKEN_PLACEHOLDER}":
        headers["Authorization"] = f"Bearer {token_issue(user=citizen).secret}"
    if headers.get(API_KEY_HEADER) == KEY_PLACEHOLDER:
        headers[API_KEY_HEADER] = apikey_create(name="schemathesis").secret
    # Every case is a new request: a key drawn again ("0", "00") for another payload would
    # only ever meet 409. Replays and 409 have their own tests; malformed keys stay as drawn.
    if 1 <= len(headers.get("Idempotency-Key", "")) <= MAX_KEY_LENGTH:
        headers["Idempotency-Key"] = str(uuid4())
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
