"""GET requests/{id}.{fmt} and tokens/{token}.{fmt}."""

import pytest

from cityops.open311.tests.helpers import BASE, FORMATS, form, problems, read
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, RejectionReason, ReportStatus
from cityops.reports.tests.helpers import report_in, submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_comes_as_a_list_of_one(client, potholes, fmt):
    report = submit(category=potholes, description="Ổ gà trước chợ")

    response = client.get(f"{BASE}/requests/{report.pk}.{fmt}")

    assert response.status_code == 200
    (item,) = read(response, fmt, "requests")
    assert item["service_request_id"] == str(report.pk)
    assert (item["description"], item["status"], item["service_code"]) == (
        "Ổ gà trước chợ",
        "open",
        "potholes",
    )
    assert "detailed_status" not in item


def test_one_request_with_extensions_has_its_timeline(client, potholes):
    report = submit(category=potholes)

    (item,) = client.get(f"{BASE}/requests/{report.pk}.json", {"extensions": "true"}).json()

    assert item["detailed_status"] == "submitted"
    assert [note["type"] for note in item["notes"]] == ["submitted"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("wanted", ["999999", "abc", "²", "99999999999999999999", "rejected"])
def test_an_unknown_or_rejected_request_is_not_found(client, potholes, operator, fmt, wanted):
    if wanted == "rejected":
        report = submit(category=potholes)
        workflow.report_reject(report=report, actor=operator, reason=RejectionReason.SPAM)
        wanted = str(report.pk)

    response = client.get(f"{BASE}/requests/{wanted}.{fmt}")

    assert response.status_code == 404
    assert problems(response, fmt) == [f"No service request {wanted!r}."]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_names_the_request_it_stands_for(client, potholes, fmt):
    report = submit(category=potholes)

    response = client.get(f"{BASE}/tokens/cityops-{report.pk}.{fmt}")

    assert response.status_code == 200
    assert read(response, fmt, "requests") == [
        {"service_request_id": str(report.pk), "token": f"cityops-{report.pk}"}
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "token", ["cityops-999999", "cityops-", "12", "cityops-1x", "cityops-²", "cityops-" + "9" * 20]
)
def test_an_unknown_token_is_not_found(client, db, fmt, token):
    response = client.get(f"{BASE}/tokens/{token}.{fmt}")

    assert response.status_code == 404
    assert problems(response, fmt) == [f"Unknown token {token!r}."]


def test_a_created_request_can_be_read_back_at_once(client, api_key, potholes):
    created = client.post(f"{BASE}/requests.json", form(api_key)).json()[0]

    (item,) = client.get(f"{BASE}/requests/{created['service_request_id']}.json").json()

    assert item["description"] == "Ổ gà sâu trước số 12 Lê Lợi"
    assert item["service_notice"] == "Đã gửi"


# --- the citizen's words and staff's words (``reports.visibility``) -----------------------------

SWITCHBOARD = "Gọi tổng đài 0234 3822 222 nếu còn hư hỏng."
PERSONAL = "gọi tôi 0905 123 456, CCCD 046 099 012 345"


@pytest.fixture
def reopened(potholes, operator, agency, agency_staff, citizen):
    """A report whose agency published a switchboard number, and whose reporter wrote personal
    data into their rating comment and reopening reason."""
    report = report_in(
        ReportStatus.IN_PROGRESS,
        operator=operator,
        agency=agency,
        staff=agency_staff,
        reporter=citizen,
        category=potholes,
    )
    report = workflow.report_resolve(
        report=report, actor=agency_staff, result=f"Đã vá ổ gà. {SWITCHBOARD}"
    )
    workflow.report_rate(
        report=report,
        actor=citizen,
        value=RatingValue.UNSATISFIED,
        comment=f"Chưa xong, {PERSONAL}",
    )
    workflow.report_reopen(report=report, actor=citizen, reason=f"Vẫn còn ổ gà, {PERSONAL}")
    return report


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_citizens_comment_and_reason_are_never_published_staff_words_are_as_written(
    client, reopened, fmt
):
    response = client.get(f"{BASE}/requests/{reopened.pk}.{fmt}", {"extensions": "true"})

    body = response.content.decode()
    for words in ("Chưa xong", "Vẫn còn ổ gà", "0905", "046 099", "•••345"):
        assert words not in body
    (item,) = read(response, fmt, "requests")
    assert item["status_notes"] == f"Đã vá ổ gà. {SWITCHBOARD}"
    notes = {note["type"]: note["description"] for note in item["notes"]}
    assert notes["resolved"] == f"Đã vá ổ gà. {SWITCHBOARD}"
    # The step's name stands in for the words.
    assert notes["rated"]
    assert notes["reopened"]
