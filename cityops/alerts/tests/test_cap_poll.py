"""Polling CAP over HTTP: a document, or an Atom feed of documents (``cityops bulletins poll``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cityops.alerts.models import Bulletin
from cityops.alerts.services import bulletins_poll
from cityops.alerts.tasks import poll_cap_feeds

CAP = Path(__file__).resolve().parent / "cap"
FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Canh bao Hue</title>
  <entry><title>Lu</title>
    <link rel="alternate" type="application/cap+xml" href="/cap/hue_flood_alert.xml"/></entry>
  <entry><title>Khong khi</title>
    <link href="/cap/hue_air_quality_circle.xml"/></entry>
  <entry><title>Missing</title>
    <link type="application/cap+xml" href="/cap/gone.xml"/></entry>
</feed>
"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/feed.atom":
            body = FEED
        elif self.path.startswith("/cap/") and (CAP / self.path[5:]).is_file():
            body = (CAP / self.path[5:]).read_bytes()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_polling_a_cap_document_imports_it(db, server):
    [(_url, result)] = bulletins_poll(url=f"{server}/cap/hue_flood_alert.xml")
    assert result.outcome == "created"
    assert Bulletin.objects.count() == 1


def test_polling_a_feed_imports_every_linked_document_and_reports_the_broken_one(db, server):
    results = dict(bulletins_poll(url=f"{server}/feed.atom"))
    assert results[f"{server}/cap/hue_flood_alert.xml"].outcome == "created"
    assert results[f"{server}/cap/hue_air_quality_circle.xml"].outcome == "created"
    assert "Could not fetch" in results[f"{server}/cap/gone.xml"].message
    assert Bulletin.objects.count() == 2


def test_the_poll_command_and_the_periodic_job_import_new_documents_only(
    db, server, settings, capsys
):
    with pytest.raises(CommandError):  # one linked document is missing
        call_command("bulletins", "poll", f"{server}/feed.atom")
    assert "created" in capsys.readouterr().out
    settings.CITYOPS_CAP_FEEDS = [f"{server}/feed.atom"]
    assert poll_cap_feeds.call() == 0  # everything was imported already
    assert Bulletin.objects.count() == 2


def test_only_web_addresses_are_polled(db):
    from cityops.alerts.cap import CapError

    with pytest.raises(CapError):
        bulletins_poll(url="file:///etc/passwd")
