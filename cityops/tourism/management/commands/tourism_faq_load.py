"""``manage.py tourism_faq_load [FILE]``: load the tourist FAQ (Huế's, shipped with the app,
unless another file in the same layout is given); entries are matched by key, so it can run
again after the file changes."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from cityops.tourism.services import FAQ_FILE, faq_load_file


class Command(BaseCommand):
    help = "Load the tourist FAQ (Huế's by default) into the knowledge base."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=FAQ_FILE)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        written = faq_load_file(file)
        self.stdout.write(f"{written} FAQ texts loaded from {file.name}")
