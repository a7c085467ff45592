"""Social-media pages through their exports: JSON and CSV imported with the command, each post
once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cityops.press.choices import SourceKind
from cityops.press.extraction import ExportError, social_posts
from cityops.press.models import Item, Source

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_a_json_export_is_imported_once(categories, frozen, capsys):
    call_command(
        "press",
        "import-social",
        str(DATA / "social_posts.json"),
        "--source",
        "Cộng đồng Huế",
        "--quiet-progress",
    )
    call_command(
        "press",
        "import-social",
        str(DATA / "social_posts.json"),
        "--source",
        "Cộng đồng Huế",
        "--quiet-progress",
    )

    out = capsys.readouterr().out
    assert "Cộng đồng Huế: 2 new, 0 seen before, 1 without address or text." in out
    assert "Cộng đồng Huế: 0 new, 2 seen before, 1 without address or text." in out
    source = Source.objects.get(name="Cộng đồng Huế")
    assert (source.kind, source.url) == (SourceKind.SOCIAL, "")
    pothole = Item.objects.get(guid="1234567890_111")
    assert pothole.published_at == datetime(2026, 12, 6, 0, 45, tzinfo=UTC)
    assert pothole.title.startswith("Đường Nguyễn Huệ đoạn trước trường học")
    assert pothole.tone == "negative"
    assert pothole.category.code == "urban-infrastructure"
    cleanup = Item.objects.get(guid="1234567890_112")
    assert cleanup.published_at == datetime(2026, 12, 6, 6, 0, tzinfo=UTC)  # epoch seconds


def test_a_csv_export_is_imported(categories, frozen):
    call_command(
        "press",
        "import-social",
        str(DATA / "social_posts.csv"),
        "--source",
        "Zalo Huế",
        "--quiet-progress",
    )

    items = Item.objects.order_by("published_at")
    assert [item.guid for item in items] == ["zl-1", "zl-2"]
    assert items[0].published_at == datetime(2026, 12, 6, 1, 0, tzinfo=UTC)  # local time
    assert [item.tone for item in items] == ["negative", "positive"]


def test_a_feed_source_is_not_a_social_source(categories, frozen):
    Source.objects.create(name="Báo Sông Hương", url="https://baosonghuong.vn/rss")

    with pytest.raises(CommandError):
        call_command(
            "press", "import-social", str(DATA / "social_posts.csv"), "--source", "Báo Sông Hương"
        )


def test_an_unreadable_export_is_refused():
    with pytest.raises(ExportError):
        social_posts(b"{not json", name="posts.json")
    with pytest.raises(ExportError):
        social_posts(b'"a string"', name="posts.json")
