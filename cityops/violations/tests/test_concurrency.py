"""Two workers with two detections of one incident make one case, and never the same number
twice (PostgreSQL: real concurrent transactions; SQLite has one writer at a time)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cityops.violations import services
from cityops.violations.models import Case, Detection

from .factories import CameraFactory, event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]


def process_together(ids: list[int]) -> list[BaseException]:
    barrier, errors = threading.Barrier(len(ids)), []

    def work(detection_id: int) -> None:
        try:
            barrier.wait()
            services.detection_process(detection_id=detection_id)
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_duplicates_processed_at_once_make_one_case():
    camera = CameraFactory(code="hue-cam-31")
    ids = [services.detection_receive(camera_code=camera.code, event=event()).pk for _ in range(4)]
    assert process_together(ids) == []
    assert Case.objects.count() == 1
    assert set(Detection.objects.values_list("case_id", flat=True)) == {Case.objects.get().pk}
    assert services.evidence_verify(case=Case.objects.get()).ok


def test_cases_made_at_once_get_different_numbers():
    camera = CameraFactory(code="hue-cam-32")
    plates = ["75A-123.45", "75A-123.46", "43C1-234.56", "29LD-123.45", "51F-999.99"]
    ids = [
        services.detection_receive(
            camera_code=camera.code, event=event(plate=plate, vehicle_type="car")
        ).pk
        for plate in plates
    ]
    assert process_together(ids) == []
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == len(plates)
