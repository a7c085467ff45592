"""Jobs of the planning domain; thin wrappers over the services."""

from __future__ import annotations

from django_tasks import task


@task()
def import_layer(layer_import_id: int) -> int:
    """Run one waiting layer import; returns how many zones it stored."""
    from cityops.planning.importing import layer_import_run
    from cityops.planning.models import LayerImport

    layer_import = LayerImport.objects.filter(pk=layer_import_id).first()
    if layer_import is None:
        return 0
    # What it says is kept in no language; each reader sees it in theirs (planning/said.py).
    return layer_import_run(layer_import=layer_import).imported
