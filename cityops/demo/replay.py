"""Replays one demo report's life through the real workflow, at the moments it happened.

Every move runs inside ``clock.frozen_at(moment)`` with moments strictly increasing and always
before the real now (the *horizon*). A step's delay is drawn from a realistic range but never
takes more than a third of the time left before the horizon, so every planned life completes:
recent reports simply live faster. Deadlines passed on the way are escalated at the minute
they pass, as the periodic job would have done.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from cityops.accounts.models import User
from cityops.agencies.models import Agency
from cityops.demo import demo_texts as texts
from cityops.platform import clock
from cityops.reports import workflow
from cityops.reports.choices import Priority, RatingValue, ReportStatus, Visibility
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report

S = ReportStatus
T = TypeVar("T")

# Categories the IOC often marks urgent when it verifies them, with how often.
URGENT_SHARE = {"public-order": 0.4, "traffic-infrastructure": 0.12, "urban-infrastructure": 0.12}


def escalation_at(report: Report, *, last: datetime, before: datetime) -> datetime | None:
    """When the periodic job escalates ``report`` if its deadline passes before ``before``: once
    per deadline, a minute past it and not before the report's last move (``last``)."""
    if not report.status_choice.is_active or report.due_at is None:
        return None
    if report.escalated_due_at == report.due_at:
        return None
    passed = max(report.due_at + timedelta(minutes=1), last + timedelta(seconds=30))
    return passed if passed < before else None


@dataclass(frozen=True)
class Cast:
    """The people who act on demo reports."""

    operator: User
    staff_of: Callable[[Agency], User]  # an agency's demo staff member
    ioc_agency: Agency
    other_agencies: tuple[Agency, ...]  # candidates for a mistaken first assignment


class Life:
    """One report's replay: a cursor in time and the moves made so far."""

    def __init__(
        self, report: Report, *, rng: random.Random, horizon: datetime, cast: Cast
    ) -> None:
        self.report = report
        self.rng = rng
        self.horizon = horizon
        self.cast = cast
        self.last = report.submitted_at

    # --- time -----------------------------------------------------------------------------

    def later(self, low_minutes: float, high_minutes: float, *, office: bool = False) -> datetime:
        """The next moment: a realistic delay, shrunk to fit before the horizon."""
        left = (self.horizon - self.last).total_seconds() / 60
        minutes = min(self.rng.uniform(low_minutes, high_minutes), left / 3)
        moment = self.last + timedelta(minutes=max(minutes, 0.5))
        if office:
            # Agencies work office hours; the IOC and citizens do not.
            opened = working_calendar().next_working_moment(moment)
            opened += timedelta(minutes=self.rng.uniform(5, 50))
            if opened < self.horizon - (self.horizon - self.last) / 2:
                moment = opened
        return moment

    def until_due(self, share_low: float, share_high: float) -> datetime:
        """A moment at a share of the time left until the deadline (or a few days)."""
        due = self.report.due_at or self.last + timedelta(days=5)
        span = max((due - self.last).total_seconds() / 60, 60.0)
        return self.later(span * share_low, span * share_high, office=True)

    def act(self, moment: datetime, move: Callable[[], T]) -> T:
        self.escalate_before(moment)
        moment = max(moment, self.last + timedelta(seconds=30))
        with clock.frozen_at(moment):
            result = move()
        self.last = moment
        if isinstance(result, Report):
            self.report = result
        else:
            self.report.refresh_from_db()
        return result

    def escalate_before(self, moment: datetime) -> None:
        report = self.report
        passed = escalation_at(report, last=self.last, before=moment)
        if passed is not None:
            with clock.frozen_at(passed):
                escalated = workflow.report_escalate(report=report)
            self.last = passed
            if escalated is not None:
                self.report = escalated

    # --- moves ----------------------------------------------------------------------------

    def accept(self) -> None:
        category = self.report.category
        urgent = self.rng.random() < URGENT_SHARE.get(category.code, 0.0)
        note = self.rng.choice(texts.IOC_NOTES) if self.rng.random() < 0.2 else ""
        self.act(
            self.later(3, 180),
            lambda: workflow.report_accept(
                report=self.report,
                actor=self.cast.operator,
                priority=Priority.URGENT if urgent else None,
                note=note,
            ),
        )

    def reject(self) -> None:
        reason, note = self.rng.choice(texts.REJECTIONS)
        self.act(
            self.later(10, 300),
            lambda: workflow.report_reject(
                report=self.report, actor=self.cast.operator, reason=reason, note=note
            ),
        )

    def merge(self, original: Report) -> None:
        note = self.rng.choice(texts.MERGE_NOTES)
        self.act(
            self.later(10, 240),
            lambda: workflow.report_merge(
                report=self.report, original=original, actor=self.cast.operator, note=note
            ),
        )

    def assign(self, agency: Agency) -> None:
        self.act(
            self.later(5, 240),
            lambda: workflow.report_assign(
                report=self.report, agency=agency, actor=self.cast.operator
            ),
        )

    def misroute(self, right: Agency) -> None:
        """A first assignment to the wrong unit, which sends the report back."""
        wrong = self.rng.choice([a for a in self.cast.other_agencies if a.pk != right.pk])
        self.assign(wrong)
        staff = self.cast.staff_of(wrong)
        reason = self.rng.choice(texts.RETURN_REASONS)
        self.act(
            self.later(60, 1440, office=True),
            lambda: workflow.report_return(report=self.report, actor=staff, reason=reason),
        )

    def take_up(self) -> None:
        staff = self.agency_staff()
        self.act(
            self.later(30, 1800, office=True),
            lambda: workflow.report_agency_accept(
                report=self.report,
                actor=staff,
                note=self.rng.choice(texts.AGENCY_NOTES) if self.rng.random() < 0.3 else "",
            ),
        )

    def work_notes(self) -> None:
        for _ in range(self.rng.choice((0, 0, 1, 1, 2))):
            self.note()

    def note(self) -> None:
        """A progress note, mostly the agency's, sometimes the IOC's (internal)."""
        if self.rng.random() < 0.75:
            actor, text = self.agency_staff(), self.rng.choice(texts.AGENCY_NOTES)
            visibility = self.rng.choice((Visibility.PUBLIC, Visibility.INTERNAL))
        else:
            actor, text = self.cast.operator, self.rng.choice(texts.IOC_NOTES)
            visibility = Visibility.INTERNAL
        self.act(
            self.until_due(0.05, 0.3),
            lambda: workflow.report_add_note(
                report=self.report, actor=actor, text=text, visibility=visibility
            ),
        )

    def extend(self) -> None:
        staff = self.agency_staff()
        reason = self.rng.choice(texts.EXTENSION_REASONS)
        moment = self.until_due(0.4, 0.8)
        due = self.report.due_at or moment
        # An extension ends in working time, within the city's maximum (deadlines.py).
        new_due = working_calendar().add_working_days(max(due, moment), self.rng.randint(3, 10))
        self.act(
            moment,
            lambda: workflow.report_extend(
                report=self.report, actor=staff, reason=reason, new_due_at=new_due
            ),
        )

    def resolve(self, outcome: str, *, late: bool = False) -> None:
        staff = self.agency_staff()
        result = texts.result_text(agency=self.report.agency, outcome=outcome)
        moment = self.until_due(1.05, 1.6) if late else self.until_due(0.15, 0.9)
        self.act(
            moment, lambda: workflow.report_resolve(report=self.report, actor=staff, result=result)
        )

    def rate(self, value: RatingValue) -> None:
        reporter = self.report.reporter
        assert reporter is not None
        comment = self.rng.choice(texts.RATING_COMMENTS[value])
        self.act(
            self.later(60, 4320),
            lambda: workflow.report_rate(
                report=self.report, actor=reporter, value=value, comment=comment
            ),
        )

    def reopen(self) -> None:
        reporter = self.report.reporter
        assert reporter is not None
        reason = self.rng.choice(texts.UNSATISFIED_COMMENTS)
        self.act(
            self.later(5, 120),
            lambda: workflow.report_reopen(report=self.report, actor=reporter, reason=reason),
        )

    def close(self) -> None:
        note = self.rng.choice(texts.CLOSE_NOTES)
        self.act(
            self.later(3 * 1440, 7 * 1440),
            lambda: workflow.report_close(report=self.report, actor=self.cast.operator, note=note),
        )

    def agency_staff(self) -> User:
        agency = self.report.agency
        assert agency is not None, "only an assigned report has agency staff"
        return self.cast.staff_of(agency)

    # --- whole lives ----------------------------------------------------------------------

    def live(
        self,
        fate: ReportStatus,
        *,
        agency: Agency | None,
        outcome: str,
        original: Report | None = None,
    ) -> Report:
        """Move the report until it reaches ``fate``, the status it should end in."""
        rng = self.rng
        if fate == S.SUBMITTED:
            return self.report
        if fate == S.DUPLICATE:
            assert original is not None
            if rng.random() < 0.4:
                self.accept()
            self.merge(original)
            return self.report
        if fate == S.REJECTED:
            if rng.random() < 0.4:
                self.accept()
            self.reject()
            return self.report
        self.accept()
        target = agency or self.cast.ioc_agency
        if fate == S.ACCEPTED:
            if rng.random() < 0.4:
                self.misroute(target)
            return self.report
        if rng.random() < 0.07:
            self.misroute(target)
        self.assign(target)
        if fate == S.ASSIGNED:
            return self.report
        self.take_up()
        self.work_notes()
        if rng.random() < 0.12:
            self.extend()
        if fate == S.IN_PROGRESS:
            return self.report
        self.resolve(outcome, late=rng.random() < 0.15)
        has_reporter = self.report.reporter_id is not None
        if fate == S.RESOLVED:
            if has_reporter and rng.random() < 0.3:
                self.rate(RatingValue.UNSATISFIED)
            return self.report
        return self.close_life(has_reporter, outcome)

    def close_life(self, has_reporter: bool, outcome: str) -> Report:
        rng = self.rng
        if not has_reporter or rng.random() < 0.1:
            self.close()
            return self.report
        if rng.random() < 0.12:
            self.rate(RatingValue.UNSATISFIED)
            self.reopen()
            self.work_notes()
            self.resolve(outcome)
        value = RatingValue.SATISFIED if rng.random() < 0.78 else RatingValue.ACCEPTABLE
        self.rate(value)
        return self.report
