"""Who reads what of a report's texts: the one rule every channel applies (Law 91/2025).

Portal pages, API v1, Open311 (JSON and XML), the agency workspace, the console, e-mails and
exports all ask here; none decides for itself.

- **Words a citizen wrote** (the report's title and description, a rating's comment, a
  reopening reason — every event whose ``actor_role`` is ``citizen``) may hold their own or
  someone else's phone number, e-mail or citizen ID. IOC staff read them as written, and so does
  their author; leaders and the staff of the agency in charge read them masked. Everyone else
  — anonymous visitors, followers, other agencies, Open311 and API clients — reads the
  description masked, and never reads a citizen's notes or comments: the portal has only ever
  shown those to the reporter.
- **Words staff wrote for the public** (results, public notes, extension reasons, rejection
  messages; the system's notes too) are published exactly as written: an agency's switchboard
  number is not personal data, and the forms tell staff so.
- **Internal notes** reach only staff (the selectors of each timeline leave them out for anyone
  else); they may quote the reporter, so only IOC staff (and their author) read them as
  written, other staff masked.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.intel.masking import mask_personal_data
from cityops.reports.choices import Visibility
from cityops.reports.models import Rating, Report, ReportEvent

# What the forms where staff write for the public say under the text field.
PUBLISHED_AS_WRITTEN = _(
    "Shown to the public exactly as written: write no one's personal phone number, e-mail "
    "address or ID number."
)
PUBLISHED_AS_WRITTEN_IF_PUBLIC = _(
    "A public note is shown to the public exactly as written: write no one's personal phone "
    "number, e-mail address or ID number."
)


class Shown(enum.Enum):
    """How a reader gets a text."""

    AS_WRITTEN = "as_written"
    MASKED = "masked"  # personal data masked (``intel.masking``)
    HIDDEN = "hidden"  # not at all


@dataclass(frozen=True)
class Reader:
    """Who reads, as far as a report's texts are concerned."""

    user_id: int | None = None
    is_ioc_staff: bool = False
    reads_every_report: bool = False  # leaders: the console and the dashboards
    agency_id: int | None = None  # agency staff: the reports in their agency's hands

    def wrote(self, author_id: int | None) -> bool:
        return self.user_id is not None and author_id == self.user_id

    def handles(self, agency_id: int | None) -> bool:
        """Whether a citizen's words to the agency ``agency_id`` (the one handling the report
        when they wrote) are theirs to read, masked."""
        if self.reads_every_report:
            return True
        return self.agency_id is not None and agency_id == self.agency_id


PUBLIC = Reader()
"""Anyone: an anonymous visitor, a citizen who did not write the text, Open311."""


def reader_of(user: User | AnonymousUser | None) -> Reader:
    if not isinstance(user, User) or not user.is_authenticated:
        return PUBLIC
    role = Role(user.role)
    return Reader(
        user_id=user.pk,
        is_ioc_staff=role.is_ioc_staff,
        reads_every_report=role == Role.LEADER,
        agency_id=user.agency_id if role == Role.AGENCY_STAFF else None,
    )


def _citizen_text(
    reader: Reader, *, author_id: int | None, agency_id: int | None, public: Shown
) -> Shown:
    if reader.is_ioc_staff or reader.wrote(author_id):
        return Shown.AS_WRITTEN
    return Shown.MASKED if reader.handles(agency_id) else public


def shown(text: str, how: Shown) -> str:
    """``text`` as ``how`` says: intact, masked, or "" when hidden."""
    if how is Shown.HIDDEN:
        return ""
    return mask_personal_data(text) if how is Shown.MASKED and text else text


def report_text_shown(*, report: Report, reader: Reader) -> Shown:
    """The report's title and description: the reporter's words, masked for the public."""
    return _citizen_text(
        reader, author_id=report.reporter_id, agency_id=report.agency_id, public=Shown.MASKED
    )


def report_text_for(text: str, *, report: Report, reader: Reader) -> str:
    return shown(text, report_text_shown(report=report, reader=reader))


def note_shown(
    *,
    actor_role: str,
    visibility: str,
    author_id: int | None,
    agency_id: int | None,
    reader: Reader,
) -> Shown:
    """How ``reader`` gets a note of a timeline they may read, written by someone of
    ``actor_role`` ("" for the system) with ``visibility`` while ``agency_id`` handled it."""
    if actor_role == Role.CITIZEN:
        return _citizen_text(reader, author_id=author_id, agency_id=agency_id, public=Shown.HIDDEN)
    if visibility != Visibility.PUBLIC and not (reader.is_ioc_staff or reader.wrote(author_id)):
        return Shown.MASKED
    return Shown.AS_WRITTEN


def event_note_shown(*, event: ReportEvent, reader: Reader) -> Shown:
    """How ``reader`` gets the note of an event their timeline holds."""
    return note_shown(
        actor_role=event.actor_role,
        visibility=event.visibility,
        author_id=event.actor_id,
        agency_id=event.agency_id,
        reader=reader,
    )


def event_note_for(*, event: ReportEvent, reader: Reader) -> str:
    """The note as ``reader`` may read it; "" when they may not read it at all."""
    return shown(event.note, event_note_shown(event=event, reader=reader))


def rating_comment_for(*, rating: Rating, reader: Reader) -> str:
    """A rating's comment: the reporter's own words, never published."""
    how = _citizen_text(
        reader, author_id=rating.rater_id, agency_id=rating.report.agency_id, public=Shown.HIDDEN
    )
    return shown(rating.comment, how)


def events_with_public_note() -> QuerySet[ReportEvent]:
    """The events whose note the public reads (as written): ``event_note_shown`` for
    ``PUBLIC``, as a query (Open311's latest note of up to 1000 requests at once)."""
    return (
        ReportEvent.objects.filter(visibility=Visibility.PUBLIC)
        .exclude(note="")
        .exclude(actor_role=Role.CITIZEN)
    )
