"""Staff pages of planning layers: the list (and a new layer), a layer with its imports (and a
file to import), and an import's progress, which the page polls while it runs.

IOC operators and administrators create layers and import files; leaders read.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import IOC_READERS, IOC_STAFF, may_act, roles_required
from cityops.planning.choices import ImportStatus
from cityops.planning.forms import ImportForm, LayerForm
from cityops.planning.models import Layer, LayerImport
from cityops.planning.selectors import imports_of, layers_for_console
from cityops.planning.services import layer_create, layer_import_start, layer_publish
from cityops.platform.errors import CityOpsError

RUNNING = (ImportStatus.PENDING, ImportStatus.RUNNING)


def _layers_page(request: HttpRequest, form: LayerForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "planning/console/layers.html",
        {"layers": layers_for_console(), "form": form, "may_act": may_act(request.user)},
        status=status,
    )


@require_GET
@roles_required(*IOC_READERS)
def layers(request: HttpRequest) -> HttpResponse:
    return _layers_page(request, LayerForm())


@require_POST
@roles_required(*IOC_STAFF)
def layer_new(request: HttpRequest) -> HttpResponse:
    form = LayerForm(request.POST)
    if not form.is_valid():
        return _layers_page(request, form, status=400)
    try:
        layer = layer_create(**form.cleaned_data)
    except CityOpsError as refused:
        for name, messages in refused.fields.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return _layers_page(request, form, status=refused.http_status)
    return redirect("console:planning:layer", slug=layer.slug)


def _layer_page(
    request: HttpRequest, layer: Layer, form: ImportForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "planning/console/layer.html",
        {
            "layer": layer,
            "imports": imports_of(layer),
            "form": form,
            "may_act": may_act(request.user),
            "running": RUNNING,
        },
        status=status,
    )


@require_GET
@roles_required(*IOC_READERS)
def layer(request: HttpRequest, slug: str) -> HttpResponse:
    return _layer_page(request, get_object_or_404(Layer, slug=slug), ImportForm())


@require_POST
@roles_required(*IOC_STAFF)
def import_new(request: HttpRequest, slug: str) -> HttpResponse:
    target = get_object_or_404(Layer, slug=slug)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _layer_page(request, target, form, status=400)
    content, name = form.cleaned_data["upload"]
    layer_import_start(
        layer=target,
        file=content,
        file_name=name,
        source_crs=form.cleaned_data["source_crs"],
        field_map=form.field_map(),
        actor=request.user,
    )
    return redirect("console:planning:layer", slug=target.slug)


@require_POST
@roles_required(*IOC_STAFF)
def layer_publication(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish the layer (``publish=1``) or withdraw it (``publish=0``)."""
    target = get_object_or_404(Layer, slug=slug)
    try:
        layer_publish(layer=target, published=request.POST.get("publish") == "1")
    except CityOpsError as refused:
        messages.error(request, refused.message)
    return redirect("console:planning:layer", slug=target.slug)


@require_GET
@roles_required(*IOC_READERS)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(LayerImport, pk=pk)
    return render(request, "planning/console/_import.html", {"job": job, "running": RUNNING})
