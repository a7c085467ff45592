"""Understanding one item: its language, tone, category, place and the watched names in it;
then its story (``stories.item_group``)."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction

from cityops.agencies.models import Area
from cityops.intel.classifier import suggest_category
from cityops.platform import clock
from cityops.press.choices import ItemPart
from cityops.press.models import Item, Mention, WatchEntry
from cityops.press.text import (
    Found,
    find_all,
    fold_with_offsets,
    folded_forms,
    language_of,
    pattern_for,
    sentences,
)
from cityops.reports.selectors import category_by_code

logger = logging.getLogger(__name__)

TONE_TEXT_MAX = 1000  # the tone model reads a headline and a lead
CATEGORY_TEXT_MAX = 3000


@dataclass(frozen=True)
class ToneResult:
    tone: str  # a ``Tone`` value, or "" when the tone model is not available
    confidence: float | None


def tone_of(text: str) -> ToneResult:
    """The tone model's answer (``cityops.press.tone.tone_of``), imported when first needed:
    the model is its own package. Without it (or if it fails) the tone stays unknown."""
    try:
        from cityops.press.tone import tone_of as classify
    except ImportError:
        logger.debug("press: no tone model yet")
        return ToneResult("", None)
    try:
        score = classify(text)
    except Exception:
        logger.exception("press: the tone model failed")
        return ToneResult("", None)
    return ToneResult(str(score.tone), float(score.confidence))


def _headline_and_lead(item: Item) -> str:
    """What the tone model reads (it is trained on headlines and leads): the title and the lead,
    or the text's beginning when there is no lead."""
    lead = item.lead or " ".join(list(sentences(item.text))[:2])
    return "\n".join(part for part in (item.title, lead[:TONE_TEXT_MAX]) if part)


def _reading(item: Item) -> str:
    return "\n".join(part for part in (item.title, item.lead, item.text) if part)


# --- places ----------------------------------------------------------------------------------

_AREA_PREFIXES = ("phuong", "xa", "thi tran")


def _area_forms(name: str) -> list[str]:
    """An area's full name, and its bare name when that is distinctive enough ("Phường Phú Hội"
    → "phuong phu hoi", "phu hoi"; "Phường 1" keeps its full name only)."""
    forms = folded_forms([name])
    if not forms:
        return []
    full = forms[0]
    for prefix in _AREA_PREFIXES:
        if full.startswith(prefix + " "):
            bare = full[len(prefix) + 1 :]
            if len(bare.split()) >= 2 and not re.search(r"\d", bare):
                forms.append(bare)
    return forms


@lru_cache(maxsize=16)
def _area_patterns(areas: tuple[tuple[int, str], ...]) -> list[tuple[int, re.Pattern[str]]]:
    patterns = []
    for pk, name in areas:
        pattern = pattern_for(_area_forms(name))
        if pattern is not None:
            patterns.append((pk, pattern))
    return patterns


def area_named_in(text: str) -> Area | None:
    """The city area the text names most often (the earliest named on a tie), or None."""
    if not text:
        return None
    areas = tuple(Area.objects.order_by("pk").values_list("pk", "name"))
    counts: Counter[int] = Counter()
    first: dict[int, int] = {}
    for pk, pattern in _area_patterns(areas):
        found = find_all(pattern, text)
        if found:
            counts[pk] = len(found)
            first[pk] = found[0].start
    if not counts:
        return None
    best = min(counts, key=lambda pk: (-counts[pk], first[pk]))
    return Area.objects.get(pk=best)


# --- the watch list --------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _entry_pattern(forms: tuple[str, ...]) -> re.Pattern[str] | None:
    return pattern_for(forms)


def mentions_find(*, item: Item, entries: list[WatchEntry]) -> list[Mention]:
    """The mentions of ``entries`` in an item (unsaved): one per entry found, at its first place
    (title before lead before text) with the number of times it is named."""
    parts = [
        (part, text, fold_with_offsets(text))  # folded once, whatever the watch list's length
        for part, text in ((ItemPart.TITLE, item.title), (ItemPart.LEAD, item.lead),
                           (ItemPart.TEXT, item.text))
    ]  # fmt: skip
    mentions = []
    for entry in entries:
        pattern = _entry_pattern(tuple(entry.folded))
        if pattern is None:
            continue
        first: tuple[ItemPart, Found] | None = None
        occurrences = 0
        for part, text, folded in parts:
            matches = find_all(pattern, text, folded)
            occurrences += len(matches)
            if matches and first is None:
                first = (part, matches[0])
        if first is not None:
            where, found = first
            mentions.append(
                Mention(
                    item=item,
                    entry=entry,
                    matched_text=found.text[:300],
                    part=where,
                    position=found.start,
                    occurrences=occurrences,
                    dated_at=item.dated_at,
                )
            )
    return mentions


def item_mentions_record(*, item: Item) -> list[Mention]:
    """Find the active watch list in the item again and keep what is found (idempotent)."""
    entries = list(WatchEntry.objects.filter(is_active=True))
    found = mentions_find(item=item, entries=entries)
    with transaction.atomic():
        Mention.objects.filter(item=item).delete()
        Mention.objects.bulk_create(found)
    return found


# --- the whole reading -----------------------------------------------------------------------


def item_analyse(*, item: Item) -> Item:
    """Read an item: language, tone, category, place, mentions; then put it in its story (which
    refreshes the story, links alike reports and raises the story's alarms)."""
    from cityops.press.services.stories import item_group

    reading = _reading(item)
    item.language = language_of(reading)
    tone = tone_of(_headline_and_lead(item))
    item.tone, item.tone_confidence = tone.tone, tone.confidence
    suggestion = suggest_category("\n".join((item.title, item.lead, item.text))[:CATEGORY_TEXT_MAX])
    category = (
        category_by_code(suggestion.category, active_only=True) if suggestion.category else None
    )
    item.category = category
    item.category_confidence = suggestion.confidence if category is not None else None
    item.area = area_named_in(reading)
    item.analysed_at = clock.now()
    item.save(
        update_fields=[
            "language",
            "tone",
            "tone_confidence",
            "category",
            "category_confidence",
            "area",
            "analysed_at",
        ]
    )
    item_mentions_record(item=item)
    item_group(item=item)
    return item
