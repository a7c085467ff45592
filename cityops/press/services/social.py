"""Social-media pages through their exports: an operator imports the JSON or CSV export of a
public page's posts (id, time, text, address). CityOps never scrapes a platform."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from cityops.platform.errors import InvalidInput
from cityops.press.choices import SourceKind
from cityops.press.extraction import social_posts
from cityops.press.models import Source
from cityops.press.services.analysis import item_analyse
from cityops.press.services.sources import item_record


@dataclass(frozen=True)
class SocialImported:
    source: Source
    new: int
    seen: int
    skipped: int  # posts without address or text


def social_source(*, name: str) -> Source:
    """The social-media source of that name, registered on its first import."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Name the source.", fields={"source": ["This field is required."]})
    with transaction.atomic():
        source, _ = Source.objects.get_or_create(
            name=name, defaults={"kind": SourceKind.SOCIAL, "fetch_pages": False}
        )
    if source.kind != SourceKind.SOCIAL:
        message = f"{name} is a feed, not a social-media source."
        raise InvalidInput(message, fields={"source": [message]})
    return source


def social_import(
    *,
    content: bytes,
    filename: str,
    source_name: str,
    progress: Callable[[int, int], None] | None = None,
) -> SocialImported:
    """Keep and read the posts of an export (each once, as feed items are)."""
    source = social_source(name=source_name)
    posts = social_posts(content, name=filename)
    new = seen = skipped = 0
    for done, post in enumerate(posts, start=1):
        recorded = item_record(source=source, entry=post)
        if recorded.item is None:
            skipped += 1
        elif recorded.new:
            item_analyse(item=recorded.item)
            new += 1
        else:
            seen += 1
        if progress is not None:
            progress(done, len(posts))
    return SocialImported(source, new, seen, skipped)
