"""The objects a process makes while starting, kept out of the garbage collector's way."""

from __future__ import annotations

import gc


def startup_objects_freeze() -> None:
    """Move every object alive now into the collector's permanent generation.

    A web process that has started Django (models, URL patterns and the views they import,
    translations) holds some 220,000 objects that live as long as it does. Every full
    collection walked them all again: about 110 ms with the GIL held on the 2-core machine,
    during which none of the process's requests moved (the p99 of every bench,
    docs/performance.md). Frozen, a collection walks only what was made since. Called once,
    when the process is ready to work, after a collection (so no garbage is frozen).
    """
    gc.collect()
    gc.freeze()
