"""Vetting of the documents attached to an application: images (re-encoded by
``platform.images.image_clean``, metadata dropped) and PDFs (checked for what a PDF is, no
active content), within the project's upload size limit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from cityops.platform.images import ImageLimits, ImageRejected, image_clean

Upload = bytes | BinaryIO

# Active content a citizen's scan never needs and a reader may run.
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA|RichMedia|XFA)\b")


@dataclass(frozen=True)
class CleanDocument:
    content: bytes
    extension: str
    content_type: str


class DocumentRejected(ValueError):
    pass


def _read(upload: Upload, limit: int) -> bytes:
    raw = bytes(upload) if isinstance(upload, bytes | bytearray) else upload.read(limit + 1)
    if not raw:
        raise DocumentRejected(_("the file is empty"))
    if len(raw) > limit:
        raise DocumentRejected(
            _("the file is larger than %(mb)s MB") % {"mb": limit // (1024 * 1024)}
        )
    return raw


def document_clean(upload: Upload) -> CleanDocument:
    """A PDF or an image, checked by content (not by its name); raises ``DocumentRejected``
    with a translated reason."""
    limit = settings.CITYOPS_UPLOAD_MAX_BYTES
    raw = _read(upload, limit)
    if raw.startswith(b"%PDF-"):
        if b"%%EOF" not in raw[-2048:]:
            raise DocumentRejected(_("the PDF is damaged or incomplete"))
        if _ACTIVE.search(raw):
            raise DocumentRejected(_("the PDF contains scripts or embedded files"))
        return CleanDocument(raw, "pdf", "application/pdf")
    try:
        image = image_clean(
            raw, limits=ImageLimits(max_bytes=limit, max_pixels=settings.CITYOPS_UPLOAD_MAX_PIXELS)
        )
    except ImageRejected:
        raise DocumentRejected(
            _("the file is neither a PDF nor a photo (JPEG, PNG or WebP)")
        ) from None
    return CleanDocument(image.content, image.extension, image.content_type)
