"""A press story becomes a field report: an IOC operator decides, the report enters through the
reports workflow's intake (channel ``press``) like any other, and the story keeps the link."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.agencies.models import Agency
from cityops.platform.errors import Conflict, InvalidInput, NotPermitted
from cityops.press.choices import StoryReportOrigin
from cityops.press.models import Item, Story, StoryReport
from cityops.reports.choices import Channel, Priority
from cityops.reports.models import Category, Report
from cityops.reports.selectors import category_by_code
from cityops.reports.workflow import report_accept, report_assign, report_receive

FALLBACK_CATEGORY = "other"
ADDRESSES_LISTED = 5


def _ensure_ioc_staff(actor: User) -> None:
    if not actor.is_active or not Role(actor.role).is_ioc_staff:
        raise NotPermitted(_("Only IOC operators turn press stories into reports."))


def story_source_url(story: Story) -> str:
    """The story's reference: the address of its first item."""
    first = Item.objects.filter(story=story).order_by("dated_at", "pk").first()
    return first.url if first is not None else ""


def story_report_text(story: Story, *, note: str = "") -> str:
    """The report's description, in the city's language: the story, its outlets, its addresses.
    Press text is public; no author or reporter is named."""
    items = list(
        Item.objects.filter(story=story).select_related("source").order_by("dated_at", "pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Press story: %(headline)s") % {"headline": story.headline},
            _("Told by %(outlets)d outlet(s) in %(items)d item(s), first seen %(first)s.")
            % {
                "outlets": story.outlet_count,
                "items": story.item_count,
                "first": timezone.localtime(story.first_seen_at).strftime("%d/%m/%Y %H:%M"),
            },
        ]
        lead = next((item.lead for item in items if item.lead), "")
        if lead:
            lines.append(lead)
        lines.append(_("Sources:"))
        lines += [f"- {item.source.name}: {item.url}" for item in items[:ADDRESSES_LISTED]]
    if note.strip():
        lines.append(note.strip())
    return "\n".join(lines)


@transaction.atomic
def story_to_report(
    *,
    story: Story,
    actor: User,
    agency: Agency | None = None,
    category: Category | None = None,
    priority: Priority | None = None,
    note: str = "",
) -> Report:
    """Turn a story into a field report (channel ``press``, the story's first address as its
    source), placed at the story's area; with ``agency`` the operator also accepts it and
    assigns it there. A story becomes one report at most."""
    _ensure_ioc_staff(actor)
    story = (
        Story.objects.select_for_update(of=("self",))
        .select_related("area", "category")
        .get(pk=story.pk)
    )
    made = StoryReport.objects.filter(story=story, origin=StoryReportOrigin.CREATED).first()
    if made is not None:
        raise Conflict(
            _("This story is report #%(id)s already.") % {"id": made.report_id},
            code="story_reported",
        )
    category = (
        category
        or (story.category if story.category is not None and story.category.is_active else None)
        or category_by_code(FALLBACK_CATEGORY, active_only=True)
    )
    if category is None:
        message = _("Choose a category for the report.")
        raise InvalidInput(message, fields={"category": [message]})
    with translation.override(settings.LANGUAGE_CODE):
        address = story.area.name if story.area is not None else _("Place not known (press story)")
    received = report_receive(
        description=story_report_text(story, note=note),
        title=story.headline[:200],
        category=category,
        channel=Channel.PRESS,
        lat=story.lat,
        lon=story.lon,
        address=address[:300],
        recorded_by=actor,
        priority=priority,
    )
    report = received.report
    StoryReport.objects.create(
        story=story, report=report, origin=StoryReportOrigin.CREATED, created_by=actor
    )
    if agency is not None:
        report = report_accept(report=report, actor=actor)
        report = report_assign(report=report, agency=agency, actor=actor)
    return report
