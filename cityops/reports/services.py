"""Writes around reports that are not status transitions: photos, follows, search texts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from cityops.accounts.models import User
from cityops.intel.masking import DOT, mask_personal_data
from cityops.intel.text import fold
from cityops.platform import clock
from cityops.platform.errors import InvalidInput
from cityops.platform.images import CleanImage, ImageLimits, ImageRejected, image_clean
from cityops.platform.readcache import read_cache_flush
from cityops.reports.choices import AttachmentKind
from cityops.reports.models import Attachment, Follow, Report, ReportEvent
from cityops.reports.photos import attachment_blur_schedule

Upload = bytes | BinaryIO


def _limits() -> ImageLimits:
    return ImageLimits(
        max_bytes=settings.CITYOPS_UPLOAD_MAX_BYTES, max_pixels=settings.CITYOPS_UPLOAD_MAX_PIXELS
    )


def photos_clean(*, photos: Sequence[Upload], field: str = "photos") -> list[CleanImage]:
    """Validate every photo before anything is written; all problems are reported at once."""
    if len(photos) > settings.CITYOPS_MAX_PHOTOS:
        raise InvalidInput(
            f"At most {settings.CITYOPS_MAX_PHOTOS} photos can be attached.",
            fields={field: [f"At most {settings.CITYOPS_MAX_PHOTOS} photos."]},
        )
    cleaned, problems = [], []
    for position, photo in enumerate(photos, start=1):
        try:
            cleaned.append(image_clean(photo, limits=_limits()))
        except ImageRejected as rejected:
            problems.append(f"Photo {position}: {rejected.message}")
    if problems:
        raise InvalidInput(" ".join(problems), code="invalid_image", fields={field: problems})
    return cleaned


def attachment_create(
    *,
    report: Report,
    image: CleanImage,
    kind: AttachmentKind,
    uploaded_by: User | None,
    event: ReportEvent | None = None,
) -> Attachment:
    name = uuid4().hex
    attachment = Attachment(
        report=report,
        event=event,
        kind=kind,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        size=len(image.content),
        uploaded_by=uploaded_by,
        created_at=clock.now(),
    )
    attachment.file.save(f"{name}.{image.extension}", ContentFile(image.content), save=False)
    attachment.thumbnail.save(f"{name}.thumb.jpg", ContentFile(image.thumbnail), save=False)
    attachment.save()
    attachment_blur_schedule(attachment=attachment)  # no public URL until it is blurred
    return attachment


def _public_words(text: str) -> str:
    """``text`` as the public reads it, without the masked words: a hint such as
    "090•••••56" or "n•••@gmail.com" is shown, yet no search may confirm any part of it."""
    return " ".join(word for word in mask_personal_data(text).split() if DOT not in word)


def report_search_fields(*, title: str, description: str, address: str) -> dict[str, str]:
    """The report's search texts (``Report.search_text`` and ``search_text_public``), to be
    written with its title, description and address whenever any of them is written.

    One line per field, so that no word is found across two of them; folded (``fold``) as
    ``ReportFilter`` folds the words searched for."""
    fields = (title, description, address)
    return {
        "search_text": "\n".join(fold(text) for text in fields),
        "search_text_public": "\n".join(fold(_public_words(text)) for text in fields),
    }


def follow_create(*, report: Report, user: User) -> Follow:
    follow, _ = Follow.objects.get_or_create(
        report=report, user=user, defaults={"created_at": clock.now()}
    )
    return follow


@transaction.atomic
def personal_data_erase(*, user: User) -> int:
    """Anonymise what reports keep about ``user`` before their account is deleted.

    Their reports stay public (the city's record) without a reporter or contact details; their
    follows go. Ratings, photos and timeline entries keep their content and lose the person
    when the account row goes (their foreign keys are SET_NULL). Returns how many reports were
    anonymised.
    """
    anonymised = Report.objects.filter(reporter=user).update(
        reporter=None, contact_name="", contact_phone="", contact_email="", device_id=""
    )
    Follow.objects.filter(user=user).delete()
    # Their given name was public on their reports' pages: no kept page may show it again.
    transaction.on_commit(read_cache_flush)
    return anonymised


def follow_delete(*, report: Report, user: User) -> bool:
    """Stop sending ``user`` the report's updates; False if they were not following it."""
    deleted, _ = Follow.objects.filter(report=report, user=user).delete()
    return deleted > 0
