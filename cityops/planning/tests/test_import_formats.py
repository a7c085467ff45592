"""Each format a plan arrives in is imported: GeoJSON, a zipped Shapefile, a Shapefile's parts
and a GeoPackage, with their fields found by the usual names or as told."""

from __future__ import annotations

import io

import pytest
from django.core.files import File
from django.core.management import CommandError, call_command

from cityops.planning.choices import ImportStatus
from cityops.planning.models import LayerImport, Zone
from cityops.planning.services import layer_import_start
from cityops.planning.tests.files import BLOCKS, SHP, block_rows, geojson, layer, ogr, zipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def run(path, *, crs="wgs84", field_map=None, target=None, capture):
    target = target or layer()
    with path.open("rb") as handle, capture(execute=True):
        started = layer_import_start(
            layer=target, file=File(handle), file_name=path.name, source_crs=crs,
            field_map=field_map,
        )  # fmt: skip
    return LayerImport.objects.get(pk=started.pk)


def test_a_geojson_plan_is_imported_through_the_job_with_its_codes_names_and_extent(
    tmp_path, capture
):
    path = geojson(tmp_path / "phan-khu.geojson", block_rows(("MaLoaiDat", "TenLoaiDat", "MaO")))
    done = run(path, capture=capture)
    assert done.status == ImportStatus.DONE, done.message
    assert (done.total, done.done, done.imported, done.errors) == (3, 3, 3, [])
    zones = list(Zone.objects.filter(layer=done.layer).order_by("pk"))
    assert [(z.use_code, z.use_name, z.zone_code) for z in zones] == [
        ("ODT", "Đất ở tại đô thị", "A1"), ("DGT", "Đất giao thông", "GT1"),
        ("CXK", "Công viên", "CX1"),
    ]  # fmt: skip
    assert zones[0].properties["MaO"] == "A1"
    done.layer.refresh_from_db()
    assert done.layer.zone_count == 3
    assert done.layer.min_lon == pytest.approx(107.58)
    assert done.layer.max_lon == pytest.approx(107.584)


def test_a_zipped_shapefile_with_its_prj_is_imported(tmp_path, capture):
    shp = ogr(tmp_path / "qh.shp", block_rows(("KyHieu", "TenDat", "MaLo")), driver=SHP)
    done = run(zipped(shp), capture=capture)
    assert done.status == ImportStatus.DONE, done.message
    assert sorted(Zone.objects.values_list("use_code", "zone_code")) == [
        ("CXK", "CX1"), ("DGT", "GT1"), ("ODT", "A1")
    ]  # fmt: skip
    assert Zone.objects.get(use_code="CXK").use_name == "Công viên"  # UTF-8 through the .cpg


def test_the_command_reads_a_shapefile_from_its_parts_beside_it(tmp_path):
    shp = ogr(tmp_path / "qh.shp", block_rows(("MADAT", "TENLOAIDAT", "MAO")), driver=SHP)
    target = layer()
    out = io.StringIO()
    call_command("planning_import", target.slug, str(shp), stdout=out)  # with its bar
    assert "Zones imported: 3 " in out.getvalue()
    job = LayerImport.objects.get(layer=target)
    assert (job.status, job.total, job.done, job.imported) == (ImportStatus.DONE, 3, 3, 3)


def test_the_command_refuses_a_shapefile_without_its_dbf(tmp_path):
    shp = ogr(tmp_path / "qh.shp", block_rows(("MADAT", "TENLOAIDAT", "MAO")), driver=SHP)
    shp.with_suffix(".dbf").unlink()
    with pytest.raises(CommandError, match=r"\.dbf"):
        call_command("planning_import", layer().slug, str(shp), "--quiet-progress")


def test_a_geopackage_is_imported_with_the_fields_the_import_names(tmp_path, capture):
    rows = [(g, {"loai": c, "ten": n, "o": z, "MaLoaiDat": "XXX"}) for g, c, n, z in BLOCKS]
    path = ogr(tmp_path / "qh.gpkg", rows, driver="GPKG")
    done = run(
        path, field_map={"use_code": "loai", "use_name": "ten", "zone_code": "o"},
        capture=capture,
    )  # fmt: skip
    assert done.status == ImportStatus.DONE, done.message
    assert sorted(Zone.objects.values_list("use_code", flat=True)) == ["CXK", "DGT", "ODT"]


def test_a_new_import_replaces_the_layers_zones(tmp_path, capture):
    target = layer()
    first = geojson(tmp_path / "v1.geojson", block_rows(("use_code", "use_name", "zone_code")))
    run(first, target=target, capture=capture)
    second = geojson(tmp_path / "v2.geojson", [(BLOCKS[0][0], {"use_code": "TMD"})])
    run(second, target=target, capture=capture)
    assert list(Zone.objects.filter(layer=target).values_list("use_code", "use_name")) == [
        ("TMD", "Đất thương mại, dịch vụ")  # no name in the file: the table's
    ]
    target.refresh_from_db()
    assert target.zone_count == 1
