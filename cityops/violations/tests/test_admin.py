"""The admin reads detections, cases, their evidence and steps, and changes none of them;
owners' data is not on its pages. Cameras' clock offsets are edited there."""

from __future__ import annotations

from cityops.violations import services
from cityops.violations.choices import CaseStatus
from cityops.violations.models import CameraClock, Case, Detection

from .factories import case_at, event


def test_a_case_is_read_with_its_evidence_and_steps_but_not_its_owner(
    client, admin_user, camera, officer, second_officer
):
    case = case_at(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second_officer)
    client.force_login(admin_user)

    page = client.get(f"/admin/violations/case/{case.pk}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html
    link = case.evidence.order_by("position").first()
    assert link.sha256 in html
    assert "Nguyễn Văn Chủ" not in html
    assert "12 Lê Lợi" not in html
    assert case.lookup_code not in html
    assert 'name="_save"' not in html  # nothing to save
    assert client.get("/admin/violations/case/").status_code == 200
    assert client.get("/admin/violations/case/add/").status_code == 403
    assert client.post(f"/admin/violations/case/{case.pk}/delete/").status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()


def test_detections_are_read_only(client, admin_user, camera):
    detection = services.detection_receive(camera_code=camera.code, event=event(plate="HELLO"))
    services.detection_process(detection_id=detection.pk)
    client.force_login(admin_user)
    page = client.get(f"/admin/violations/detection/{detection.pk}/change/")
    assert page.status_code == 200
    assert "too_short" in page.content.decode()
    assert client.post(f"/admin/violations/detection/{detection.pk}/delete/").status_code == 403
    assert Detection.objects.filter(pk=detection.pk).exists()


def test_a_cameras_clock_offset_is_set_in_the_admin(client, admin_user, camera):
    client.force_login(admin_user)
    response = client.post(
        "/admin/violations/cameraclock/add/",
        {
            "camera": camera.pk,
            "offset_seconds": "-45",
            "checked_at_0": "2026-11-20",
            "checked_at_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert CameraClock.objects.get(camera=camera).offset_seconds == -45
