"""Reads of planning layers for the console."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cityops.planning.models import Layer, LayerImport

RECENT_IMPORTS = 5


def layers_for_console() -> QuerySet[Layer]:
    """Every layer, newest decision first, with its latest import."""
    return Layer.objects.prefetch_related(
        Prefetch(
            "imports",
            queryset=LayerImport.objects.order_by("-created_at", "-pk"),
            to_attr="import_list",
        )
    )


def imports_of(layer: Layer, *, limit: int = RECENT_IMPORTS) -> list[LayerImport]:
    return list(layer.imports.select_related("created_by").order_by("-created_at", "-pk")[:limit])
