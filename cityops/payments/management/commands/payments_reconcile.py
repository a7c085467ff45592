"""``manage.py payments_reconcile [--date D] [--gateway G --file settlement.csv] [--statement
bank.csv]``: the day's reconciliation, printed and kept for the console."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cityops.payments.choices import Gateway
from cityops.payments.models import Reconciliation
from cityops.payments.reconcile import (
    bank_statement_import,
    reconcile_by_queries,
    reconcile_settlement,
)
from cityops.platform import clock
from cityops.platform.errors import InvalidInput


class Command(BaseCommand):
    help = "Compare a day's payments with the gateways' lists and print every difference."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (yesterday)")
        parser.add_argument("--gateway", choices=[Gateway.VNPAY, Gateway.MOMO])
        parser.add_argument("--file", type=Path, help="the gateway's settlement CSV")
        parser.add_argument("--statement", type=Path, help="the bank's statement CSV (VietQR)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate(clock.now()) - timedelta(days=1)
        try:
            reports = self._run(day, options)
        except (InvalidInput, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        for report in reports:
            self.stdout.write(
                f"{report.day} {report.gateway} ({report.source}): "
                f"{report.checked} checked, {len(report.differences)} differences"
            )
            for item in report.differences:
                self.stdout.write(
                    f"  {item['kind']}\t{item['txn_ref']}\tours={item['ours']}"
                    f"\ttheirs={item['theirs']}"
                )

    def _run(self, day: date, options: dict[str, Any]) -> list[Reconciliation]:
        reports = []
        if options["file"]:
            if not options["gateway"]:
                raise CommandError("--file needs --gateway")
            text = options["file"].read_text(encoding="utf-8")
            reports.append(reconcile_settlement(gateway=options["gateway"], day=day, text=text))
        if options["statement"]:
            text = options["statement"].read_text(encoding="utf-8")
            reports.append(bank_statement_import(day=day, text=text))
        if not reports:
            reports = reconcile_by_queries(day=day)
        return reports
