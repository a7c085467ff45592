"""Synthetic reports' lives, row by row as the workflow would write them, for ``seed_bulk``.

``seed_demo`` replays every report through the workflow, which is right for a demo of a few
hundred reports and far too slow for a million (each move locks, checks and writes one row).
``seed_bulk`` writes the *same rows* the workflow would have written — the report with its
status, agency, deadlines, acknowledgement, extension, result and closing times; one
``ReportEvent`` per move with the actor, role, agency, from/to status and visibility the
workflow sets; the ratings; the reporter's follow — with ``bulk_create`` in batches. It
follows the workflow's rules (``rules.MOVES``) rather than calling it: deadlines come from
``deadlines.due_at_for``, an extension replaces ``due_at`` and keeps ``original_due_at``, a
reopen clears ``resolved_at``, a merge or duplicate rejection links the original, and a
deadline passed while the report was active gets its one ``escalated`` event. The tests check
bulk rows and replayed rows against the same invariants and compare their KPIs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cityops.accounts.models import User
from cityops.agencies.models import Agency, Area
from cityops.demo import demo_texts as texts
from cityops.demo.demo_data import (
    CATEGORY_WEIGHTS,
    CHANNEL_WEIGHTS,
    FATE_WEIGHTS,
    Place,
    _area_weight,
    _place,
    _suggested,
)
from cityops.demo.replay import URGENT_SHARE
from cityops.demo.report_templates import TEMPLATES
from cityops.reports import deadlines
from cityops.reports.choices import (
    Channel,
    EventKind,
    Priority,
    RatingValue,
    RejectionReason,
    ReportStatus,
    Visibility,
)
from cityops.reports.models import Category, Report

S = ReportStatus
PLACES_PER_AREA = 200
MINUTE = timedelta(minutes=1)


@dataclass
class Cast:
    operator: User
    citizens: list[User]
    staff: dict[int, User]  # agency pk → a member of its staff
    ioc: Agency
    others: list[Agency]


@dataclass
class Story:
    """One report's rows, built in memory before the batch is written."""

    report: Report
    events: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    original_index: int | None = None  # a duplicate's original, within all generated reports


class Generator:
    def __init__(
        self, *, rng: random.Random, horizon: datetime, days: int, cast: Cast, demo: bool = True
    ) -> None:
        self.rng = rng
        self.horizon = horizon
        self.start = horizon - timedelta(days=days)
        self.cast = cast
        self.demo = demo
        self.calendar = deadlines.working_calendar()
        self.categories = {c.code: c for c in Category.objects.filter(code__in=CATEGORY_WEIGHTS)}
        self.limits = {code: deadlines.limits_for(c) for code, c in self.categories.items()}
        areas = list(Area.objects.all())
        self.areas = areas
        self.area_weights = [_area_weight(area) for area in areas]
        self.places: dict[int, list[Place]] = {
            area.pk: [_place(rng, area) for _ in range(PLACES_PER_AREA)] for area in areas
        }
        self.category_codes = list(CATEGORY_WEIGHTS)
        self.category_weights = list(CATEGORY_WEIGHTS.values())
        self.channels = list(CHANNEL_WEIGHTS)
        self.channel_weights = list(CHANNEL_WEIGHTS.values())
        self.fates = list(FATE_WEIGHTS)
        self.fate_weights = list(FATE_WEIGHTS.values())

    # --- time ------------------------------------------------------------------------------

    def due(self, code: str, priority: str, start: datetime) -> datetime:
        limits = self.limits[code]
        if priority == Priority.URGENT:
            return self.calendar.add_working_hours(start, limits.urgent_hours)
        days = limits.complex_days if priority == Priority.COMPLEX else limits.normal_days
        return self.calendar.add_working_days(start, days)

    def office(self, moment: datetime) -> datetime:
        """Agencies act in office hours; a few minutes after opening when out of hours."""
        opened = self.calendar.next_working_moment(moment)
        return opened if opened == moment else opened + timedelta(minutes=self.rng.uniform(5, 50))

    # --- one report ------------------------------------------------------------------------

    def story(self, index: int, total: int, originals: list[int]) -> Story:
        """Report ``index`` of ``total``: submitted in generation order, so that an original
        (an earlier index) always came first; ever more reports per day towards the horizon."""
        rng = self.rng
        share = ((index + rng.random()) / total) ** (1 / 1.15)
        submitted = (self.start + (self.horizon - self.start) * share).replace(microsecond=0)
        code = rng.choices(self.category_codes, weights=self.category_weights)[0]
        category = self.categories[code]
        area = rng.choices(self.areas, weights=self.area_weights)[0]
        place = rng.choice(self.places[area.pk])
        title, description, outcome = rng.choice(TEMPLATES[code])
        channel = rng.choices(self.channels, weights=self.channel_weights)[0]
        reporter = None
        contact_name = contact_phone = ""
        if channel in (Channel.APP, Channel.WEB) or rng.random() < 0.5:
            reporter = rng.choice(self.cast.citizens)
        else:
            contact_name = f"{rng.choice(texts.FAMILY_NAMES)} {rng.choice(texts.GIVEN_NAMES)}"
            if channel == Channel.HOTLINE:
                contact_phone = f"0120{rng.randrange(10**6):06d}"  # out of service since 2018
        priority = category.default_priority
        report = Report(
            title=title,
            description=description.format(**place.text),
            lat=place.lat,
            lon=place.lon,
            address=place.address,
            area=area,
            category=category,
            priority=priority,
            channel=channel,
            reporter=reporter,
            is_anonymous=reporter is not None and rng.random() < 0.15,
            contact_name=contact_name,
            contact_phone=contact_phone,
            status=S.SUBMITTED,
            submitted_at=submitted,
            due_at=self.due(code, priority, submitted),
            ack_due_at=self.calendar.add_working_time(
                submitted, timedelta(minutes=self.limits[code].ack_minutes)
            ),
            updated_at=submitted,
            is_demo=self.demo,
        )
        story = Story(report)
        life = _Life(self, story, outcome)
        life.event(
            submitted,
            EventKind.SUBMITTED,
            actor=reporter,
            from_status="",
            data={"channel": str(channel)},
        )
        fate = rng.choices(self.fates, weights=self.fate_weights)[0]
        if fate == S.DUPLICATE and not originals:
            fate = S.SUBMITTED
        life.live(fate, originals)
        return story


class _Life:
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
        if not report.status_choice.is_active or report.due_at is None:
            return
        if report.escalated_due_at == report.due_at:
            return
        passed = max(report.due_at + MINUTE, self.last + timedelta(seconds=30))
        if passed < moment:
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
        new_due = max(previous or moment, moment) + timedelta(days=self.rng.randint(3, 10))
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
        agency = self.report.agency
        result = texts.RESULT_TEMPLATE.format(
            agency=agency.name if agency else "Trung tâm IOC", outcome=self.outcome
        )
        moment = self.until_due(1.05, 1.6) if late else self.until_due(0.15, 0.9)
        self.escalate_before(moment)
        moment = max(moment, self.last)
        self.report.result_text, self.report.resolved_at = result, moment
        self.move(moment, S.RESOLVED, EventKind.RESOLVED, actor=self.staff(), note=result)

    def rate(self, value: RatingValue) -> None:
        reporter = self.report.reporter
        assert reporter is not None
        comments = {
            RatingValue.SATISFIED: texts.SATISFIED_COMMENTS,
            RatingValue.ACCEPTABLE: texts.ACCEPTABLE_COMMENTS,
            RatingValue.UNSATISFIED: texts.UNSATISFIED_COMMENTS,
        }[value]
        comment = self.rng.choice(comments).strip()
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
        reporter = self.report.reporter
        self.report.resolved_at = None
        to = S.IN_PROGRESS if self.report.agency_id else S.ACCEPTED
        self.move(
            self.later(5, 120),
            to,
            EventKind.REOPENED,
            actor=reporter,
            note=self.rng.choice(texts.UNSATISFIED_COMMENTS),
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

    # --- whole lives ------------------------------------------------------------------------

    def live(self, fate: ReportStatus, originals: list[int]) -> None:
        rng = self.rng
        age = self.g.horizon - self.report.submitted_at
        # Recent reports are still on their way: the younger, the earlier their stage.
        if fate in (S.CLOSED, S.RESOLVED) and age < timedelta(days=3):
            fate = rng.choice((S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS))
        elif fate in (S.IN_PROGRESS, S.ASSIGNED, S.ACCEPTED, S.SUBMITTED) and age > timedelta(
            days=45
        ):
            fate = S.CLOSED if rng.random() < 0.97 else fate
        if fate == S.SUBMITTED:
            self.finish()
            return
        if fate == S.DUPLICATE:
            if rng.random() < 0.4:
                self.accept()
            self.merge(originals)
            return
        if fate == S.REJECTED:
            if rng.random() < 0.4:
                self.accept()
            self.reject(originals)
            return
        self.accept()
        agency = _suggested(self.report.category.pk, self.report.area_id) or self.g.cast.ioc
        if fate == S.ACCEPTED:
            if rng.random() < 0.4:
                self.misroute(agency)
            self.finish()
            return
        if rng.random() < 0.07:
            self.misroute(agency)
        self.assign(agency)
        if fate == S.ASSIGNED:
            self.finish()
            return
        self.take_up()
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            self.note()
        if rng.random() < 0.12:
            self.extend()
        if fate == S.IN_PROGRESS:
            self.finish()
            return
        self.resolve(late=rng.random() < 0.15)
        has_reporter = self.report.reporter_id is not None
        if fate == S.RESOLVED:
            if has_reporter and rng.random() < 0.3:
                self.rate(RatingValue.UNSATISFIED)
            return
        if not has_reporter or rng.random() < 0.1:
            self.close()
            return
        if rng.random() < 0.12:
            self.rate(RatingValue.UNSATISFIED)
            self.reopen()
            self.resolve()
        self.rate(RatingValue.SATISFIED if rng.random() < 0.78 else RatingValue.ACCEPTABLE)
