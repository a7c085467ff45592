"""The moves of one synthetic report, written as the rows the workflow would write for them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cityops.accounts.models import User
from cityops.agencies.models import Agency
from cityops.demo import demo_texts as texts
from cityops.demo.bulk.life.story import Story
from cityops.demo.replay import URGENT_SHARE, escalation_at
from cityops.reports.choices import (
    EventKind,
    Priority,
    RatingValue,
    RejectionReason,
    ReportStatus,
    Visibility,
)

if TYPE_CHECKING:
    from cityops.demo.bulk.life.generator import Generator

S = ReportStatus


class Life:
    """The moves of one report, in time order, never past the horizon."""

    def __init__(self, generator: Generator, story: Story, outcome: str) -> None:
        self.g = generator
        self.rng = generator.rng
        self.story = story
        self.report = story.report
        self.outcome = outcome
        self.last = self.report.submitted_at

    def later(self, low_minutes: float, high_minutes: float, *, office: bool = False) -> datetime:
        left = (self.g.horizon - self.last).total_seconds() / 60
        minutes = min(self.rng.uniform(low_minutes, high_minutes), left / 3)
        moment = self.last + timedelta(minutes=max(minutes, 0.5))
        if office:
            opened = self.g.office(moment)
            if opened < self.g.horizon - (self.g.horizon - self.last) / 2:
                moment = opened
        return moment.replace(microsecond=0)

    def until_due(self, low: float, high: float) -> datetime:
        due = self.report.due_at or self.last + timedelta(days=5)
        span = max((due - self.last).total_seconds() / 60, 60.0)
        return self.later(span * low, span * high, office=True)

    def event(
        self,
        moment: datetime,
        kind: EventKind,
        *,
        actor: User | None,
        from_status: str,
        note: str = "",
        visibility: Visibility = Visibility.PUBLIC,
        data: dict[str, Any] | None = None,
        agency: Agency | None = None,
    ) -> None:
        moment = max(moment, self.last)
        self.last = moment
        self.story.events.append(
            {
                "kind": kind,
                "actor": actor,
                "actor_role": actor.role if actor else "",
                "agency": agency or self.report.agency,
                "from_status": from_status,
                "to_status": self.report.status,
                "note": note,
                "visibility": visibility,
                "data": data or {},
                "created_at": moment,
            }
        )
        self.report.updated_at = moment

    def move(self, moment: datetime, to: ReportStatus, kind: EventKind, **kwargs: Any) -> None:
        self.escalate_before(moment)
        previous = self.report.status
        self.report.status = to
        self.event(moment, kind, from_status=previous, **kwargs)

    def escalate_before(self, moment: datetime) -> None:
        """The periodic job's one escalation per deadline, if the deadline passed meanwhile."""
        report = self.report
        passed = escalation_at(report, last=self.last, before=moment)
        if passed is not None:
            assert report.due_at is not None
            report.escalated_due_at = report.due_at
            self.event(
                passed,
                EventKind.ESCALATED,
                actor=None,
                from_status=report.status,
                data={"due_at": report.due_at.isoformat()},
            )

    # --- the moves, as the workflow makes them ---------------------------------------------

    def accept(self) -> None:
        operator = self.g.cast.operator
        moment = self.later(3, 180)
        if self.rng.random() < URGENT_SHARE.get(self.report.category.code, 0.0):
            self.report.priority = Priority.URGENT
            if self.report.extended_at is None:
                self.report.due_at = self.g.due(
                    self.report.category.code, Priority.URGENT, self.report.submitted_at
                )
        self.report.acknowledged_at = moment
        note = self.rng.choice(texts.IOC_NOTES) if self.rng.random() < 0.2 else ""
        classified = {"category": self.report.category.code, "priority": self.report.priority}
        self.move(
            moment, S.ACCEPTED, EventKind.ACCEPTED, actor=operator, note=note, data=classified
        )

    def reject(self, originals: list[int]) -> None:
        reason, note = self.rng.choice(texts.REJECTIONS)
        moment = self.later(10, 300)
        original_pk = None
        if reason == RejectionReason.DUPLICATE:
            if not originals:
                reason, note = RejectionReason.SPAM, ""
            else:
                self.story.original_index = self.rng.choice(originals[-500:])
        self.report.rejection_reason = reason
        self.report.acknowledged_at = self.report.acknowledged_at or moment
        self.move(
            moment,
            S.REJECTED,
            EventKind.REJECTED,
            actor=self.g.cast.operator,
            note=note,
            data={"reason": str(reason), "original": original_pk},
        )

    def merge(self, originals: list[int]) -> None:
        self.story.original_index = self.rng.choice(originals[-500:])
        self.move(
            self.later(10, 240),
            S.DUPLICATE,
            EventKind.MERGED,
            actor=self.g.cast.operator,
            note=self.rng.choice(texts.MERGE_NOTES),
            data={"original": None},
        )

    def assign(self, agency: Agency) -> None:
        kind = EventKind.ASSIGNED if self.report.status == S.ACCEPTED else EventKind.REASSIGNED
        self.report.agency = agency
        self.move(
            self.later(5, 240),
            S.ASSIGNED,
            kind,
            actor=self.g.cast.operator,
            data={"agency": agency.code},
        )

    def staff(self) -> User:
        assert self.report.agency is not None
        return self.g.cast.staff[self.report.agency.pk]

    def misroute(self, right: Agency) -> None:
        wrong = self.rng.choice([a for a in self.g.cast.others if a.pk != right.pk])
        self.assign(wrong)
        staff = self.staff()
        self.report.agency = None
        self.move(
            self.later(60, 1440, office=True),
            S.ACCEPTED,
            EventKind.RETURNED,
            actor=staff,
            note=self.rng.choice(texts.RETURN_REASONS),
            visibility=Visibility.INTERNAL,
            data={"agency": wrong.code},
            agency=wrong,
        )

    def take_up(self) -> None:
        note = self.rng.choice(texts.AGENCY_NOTES) if self.rng.random() < 0.3 else ""
        self.move(
            self.later(30, 1800, office=True),
            S.IN_PROGRESS,
            EventKind.AGENCY_ACCEPTED,
            actor=self.staff(),
            note=note,
        )

    def note(self) -> None:
        if self.rng.random() < 0.75:
            actor, text = self.staff(), self.rng.choice(texts.AGENCY_NOTES)
            visibility = self.rng.choice((Visibility.PUBLIC, Visibility.INTERNAL))
        else:
            actor, text = self.g.cast.operator, self.rng.choice(texts.IOC_NOTES)
            visibility = Visibility.INTERNAL
        moment = self.until_due(0.05, 0.3)
        self.escalate_before(moment)
        self.event(
            moment,
            EventKind.NOTE,
            actor=actor,
            from_status=self.report.status,
            note=text,
            visibility=visibility,
        )

    def extend(self) -> None:
        moment = self.until_due(0.4, 0.8)
        self.escalate_before(moment)
        if self.report.extended_at is not None:
            return
        previous = self.report.due_at
        # In working time, within the maximum, as deadlines.extension_problems requires.
        new_due = self.g.calendar.add_working_days(
            max(previous or moment, moment), self.rng.randint(3, 10)
        )
        reason = self.rng.choice(texts.EXTENSION_REASONS)
        self.report.original_due_at, self.report.due_at = previous, new_due
        self.report.extended_at, self.report.extension_reason = moment, reason
        self.event(
            moment,
            EventKind.EXTENDED,
            actor=self.staff(),
            from_status=self.report.status,
            note=reason,
            data={
                "previous_due_at": previous.isoformat() if previous else None,
                "due_at": new_due.isoformat(),
            },
        )

    def resolve(self, *, late: bool = False) -> None:
        result = texts.result_text(agency=self.report.agency, outcome=self.outcome)
        moment = self.until_due(1.05, 1.6) if late else self.until_due(0.15, 0.9)
        self.escalate_before(moment)
        moment = max(moment, self.last)
        self.report.result_text, self.report.resolved_at = result, moment
        self.move(moment, S.RESOLVED, EventKind.RESOLVED, actor=self.staff(), note=result)

    def rate(self, value: RatingValue) -> None:
        reporter = self.report.reporter
        assert reporter is not None
        comment = self.rng.choice(texts.RATING_COMMENTS[value]).strip()
        moment = max(self.later(60, 4320), self.last)
        self.story.ratings.append(
            {"rater": reporter, "value": value, "comment": comment, "created_at": moment}
        )
        previous = self.report.status
        if value != RatingValue.UNSATISFIED:
            self.report.status, self.report.closed_at = S.CLOSED, moment
        self.event(
            moment,
            EventKind.RATED,
            actor=reporter,
            from_status=previous,
            note=comment,
            data={"value": str(value)},
        )

    def reopen(self) -> None:
        """A new round of handling, as ``workflow.report_reopen``: a new deadline from now, the
        result and the extension of the previous round left to the timeline."""
        reporter = self.report.reporter
        moment = self.later(5, 120)
        self.escalate_before(moment)
        moment = max(moment, self.last)
        report = self.report
        previous_due = report.due_at
        report.resolved_at, report.result_text = None, ""
        report.extended_at, report.original_due_at, report.extension_reason = None, None, ""
        report.due_at = self.g.due(report.category.code, report.priority, moment)
        to = S.IN_PROGRESS if report.agency_id else S.ACCEPTED
        self.move(
            moment,
            to,
            EventKind.REOPENED,
            actor=reporter,
            note=self.rng.choice(texts.UNSATISFIED_COMMENTS),
            data={
                "previous_due_at": previous_due.isoformat() if previous_due else None,
                "due_at": report.due_at.isoformat(),
            },
        )

    def close(self) -> None:
        moment = self.later(3 * 1440, 7 * 1440)
        self.report.closed_at = moment
        self.move(
            moment,
            S.CLOSED,
            EventKind.CLOSED,
            actor=self.g.cast.operator,
            note=self.rng.choice(texts.CLOSE_NOTES),
        )

    def finish(self) -> None:
        """What the escalation job would have recorded by the horizon."""
        self.escalate_before(self.g.horizon)
