"""``cityops press poll [--source ID]`` (poll the feeds once) and
``cityops press import-social FILE --source NAME`` (a page's exported posts)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cityops.platform.errors import InvalidInput
from cityops.press.choices import SourceKind
from cityops.press.extraction import ExportError
from cityops.press.models import Source
from cityops.press.services import social_import, source_poll

MAX_EXPORT_BYTES = 50 * 1024 * 1024


class _Bar:
    """A tqdm bar per source (or file), on stderr."""

    def __init__(self, label: str, *, quiet: bool) -> None:
        self.label, self.quiet = label, quiet
        self.bar: tqdm[Any] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.quiet:
            return
        if self.bar is None:
            self.bar = tqdm(total=total, desc=self.label[:30], unit=" items", file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Command(BaseCommand):
    help = (
        "Press monitoring. poll: poll every active feed source once, due or not (or one with "
        "--source ID). import-social FILE --source NAME: import a public page's exported posts "
        "(JSON or CSV: id, time, text, url)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        polling = actions.add_parser("poll", help="Poll the feed sources once.")
        polling.add_argument("--source", type=int, metavar="ID", help="Only this source.")
        polling.add_argument("--quiet-progress", action="store_true", help="No progress bar.")
        social = actions.add_parser("import-social", help="Import a social-media export.")
        social.add_argument("file", metavar="FILE")
        social.add_argument("--source", required=True, metavar="NAME", help="The page's name.")
        social.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "poll":
            self._poll(options["source"], quiet=options["quiet_progress"])
        else:
            self._import(Path(options["file"]), options["source"], quiet=options["quiet_progress"])

    def _poll(self, source_id: int | None, *, quiet: bool) -> None:
        sources = Source.objects.filter(kind=SourceKind.FEED).exclude(url="").order_by("name")
        if source_id is not None:
            sources = sources.filter(pk=source_id)
            if not sources.exists():
                raise CommandError(f"No feed source #{source_id}.")
        else:
            sources = sources.filter(is_active=True)
        for source in sources:
            bar = _Bar(source.name, quiet=quiet)
            try:
                polled = source_poll(source=source, progress=bar)
            finally:
                bar.close()
            if polled.outcome == "error":
                self.stdout.write(f"{source.name}: error: {polled.error}")
            elif polled.outcome == "not_modified":
                self.stdout.write(f"{source.name}: not modified.")
            else:
                self.stdout.write(f"{source.name}: {polled.new} new, {polled.seen} seen before.")

    def _import(self, path: Path, name: str, *, quiet: bool) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise CommandError(f"{path}: larger than {MAX_EXPORT_BYTES} bytes.")
        bar = _Bar(path.name, quiet=quiet)
        try:
            result = social_import(
                content=path.read_bytes(), filename=path.name, source_name=name, progress=bar
            )
        except (ExportError, InvalidInput) as error:
            raise CommandError(f"{path}: {error}") from error
        finally:
            bar.close()
        self.stdout.write(
            f"{result.source.name}: {result.new} new, {result.seen} seen before, "
            f"{result.skipped} without address or text."
        )
