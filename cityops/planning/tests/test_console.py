"""The console's planning pages: operators create a layer and upload its file, watch the
import's progress bar and read the refused rows; leaders only look; others are kept out."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityops.planning.choices import ImportStatus
from cityops.planning.models import Layer, LayerImport, Zone
from cityops.planning.tests.files import BLOCKS, SHP, block_rows, geojson, layer, ogr

pytestmark = pytest.mark.django_db

LAYERS = reverse("console:planning:layers")
NEW = reverse("console:planning:layer_new")


def upload(path, name=None, content_type="application/octet-stream"):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type=content_type)


def test_an_operator_creates_a_layer_and_imports_a_geojson_file(
    client, operator, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    response = client.post(NEW, {
        "title": "Phân khu Kinh thành", "slug": "phan-khu-kinh-thanh",
        "plan_name": "Quy hoạch phân khu Kinh thành Huế", "decision_number": "1234/QĐ-UBND",
        "decision_date": "2024-05-02", "as_of": "2024-06-01", "issued_by": "UBND tỉnh",
    })  # fmt: skip
    page = reverse("console:planning:layer", args=["phan-khu-kinh-thanh"])
    assert response.status_code == 302
    assert response["Location"] == page
    path = geojson(tmp_path / "kinh-thanh.geojson", block_rows(("MaLoaiDat", "TenLoaiDat", "MaO")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:planning:import_new", args=["phan-khu-kinh-thanh"]),
            {"upload": upload(path), "source_crs": "wgs84"},
        )
    assert response.status_code == 302
    job = LayerImport.objects.get()
    assert (job.status, job.total, job.done, job.imported) == (ImportStatus.DONE, 3, 3, 3)
    assert job.created_by == operator
    page_html = client.get(page).content.decode()
    assert "kinh-thanh.geojson" in page_html
    assert f'<progress id="progress-{job.pk}" max="3" value="3">' in page_html
    assert "hx-trigger" not in page_html.split('id="imports"')[1]  # finished: no more polling
    assert Zone.objects.filter(layer__slug="phan-khu-kinh-thanh").count() == 3
    # published by the operator, the layer answers the public lookup; withdrawn, it does not
    publication = reverse("console:planning:layer_publication", args=["phan-khu-kinh-thanh"])
    lookup = reverse("planning:lookup")
    assert client.post(publication, {"publish": "1"}).status_code == 302
    assert "phan-khu-kinh-thanh" in client.get(lookup).content.decode()
    assert client.post(publication, {"publish": "0"}).status_code == 302
    assert "phan-khu-kinh-thanh" not in client.get(lookup).content.decode()


def test_a_running_import_is_polled_and_its_partial_shows_the_progress(client, leader):
    target = layer()
    job = LayerImport.objects.create(
        layer=target, file_name="lon.zip", status=ImportStatus.RUNNING, total=400, done=200,
        errors=[{"row": 7, "message": "Không phải vùng"}],
    )  # fmt: skip
    client.force_login(leader)
    page = client.get(reverse("console:planning:layer", args=[target.slug])).content.decode()
    url = reverse("console:planning:import_progress", args=[job.pk])
    assert f'hx-get="{url}"' in page
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(url).content.decode()
    assert 'max="400" value="200"' in partial
    assert "Không phải vùng" in partial
    assert "<html" not in partial
    job.status, job.done = ImportStatus.DONE, 400
    job.save()
    assert "hx-get" not in client.get(url).content.decode()


def test_leaders_see_the_layers_but_no_forms(client, leader):
    layer()
    client.force_login(leader)
    html = client.get(LAYERS).content.decode()
    assert "Phân khu thử" in html
    assert NEW not in html
    page = client.get(reverse("console:planning:layer", args=["phan-khu-test"])).content.decode()
    assert 'enctype="multipart/form-data"' not in page
    assert client.post(NEW, {"title": "x"}).status_code == 403


def test_the_shapefile_parts_chosen_together_are_imported(
    client, operator, tmp_path, django_capture_on_commit_callbacks
):
    shp = ogr(tmp_path / "qh.shp", block_rows(("KyHieu", "TenDat", "MaLo")), driver=SHP)
    parts = [upload(shp.with_suffix(s)) for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")]
    target = layer()
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:planning:import_new", args=[target.slug]),
            {"upload": parts, "source_crs": "vn2000_107"},  # the .prj says WGS 84: it wins
        )
    assert response.status_code == 302
    job = LayerImport.objects.get()
    assert job.file_name == "qh.zip"
    assert job.status == ImportStatus.DONE, job.message
    assert job.imported == len(BLOCKS)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("ban-do.pdf", b"%PDF-1.4", "Upload a .geojson"),
        ("ban-do.geojson", b"%PDF-1.4 renamed", "does not match its name"),
        ("ban-do.shp", b"\x00\x00\x27\x0a", "parts of one Shapefile"),
    ],
)
def test_an_upload_of_the_wrong_kind_is_refused_with_a_reason(
    client, operator, name, content, says
):
    target = layer()
    client.force_login(operator)
    files = [SimpleUploadedFile(name, content)]
    if name.endswith(".shp"):
        files.append(SimpleUploadedFile("khac.dbf", b"x"))
    response = client.post(
        reverse("console:planning:import_new", args=[target.slug]),
        {"upload": files, "source_crs": "wgs84"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not LayerImport.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, operator, monkeypatch, tmp_path):
    monkeypatch.setattr("cityops.planning.forms.UPLOAD_MAX_BYTES", 100)
    path = geojson(tmp_path / "lon.geojson", block_rows(("MaLoaiDat", "TenLoaiDat", "MaO")))
    client.force_login(operator)
    response = client.post(
        reverse("console:planning:import_new", args=[layer().slug]),
        {"upload": upload(path), "source_crs": "wgs84"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_a_taken_identifier_is_refused_on_the_form(client, operator):
    layer("phan-khu-1")
    client.force_login(operator)
    response = client.post(NEW, {
        "title": "Trùng", "slug": "phan-khu-1", "plan_name": "QH", "decision_number": "1",
        "decision_date": "2024-01-01", "as_of": "2024-01-01",
    }, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert response.status_code == 400
    assert "exists already" in response.content.decode()
    assert Layer.objects.count() == 1


@pytest.mark.parametrize("who", [None, "agency_staff", "citizen"])
def test_people_outside_the_ioc_are_kept_out(client, who, request):
    if who is None:
        response = client.get(LAYERS)
        assert response.status_code == 302
        assert "next=" in response["Location"]
        return
    client.force_login(request.getfixturevalue(who))
    assert client.get(LAYERS).status_code == 403


def test_an_import_without_a_file_asks_for_one(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("console:planning:import_new", args=[layer().slug]), {"source_crs": "wgs84"}
    )
    assert response.status_code == 400
    assert not LayerImport.objects.exists()


def test_a_layer_without_zones_cannot_be_published(client, operator):
    client.force_login(operator)
    empty = Layer.objects.create(
        slug="chua-nhap", title="Chưa nhập", plan_name="Quy hoạch", decision_number="1/QĐ",
        decision_date="2024-01-02", as_of="2024-01-02",
    )  # fmt: skip
    publication = reverse("console:planning:layer_publication", args=[empty.slug])
    page = client.post(publication, {"publish": "1"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Import the layer&#x27;s zones before publishing it." in page.content.decode()
    empty.refresh_from_db()
    assert not empty.is_published
