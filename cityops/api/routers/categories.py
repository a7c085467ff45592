"""The report categories citizens can choose (also the Open311 services)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from cityops.api.schemas import CategoryOut
from cityops.reports.models import Category

router = Router(tags=["categories"])


@router.get("", response=list[CategoryOut], summary="List the active report categories")
def category_list(request: HttpRequest) -> list[CategoryOut]:
    """Active categories in the order the city chose; ``code`` is what a report names."""
    return [CategoryOut.of(c) for c in Category.objects.filter(is_active=True)]
