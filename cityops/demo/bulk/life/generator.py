"""Draws each synthetic report: when, what, where, from whom, and the fate its life leads to."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from cityops.agencies.models import Area
from cityops.demo import demo_texts as texts
from cityops.demo.bulk.life.fates import live
from cityops.demo.bulk.life.moves import Life
from cityops.demo.bulk.life.story import Cast, Story
from cityops.demo.demo_data import (
    CATEGORY_WEIGHTS,
    CHANNEL_WEIGHTS,
    FATE_WEIGHTS,
    Place,
    _area_weight,
    _place,
)
from cityops.demo.report_templates import TEMPLATES
from cityops.reports import deadlines
from cityops.reports.choices import Channel, EventKind, Priority, ReportStatus
from cityops.reports.models import Category, Report
from cityops.reports.services import report_search_fields

S = ReportStatus
PLACES_PER_AREA = 200


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
        description = description.format(**place.text)
        report = Report(
            title=title,
            description=description,
            lat=place.lat,
            lon=place.lon,
            address=place.address,
            **report_search_fields(title=title, description=description, address=place.address),
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
        life = Life(self, story, outcome)
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
        live(life, fate, originals)
        return story
