"""Each frame's public copy: faces and number plates blurred (``cityops.platform.blurring``).

A frame's ``public_file`` is only ever written with what ``image_blur`` returned, and an empty
``public_file`` means there is no public image of that frame at all: the lookup page shows
nothing rather than an original. Copies are made off the detection path, by the sweep that
runs every minute (``frames_blur_pending``, a time-boxed batch, so that a slow detector never
holds up new cases), and at the latest when the notice is issued, before the lookup code
leaves the building. An officer or an IOC operator may then add or remove regions by hand
(``evidence_blur_edit``): the copy is made again from the original, and the edit is a step.
"""

from __future__ import annotations

import logging
import time
from uuid import uuid4

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.platform import clock
from cityops.platform.blurring import Region, image_blur, regions_detect
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.violations.choices import CaseAction, CaseStatus, DetectionStatus, EvidenceKind
from cityops.violations.models import Case, CaseStep, Detection, Evidence

logger = logging.getLogger(__name__)

BLUR_ATTEMPTS = 3  # a frame the detector fails on this often keeps no public copy
SWEEP_LOCK = "violations:blur-sweep"
# Who may edit a frame's regions: the officers, and the IOC operators the issue names.
BLUR_EDITORS = (Role.OFFICER, Role.OPERATOR, Role.ADMIN)


def _pending() -> object:
    return Evidence.objects.filter(
        kind=EvidenceKind.FRAME, blurred_at__isnull=True, blur_attempts__lt=BLUR_ATTEMPTS
    )


def _public_name(evidence: Evidence) -> str:
    return f"violations/public/{clock.now():%Y/%m}/{evidence.case_id}-{uuid4().hex}.jpg"


def frame_blur(*, evidence: Evidence) -> bool:
    """Make the blurred copy of one frame with the detector's regions; False if it failed
    (the frame then has no public image, and the sweep tries again later)."""
    try:
        with evidence.file.open("rb") as file:
            original = file.read()
        regions = regions_detect(original)
        content = image_blur(original, regions)
    except Exception:
        logger.exception("violations: could not blur frame %s", evidence.pk)
        Evidence.objects.filter(pk=evidence.pk).update(blur_attempts=F("blur_attempts") + 1)
        return False
    name = default_storage.save(_public_name(evidence), ContentFile(content))
    done = Evidence.objects.filter(pk=evidence.pk, blurred_at__isnull=True).update(
        public_file=name,
        blur_regions=[region.as_dict() for region in regions],
        blurred_at=clock.now(),
    )
    if not done:  # blurred meanwhile (the sweep and a notice at once, or a hand edit)
        default_storage.delete(name)
    return True


def frames_blur(*, case: Case) -> int:
    """Blur every frame of ``case`` still without a copy; how many were blurred now."""
    frames = list(_pending().filter(case_id=case.pk).order_by("position"))  # type: ignore[attr-defined]
    return sum(frame_blur(evidence=frame) for frame in frames)


def _detections_waiting() -> bool:
    return Detection.objects.filter(status=DetectionStatus.PENDING).exists()


def frames_blur_pending(*, budget_seconds: float = 40.0, batch: int = 20) -> int:
    """The sweep: blur waiting frames, oldest first, until none is left or the time is up;
    one sweep at a time (a lock in the cache), so that it never takes more than one worker.

    Cases come first: the sweep gives way whenever a detection waits to be made a case (the
    detector takes a second or more a frame, a case a few milliseconds), and takes up again a
    minute later. Nothing public waits on it: the notice blurs whatever is left.
    """
    if not cache.add(SWEEP_LOCK, "1", timeout=int(budget_seconds) + 60):
        return 0
    done, deadline = 0, time.monotonic() + budget_seconds
    try:
        while time.monotonic() < deadline and not _detections_waiting():
            frames = list(_pending().order_by("created_at")[:batch])  # type: ignore[attr-defined]
            if not frames:
                break
            for frame in frames:
                if time.monotonic() >= deadline or _detections_waiting():
                    break
                done += frame_blur(evidence=frame)
    finally:
        cache.delete(SWEEP_LOCK)
    return done


def evidence_blur_edit(*, evidence: Evidence, actor: User, regions: list[Region]) -> Evidence:
    """Replace a frame's blur regions with ``regions`` (those kept from the detector and those
    drawn by hand) and make its public copy again from the original."""
    if not (actor.is_active and actor.role in BLUR_EDITORS):
        raise NotPermitted(
            _("Only officers and IOC operators edit what is blurred."), code="forbidden"
        )
    if evidence.kind != EvidenceKind.FRAME:
        raise InvalidInput(_("Only frames have a public copy to blur."), code="not_a_frame")
    if not all(isinstance(region, Region) for region in regions):
        raise InvalidInput(_("Each region is a box to blur."), fields={"regions": ["invalid"]})
    with evidence.file.open("rb") as file:
        original = file.read()
    content = image_blur(original, regions)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=evidence.case_id)
        if case.status == CaseStatus.REJECTED:
            raise Conflict(_("A rejected case is never published."), code="invalid_transition")
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        previous = len(evidence.blur_regions or [])
        old = evidence.public_file.name if evidence.public_file else ""
        evidence.public_file.name = default_storage.save(
            _public_name(evidence), ContentFile(content)
        )
        evidence.blur_regions = [region.as_dict() for region in regions]
        evidence.blurred_at = clock.now()
        evidence.save(update_fields=["public_file", "blur_regions", "blurred_at"])
        by_hand = sum(region.source == "operator" for region in regions)
        CaseStep.objects.create(
            case=case,
            actor=actor,
            action=CaseAction.BLUR_EDITED,
            note=_(
                "Frame %(position)s: %(before)s regions before, %(after)s now (%(hand)s by hand)"
            )
            % {
                "position": evidence.position,
                "before": previous,
                "after": len(regions),
                "hand": by_hand,
            },
            created_at=clock.now(),
        )
        if old:
            transaction.on_commit(lambda: default_storage.delete(old))
    return evidence
