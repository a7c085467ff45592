"""Writes of the press domain: polling and keeping items, reading them, stories, the watch
list, press alarms, stories turned into reports. Import from here."""

from cityops.press.services.alarms import press_spikes_check, story_alarms_check
from cityops.press.services.analysis import item_analyse, item_mentions_record, tone_of
from cityops.press.services.reporting import story_to_report
from cityops.press.services.social import SocialImported, social_import
from cityops.press.services.sources import (
    Polled,
    Recorded,
    backoff_for,
    item_record,
    source_poll,
    sources_claim_due,
)
from cityops.press.services.stories import item_group, story_refresh
from cityops.press.services.watch import (
    WatchImport,
    watch_entries_import,
    watch_entry_create,
    watch_entry_save,
)

__all__ = [
    "Polled",
    "Recorded",
    "SocialImported",
    "WatchImport",
    "backoff_for",
    "item_analyse",
    "item_group",
    "item_mentions_record",
    "item_record",
    "press_spikes_check",
    "social_import",
    "source_poll",
    "sources_claim_due",
    "story_alarms_check",
    "story_refresh",
    "story_to_report",
    "tone_of",
    "watch_entries_import",
    "watch_entry_create",
    "watch_entry_save",
]
