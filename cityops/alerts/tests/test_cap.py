"""CAP 1.2: parsing the project's own documents (tests/cap/) and importing them as bulletins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from cityops.agencies.tests.factories import AreaFactory
from cityops.alerts.cap import CapError, cap_parse
from cityops.alerts.choices import BulletinKind, BulletinOrigin
from cityops.alerts.models import Bulletin
from cityops.alerts.selectors import bulletins_current
from cityops.alerts.services import bulletins_import_document

CAP = Path(__file__).resolve().parent / "cap"
NOW = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)  # 15:00 in Huế, while the flood alert holds


def doc(name: str) -> bytes:
    return (CAP / name).read_bytes()


def load(name: str):
    return bulletins_import_document(data=doc(name))


# --- parsing ---------------------------------------------------------------------------------


def test_a_multilingual_alert_is_parsed_field_by_field():
    alert = cap_parse(doc("hue_flood_alert.xml"))
    assert alert.identifier == "VN-HUE-KTTV-2026-1118-01"
    assert alert.sender == "kttv-hue@example.vn"
    assert alert.sent == datetime(2026, 11, 17, 23, 0, tzinfo=UTC)
    assert (alert.status, alert.msg_type) == ("Actual", "Alert")
    assert [info.language for info in alert.infos] == ["en-US", "vi-VN"]
    info = alert.info_for(("vi", "en"))
    assert info is not None
    assert info.language == "vi-VN"
    assert info.headline == "Cảnh báo lũ trên sông Hương"
    # Wrapped lines are joined, paragraphs kept.
    assert info.description == (
        "Mực nước sông Hương tại Kim Long đang lên, có khả năng đạt báo động 2 vào chiều nay."
        "\n\nCác tuyến đường trũng thấp ở trung tâm thành phố có thể bị ngập."
    )
    [area] = info.areas
    assert area.polygons[0][0] == (16.44, 107.56)
    assert len(area.polygons[0]) == 5


def test_english_is_the_fallback_language_and_en_us_the_default():
    alert = cap_parse(doc("hue_air_quality_circle.xml"))  # cap: prefix, no <language>
    info = alert.info_for(("vi", "en"))
    assert info is not None
    assert info.language == "en-US"
    assert info.event == "Air quality (fine particles)"
    assert info.areas[0].circles == [(16.40, 107.70, 5.0)]
    assert info.expires is None


def test_references_of_an_update_are_read_as_triples():
    [reference] = cap_parse(doc("hue_flood_update.xml")).references
    assert reference.sender == "kttv-hue@example.vn"
    assert reference.identifier == "VN-HUE-KTTV-2026-1118-01"
    assert reference.sent == datetime(2026, 11, 17, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<alert><identifier>x</identifier></alert>", "Not a CAP alert"),
        (b"<html><body>Not found</body></html>", "Not a CAP alert"),
        (b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'>", "Not well-formed"),
        (b"", "Not well-formed"),
        (
            b"<?xml version='1.0'?><!DOCTYPE lol [<!ENTITY lol 'lol'>"
            b"<!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>"
            b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'>&lol2;</alert>",
            "unsafe",
        ),
        (
            b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
            b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'>&x;</alert>",
            "unsafe",
        ),
        (
            b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>a</identifier>"
            b"<sender>b</sender><sent>yesterday</sent><status>Actual</status>"
            b"<msgType>Alert</msgType></alert>",
            "<sent>",
        ),
        (
            b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>a</identifier>"
            b"<sender>b</sender><sent>2026-01-01T00:00:00+07:00</sent><status>Actual</status>"
            b"<msgType>Alert</msgType><info><area><areaDesc>x</areaDesc>"
            b"<polygon>16,107 17,108</polygon></area></info></alert>",
            "polygon",
        ),
    ],
)
def test_what_is_not_a_readable_cap_alert_is_refused_with_a_reason(data, reason):
    with pytest.raises(CapError) as refused:
        cap_parse(data)
    assert reason in refused.value.message


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-07:00"])
def test_a_time_beyond_the_accepted_years_is_refused_with_a_reason(moment):
    data = doc("hue_flood_alert.xml").decode()
    start = data.index("<sent>") + len("<sent>")
    data = data[:start] + moment + data[data.index("</sent>") :]
    with pytest.raises(CapError) as refused:
        cap_parse(data.encode())
    assert "<sent> is not between the years 1900 and 2999" in refused.value.message


# --- importing -------------------------------------------------------------------------------


@pytest.fixture
def centre(db):
    """A ward inside the flood polygon (the boundary of the city centre)."""
    return AreaFactory(name="Phường Thuận Hóa", centroid_lat=16.465, centroid_lon=107.59)


@pytest.fixture
def far_away(db):
    return AreaFactory(name="Xã A Lưới", centroid_lat=16.2, centroid_lon=107.2)


def test_an_alert_becomes_a_public_bulletin_in_vietnamese(centre, far_away):
    result = load("hue_flood_alert.xml")
    assert result.outcome == "created"
    bulletin = result.bulletin
    assert bulletin.origin == BulletinOrigin.CAP
    assert bulletin.kind == BulletinKind.FLOOD
    assert bulletin.language == "vi-VN"
    assert bulletin.headline == "Cảnh báo lũ trên sông Hương"
    assert bulletin.instruction == "Di chuyển xe cộ, tài sản lên nơi cao."
    assert (bulletin.severity, bulletin.urgency, bulletin.certainty) == (
        "moderate",
        "expected",
        "likely",
    )
    assert bulletin.onset == datetime(2026, 11, 18, 5, 0, tzinfo=UTC)
    assert bulletin.expires == datetime(2026, 11, 19, 11, 0, tzinfo=UTC)
    assert bulletin.sender_name == "Đài Khí tượng Thủy văn Thừa Thiên Huế"
    assert bulletin.web == "https://example.vn/canh-bao/lu"
    assert list(bulletin.areas.all()) == [centre]  # the polygon covers it, not the far commune
    [feature] = bulletin.geometry["features"]
    assert feature["geometry"]["coordinates"][0][0] == [107.56, 16.44]  # GeoJSON: lon first
    with time_machine.travel(NOW):
        assert list(bulletins_current(at=NOW)) == [bulletin]


def test_importing_the_same_document_again_changes_nothing(db):
    first = load("hue_flood_alert.xml")
    again = load("hue_flood_alert.xml")
    assert again.outcome == "duplicate"
    assert again.bulletin == first.bulletin
    assert Bulletin.objects.count() == 1


def test_an_update_supersedes_the_alert_it_references(db):
    original = load("hue_flood_alert.xml").bulletin
    result = load("hue_flood_update.xml")

    assert (result.outcome, result.affected) == ("updated", 1)
    original.refresh_from_db()
    assert original.superseded_by == result.bulletin
    assert result.bulletin.severity == "severe"
    assert "Vùng trũng phía Bắc" in result.bulletin.area_description
    kinds = [f["geometry"]["type"] for f in result.bulletin.geometry["features"]]
    assert kinds == ["Polygon", "Point"]  # the circle is a point with its radius
    assert result.bulletin.geometry["features"][1]["properties"]["radius_km"] == 3.5
    at = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    assert list(bulletins_current(at=at)) == [result.bulletin]


def test_a_cancel_withdraws_the_bulletin_it_references(db):
    load("hue_flood_alert.xml")
    update = load("hue_flood_update.xml").bulletin
    result = load("hue_flood_cancel.xml")

    assert (result.outcome, result.affected) == ("cancelled", 1)
    update.refresh_from_db()
    assert update.cancelled_at is not None
    at = datetime(2026, 11, 19, 3, 0, tzinfo=UTC)
    assert list(bulletins_current(at=at)) == []
    assert load("hue_flood_cancel.xml").outcome == "duplicate"


def test_an_alert_without_expiry_stays_for_the_default_validity(db, settings):
    settings.CITYOPS_BULLETIN_DEFAULT_HOURS = 6
    bulletin = load("hue_air_quality_circle.xml").bulletin
    assert bulletin.kind == BulletinKind.AIR_QUALITY
    assert bulletin.expires == bulletin.sent + timedelta(hours=6)


def test_exercises_are_not_published(db):
    result = load("hue_exercise.xml")
    assert result.outcome == "skipped"
    assert not Bulletin.objects.exists()


# --- the command -------------------------------------------------------------------------------


def test_the_import_command_reports_each_file(db, capsys):
    call_command(
        "bulletins", "import", str(CAP / "hue_flood_alert.xml"), str(CAP / "hue_flood_update.xml")
    )
    out = capsys.readouterr().out
    assert "hue_flood_alert.xml: created" in out
    assert "hue_flood_update.xml: updated" in out
    assert Bulletin.objects.count() == 2


def test_the_import_command_fails_on_an_unreadable_file_but_imports_the_others(
    db, tmp_path, capsys
):
    broken = tmp_path / "broken.xml"
    broken.write_text("<alert>")
    with pytest.raises(CommandError):
        call_command("bulletins", "import", str(broken), str(CAP / "hue_flood_alert.xml"))
    captured = capsys.readouterr()
    assert "broken.xml: Not well-formed XML" in captured.err
    assert Bulletin.objects.count() == 1
