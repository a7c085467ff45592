"""A file's bad rows are refused one by one, each listed with its row and reason, and the good
rows imported; a file that cannot be read at all fails with a message saying why."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from shapely.geometry import LineString, Polygon, box

from cityops.planning.choices import ImportStatus
from cityops.planning.importing import layer_import_run
from cityops.planning.importing.run import EARLIER_WORDINGS
from cityops.planning.models import LayerImport, Zone
from cityops.planning.services import layer_import_start
from cityops.planning.tests.files import BLOCKS, geojson, layer, ogr, zipped

pytestmark = pytest.mark.django_db

GOOD = BLOCKS[0][0]
BOWTIE = Polygon([(107.59, 16.47), (107.591, 16.471), (107.591, 16.47), (107.59, 16.471)])
# VN-2000 metres, Huế's zone: a block near the citadel; the same block in the 6° UTM zone 48
# (central meridian 105°) lands two degrees east of Huế's zone.
VN_BLOCK = box(560_300, 1_822_900, 560_400, 1_823_000)
UTM48_BLOCK = box(775_000, 1_823_000, 775_100, 1_823_100)


def imported(path, *, crs="wgs84") -> LayerImport:
    job = layer_import_start(
        layer=layer(), file=ContentFile(path.read_bytes()), file_name=path.name,
        source_crs=crs, queue=False,
    )  # fmt: skip
    return layer_import_run(layer_import=job)  # in the job's language, which is nobody's


def message(job: LayerImport, language: str = "en") -> str:
    """The outcome as a reader in ``language`` sees it."""
    with translation.override(language):
        return job.message_shown


def rows_to_look_at(job: LayerImport, language: str = "en") -> list[dict]:
    with translation.override(language):
        return job.errors_shown


def test_bad_rows_are_listed_with_their_reasons_and_the_good_ones_imported(tmp_path):
    rows = [
        (GOOD, {"MaLoaiDat": "ODT"}),
        (BOWTIE, {"MaLoaiDat": "DVH"}),
        (LineString([(107.58, 16.47), (107.59, 16.48)]), {"MaLoaiDat": "DGT"}),
        (GOOD, {"MaLoaiDat": ""}),
        (box(2.35, 48.85, 2.36, 48.86), {"MaLoaiDat": "ODT"}),  # Paris
        (None, {"MaLoaiDat": "ODT"}),
    ]
    job = imported(geojson(tmp_path / "loi.geojson", rows))
    assert job.status == ImportStatus.DONE
    assert (job.total, job.done, job.imported) == (6, 6, 2)
    by_row = {error["row"]: error for error in rows_to_look_at(job)}
    assert by_row[2]["repaired"] is True
    assert "repaired" in by_row[2]["message"]
    assert "Not a polygon" in by_row[3]["message"]
    assert "No land-use code" in by_row[4]["message"]
    assert "outside Vietnam" in by_row[5]["message"]
    assert "No geometry" in by_row[6]["message"]
    assert sorted(Zone.objects.values_list("use_code", flat=True)) == ["DVH", "ODT"]
    assert Zone.objects.get(use_code="DVH").geometry["type"] in ("Polygon", "MultiPolygon")
    assert "Zones imported: 2 " in message(job)
    assert "Rows refused: 4;" in message(job)


def test_vn2000_rows_outside_hues_zone_or_with_swapped_axes_are_refused(tmp_path):
    swapped = box(1_822_900, 560_300, 1_823_000, 560_400)
    rows = [(VN_BLOCK, {"KyHieu": "ODT"}), (UTM48_BLOCK, {"KyHieu": "ODT"}),
            (swapped, {"KyHieu": "ODT"})]  # fmt: skip
    job = imported(geojson(tmp_path / "vn2000.geojson", rows), crs="vn2000_107")
    assert job.imported == 1
    assert [e["row"] for e in job.errors] == [2, 3]
    assert "3° zone" in rows_to_look_at(job)[0]["message"]
    assert "swapped" in rows_to_look_at(job)[1]["message"]
    zone = Zone.objects.get()
    assert 107.56 < zone.min_lon < 107.57
    assert 16.47 < zone.min_lat < 16.49


def test_a_file_that_is_not_geodata_fails_with_a_clear_message(tmp_path):
    path = tmp_path / "ke-hoach.geojson"
    path.write_bytes(b"%PDF-1.4 not a map")
    job = imported(path)
    assert job.status == ImportStatus.FAILED
    assert "does not match its name" in message(job)
    assert Zone.objects.count() == 0


def test_a_file_without_a_code_field_fails_and_lists_its_fields(tmp_path):
    job = imported(geojson(tmp_path / "x.geojson", [(GOOD, {"ghi_chu": "a", "dien_tich": 2})]))
    assert job.status == ImportStatus.FAILED
    assert "ghi_chu" in message(job)
    assert "dien_tich" in message(job)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")  # its .prj is written below
def test_a_shapefile_in_an_unknown_coordinate_system_fails(tmp_path):
    shp = ogr(tmp_path / "x.shp", [(VN_BLOCK, {"MaLoaiDat": "ODT"})], driver="ESRI Shapefile",
              crs=None)  # fmt: skip
    shp.with_suffix(".prj").write_text('LOCAL_CS["Luoi cong truong",UNIT["metre",1]]')
    job = imported(zipped(shp), crs="vn2000_107")
    assert job.status == ImportStatus.FAILED
    assert "coordinate system" in message(job)
    assert "Luoi cong truong" in message(job)
    assert Zone.objects.count() == 0


def test_a_file_whose_rows_are_all_refused_fails_and_keeps_the_layers_zones(tmp_path):
    job = imported(geojson(tmp_path / "x.geojson", [(GOOD, {"MaLoaiDat": " "})]))
    assert job.status == ImportStatus.FAILED
    assert rows_to_look_at(job) == [
        {
            "row": 1,
            "message": "No land-use code (field MaLoaiDat).",
            "values": {"field": "MaLoaiDat"},
        }
    ]


def test_attributes_that_name_a_person_are_not_kept(tmp_path):
    props = {"MaLoaiDat": "ODT", "ChuSuDung": "Nguyễn Văn A", "SoDienThoai": "0905123456",
             "GhiChu": "liên hệ 0905 123 456", "DienTich": 812.5}  # fmt: skip
    job = imported(geojson(tmp_path / "x.geojson", [(GOOD, props)]))
    assert job.imported == 1
    kept = Zone.objects.get().properties
    assert set(kept) == {"MaLoaiDat", "GhiChu", "DienTich"}
    assert "0905 123 456" not in kept["GhiChu"]
    assert kept["DienTich"] == 812.5


def test_a_field_named_for_the_import_that_the_file_lacks_fails_it(tmp_path):
    path = geojson(tmp_path / "x.geojson", [(GOOD, {"MaLoaiDat": "ODT"})])
    job = layer_import_start(
        layer=layer(), file=ContentFile(path.read_bytes()), file_name=path.name,
        field_map={"use_code": "KyHieuQH"}, queue=False,
    )  # fmt: skip
    job = layer_import_run(layer_import=job)
    assert job.status == ImportStatus.FAILED
    assert message(job) == "The file has no field KyHieuQH. Its fields: MaLoaiDat."


def test_the_outcome_is_told_in_each_readers_language(tmp_path):
    """The import runs in a job; staff read its result in Vietnamese or in English."""
    rows = [(GOOD, {"MaLoaiDat": "ODT"}), (None, {"MaLoaiDat": "ODT"})]
    job = imported(geojson(tmp_path / "hai.geojson", rows))
    assert message(job, "en") == "Zones imported: 1 (WGS 84). Rows refused: 1; repaired: 0."
    assert message(job, "vi") == "Đã nhập 1 ô quy hoạch (WGS 84); từ chối 1 dòng, sửa 0 dòng."
    assert rows_to_look_at(job, "en")[0]["message"] == "No geometry."
    assert rows_to_look_at(job, "vi")[0]["message"] == "Không có hình học."


def test_a_message_kept_before_messages_had_values_is_shown_as_written():
    job = LayerImport(message="Đã nhập 3 vùng.", errors=[{"row": 7, "message": "Không phải vùng"}])
    assert message(job) == "Đã nhập 3 vùng."
    assert rows_to_look_at(job) == [{"row": 7, "message": "Không phải vùng"}]


def test_an_outcome_kept_in_an_earlier_wording_is_still_told_in_vietnamese():
    values = {"imported": 3, "source": "VN-2000", "refused": 0, "repaired": 1}
    job = LayerImport(message=EARLIER_WORDINGS[0], message_values=values)
    assert message(job, "vi") == "Đã nhập 3 ô quy hoạch (VN-2000); từ chối 0 dòng, sửa 1 dòng."
    assert message(job, "en") == "3 zones imported (VN-2000); 0 rows refused, 1 repaired."
