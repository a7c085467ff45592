"""``cityops screenshots``: PNGs of the portal's main pages for the docs (``make screenshots``).

Migrates and seeds the demo data if the database has none (run it on a throwaway data
directory: ``make screenshots`` does), serves the portal on a free local port, and photographs
the home page, the submit form, a report page, "my reports" and the sign-in page at phone
(390×844) and desktop (1280×800) sizes in Vietnamese and English, with Playwright on Debian's
Chromium. Map tiles are drawn locally: nothing leaves the machine.
"""

from __future__ import annotations

import io
import threading
from argparse import ArgumentParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from PIL import Image, ImageDraw

from cityops.demo.demo_data import demo_password
from cityops.demo.services import seed_if_first_start
from cityops.reports.choices import ReportStatus
from cityops.reports.models import Report
from cityops.reports.selectors import reports_public

if TYPE_CHECKING:  # Playwright is a development dependency, imported when the command runs
    from playwright.sync_api import ViewportSize

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}
LANGUAGES = {"vi": "vi-VN", "en": "en-GB"}  # the site language → the browser locale
CITIZEN = "demo-citizen"


def _tile() -> bytes:
    """A plain, map-coloured 256 px tile with a faint grid, instead of the real tiles."""
    image = Image.new("RGB", (256, 256), (238, 235, 226))
    draw = ImageDraw.Draw(image)
    for position in range(0, 256, 64):
        draw.line([(position, 0), (position, 255)], fill=(226, 222, 211))
        draw.line([(0, position), (255, position)], fill=(226, 222, 211))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Command(BaseCommand):
    help = (
        "Write PNGs of the portal's main pages (phone and desktop, Vietnamese and English) "
        "into docs/screenshots/, seeding demo data into an empty database first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", default="docs/screenshots", help="Output directory.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as missing:
            raise CommandError("Playwright is a development dependency: make install") from missing
        if not Path(CHROMIUM).exists():
            raise CommandError(f"Chromium is needed at {CHROMIUM}: apt-get install chromium")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)

        call_command("migrate", verbosity=0)
        seed_if_first_start(demo=True, progress=False)
        report = self._showcase()

        server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler)
        server.set_app(get_wsgi_application())
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        tile = _tile()

        def offline(route: Any) -> None:
            url = urlsplit(route.request.url)
            if url.hostname == "127.0.0.1":
                route.continue_()
            elif "tile" in (url.hostname or ""):
                route.fulfill(status=200, body=tile, content_type="image/png")
            else:
                route.abort()

        pages = {
            "home": "/",
            "sign-in": "/account/sign-in",
            "report": f"/reports/{report.pk}",
            "submit": "/reports/new",
            "my-reports": "/account/reports",
        }
        written = []
        try:
            with sync_playwright() as playwright:
                for language, locale in LANGUAGES.items():
                    # The browser's own language sets how date inputs read (dd/mm/yyyy).
                    browser = playwright.chromium.launch(
                        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--lang={locale}"]
                    )
                    for size, viewport in SIZES.items():
                        context = browser.new_context(
                            viewport=viewport,
                            base_url=base,
                            locale=locale,
                        )
                        context.add_cookies(
                            [{"name": "django_language", "value": language, "url": base}]
                        )
                        context.route("**/*", offline)
                        page = context.new_page()
                        for name, path in pages.items():
                            if name == "submit":  # from here on, signed in as the demo citizen
                                self._sign_in(page)
                            page.goto(path, wait_until="networkidle")
                            if name == "home":
                                page.wait_for_selector(".leaflet-marker-icon, .marker-cluster")
                            target = out / f"{name}-{size}-{language}.png"
                            # The report page in full: its result and timeline are the point.
                            page.screenshot(path=str(target), full_page=name == "report")
                            written.append(target)
                        context.close()
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
        for target in written:
            self.stdout.write(str(target))
        self.stdout.write(self.style.SUCCESS(f"{len(written)} screenshots in {out}"))

    def _showcase(self) -> Report:
        """A recent public report that went the whole way: result, rating, closed."""
        done = (
            reports_public(reviewed_only=True)
            .filter(status=ReportStatus.CLOSED, reporter__isnull=False)
            .exclude(result_text="")
            .filter(ratings__isnull=False)
            .order_by("-resolved_at")
            .first()
        )
        if done is None:
            raise CommandError("No finished demo report to show: seed the demo data first.")
        return done

    def _sign_in(self, page: Any) -> None:
        page.goto("/account/sign-in", wait_until="networkidle")
        page.fill("#id_login", CITIZEN)
        page.fill("#id_password", demo_password())
        page.locator("form[action='/account/sign-in'] button[type=submit]").click()
        page.wait_for_load_state("networkidle")
