"""``cityops bulletins import FILE…`` and ``cityops bulletins poll URL…``: CAP 1.2 warnings."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cityops.alerts.cap import CapError
from cityops.alerts.services import Imported, bulletins_import_document, bulletins_poll


class Command(BaseCommand):
    help = (
        "Import warning bulletins from CAP 1.2 documents: files (import) or addresses of a CAP "
        "document or an Atom/RSS feed of them (poll). Importing the same alert again changes "
        "nothing; Update and Cancel messages act on the alerts they reference."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        importing = commands.add_parser("import", help="Import CAP documents from files.")
        importing.add_argument("files", nargs="+", metavar="FILE")
        polling = commands.add_parser("poll", help="Fetch and import a CAP document or feed.")
        polling.add_argument("urls", nargs="+", metavar="URL")

    def handle(self, *args: Any, **options: Any) -> None:
        failures = 0
        if options["action"] == "import":
            for name in options["files"]:
                try:
                    data = Path(name).read_bytes()
                    self._show(name, bulletins_import_document(data=data))
                except OSError as error:
                    failures += self._fail(name, f"cannot read: {error.strerror or error}")
                except CapError as error:
                    failures += self._fail(name, error.message)
        else:
            for url in options["urls"]:
                try:
                    results = bulletins_poll(url=url)
                except (CapError, OSError) as error:
                    failures += self._fail(url, getattr(error, "message", None) or str(error))
                    continue
                for address, result in results:
                    if isinstance(result, CapError):
                        failures += self._fail(address, result.message)
                    else:
                        self._show(address, result)
        if failures:
            raise CommandError(f"{failures} document(s) could not be imported.")

    def _show(self, source: str, result: Imported) -> None:
        bulletin = result.bulletin
        label = f"#{bulletin.pk} {bulletin.headline}" if bulletin is not None else ""
        detail = f" ({result.detail})" if result.detail else ""
        self.stdout.write(f"{source}: {result.outcome} {label}{detail}".rstrip())

    def _fail(self, source: str, message: str) -> int:
        self.stderr.write(f"{source}: {message}")
        return 1
