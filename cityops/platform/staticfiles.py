"""Production static files: whitenoise's compressed manifest storage, tolerant of vendor maps.

Vendored libraries (the xstatic Leaflet wheels) end their scripts with a ``sourceMappingURL``
comment naming a map the wheel does not always ship (``leaflet.markercluster.js.map``).
Django's manifest storage rewrites such comments to hashed names and fails collectstatic on a
missing target; this storage leaves JavaScript source-map comments alone (a missing map only
costs a developer's debugger a 404) and rewrites everything else as usual.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_js_source_maps(
    patterns: tuple[tuple[str, tuple[object, ...]], ...],
) -> tuple[tuple[str, tuple[object, ...]], ...]:
    return tuple(
        (extension, ()) if extension == "*.js" else (extension, rules)
        for extension, rules in patterns
    )


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_js_source_maps(CompressedManifestStaticFilesStorage.patterns)
