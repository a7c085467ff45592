"""The leaders' indicators: a tile per indicator, grouped by sector (latest figure, target,
change, a sparkline, the progress status and "stale"), and an indicator's page (its series with
each figure's upload and row, the upload trail, and the figures per area)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cityops.accounts.access import IOC_READERS, roles_required
from cityops.indicators.choices import Status
from cityops.indicators.models import Indicator
from cityops.indicators.progress import ATTENTION_SHARE, GRACE_DAYS
from cityops.indicators.selectors import (
    Tile,
    area_figures,
    indicator_tile,
    indicator_tiles,
    uploads_of,
)
from cityops.platform import clock

SECTORS = {
    "health": _("Health"),
    "education": _("Education"),
    "economy": _("Economy"),
    "environment": _("Environment"),
    "digital": _("Digital government"),
    "society": _("Society"),
}
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 36, 3


def sparkline(values: Sequence[float]) -> dict[str, Any] | None:
    """The polyline of a sparkline (SVG coordinates, the last point marked); None under two."""
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / (len(values) - 1)
    points = [
        (
            round(SPARK_PAD + index * step, 1),
            round(
                SPARK_HEIGHT - SPARK_PAD - (value - low) / span * (SPARK_HEIGHT - 2 * SPARK_PAD), 1
            ),
        )
        for index, value in enumerate(values)
    ]
    return {
        "points": " ".join(f"{x},{y}" for x, y in points),
        "last_x": str(points[-1][0]),  # strings: never localised to "117,0"
        "last_y": str(points[-1][1]),
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
    }


def _card(tile: Tile) -> dict[str, Any]:
    return {
        "tile": tile,
        "indicator": tile.indicator,
        "status": Status(tile.progress.status),
        "spark": sparkline([figure.value for figure in tile.figures]),
    }


def _today() -> Any:
    return timezone.localdate(clock.now())


@require_GET
@roles_required(*IOC_READERS)
def indicators(request: HttpRequest) -> HttpResponse:
    tiles = indicator_tiles(today=_today())
    sectors = [
        {"code": sector, "label": SECTORS.get(sector, sector), "cards": [_card(t) for t in group]}
        for sector, group in groupby(tiles, key=lambda tile: tile.indicator.sector)
    ]
    counts = {status: sum(1 for t in tiles if t.progress.status == status) for status in Status}
    return render(
        request,
        "dashboard/indicators.html",
        {
            "sectors": sectors,
            "counts": [(status, counts[status]) for status in Status],
            "stale_count": sum(1 for tile in tiles if tile.stale),
            "attention_share": int(ATTENTION_SHARE * 100),
        },
    )


@require_GET
@roles_required(*IOC_READERS)
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    chosen = get_object_or_404(Indicator.objects.select_related("department"), code=code)
    tile = indicator_tile(chosen, today=_today())
    areas = [{"row": row, "status": Status(row.progress.status)} for row in area_figures(chosen)]
    return render(
        request,
        "dashboard/indicator.html",
        {
            "card": _card(tile),
            "tile": tile,
            "indicator": chosen,
            "figures": list(reversed(tile.figures)),
            "areas": areas,
            "uploads": uploads_of(chosen)[:20],
            "attention_share": int(ATTENTION_SHARE * 100),
            "grace_days": GRACE_DAYS,
        },
    )
