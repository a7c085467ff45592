"""The CAP importer against five real CAP 1.2 documents written by others (OASIS examples, an
Environment Canada wind warning, a US AirNow air-quality alert).

They are not part of the repository (their README asks not to copy them in): they live in
``shared/domain/cap-samples/`` beside the checkout, or wherever ``CITYOPS_CAP_SAMPLES`` says.
Without the folder these tests are skipped and say so (`.ci/run` points CITYOPS_CAP_SAMPLES at
the folder when the machine has it); the project's own CAP documents in ``tests/cap/`` are tested
everywhere.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cityops.alerts.cap import cap_parse
from cityops.alerts.choices import BulletinKind
from cityops.alerts.models import Bulletin
from cityops.alerts.selectors import bulletins_current
from cityops.alerts.services import bulletins_import_document

REPOSITORY = Path(__file__).resolve().parents[3]
SAMPLES = Path(
    os.environ.get("CITYOPS_CAP_SAMPLES", REPOSITORY.parent / "shared" / "domain" / "cap-samples")
)
FILES = {
    "oasis_cap12_a2_severe_thunderstorm.xml",
    "oasis_cap12_a3_earthquake_update.xml",
    "oasis_cap12_a4_amber_multilingual.xml",
    "eccc_naad_wind_warning_2019.xml",
    "airnow_air_quality_alert_2020.xml",
}


@pytest.fixture(scope="module")
def samples() -> Path:
    missing = [name for name in sorted(FILES) if not (SAMPLES / name).is_file()]
    if missing:
        reason = (
            f"the real CAP samples are not at {SAMPLES} (missing: {', '.join(missing)}); "
            "set CITYOPS_CAP_SAMPLES to the folder shared/domain/cap-samples"
        )
        pytest.skip(reason)
    return SAMPLES


def imported(samples: Path, name: str) -> Bulletin:
    result = bulletins_import_document(data=(samples / name).read_bytes())
    assert result.outcome in ("created", "updated"), result
    assert result.bulletin is not None
    return result.bulletin


def test_every_sample_parses_and_imports_once(db, samples):
    for name in sorted(FILES):
        data = (samples / name).read_bytes()
        alert = cap_parse(data)
        assert alert.infos, name
        first = bulletins_import_document(data=data)
        again = bulletins_import_document(data=data)
        assert first.outcome in ("created", "updated"), name
        assert again.outcome == "duplicate", name
    assert Bulletin.objects.count() == len(FILES)


def test_the_oasis_thunderstorm_warning(db, samples):
    bulletin = imported(samples, "oasis_cap12_a2_severe_thunderstorm.xml")
    assert bulletin.headline == "SEVERE THUNDERSTORM WARNING"
    assert bulletin.kind == BulletinKind.WEATHER
    assert bulletin.language == "en-US"  # no <language>: the CAP default
    assert (bulletin.severity, bulletin.urgency, bulletin.certainty) == (
        "severe",
        "immediate",
        "observed",
    )
    assert bulletin.sent == datetime(2003, 6, 17, 21, 57, tzinfo=UTC)
    assert bulletin.expires == datetime(2003, 6, 17, 23, 0, tzinfo=UTC)
    assert bulletin.instruction == "TAKE COVER IN A SUBSTANTIAL SHELTER UNTIL THE STORM PASSES."
    [polygon] = bulletin.geometry["features"]
    assert polygon["geometry"]["coordinates"][0][0] == [-120.14, 38.47]
    assert bulletin.area_description.startswith("EXTREME NORTH CENTRAL TUOLUMNE COUNTY")
    at = datetime(2003, 6, 17, 22, 0, tzinfo=UTC)
    assert list(bulletins_current(at=at)) == [bulletin]
    assert list(bulletins_current(at=at + timedelta(hours=2))) == []  # expired: dropped off


def test_the_oasis_earthquake_update_with_a_zero_radius_circle(db, samples):
    bulletin = imported(samples, "oasis_cap12_a3_earthquake_update.xml")
    assert bulletin.msg_type == "update"
    assert bulletin.references.startswith("trinet@caltech.edu,TRI13970876.1,2003-06-11")
    assert bulletin.headline == "EQ 3.4 Imperial County CA"
    [circle] = bulletin.geometry["features"]
    assert circle["geometry"] == {"type": "Point", "coordinates": [-115.5527, 32.9525]}
    assert circle["properties"]["radius_km"] == 0
    # No <expires>: it stays the default validity from its sending.
    assert bulletin.expires == bulletin.sent + timedelta(hours=24)


def test_the_oasis_amber_alert_in_two_languages_shows_english(db, samples):
    bulletin = imported(samples, "oasis_cap12_a4_amber_multilingual.xml")
    assert bulletin.language == "en-US"  # no Vietnamese: English before Spanish
    assert bulletin.headline == "Amber Alert in Los Angeles County"
    assert bulletin.area_description == "Los Angeles County"
    assert bulletin.geometry is None  # geocodes only, no shape


def test_the_canadian_bilingual_wind_warning_with_signatures(db, samples):
    bulletin = imported(samples, "eccc_naad_wind_warning_2019.xml")
    assert bulletin.language == "en-CA"  # English before French
    assert bulletin.headline == "wind warning in effect"
    assert bulletin.kind == BulletinKind.WEATHER
    assert bulletin.sender == "cap-pac@canada.ca"
    assert bulletin.msg_type == "update"
    assert bulletin.description.startswith("Strong winds that may cause damage")
    assert "\n\n###\n\n" in bulletin.description  # paragraphs kept
    assert bulletin.instruction == ""  # <instruction /> is empty
    assert bulletin.area_description == "Îles-de-la-Madeleine"
    [polygon] = bulletin.geometry["features"]
    assert len(polygon["geometry"]["coordinates"][0]) == 7


def test_the_airnow_air_quality_alert_with_wrapped_text(db, samples):
    bulletin = imported(samples, "airnow_air_quality_alert_2020.xml")
    assert bulletin.kind == BulletinKind.AIR_QUALITY  # CAP category Met, but it is about ozone
    assert bulletin.headline == "Air Quality Alert for Auburn"
    assert bulletin.event.startswith("Ozone is forecast to reach 105 AQI")
    assert "\n" not in bulletin.event
    assert bulletin.web == (
        "http://feeds.enviroflash.info/cap/178.xml?id=3794B01A-A547-3A66-36AC9122CA2DDA30"
    )
    assert bulletin.instruction.startswith("Active children and adults")
    [circle] = bulletin.geometry["features"]
    assert circle["properties"]["radius_km"] == 1.0
