"""Public reads answered before Django: a response cache for anonymous GET and HEAD requests.

``ReadCache`` is an ASGI layer in front of Django's handler (``cityops/asgi.py``). A request
without credentials — no cookie but the CSRF and language ones, no ``Authorization`` or
``X-API-Key`` header, no key or token in the query — whose answer is kept and still current is
answered from this process's memory without entering Django's middleware or views. Every other
request goes to Django as before. Nothing is kept unless its view opted in (``read_cached`` or
``read_cache_offer``), naming what its answer depends on: every public report (lists, the home
page) or one report (its page). Only 200 answers are kept, without a cookie other than the CSRF
one, whose tokens are replaced: each visitor gets tokens of their own CSRF secret, as Django
would give them, so a kept page is never another visitor's (docs/performance.md).

An answer is current while its *generations* have not moved and for ``CITYOPS_READ_CACHE_SECONDS``
at most. A report's events (``report.changed``) move the generation of every list and of that
report; ``read_cache_flush`` moves every generation. With ``REDIS_URL`` the generations live in
Redis, read on each hit (one ``MGET``), so that every process sees a change at once; embedded, in
this process. A generation is the time of its last move in microseconds, which also tells
whether a ``Last-Modified`` second is unambiguous.

Kept or not, an opted-in answer carries ``ETag``, ``Last-Modified`` and ``Cache-Control:
no-cache`` (browsers keep it and ask again each time), and ``If-None-Match`` /
``If-Modified-Since`` are answered ``304 Not Modified``.
"""

from cityops.platform.readcache.answers import Entry, Store
from cityops.platform.readcache.declare import OFFER, Offer, read_cache_offer, read_cached
from cityops.platform.readcache.generations import (
    generations,
    on_event,
    read_cache_flush,
    read_cache_report_changed,
)
from cityops.platform.readcache.layer import ReadCache

__all__ = [
    "OFFER",
    "Entry",
    "Offer",
    "ReadCache",
    "Store",
    "generations",
    "on_event",
    "read_cache_flush",
    "read_cache_offer",
    "read_cache_report_changed",
    "read_cached",
]
