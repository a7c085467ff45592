"""An import's progress is saved as it goes: ``total`` before the first row, ``done`` and
``imported`` after each batch, so the console's bar (and the command's) moves."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from shapely.geometry import box

from cityops.planning.choices import ImportStatus
from cityops.planning.importing import layer_import_run
from cityops.planning.models import LayerImport
from cityops.planning.services import layer_import_start
from cityops.planning.tests.files import geojson, layer

pytestmark = pytest.mark.django_db


def test_progress_is_saved_after_each_batch(tmp_path, monkeypatch):
    monkeypatch.setattr("cityops.planning.importing.run.BATCH", 2)
    monkeypatch.setattr("cityops.planning.importing.run.READ_BATCH", 3)
    rows = [(box(107.58 + i / 1000, 16.47, 107.5805 + i / 1000, 16.4705), {"use_code": "ODT"})
            for i in range(5)]  # fmt: skip
    rows[3] = (rows[3][0], {"use_code": ""})
    path = geojson(tmp_path / "nam-o.geojson", rows)
    job = layer_import_start(
        layer=layer(), file=ContentFile(path.read_bytes()), file_name=path.name, queue=False
    )
    seen = []

    def saved(done: int, total: int) -> None:
        stored = LayerImport.objects.get(pk=job.pk)
        seen.append((stored.status, stored.total, stored.done, stored.imported, done, total))

    finished = layer_import_run(layer_import=job, progress=saved)
    running = ImportStatus.RUNNING
    assert seen == [(running, 5, 2, 2, 2, 5), (running, 5, 3, 3, 3, 5), (running, 5, 5, 4, 5, 5)]
    assert (finished.status, finished.done, finished.imported) == (ImportStatus.DONE, 5, 4)


def test_an_import_that_has_started_is_not_run_again(tmp_path):
    path = geojson(
        tmp_path / "x.geojson", [(box(107.58, 16.47, 107.581, 16.471), {"use_code": "ODT"})]
    )
    job = layer_import_start(
        layer=layer(), file=ContentFile(path.read_bytes()), file_name=path.name, queue=False
    )
    layer_import_run(layer_import=job)
    again = layer_import_run(layer_import=job)  # a re-delivered job
    assert (again.status, again.imported) == (ImportStatus.DONE, 1)
    assert job.layer.zones.count() == 1
