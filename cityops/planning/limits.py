"""How often one client address may ask: the lookup (page, map, API) and the OGC API."""

from cityops.platform.ratelimit import Rate

LOOKUP_PER_IP = Rate(60, 60)
# A GIS client pans and zooms: many requests, each a page of a layer.
OGC_PER_IP = Rate(600, 60)
