"""``cityops run``: the whole IOC in one process — migrate, seed on first start, jobs, web."""

from __future__ import annotations

import logging
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from cityops.platform import jobs


class Command(BaseCommand):
    help = "Serve CityOps with its job worker in one process; seeds the city on first start."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--mqtt-port",
            type=int,
            default=1883,
            help="Port of the embedded MQTT broker (the next free one if taken), unless MQTT_URL "
            "names an external broker.",
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Seed only the city's configuration, no demo users or reports; no simulated "
            "stations or buses.",
        )

    def handle(self, *args: Any, host: str, port: int, no_demo: bool, **options: Any) -> None:
        from cityops.demo.demo_data import demo_credentials
        from cityops.demo.services import seed_if_first_start

        self.stdout.write(f"CityOps: data in {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        if seed_if_first_start(demo=not no_demo):
            self.stdout.write(
                "Seeded the Huế configuration" + ("" if no_demo else " and demo data")
            )
        for role, username, password in demo_credentials():
            self.stdout.write(f"  demo account  {username:<16} {password:<14} {role}")
        if not no_demo and not settings.CITYOPS_VNPAY_TMN_CODE:
            # Fees are paid at the demo's stand-in for VNPay (payments/demo_gateway.py).
            settings.CITYOPS_PAYMENTS_DEMO = True
            self.stdout.write("  payments        VNPay: the demo's stand-in, no money moves")

        logging.getLogger("huey").setLevel(logging.WARNING)  # its start-up banner is noise here
        worker = jobs.consumer(workers=2)
        worker.start()  # threads; uvicorn below owns the signal handlers
        from cityops.monitoring.embedded import monitoring_start

        monitoring = monitoring_start(mqtt_port=options["mqtt_port"], demo=not no_demo)
        for note in monitoring.notes:
            self.stdout.write(self.style.WARNING(f"  {note}"))
        self.stdout.write(f"  MQTT broker     {monitoring.broker_url}")
        self.stdout.write(self.style.SUCCESS(f"CityOps is running at http://{host}:{port}/"))
        try:
            uvicorn.Server(
                uvicorn.Config(
                    "cityops.asgi:application",
                    host=host,
                    port=port,
                    lifespan="off",
                    # The client's address is decided by client_ip() alone, from
                    # CITYOPS_TRUSTED_PROXIES; uvicorn would believe X-Forwarded-For from
                    # any local process.
                    proxy_headers=False,
                    log_level="info",
                    access_log=settings.DEBUG,
                )
            ).run()
        finally:
            monitoring.stop()
            worker.stop(graceful=True)
