"""Jobs of the violations domain; thin wrappers over the services."""

from __future__ import annotations

import logging

from django_tasks import task

from cityops.platform.jobs import every

logger = logging.getLogger(__name__)


@task()
def process_detection(detection_id: int) -> int | None:
    """Make a received detection a case (or refuse it); returns the case's id, if any."""
    from cityops.violations.services import detection_process

    case = detection_process(detection_id=detection_id)
    return case.pk if case is not None else None


@every(minutes=1)
@task()
def blur_pending_frames() -> int:
    """Make the blurred public copies of the frames still without one (time-boxed)."""
    from cityops.violations.services import frames_blur_pending

    return frames_blur_pending()


@every(minutes=5)
@task()
def process_stale_detections() -> int:
    """Detections left pending (a lost job, a worker that died) are processed here: nothing a
    camera sent is left behind. Returns how many were processed."""
    from cityops.violations.services import detection_process, detections_stale

    stale, done = detections_stale(), 0
    for detection_id in stale:
        try:
            detection_process(detection_id=detection_id)
        except Exception:  # one broken detection must not hold the others back
            logger.exception("violations: detection %s could not be processed", detection_id)
        else:
            done += 1
    return done
