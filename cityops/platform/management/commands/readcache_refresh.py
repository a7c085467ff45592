"""``cityops readcache_refresh``: makes the public reads again for the web processes (Redis)."""

from __future__ import annotations

import asyncio
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cityops.platform.readcache.shared import RefreshQueue, refresh_one

WAIT_SECONDS = 1.0


class Command(BaseCommand):
    help = (
        "Make the kept public reads (home page, report lists, report pages) again when their "
        "time has passed, so that the web processes keep answering from memory meanwhile "
        "(needs REDIS_URL; one per deployment is enough, a second one is harmless)."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REDIS_URL:
            raise CommandError("The refresher works through Redis: set REDIS_URL.")
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write("Refreshing the kept public reads (Ctrl+C stops)")
        self.stdout.flush()
        made = asyncio.run(refresh_until(stop, RefreshQueue(settings.REDIS_URL)))
        self.stdout.write(f"Stopped after {made} answers made again")


async def refresh_until(stop: threading.Event, queue: RefreshQueue) -> int:
    """Make each asked answer again through the web application, until ``stop`` is set."""
    from cityops.asgi import application

    made = 0
    heart = threading.Thread(target=_beat, args=(stop, queue), daemon=True)
    heart.start()
    try:
        while not stop.is_set():
            made += await refresh_one(queue, application, wait=WAIT_SECONDS)
    finally:
        stop.set()
        heart.join()
        queue.stop()
    return made


def _beat(stop: threading.Event, queue: RefreshQueue) -> None:
    """The heartbeat, on a thread of its own: a page taking long to make must not let the web
    processes believe the refresher gone (they would make every answer themselves)."""
    while True:
        queue.beat()
        if stop.wait(WAIT_SECONDS):
            return
