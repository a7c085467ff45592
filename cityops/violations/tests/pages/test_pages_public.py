"""The public lookup: the notice's number and code open the case (blurred frames only, never the
owner), a wrong code is answered exactly as a missing case, and lookups are rate limited."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image, ImageStat

from cityops.violations.choices import CaseStatus, EvidenceKind

from .world import OWNER_ADDRESS, OWNER_NAME, case_detected, case_in


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()  # the limits count per address in the cache (no Redis in the tests)
    yield
    cache.clear()


@pytest.fixture
def notified(camera, officer_a, officer_b):
    return case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)


def _open(client, number, code):
    return client.get(reverse("violations:case", args=[number]), {"code": code})


def _frames(case):
    return list(case.evidence.filter(kind=EvidenceKind.FRAME).order_by("position"))


def test_the_lookup_form_asks_for_the_number_and_the_code(client, db):
    response = client.get(reverse("violations:lookup"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_number">Case number</label>' in page
    assert '<label for="id_code">Lookup code</label>' in page


def test_the_form_says_what_is_missing(client, db):
    response = client.get(reverse("violations:lookup"), {"number": "VP-2026-000001", "code": ""})
    assert response.status_code == 400
    assert "Enter the lookup code printed on the notice." in response.content.decode()


def test_the_right_number_and_code_open_the_case_page(client, notified):
    response = client.get(
        reverse("violations:lookup"),
        {"number": notified.number.lower(), "code": f" {notified.lookup_code} "},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('violations:case', args=[notified.number])}?code={notified.lookup_code}"
    )


def test_the_case_page_shows_what_the_recipient_needs(client, notified):
    response = _open(client, notified.number, notified.lookup_code)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Running a red light" in page
    assert "Notice issued" in page
    assert "From 18.000.000 đ to 20.000.000 đ" in page
    assert "Điểm b khoản 9 Điều 6 Nghị định 168/2024/NĐ-CP" in page
    assert notified.place in page
    assert "How to pay" in page
    assert "If you disagree" in page
    assert "75A-123.**" in page  # the plate, its last digits hidden
    assert "75A-123.45" not in page


def test_the_case_page_never_shows_the_owner_an_original_or_the_clip(client, notified):
    page = _open(client, notified.number, notified.lookup_code).content.decode()
    assert OWNER_NAME not in page
    assert OWNER_ADDRESS not in page
    assert "/console/" not in page  # no staff file address
    assert "<video" not in page
    for frame in _frames(notified):
        assert frame.file.name not in page
        assert reverse("violations:frame", args=[notified.number, frame.position]) in page


def test_the_answer_is_private_and_not_indexed(client, notified):
    response = _open(client, notified.number, notified.lookup_code)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_each_frame_is_served_blurred_to_the_holder_of_the_code(client, notified):
    for frame in _frames(notified):
        response = client.get(
            reverse("violations:frame", args=[notified.number, frame.position]),
            {"code": notified.lookup_code},
        )
        served = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert served == frame.public_file.open("rb").read()
        assert served != frame.file.open("rb").read()


def test_the_plate_in_each_public_frame_is_blurred(
    client, real_detector, camera, officer_a, officer_b
):
    notified = case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)
    for step, frame in enumerate(_frames(notified)):
        plates = [region for region in frame.blur_regions if region["kind"] == "plate"]
        assert plates, f"frame {frame.position}: the plate was found and blurred"
        box = plates[0]
        plate_left = 120 + step * 220 + 60  # where the drawn car carries its plate
        assert box["x"] <= plate_left + 10
        assert box["x"] + box["width"] >= plate_left + 170
        area = (box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"])
        original = Image.open(frame.file.open("rb")).convert("L").crop(area)
        public = Image.open(frame.public_file.open("rb")).convert("L").crop(area)
        # The plate's dark characters on its white panel are gone: far less contrast is left.
        assert ImageStat.Stat(public).stddev[0] < ImageStat.Stat(original).stddev[0] / 2


def test_a_frame_with_a_wrong_code_is_not_found(client, notified):
    frame = _frames(notified)[0]
    response = client.get(
        reverse("violations:frame", args=[notified.number, frame.position]), {"code": "WRONG23456"}
    )
    assert response.status_code == 404


def test_a_wrong_code_is_answered_like_a_missing_case(client, notified):
    wrong = _open(client, notified.number, "ABCDEFGHJK")
    missing = _open(client, "VP-2026-999999", "ABCDEFGHJK")
    assert wrong.status_code == missing.status_code == 404
    wrong_page = wrong.content.decode().replace(notified.number, "NUMBER")
    missing_page = missing.content.decode().replace("VP-2026-999999", "NUMBER")
    assert "No case matches this number and code." in wrong_page
    assert _without_tokens(wrong_page) == _without_tokens(missing_page)


def _without_tokens(page: str) -> str:
    """The page without its CSRF tokens (a fresh one per answer)."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", page)


def test_the_form_answers_a_wrong_code_with_the_same_not_found(client, notified):
    response = client.get(
        reverse("violations:lookup"), {"number": notified.number, "code": "ABCDEFGHJK"}
    )
    assert response.status_code == 404
    assert "No case matches this number and code." in response.content.decode()


def test_a_case_without_a_notice_cannot_be_looked_up(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.CONFIRMED, camera, reviewer=officer_a, decider=officer_b)
    assert _open(client, case.number, case.lookup_code).status_code == 404


def test_a_paid_case_says_nothing_is_left_to_pay(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.PAID, camera, reviewer=officer_a, decider=officer_b)
    page = _open(client, case.number, case.lookup_code).content.decode()
    assert "Nothing is left to pay on this case." in page


def test_lookups_are_rate_limited_per_address(client, notified):
    for _ in range(30):
        assert _open(client, notified.number, notified.lookup_code).status_code == 200
    response = _open(client, notified.number, notified.lookup_code)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    other = client.get(
        reverse("violations:case", args=[notified.number]),
        {"code": notified.lookup_code},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other.status_code == 200  # another address is not held back


def test_after_ten_misses_even_the_right_code_waits(client, notified):
    for attempt in range(10):
        assert _open(client, notified.number, f"WRONG{attempt:05d}").status_code == 404
    response = _open(client, notified.number, notified.lookup_code)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_the_frames_count_misses_too(client, notified):
    frame = _frames(notified)[0]
    url = reverse("violations:frame", args=[notified.number, frame.position])
    for attempt in range(10):
        assert client.get(url, {"code": f"WRONG{attempt:05d}"}).status_code == 404
    assert client.get(url, {"code": notified.lookup_code}).status_code == 429


def test_a_frame_not_blurred_has_no_public_address(client, camera, officer_a, officer_b):
    case = case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer_a, decider=officer_b)
    frame = _frames(case)[2]
    frame.public_file = ""
    frame.save(update_fields=["public_file"])

    page = _open(client, case.number, case.lookup_code).content.decode()
    response = client.get(
        reverse("violations:frame", args=[case.number, frame.position]),
        {"code": case.lookup_code},
    )

    assert "This image is being blurred and will appear here." in page
    assert response.status_code == 404


def test_a_detected_case_has_no_public_page_at_all(client, camera):
    case = case_detected(camera)
    assert _open(client, case.number, case.lookup_code).status_code == 404
