"""Photos the public sees only blurred: the blur job, an operator's boxes, the backlog.

Every stored photo (a citizen's, an agency's result, a camera's snapshot turned into a report)
starts ``pending``, without a public copy and so without a public URL. The blur job
(``tasks.blur_photo``, queued when the photo's transaction commits) finds faces and number
plates (``platform.blurring``), writes the public copy and its thumbnail with those boxes
blurred, and marks the photo ``blurred``: only then do the public, the agency and every public
serialisation see it. A detection that fails leaves the photo ``failed`` (still not public, the
original kept): the periodic job tries again, and the operators' list shows it until someone
draws its boxes by hand (``attachment_blur_edit``).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from uuid import uuid4

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from PIL import Image

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.platform import clock
from cityops.platform.blurring import Region, image_blur, regions_detect
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.platform.images import ImageLimits
from cityops.platform.readcache import read_cache_report_changed
from cityops.reports.choices import BlurStatus, EventKind, Visibility
from cityops.reports.models import Attachment

logger = logging.getLogger(__name__)

# More boxes than any street photo holds people and vehicles: a bigger list is a broken client.
MAX_REGIONS = 200
_THUMB_SIDE = ImageLimits().thumb_side
_JPEG_QUALITY = 85


def attachment_blur_schedule(*, attachment: Attachment) -> None:
    """Queue the blur job for a photo just written, once its transaction commits (a rolled-back
    photo is never looked at)."""
    from cityops.reports.tasks import blur_photo  # tasks import the workflow, which imports us

    attachment_id = attachment.pk
    transaction.on_commit(lambda: blur_photo.enqueue(attachment_id=attachment_id))


def blur_revision(*, attachment: Attachment) -> str:
    """A short fingerprint of the photo's boxes and status: an edit made on a page that showed
    another revision is refused rather than undoing what changed since."""
    seen = json.dumps([attachment.blur_status, attachment.blur_regions], sort_keys=True)
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


def attachment_blur(*, attachment_id: int) -> BlurStatus | None:
    """The blur job: detect faces and plates in the original, write the blurred public copies
    and publish them; ``failed`` if the detection or the rendering fails. A photo already
    blurred is left alone (jobs may run twice). None for a photo that no longer exists."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return None
    if attachment.blur_status == BlurStatus.BLURRED:
        return BlurStatus.BLURRED
    # Counted before the work: a job that dies midway (out of memory) still counts as a try.
    Attachment.objects.filter(pk=attachment_id).update(blur_attempts=F("blur_attempts") + 1)
    try:
        content = _original(attachment)
        regions = regions_detect(content)
        public, thumbnail = _public_copies(content, regions)
    except Exception:
        # Any failure (an image OpenCV cannot read, a missing file) leaves the photo unpublished
        # and its original untouched; it is tried again later and listed for operators.
        logger.exception("photo %s: blurring failed", attachment_id)
        Attachment.objects.filter(pk=attachment_id).exclude(blur_status=BlurStatus.BLURRED).update(
            blur_status=BlurStatus.FAILED
        )
        return BlurStatus.FAILED
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update().get(pk=attachment_id)
        if attachment.blur_status == BlurStatus.BLURRED:
            return BlurStatus.BLURRED  # another run (or an operator) was first
        _publish(attachment, regions=regions, public=public, thumbnail=thumbnail)
        report_id = attachment.report_id
        # The report's kept public pages (lists, its page, API, Open311) now show the photo.
        transaction.on_commit(lambda: read_cache_report_changed(report_id))
    return BlurStatus.BLURRED


@transaction.atomic
def attachment_blur_edit(
    *,
    attachment: Attachment,
    actor: User,
    regions: Sequence[Region | Mapping[str, object]],
    revision: str | None = None,
) -> Attachment:
    """Set the photo's boxes to ``regions`` (the detector's kept, the operator's added; those
    left out are removed), render its public copies again and record it on the report's
    internal timeline. Operators and administrators only; the photo's detection must have run
    (a failed one may be given its boxes by hand, which publishes it). ``revision`` (from
    ``blur_revision``) refuses an edit of boxes that changed meanwhile. Mappings are read with
    ``Region.from_dict``; a bad one is refused with nothing saved."""
    if not (actor.is_active and Role(actor.role).is_ioc_staff):
        raise NotPermitted(
            _("Only IOC operators and administrators may change what is blurred."),
            code="not_permitted",
        )
    attachment = (
        Attachment.objects.select_for_update(of=("self",))
        .select_related("report", "report__agency")
        .get(pk=attachment.pk)
    )
    if attachment.blur_status == BlurStatus.PENDING:
        raise Conflict(
            _("Faces and plates are still being looked for in this photo; try again shortly."),
            code="blur_pending",
        )
    if revision is not None and revision != blur_revision(attachment=attachment):
        raise Conflict(
            _("The photo's blurred regions changed since the page was opened; look again."),
            code="blur_changed",
        )
    wanted = regions_clean(regions, width=attachment.width, height=attachment.height)
    before = [_as_dict(region) for region in attachment.blur_regions]
    after = [region.as_dict() for region in wanted]
    content = _original(attachment)
    public, thumbnail = _public_copies(content, wanted)
    _publish(attachment, regions=wanted, public=public, thumbnail=thumbnail)

    from cityops.reports.workflow.rules import record_event  # the workflow imports this module

    record_event(
        attachment.report,
        kind=EventKind.BLUR_EDITED,
        actor=actor,
        from_status=attachment.report.status,
        visibility=Visibility.INTERNAL,
        data={
            "photo": attachment.pk,
            "added": [region for region in after if region not in before],
            "removed": [region for region in before if region not in after],
        },
    )  # its report.changed event also renews the report's kept public pages
    return attachment


def regions_clean(
    regions: Sequence[Region | Mapping[str, object]], *, width: int, height: int
) -> list[Region]:
    """``regions`` as boxes inside a ``width`` × ``height`` image (clipped to it); InvalidInput
    naming each bad one (1-based) otherwise."""
    if len(regions) > MAX_REGIONS:
        message = _("At most %(count)d regions can be blurred in one photo.") % {
            "count": MAX_REGIONS
        }
        raise InvalidInput(message, code="invalid_regions", fields={"regions": [message]})
    cleaned, problems = [], []
    for position, given in enumerate(regions, start=1):
        try:
            region = given if isinstance(given, Region) else Region.from_dict(given)
        except ValueError as invalid:
            problems.append(
                _("Region %(number)d: %(problem)s.") % {"number": position, "problem": invalid}
            )
            continue
        if region.x >= width or region.y >= height:
            problems.append(
                _("Region %(number)d lies outside the %(width)d × %(height)d photo.")
                % {"number": position, "width": width, "height": height}
            )
            continue
        cleaned.append(
            replace(
                region,
                width=min(region.width, width - region.x),
                height=min(region.height, height - region.y),
            )
        )
    if problems:
        raise InvalidInput(" ".join(problems), code="invalid_regions", fields={"regions": problems})
    return cleaned


def photos_blur_pending(
    *, include_failed: bool = False, limit: int | None = None
) -> dict[str, int]:
    """Blur the photos still waiting (``include_failed``: those that failed too), here and now,
    oldest first: the backlog after an upgrade, or after the job queue was down. Returns how
    many ended blurred and how many failed."""
    waiting = [BlurStatus.PENDING, *([BlurStatus.FAILED] if include_failed else [])]
    ids = Attachment.objects.filter(blur_status__in=waiting).order_by("created_at", "pk")
    counts = {"blurred": 0, "failed": 0}
    for attachment_id in ids.values_list("pk", flat=True)[:limit]:
        status = attachment_blur(attachment_id=attachment_id)
        if status == BlurStatus.BLURRED:
            counts["blurred"] += 1
        elif status == BlurStatus.FAILED:
            counts["failed"] += 1
    return counts


# --- rendering -----------------------------------------------------------------------------------


def _original(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as file:
        return bytes(file.read())


def _public_copies(content: bytes, regions: Sequence[Region]) -> tuple[bytes, bytes]:
    """The blurred JPEG and a thumbnail made from it (never from the original)."""
    blurred = image_blur(content, regions)
    with Image.open(io.BytesIO(blurred)) as image:
        thumb = image.convert("RGB")
    thumb.thumbnail((_THUMB_SIDE, _THUMB_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=_JPEG_QUALITY, optimize=True)
    return blurred, out.getvalue()


def _publish(
    attachment: Attachment, *, regions: Sequence[Region], public: bytes, thumbnail: bytes
) -> None:
    """Store the new public copies under fresh names and drop the old ones once committed (a
    page rendered before still names the old version; the view serves the current one)."""
    old = [f.name for f in (attachment.public_file, attachment.public_thumbnail) if f]
    name = uuid4().hex
    attachment.public_file.save(f"{name}.public.jpg", ContentFile(public), save=False)
    attachment.public_thumbnail.save(f"{name}.public.thumb.jpg", ContentFile(thumbnail), save=False)
    attachment.blur_regions = [region.as_dict() for region in regions]
    attachment.blur_status = BlurStatus.BLURRED
    attachment.blurred_at = clock.now()
    attachment.save(
        update_fields=[
            "public_file", "public_thumbnail", "blur_regions", "blur_status", "blurred_at",
        ]
    )  # fmt: skip
    storage = attachment.public_file.storage
    for stale in old:
        transaction.on_commit(lambda stale=stale: storage.delete(stale))  # type: ignore[misc]


def _as_dict(stored: object) -> dict[str, object]:
    """A stored region as ``Region.as_dict`` writes it (older rows may lack ``source``)."""
    try:
        return Region.from_dict(stored).as_dict()  # type: ignore[arg-type]
    except ValueError:
        return {"invalid": stored}
