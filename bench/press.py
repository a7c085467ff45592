"""Press monitoring: do 200 feeds polled every 5 minutes fit in one job worker?

``.venv/bin/python bench/press.py`` (200 feeds, interval 300 s, one warm-up cycle and three
measured cycles: about 30 minutes with the setup); ``--quick`` (or ``BENCH_QUICK=1``: 40 feeds,
interval 60 s, one warm-up and two measured cycles, about 9 minutes; result in a temporary file,
not bench/results/). ``BENCH_PRESS_FEEDS``, ``BENCH_PRESS_INTERVAL`` and ``BENCH_PRESS_CYCLES``
change the figures. Needs PostgreSQL at ``PG_URL`` (the bench works in a database of its own,
``cityops_bench_press`` or ``BENCH_DB_NAME``, created afresh) and Redis at ``BENCH_REDIS_URL``
(default redis://127.0.0.1:6379/14, flushed by the bench).

What runs:

- **the outlets**: one HTTP server process (``--serve``, ``bench/lib/newsroom.py``) with the
  feeds, each showing its latest 20 articles (RSS 2.0), and every article's page. Articles
  appear as time goes: each feed publishes one every 30–120 minutes (26 a day on average: 200
  feeds publish about 5,300 articles a day), and every twenty minutes a wire story that eight
  feeds carry with their own first sentence (one story, several outlets: about 580 more a
  day); one feed in twenty repeats another's items under the same addresses. Six feeds in
  ten answer ``If-None-Match`` with 304 while unchanged, two in ten ``If-Modified-Since``, two
  in ten have no validators (200 every time). Four feeds answer after 8 s, one after 20 s
  (past the 15 s read timeout), two answer 500, one 404, one an HTML page instead of a feed
  (the errors and the time-out back off).
- **the history**: before the clock starts, the last three days of every feed are in the
  database as if polled all along (items, their MinHash signatures, stories, mentions of the
  26 watched names), so each poll sees its feed's current items as known and every new item is
  grouped against three days of items — the steady state, not an empty database.
- **one worker**: ``cityops worker`` (one process, two threads, Redis), with all the project's
  periodic jobs; ``poll_due_sources`` hands each due source to a ``poll_source`` job every
  minute. The sources' first polls are spread over the first interval.

The first cycle (the process starting, the tone model training, every feed answering 200 once
as no validator is known yet) is reported apart; the measured cycles follow. For each: polls
due and done, how late (poll time − due time, the due time being the previous poll plus the
interval, or the back-off after an error), what the feeds answered, items new and seen, pages
fetched (each once), and the CPU seconds of the worker process (and of the PostgreSQL backends
serving it) per cycle. A poll is due at most a minute before the scheduler sees it: up to 60 s
of lateness is the scheduler's granularity. Goal: the worker uses under half a core and no poll
is later than the interval. Results with the machine and its load averages (the cores are
shared): medians over the measured cycles. Not a test.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lib.machine import cpu_seconds, loadavg, machine
from lib.newsroom import (
    FEED_ITEMS,
    WATCHED,
    Article,
    feed_items,
    own_article,
    published_between,
    wire_article,
)
from lib.server import BIN, ROOT, Bench, cityops, free_port, psql, say

DB_NAME = "cityops_bench_press"
HISTORY_DAYS = 3  # the stories' window (CITYOPS_PRESS_STORY_WINDOW_DAYS)
SLOW_S, TIMEOUT_S = 8.0, 20.0
WORKER_THREADS = 2  # ``cityops worker``'s default
SAMPLE_S = 2.0
TAIL_S = 120  # after the last cycle, polls due in it may still come (then counted late)
BACKOFF_CAP_S = 6 * 3600
# Special feeds, placed by their share of the feed list (200 feeds: 13, 57, 101, 149 slow …).
SPECIAL = (
    (0.065, "slow"),
    (0.285, "slow"),
    (0.505, "slow"),
    (0.745, "slow"),
    (0.385, "timeout"),
    (0.165, "error"),
    (0.665, "error"),
    (0.885, "missing"),
    (0.955, "notafeed"),
)
FAILING = {"timeout", "error", "missing", "notafeed"}


def specials(feeds: int) -> dict[int, str]:
    return {int(feeds * share): kind for share, kind in SPECIAL}


def validators(feed: int) -> str:
    """ "etag" (6 in 10), "modified" (2 in 10) or "" (none: 200 every time)."""
    return "etag" if feed % 10 < 6 else "modified" if feed % 10 < 8 else ""


def http_date(seconds: float) -> str:
    return formatdate(seconds, usegmt=True)


# -- the outlets (``--serve``) ---------------------------------------------------------------


def rss(feed: int, articles: list[Article], base: str) -> bytes:
    items = "".join(
        "<item>"
        f"<title>{escape(a.title)}</title>"
        f"<link>{base}{a.path()}?utm_source=rss</link>"
        f'<guid isPermaLink="false">{a.feed}-{a.key}</guid>'
        f"<pubDate>{http_date(a.published)}</pubDate>"
        f"<description>{escape(a.lead)}</description>"
        "</item>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Báo thử {feed:03d}</title><link>{base}/f{feed}/</link>"
        f"<description>Tin tức Huế</description><language>vi</language>{items}"
        "</channel></rss>"
    ).encode()


def page(article: Article) -> bytes:
    published = datetime.fromtimestamp(article.published, UTC).isoformat()
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{escape(article.title)}</title>"
        f'<meta property="article:published_time" content="{published}">'
        "</head><body><header><nav><a href='/'>Trang chủ</a> · <a href='/thoi-su'>Thời sự</a>"
        " · <a href='/du-lich'>Du lịch</a></nav></header>"
        f"<main><article><h1>{escape(article.title)}</h1>"
        f'<p class="sapo"><strong>{escape(article.lead)}</strong></p>{paragraphs}'
        "</article></main><footer><p>Bản quyền thuộc về tòa soạn. Giấy phép số 00/GP-BTTTT.</p>"
        "</footer></body></html>"
    ).encode()


class Outlets:
    def __init__(self, feeds: int, epoch: int, log: Path) -> None:
        self.feeds, self.epoch = feeds, epoch
        self.special = specials(feeds)
        self.log = log.open("a", buffering=1)
        self.lock = threading.Lock()
        self.base = ""

    def record(self, **entry: Any) -> None:
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")

    def feed(self, handler: BaseHTTPRequestHandler, feed: int, arrived: float) -> None:
        kind = self.special.get(feed, "")
        conditional = bool(
            handler.headers.get("If-None-Match") or handler.headers.get("If-Modified-Since")
        )
        entry: dict[str, Any] = {"t": arrived, "feed": feed, "kind": "feed", "cond": conditional}
        if kind == "slow":
            time.sleep(SLOW_S)
        elif kind == "timeout":
            self.record(**entry, status="timeout")
            time.sleep(TIMEOUT_S)
            return _send(handler, 200, b"", "application/rss+xml")
        if kind == "error":
            self.record(**entry, status=500)
            return _send(handler, 500, b"Internal Server Error", "text/plain")
        if kind == "missing":
            self.record(**entry, status=404)
            return _send(handler, 404, b"Not Found", "text/plain")
        if kind == "notafeed":
            self.record(**entry, status="notafeed")
            body = b"<html><body><h1>Trang ch\xe1\xbb\xa7</h1></body></html>"
            return _send(handler, 200, body, "text/html; charset=utf-8")
        articles = feed_items(feed, time.time(), self.epoch)
        latest = articles[0].published if articles else self.epoch
        headers = {}
        style = validators(feed)
        if style == "etag":
            headers["ETag"] = f'"f{feed}-{latest}"'
            if handler.headers.get("If-None-Match") == headers["ETag"]:
                self.record(**entry, status=304)
                return _send(handler, 304, b"", "", headers)
        elif style == "modified":
            headers["Last-Modified"] = http_date(latest)
            since = handler.headers.get("If-Modified-Since")
            if since:
                with contextlib.suppress(TypeError, ValueError):
                    if parsedate_to_datetime(since).timestamp() >= latest:
                        self.record(**entry, status=304)
                        return _send(handler, 304, b"", "", headers)
        self.record(**entry, status=200, served=[f"{a.feed}/{a.key}" for a in articles])
        return _send(handler, 200, rss(feed, articles, self.base), "application/rss+xml", headers)

    def page(self, handler: BaseHTTPRequestHandler, feed: int, key: str, arrived: float) -> None:
        kind, _, number = key.partition("-")
        article = None
        if number.isdigit() and kind in ("a", "w"):
            maker = own_article if kind == "a" else wire_article
            article = maker(feed, int(number), self.epoch)
        if article is None or article.published > time.time():
            self.record(t=arrived, feed=feed, kind="page", key=key, status=404)
            return _send(handler, 404, b"Not Found", "text/plain")
        self.record(t=arrived, feed=feed, kind="page", key=key, status=200)
        return _send(handler, 200, page(article), "text/html; charset=utf-8")


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str,
    extra: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (extra or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        handler.wfile.write(body)


def serve(args: dict[str, Any]) -> None:
    outlets = Outlets(int(args["feeds"]), int(args["epoch"]), Path(args["log"]))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            arrived = time.time()
            parts = self.path.split("?")[0].strip("/").split("/")
            if len(parts) == 2 and parts[0].startswith("f") and parts[0][1:].isdigit():
                feed = int(parts[0][1:])
                if parts[1] == "rss.xml":
                    return outlets.feed(self, feed, arrived)
                if parts[1].endswith(".html"):
                    return outlets.page(self, feed, parts[1][: -len(".html")], arrived)
            return _send(self, 404, b"Not Found", "text/plain")

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up
                super().handle_error(request, client_address)

    http = Server(("127.0.0.1", int(args["port"])), Handler)
    http.daemon_threads = True
    outlets.base = f"http://127.0.0.1:{args['port']}"
    http.serve_forever()


# -- the history (``--seed``, in Django) -----------------------------------------------------


def seed(args: dict[str, Any]) -> None:
    """Sources, the watch list, and the last ``HISTORY_DAYS`` of every feed as if polled."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import timedelta

    from cityops.press.models import Item, Mention, Source, Story, WatchEntry
    from cityops.press.services import watch_entry_create
    from cityops.press.services.sources import content_hash
    from cityops.press.text import fold_with_offsets, pattern_for, signature_bytes, signature_of

    feeds, epoch, port = int(args["feeds"]), int(args["epoch"]), int(args["port"])
    interval, until = int(args["interval"]), float(args["until"])
    base = f"http://127.0.0.1:{port}"
    Source.objects.bulk_create(
        Source(
            name=f"Báo thử {feed:03d}",
            url=f"{base}/f{feed}/rss.xml",
            poll_interval=interval,
            fetch_pages=True,
        )
        for feed in range(feeds)
    )
    for kind, name in WATCHED:
        watch_entry_create(kind=kind, name=name)
    patterns = [(entry, pattern_for(entry.folded)) for entry in WatchEntry.objects.all()]

    def _mentions(item: Item, patterns: list[tuple[WatchEntry, Any]]) -> list[Mention]:
        # What ``analysis.mentions_find`` finds, each part folded once for all the entries
        # (the history only: the worker runs the real thing).
        parts = [
            (part, fold_with_offsets(text))
            for part, text in (("title", item.title), ("lead", item.lead), ("text", item.text))
        ]
        found = []
        for entry, pattern in patterns:
            hits = [
                (part, folded, m) for part, folded in parts for m in pattern.finditer(folded.text)
            ]
            if hits:
                part, folded, first = hits[0]
                start, end = folded.span(first.start(), first.end())
                original = {"title": item.title, "lead": item.lead, "text": item.text}[part]
                found.append(
                    Mention(
                        item=item,
                        entry=entry,
                        matched_text=original[start:end][:300],
                        part=part,
                        position=start,
                        occurrences=len(hits),
                        dated_at=item.dated_at,
                    )
                )
        return found

    sources = {s.url: s for s in Source.objects.all()}
    start = until - HISTORY_DAYS * 86400
    articles = [a for feed in range(feeds) for a in published_between(feed, start, until, epoch)]
    stories: dict[str, Story] = {}
    for article in articles:
        key = article.key if article.key.startswith("w-") else f"{article.feed}/{article.key}"
        if key not in stories:
            at = datetime.fromtimestamp(article.published, UTC)
            stories[key] = Story(
                headline=article.title, first_seen_at=at, last_seen_at=at, tone=article.tone
            )
    Story.objects.bulk_create(stories.values(), batch_size=2000)
    counts: Counter[str] = Counter()
    outlets: defaultdict[str, set[int]] = defaultdict(set)
    items = []
    for article in articles:
        key = article.key if article.key.startswith("w-") else f"{article.feed}/{article.key}"
        text = "\n\n".join(article.paragraphs)
        at = datetime.fromtimestamp(article.published, UTC)
        items.append(
            Item(
                source=sources[f"{base}/f{article.feed}/rss.xml"],
                url=f"{base}{article.path()}",
                guid=f"{article.feed}-{article.key}",
                title=article.title,
                lead=article.lead,
                text=text,
                language="vi",
                published_at=at,
                fetched_at=at + timedelta(minutes=2),
                dated_at=at,
                content_hash=content_hash(title=article.title, text=text),
                signature=signature_bytes(
                    signature_of("\n".join((article.title, article.lead, text)))
                ),
                tone=article.tone,
                tone_confidence=0.8,
                story=stories[key],
                analysed_at=at + timedelta(minutes=2),
            )
        )
        counts[key] += 1
        outlets[key].add(article.feed)
    Item.objects.bulk_create(items, batch_size=1000)
    for key, story in stories.items():
        story.item_count, story.outlet_count = counts[key], len(outlets[key])
    Story.objects.bulk_update(stories.values(), ["item_count", "outlet_count"], batch_size=2000)
    mentions = [m for item in items for m in _mentions(item, patterns)]
    Mention.objects.bulk_create(mentions, batch_size=5000)
    print(json.dumps({"items": len(items), "stories": len(stories), "mentions": len(mentions)}))


# -- the run ---------------------------------------------------------------------------------


def prepare(bench: Bench) -> dict[str, Any]:
    bench.flush_redis()
    psql(bench.base, f"DROP DATABASE IF EXISTS {bench.db_name} WITH (FORCE)")
    psql(bench.base, f"CREATE DATABASE {bench.db_name}")
    started = time.monotonic()
    cityops(bench.env, "migrate", "--no-input", "-v", "0")
    cityops(bench.env, "seed", "--no-demo", "-v", "0")
    return {"name": bench.db_name, "setup_seconds": round(time.monotonic() - started, 1)}


def query(bench: Bench, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(f"{bench.base}/{bench.db_name}", autocommit=True) as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]


class Sampler:
    """CPU seconds of the worker and of the PostgreSQL backends of the bench's database, every
    ``SAMPLE_S`` seconds (a backend that ends keeps its last reading)."""

    def __init__(self, bench: Bench, worker: int) -> None:
        import psycopg

        self.bench, self.worker = bench, worker
        self.conn = psycopg.connect(f"{bench.base}/postgres", autocommit=True)
        self.backends: dict[int, float] = {}
        self.samples: list[tuple[float, float, float]] = []  # time, worker, postgres
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def take(self) -> None:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.bench.db_name,)
        ).fetchall()
        for (pid,) in rows:
            reading = cpu_seconds([int(pid)])
            if reading:
                self.backends[int(pid)] = reading
        self.samples.append((time.time(), cpu_seconds([self.worker]), sum(self.backends.values())))

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_S):
            self.take()

    def at(self, moment: float) -> tuple[float, float]:
        """Worker and PostgreSQL CPU seconds at ``moment`` (the nearest sample before it)."""
        before = [s for s in self.samples if s[0] <= moment] or self.samples[:1]
        return before[-1][1], before[-1][2]


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))], 1)


def median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 3) if known else None


def polls_of(log: list[dict[str, Any]], first_due: dict[int, float], interval: int) -> list[dict]:
    """Every feed poll with its due time: the first one's seeded, each next one the previous
    poll plus the interval (or after an error the back-off: interval × 2^errors, capped)."""
    polls = []
    by_feed: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in log:
        if entry["kind"] == "feed":
            by_feed[entry["feed"]].append(entry)
    for feed in sorted(set(first_due) | set(by_feed)):
        entries = sorted(by_feed[feed], key=lambda e: e["t"])
        due, errors = first_due.get(feed, entries[0]["t"] if entries else 0.0), 0
        previous: dict[str, Any] | None = None
        for entry in entries:
            poll = {**entry, "due": due, "lag": max(0.0, entry["t"] - due)}
            if previous is not None and previous["status"] in (200, 304):
                poll["gap"] = entry["t"] - previous["t"]  # after a poll that went well
            polls.append(poll)
            previous = entry
            failed = entry["status"] not in (200, 304)
            errors = errors + 1 if failed else 0
            wait = min(BACKOFF_CAP_S, interval * 2**errors) if failed else interval
            due = entry["t"] + wait
        polls.append({"feed": feed, "due": due, "t": None, "kind": "next"})
    return polls


def cycle_figures(
    *,
    start: float,
    end: float,
    polls: list[dict[str, Any]],
    log: list[dict[str, Any]],
    new_items: list[float],
    sampler: Sampler,
    interval: int,
) -> dict[str, Any]:
    due = [p for p in polls if start <= p["due"] < end]
    done = [p for p in due if p["t"] is not None]
    lags = [p["lag"] for p in done]
    gaps = [p["gap"] for p in done if "gap" in p]
    answered = Counter(str(p["status"]) for p in done)
    served = sum(
        len(e.get("served", ())) for e in log if e["kind"] == "feed" and start <= e["t"] < end
    )
    new = sum(1 for t in new_items if start <= t < end)
    pages = [e for e in log if e["kind"] == "page" and start <= e["t"] < end]
    worker0, pg0 = sampler.at(start)
    worker1, pg1 = sampler.at(end)
    return {
        "polls_due": len(due),
        "polls_done": len(done),
        "late_s": {
            "p50": percentile(lags, 0.5),
            "p95": percentile(lags, 0.95),
            "max": round(max(lags), 1) if lags else None,
        },
        "late_over_interval": sum(1 for lag in lags if lag > interval),
        "gap_between_polls_s": {
            "mean": round(statistics.fmean(gaps), 1) if gaps else None,
            "max": round(max(gaps), 1) if gaps else None,
        },
        "answers": dict(sorted(answered.items())),
        "items_new": new,
        "items_seen": max(0, served - new),
        "pages_fetched": len(pages),
        "worker_cpu_s": round(worker1 - worker0, 1),
        "worker_core_share": round((worker1 - worker0) / (end - start), 3),
        "postgres_cpu_s": round(pg1 - pg0, 1),
    }


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] in ("--serve", "--seed"):
        args = json.loads(sys.argv[2])
        (serve if sys.argv[1] == "--serve" else seed)(args)
        return 0
    bench = Bench.from_environment("press", DB_NAME, sys.argv)
    feeds = int(os.environ.get("BENCH_PRESS_FEEDS", "40" if bench.quick else "200"))
    interval = int(os.environ.get("BENCH_PRESS_INTERVAL", "60" if bench.quick else "300"))
    cycles = int(os.environ.get("BENCH_PRESS_CYCLES", "2" if bench.quick else "3"))
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="cityops-bench-press-"))
    log_path = folder / "requests.jsonl"
    # Spikes are judged against the same hour of the previous days: the three days of history.
    bench.env.update(CITYOPS_PRESS_SPIKE_DAYS=str(HISTORY_DAYS))
    say(f"press bench: {feeds} feeds, every {interval} s, 1 + {cycles} cycles, one worker")
    load_before = loadavg()
    setup = prepare(bench)
    epoch = int(time.time()) - (HISTORY_DAYS + 2) * 86400
    seeded_at = time.time()
    args = {"feeds": feeds, "epoch": epoch, "port": port, "interval": interval, "until": seeded_at}
    started = time.monotonic()
    out = subprocess.run(  # noqa: S603 - this script
        [str(BIN / "python"), __file__, "--seed", json.dumps(args)],
        env=bench.env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode:
        raise SystemExit(f"seeding failed:\n{out.stdout}\n{out.stderr}")
    history = json.loads(out.stdout.strip().splitlines()[-1])
    history["seconds"] = round(time.monotonic() - started, 1)
    say(f"   history: {history}")
    psql(bench.base, "VACUUM ANALYZE", bench.db_name)
    server = subprocess.Popen(  # noqa: S603 - this script
        [str(BIN / "python"), __file__, "--serve", json.dumps({**args, "log": str(log_path)})],
        cwd=ROOT,
    )
    worker = None
    try:
        _wait_for(f"http://127.0.0.1:{port}/f0/rss.xml")
        log_path.write_text("")  # the check above is not a poll
        t0 = time.time()
        # The first polls spread over the first interval, as a running system's are.
        query(
            bench,
            "UPDATE press_source SET next_poll_at = to_timestamp(%s) + "
            "(row_number_over.n * %s / %s) * interval '1 second' FROM (SELECT id, "
            "row_number() OVER (ORDER BY id) - 1 AS n FROM press_source) AS row_number_over "
            "WHERE press_source.id = row_number_over.id RETURNING press_source.id",
            (t0 + 30, interval, feeds),
        )
        first_due = {
            int(url.rsplit("/f", 1)[1].split("/")[0]): float(due)
            for url, due in query(
                bench, "SELECT url, extract(epoch FROM next_poll_at) FROM press_source"
            )
        }
        worker = subprocess.Popen(  # noqa: S603 - our own command
            [str(BIN / "cityops"), "worker", "--workers", str(WORKER_THREADS)],
            env=bench.env,
            stdout=(folder / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        sampler = Sampler(bench, worker.pid)
        sampler.take()
        sampler.thread.start()
        warm_start = t0 + 30
        # The first cycle, at least four minutes: the worker starting, the models loading.
        measured_start = warm_start + max(interval, 240)
        end = measured_start + cycles * interval
        while time.time() < end + TAIL_S:
            remaining = end + TAIL_S - time.time()
            time.sleep(min(60.0, max(0.0, remaining)))
            say(f"   {int(time.time() - t0)} s: {sum(1 for _ in log_path.open())} requests")
            if worker.poll() is not None:
                raise SystemExit(f"the worker stopped:\n{(folder / 'worker.log').read_text()}")
        sampler.stop.set()
        sampler.thread.join()
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.terminate()
        server.wait(timeout=30)
    load_after = loadavg()

    log = [json.loads(line) for line in log_path.open() if line.strip()]
    polls = polls_of(log, first_due, interval)
    base_url = f"http://127.0.0.1:{port}"
    kept = query(
        bench,
        "SELECT url, extract(epoch FROM fetched_at), story_id FROM press_item "
        "WHERE fetched_at >= to_timestamp(%s)",
        (t0,),
    )
    new_items = [float(fetched) for _, fetched, _ in kept]
    windows = [(warm_start, measured_start)] + [
        (measured_start + n * interval, measured_start + (n + 1) * interval) for n in range(cycles)
    ]
    figures = [
        cycle_figures(
            start=a,
            end=b,
            polls=polls,
            log=log,
            new_items=new_items,
            sampler=sampler,
            interval=interval,
        )
        for a, b in windows
    ]
    measured = figures[1:]
    pages = Counter(f"{e['feed']}/{e['key']}" for e in log if e["kind"] == "page")
    # Articles the healthy feeds published from the start until one interval (and the
    # scheduler's minute) before the end: each must be kept.
    special = specials(feeds)
    expected = {
        f"{base_url}{a.path()}"
        for feed in range(feeds)
        if special.get(feed) not in FAILING
        for a in published_between(feed, seeded_at, end - interval - 60, epoch)
    }
    known = {url for (url,) in query(bench, "SELECT url FROM press_item")}
    wire: defaultdict[str, set[int]] = defaultdict(set)
    for url, _, story in kept:
        key = url.rsplit("/", 1)[1]
        if key.startswith("w-"):
            wire[key].add(story)
    alarms = dict(
        query(
            bench,
            "SELECT type, count(*) FROM alerts_alarm WHERE first_raised_at >= to_timestamp(%s) "
            "GROUP BY type",
            (t0,),
        )
    )
    lags = [f["late_s"] for f in measured]
    result: dict[str, Any] = {
        "bench": "press",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_before": load_before,
        "load_after": load_after,
        "database": setup,
        "config": {
            "feeds": feeds,
            "poll_interval_s": interval,
            "cycles_measured": cycles,
            "worker": f"cityops worker --workers {WORKER_THREADS} (one process, Redis)",
            "scheduler": "poll_due_sources every minute, one poll_source job per due source",
            "feed_items": FEED_ITEMS,
            "validators": {"etag": "6 in 10", "last_modified": "2 in 10", "none": "2 in 10"},
            "special_feeds": {str(feed): kind for feed, kind in sorted(special.items())},
            "slow_s": SLOW_S,
            "timeout_answer_s": TIMEOUT_S,
            "history": history,
            "new_articles_per_day": round(
                sum(
                    len(published_between(f, 0 + epoch, epoch + 86400, epoch)) for f in range(feeds)
                )
            ),
        },
        "warmup_cycle": figures[0],
        "cycles": measured,
        "median": {
            "polls_due": median([f["polls_due"] for f in measured]),
            "polls_done": median([f["polls_done"] for f in measured]),
            "late_p50_s": median([lag["p50"] for lag in lags]),
            "late_p95_s": median([lag["p95"] for lag in lags]),
            "late_max_s": max((lag["max"] for lag in lags if lag["max"] is not None), default=None),
            "gap_between_polls_mean_s": median(
                [f["gap_between_polls_s"]["mean"] for f in measured]
            ),
            "items_new": median([f["items_new"] for f in measured]),
            "items_seen": median([f["items_seen"] for f in measured]),
            "worker_cpu_s_per_cycle": median([f["worker_cpu_s"] for f in measured]),
            "worker_core_share": median([f["worker_core_share"] for f in measured]),
            "postgres_cpu_s_per_cycle": median([f["postgres_cpu_s"] for f in measured]),
        },
        "checks": {
            "pages_fetched": sum(pages.values()),
            "pages_fetched_twice": sum(1 for n in pages.values() if n > 1),
            "articles_expected": len(expected),
            "articles_missing": len(expected - known),
            "wire_stories": len(wire),
            "wire_stories_split": sum(1 for stories in wire.values() if len(stories) > 1),
            "alarms_raised": {str(kind): int(n) for kind, n in alarms.items()},
        },
    }
    worst_late = result["median"]["late_max_s"]
    missed = sum(f["polls_due"] - f["polls_done"] for f in measured)
    result["fits_one_worker"] = bool(
        (result["median"]["worker_core_share"] or 0) < 0.5
        and worst_late is not None
        and worst_late <= interval
        and missed == 0
    )
    result["missed_polls"] = missed
    path = bench.result_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    say(
        json.dumps(
            {k: result[k] for k in ("median", "checks", "fits_one_worker")}, ensure_ascii=False
        )
    )
    say(f"written to {path}")
    bench.cleanup()
    return 0


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the feed server did not start: {url}")


if __name__ == "__main__":
    raise SystemExit(main())
