"""Writes: issuing a dossier's QR code, recording a rating, and a dissatisfied rating's case.

A "Không hài lòng" rating becomes a case for the office's head through the reports workflow's
intake (channel ``service_rating``, category ``administrative-conduct``), accepted and assigned
by the system to the desk's agency, due 2 working days later (the city's calendar). The case
names the desk, the procedure and the officer's staff code (the public reads the case, so not
the officer's name), never the rater (there is no one to name: a rating keeps no personal
data), and not the dossier number either, which the office could trace to the person served.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput
from cityops.reports.choices import Channel
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report
from cityops.reports.selectors import category_by_code
from cityops.reports.workflow import report_accept, report_assign, report_receive
from cityops.services.choices import Criterion, Level, Score, Via
from cityops.services.models import Desk, Dossier, Officer, Procedure, Rating

logger = logging.getLogger(__name__)

CASE_CATEGORY = "administrative-conduct"
FALLBACK_CATEGORY = "other"
CASE_WORKING_DAYS = 2
COMMENT_MAX = 1000


@dataclass(frozen=True)
class Answers:
    """What the rater chose: a level, optional criteria scores (1–3) and a comment."""

    level: str
    scores: dict[str, int | None]
    comment: str = ""


def dossier_issue(
    *, desk: Desk, number: str, procedure: Procedure, officer: Officer | None = None
) -> Dossier:
    """Record a dossier received at ``desk``; its receipt carries the rating QR code."""
    number = number.strip()
    problems: dict[str, list[str]] = {}
    if not number:
        problems["number"] = [_("Give the dossier number.")]
    if officer is not None and officer.office_id != desk.office_id:
        problems["officer"] = [_("This officer does not work at this office.")]
    if not procedure.is_active:
        problems["procedure"] = [_("This procedure is no longer offered.")]
    if problems:
        raise InvalidInput(" ".join(m for ms in problems.values() for m in ms), fields=problems)
    try:
        with transaction.atomic():
            return Dossier.objects.create(
                desk=desk,
                number=number,
                procedure=procedure,
                officer=officer,
                issued_at=clock.now(),
            )
    except IntegrityError as error:
        message = _("Dossier %(number)s is already registered at this desk.") % {"number": number}
        raise Conflict(message, code="dossier_exists", fields={"number": [message]}) from error


def _cleaned(answers: Answers) -> tuple[Level, dict[str, int | None], str]:
    problems: dict[str, list[str]] = {}
    if answers.level not in Level.values:
        problems["level"] = [_("Choose how satisfied you are.")]
    scores: dict[str, int | None] = {}
    for criterion in Criterion.values:
        value = answers.scores.get(criterion)
        if value is not None and value not in Score.values:
            problems[criterion] = [_("Choose one of the answers.")]
        scores[criterion] = value
    comment = answers.comment.strip().replace("\x00", "")
    if len(comment) > COMMENT_MAX:
        problems["comment"] = [
            _("Keep the comment under %(count)d characters.") % {"count": COMMENT_MAX}
        ]
    if problems:
        raise InvalidInput(" ".join(m for ms in problems.values() for m in ms), fields=problems)
    return Level(answers.level), scores, comment


def _rated_at() -> datetime:
    """Within the hour, not the minute: an exact time could point at the person served."""
    return clock.now().replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def rating_submit(
    *, desk: Desk, answers: Answers, via: Via, dossier: Dossier | None = None
) -> Rating:
    """Record one rating; a dossier is rated once (a second is refused with ``Conflict``).
    A dissatisfied rating opens a case for the office's head."""
    level, scores, comment = _cleaned(answers)
    if dossier is not None:
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if Rating.objects.filter(dossier=dossier).exists():
            raise Conflict(_("This dossier has already been rated. Thank you!"), code="rated")
        desk = dossier.desk
    office = desk.office
    rating = Rating(
        desk=desk,
        office=office,
        officer=dossier.officer if dossier else None,
        procedure=dossier.procedure if dossier else None,
        dossier=dossier,
        via=via,
        level=level,
        comment=comment,
        created_at=_rated_at(),
        **scores,
    )
    try:
        with transaction.atomic():
            rating.save(force_insert=True)
    except IntegrityError as error:  # the same dossier rated at the same instant elsewhere
        raise Conflict(
            _("This dossier has already been rated. Thank you!"), code="rated"
        ) from error
    if level == Level.DISSATISFIED:
        rating.report = rating_case_open(rating=rating)
        if rating.report is not None:
            rating.save(update_fields=["report"])
    return rating


def rating_case_text(rating: Rating) -> str:
    """The case's description, in the city's language; it names no rater."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Dissatisfied rating of the one-stop-shop desk %(desk)s, %(office)s.")
            % {"desk": rating.desk.name, "office": rating.office.name}
        ]
        if rating.procedure is not None:
            lines.append(_("Procedure: %(procedure)s") % {"procedure": str(rating.procedure)})
        if rating.officer is not None and rating.officer.staff_code:
            # The staff code, not the name: the office's head knows it, the public need not.
            lines.append(_("Officer's staff code: %(code)s") % {"code": rating.officer.staff_code})
        weak = [
            str(label)
            for criterion, label in Criterion.choices
            if getattr(rating, criterion) == Score.BAD
        ]
        if weak:
            lines.append(_("Not good: %(criteria)s") % {"criteria": ", ".join(weak)})
        if rating.comment:
            lines.append(_("The citizen's comment: %(comment)s") % {"comment": rating.comment})
        lines.append(
            _("Rated via: %(via)s. The office's head answers within %(days)d working days.")
            % {"via": Via(rating.via).label, "days": CASE_WORKING_DAYS}
        )
    return "\n".join(lines)


def rating_case_open(*, rating: Rating) -> Report | None:
    """Open the case through the workflow's intake; the system accepts it and assigns it to
    the desk's agency, due ``CASE_WORKING_DAYS`` working days after receipt."""
    category = category_by_code(CASE_CATEGORY, active_only=True) or category_by_code(
        FALLBACK_CATEGORY, active_only=True
    )
    if category is None:
        logger.error(
            "No active %r category: the dissatisfied rating %s opened no case.",
            CASE_CATEGORY,
            rating.pk,
        )
        return None
    office = rating.office
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Dissatisfied with %(office)s") % {"office": office.name}
    report = report_receive(
        description=rating_case_text(rating),
        title=title[:200],
        category=category,
        channel=Channel.SERVICE_RATING,
        address=office.address[:300] or office.name[:300],
        is_anonymous=True,
    ).report
    report = report_accept(report=report, actor=None)
    due_at = working_calendar().add_working_days(report.submitted_at, CASE_WORKING_DAYS)
    return report_assign(report=report, agency=office.agency, actor=None, due_at=due_at)
