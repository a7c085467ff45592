"""A report's photos for IOC staff: the originals, the boxes blurred in the public copies, and
the form that adds or removes a box (``reports.photos.attachment_blur_edit``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import IOC_STAFF, roles_required
from cityops.console.views.common import staff_user
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.reports.choices import AttachmentKind, BlurStatus
from cityops.reports.models import Attachment, Report
from cityops.reports.photos import attachment_blur_edit, blur_revision
from cityops.reports.selectors import (
    attachment_is_public,
    attachment_original_for,
    attachment_urls,
    attachments_blur_waiting,
    attachments_of,
    originals_visible_to,
    report_for_console,
    report_photos,
)

# The numeric fields of a box, in the order the form shows them.
BOX_FIELDS = ("x", "y", "width", "height")


def photos_for_console(*, report: Report, viewer: Any) -> dict[str, list[dict[str, str]]]:
    """The report's photos by kind for the triage page: every one as taken for IOC staff;
    leaders, like everyone else, get the blurred copies (``report_photos``)."""
    if not originals_visible_to(user=viewer):
        return report_photos(report=report)
    photos: dict[str, list[dict[str, str]]] = {kind: [] for kind in AttachmentKind.values}
    for attachment in attachments_of(report=report):
        photos[attachment.kind].append(_original_urls(attachment))
    return photos


def _original_urls(attachment: Attachment) -> dict[str, str]:
    return {
        "url": reverse("console:photo_original", args=[attachment.pk]),
        "thumbnail_url": reverse("console:photo_original_thumb", args=[attachment.pk]),
    }


@dataclass
class PhotoItem:
    """One photo on the page, with the problems of the edit just refused (if it was this one)."""

    attachment: Attachment
    number: int
    problems: list[str] = field(default_factory=list)
    added: list[dict[str, str]] = field(default_factory=list)  # the refused new boxes, as typed
    removed: set[int] = field(default_factory=set)

    @property
    def regions(self) -> list[dict[str, Any]]:
        return [
            {**region, "index": index, "removed": index in self.removed}
            for index, region in enumerate(self.attachment.blur_regions)
            if isinstance(region, dict)
        ]

    @property
    def revision(self) -> str:
        return blur_revision(attachment=self.attachment)

    @property
    def original(self) -> dict[str, str]:
        return _original_urls(self.attachment)

    @property
    def public_url(self) -> str | None:
        if not attachment_is_public(attachment=self.attachment):
            return None
        return attachment_urls(attachment=self.attachment)["url"]

    @property
    def editable(self) -> bool:
        return self.attachment.blur_status != BlurStatus.PENDING

    @property
    def add_rows(self) -> list[dict[str, str]]:
        return self.added or [{name: "" for name in (*BOX_FIELDS, "kind")}]


def _report_or_404(pk: int) -> Report:
    report = report_for_console(pk=pk)
    if report is None:
        raise Http404
    return report


def _page(
    request: HttpRequest, report: Report, *, refused: PhotoItem | None = None, status: int = 200
) -> HttpResponse:
    items = []
    for number, attachment in enumerate(attachments_of(report=report), start=1):
        if refused is not None and refused.attachment.pk == attachment.pk:
            refused.number = number
            items.append(refused)
        else:
            items.append(PhotoItem(attachment=attachment, number=number))
    context = {"report": report, "items": items, "fields": BOX_FIELDS}
    return render(request, "console/report_photos.html", context, status=status)


@require_GET
@roles_required(*IOC_STAFF)
def photos_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's photos as taken, each with the boxes blurred in its public copy."""
    return _page(request, _report_or_404(pk))


def regions_posted(
    post: QueryDict, *, stored: list[Any]
) -> tuple[list[Any], set[int], list[dict[str, str]], list[str]]:
    """The boxes the form asks for: the stored ones not ticked for removal, then each filled
    "add" row (numbers parsed here, everything else checked by the service). Returns them, the
    removed indices, the rows as typed and the problems found."""
    removed = {int(value) for value in post.getlist("remove") if value.isdigit()}
    kept = [region for index, region in enumerate(stored) if index not in removed]
    columns = [post.getlist(f"add-{name}") for name in (*BOX_FIELDS, "kind")]
    typed, added, problems = [], [], []
    for number, row in enumerate(zip_longest(*columns, fillvalue=""), start=1):
        values = dict(
            zip((*BOX_FIELDS, "kind"), (str(value).strip() for value in row), strict=True)
        )
        if not any(values[name] for name in BOX_FIELDS):
            continue  # an empty row: nothing to add
        typed.append(values)
        region: dict[str, object] = {"kind": values["kind"] or "manual", "source": "operator"}
        for name in BOX_FIELDS:
            try:
                region[name] = int(values[name])
            except ValueError:
                problems.append(
                    _("New region %(number)d: %(field)s must be a whole number of pixels.")
                    % {"number": number, "field": name}
                )
        added.append(region)
    return kept + added, removed, typed, problems


@require_POST
@roles_required(*IOC_STAFF)
def photo_blur_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save a photo's boxes: those kept, removed and added; its public copy is made again."""
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    report = _report_or_404(attachment.report_id)
    regions, removed, typed, problems = regions_posted(
        request.POST, stored=list(attachment.blur_regions)
    )
    if not problems:
        try:
            attachment_blur_edit(
                attachment=attachment,
                actor=staff_user(request),
                regions=regions,
                revision=request.POST.get("revision") or None,
            )
        except InvalidInput as invalid:
            problems = [message for messages in invalid.fields.values() for message in messages]
            problems = problems or [invalid.message]
        except NotPermitted as refused:
            raise PermissionDenied(refused.message) from refused
        except Conflict as refused:
            messages.error(request, refused.message)
            return _page(request, report, status=409)
    if problems:
        item = PhotoItem(attachment, 0, problems=problems, added=typed, removed=removed)
        return _page(request, report, refused=item, status=400)
    messages.success(
        request, _("The photo's public copy is blurred again with the regions you saved.")
    )
    return redirect(f"{reverse('console:report_photos', args=[report.pk])}#photo-{attachment.pk}")


@require_GET
@roles_required(*IOC_STAFF)
def photo_original(request: HttpRequest, pk: int, variant: str) -> HttpResponse:
    """A photo as taken, faces and plates unblurred: for IOC operators and administrators."""
    found = attachment_original_for(pk=pk, user=request.user)
    if found is None:
        raise Http404
    file = found.thumbnail if variant == "thumb" else found.file
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"  # nothing kept outside the IOC's screens
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)  # streamed; the access decorator is typed for HttpResponse


@require_GET
@roles_required(*IOC_STAFF)
def photos_waiting(request: HttpRequest) -> HttpResponse:
    """Photos the public cannot see yet: blurring still to come, or failed (to be boxed by
    hand), oldest first."""
    return render(
        request, "console/photos_waiting.html", {"attachments": attachments_blur_waiting()}
    )
