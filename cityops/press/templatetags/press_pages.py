"""Presentation helpers of the press pages (console and dashboard): the day chart's geometry,
the tone split's shares, watched names marked in press text.

Press text is never marked safe: helpers hand the templates plain pieces to escape (the chart's
numbers, a text cut into marked and unmarked parts), and the templates write the markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.translation import gettext as _

from cityops.press.choices import ItemPart, Tone
from cityops.press.models import Item, Mention
from cityops.press.selectors import DayCount
from cityops.press.text import find_all, pattern_for

register = template.Library()

BAR_STEP = 10  # the chart's units per day (its viewBox is scaled to the page's width)
CHART_HEIGHT = 100
TOP_ROOM = 6
UNKNOWN_TONE = ""


@dataclass(frozen=True)
class Bar:
    day: DayCount
    x: int
    items_y: float
    items_height: float
    stories_y: float
    stories_height: float

    @property
    def items_x(self) -> float:
        return self.x + 0.5

    @property
    def stories_x(self) -> float:
        return self.x + 2.5


@dataclass(frozen=True)
class DayChart:
    bars: list[Bar]
    width: int
    height: int
    most: int
    total_stories: int
    total_items: int

    @property
    def empty(self) -> bool:
        return self.total_items == 0 and self.total_stories == 0


def day_chart(days: Sequence[DayCount]) -> DayChart:
    """Bars for each day: the items (wide, light) and the new stories (narrow, dark) over them,
    on one scale."""
    most = max([max(day.items, day.stories) for day in days] + [1])
    usable = CHART_HEIGHT - TOP_ROOM

    def height(value: int) -> float:
        return round(usable * value / most, 2)

    bars = []
    for index, day in enumerate(days):
        items, stories = height(day.items), height(day.stories)
        bars.append(
            Bar(
                day=day,
                x=index * BAR_STEP,
                items_y=CHART_HEIGHT - items,
                items_height=items,
                stories_y=CHART_HEIGHT - stories,
                stories_height=stories,
            )
        )
    return DayChart(
        bars=bars,
        width=max(len(days), 1) * BAR_STEP,
        height=CHART_HEIGHT,
        most=most,
        total_stories=sum(day.stories for day in days),
        total_items=sum(day.items for day in days),
    )


@register.inclusion_tag("press/_day_chart.html")
def press_day_chart(days: Sequence[DayCount], chart_id: str = "press-days") -> dict[str, Any]:
    return {"chart": day_chart(days), "chart_id": chart_id}


@dataclass(frozen=True)
class ToneShare:
    tone: str  # a Tone value, or "" for stories not read yet
    label: str
    count: int
    percent: int
    x: float  # where its part of the stacked bar starts (0 to 100)
    width: float


def tone_shares(split: dict[str, int]) -> list[ToneShare]:
    """The tone split in the tones' order, with each tone's share of the stories."""
    total = sum(split.values())
    shares, x = [], 0.0
    for tone, count in split.items():
        label = str(Tone(tone).label) if tone in Tone.values else _("Not read yet")
        width = round(100 * count / total, 2) if total else 0.0
        shares.append(ToneShare(tone or "unknown", label, count, round(width), round(x, 2), width))
        x += width
    return shares


@register.inclusion_tag("press/_tone_split.html")
def press_tone_split(split: dict[str, int], chart_id: str = "press-tones") -> dict[str, Any]:
    return {"shares": tone_shares(split), "total": sum(split.values()), "chart_id": chart_id}


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool


def marked_pieces(text: str, mentions: Iterable[Mention]) -> list[Piece]:
    """``text`` cut into pieces, the watched names of ``mentions`` found in it marked."""
    spans: list[tuple[int, int]] = []
    for mention in mentions:
        pattern = pattern_for(mention.entry.folded or [])
        if pattern is not None:
            spans += [(found.start, found.end) for found in find_all(pattern, text)]
    pieces: list[Piece] = []
    at = 0
    for start, end in sorted(spans):
        if end <= at:
            continue
        start = max(start, at)
        if start > at:
            pieces.append(Piece(text[at:start], False))
        pieces.append(Piece(text[start:end], True))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:], False))
    return pieces


@register.simple_tag
def watched_in(text: str, mentions: Iterable[Mention]) -> list[Piece]:
    """``{% watched_in item.title item.mentions.all as pieces %}``"""
    return marked_pieces(str(text or ""), mentions)


EXCERPT_CHARS = 90  # of the text on each side of a watched name found in an item's body


@register.simple_tag
def watched_excerpt(item: Item, mention: Mention) -> list[Piece]:
    """Where a watched name was first found in an item's body: the words around it, every
    watched name of the item marked (none for a name found in the title or lead, marked there)."""
    if mention.part != ItemPart.TEXT or not item.text:
        return []
    text, at = item.text, mention.position
    start = max(at - EXCERPT_CHARS, 0)
    end = min(at + len(mention.matched_text) + EXCERPT_CHARS, len(text))
    # Whole words at both ends, where there is a space to cut at.
    if start > 0:
        space = text.find(" ", start, at)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", at + len(mention.matched_text), end)
        end = space if space != -1 else end
    pieces = marked_pieces(" ".join(text[start:end].split()), item.mentions.all())
    if start > 0:
        pieces.insert(0, Piece("…", False))
    if end < len(text):
        pieces.append(Piece("…", False))
    return pieces


@register.filter
def percent_of(value: float | None) -> str:
    """0.87 → "87 %"; None → "—"."""
    return "—" if value is None else f"{round(value * 100)} %"
