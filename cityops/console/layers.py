"""The console map's layers: the extension point for what else the operators watch on the map.

Each layer is a GeoJSON endpoint the map script loads into its own overlay (a checkbox in the
map's layer control). The reports layer is always there; monitoring adds its own (stations,
cameras, alarms) by calling ``map_layer_add`` from its ``AppConfig.ready``:

    map_layer_add(MapLayer(key="stations", label=_("Stations"), url_name="monitoring:points"))

A layer of kind ``points`` draws each feature as a circle marker; its properties may carry
``title`` (the popup's text), ``url`` (the popup's link), ``color`` (CSS colour) and ``label``
(a second popup line). The reports layer (kind ``reports``) colours markers by status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityops.reports.choices import ReportStatus

S = ReportStatus

# One colour per status for the map markers and their legend (the legend also says it in words).
STATUS_COLOURS: dict[ReportStatus, str] = {
    S.SUBMITTED: "#b00020",
    S.ACCEPTED: "#d35400",
    S.ASSIGNED: "#7b3fa0",
    S.IN_PROGRESS: "#0b4f8a",
    S.RESOLVED: "#1b7a3d",
    S.CLOSED: "#5f6b78",
    S.REJECTED: "#2b2b2b",
    S.DUPLICATE: "#9aa5b1",
}


@dataclass(frozen=True)
class MapLayer:
    key: str
    label: str | Promise
    url_name: str  # a view answering GeoJSON; the map passes the page's filters along
    kind: str = "points"
    shown: bool = True  # on when the map opens
    filtered: bool = False  # whether the queue's filters apply to it
    script: str = ""  # a static script that draws this kind (registers CityOpsMapKinds[kind])

    def as_json(self, *, query: str = "") -> dict[str, Any]:
        url = reverse(self.url_name)
        if self.filtered and query:
            url = f"{url}?{query}"
        return {
            "key": self.key,
            "label": str(self.label),
            "url": url,
            "kind": self.kind,
            "shown": self.shown,
            "script": static(self.script) if self.script else "",
        }


MAP_LAYERS: list[MapLayer] = [
    MapLayer(key="reports", label=_("Reports"), url_name="console:points", kind="reports",
             filtered=True),
    MapLayer(key="stations", label=_("Monitoring stations"), url_name="console:stations",
             shown=False),
]  # fmt: skip


def map_layer_add(layer: MapLayer) -> None:
    """Offer another layer on the console map (once per key)."""
    if all(existing.key != layer.key for existing in MAP_LAYERS):
        MAP_LAYERS.append(layer)


def map_layers(*, query: str = "") -> list[dict[str, Any]]:
    return [layer.as_json(query=query) for layer in MAP_LAYERS]
