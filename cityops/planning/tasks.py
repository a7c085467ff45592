"""Jobs of the planning domain; thin wrappers over the services."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def import_layer(layer_import_id: int) -> int:
    """Run one waiting layer import; returns how many zones it stored."""
    from cityops.planning.importing import layer_import_run
    from cityops.planning.models import LayerImport

    layer_import = LayerImport.objects.filter(pk=layer_import_id).first()
    if layer_import is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):  # refusals are stored in the city's language
        return layer_import_run(layer_import=layer_import).imported
