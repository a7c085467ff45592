"""Production static files: collectstatic succeeds with the vendored Leaflet wheels."""

from __future__ import annotations

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_hashes_the_vendor_files_despite_their_missing_source_maps(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "cityops.platform.staticfiles.StaticStorage"},
    }
    # override_settings resets the staticfiles storage on entry and exit (Django's signal).
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        hashed = staticfiles_storage.url("vendor/leaflet-markercluster/leaflet.markercluster.js")
        css = staticfiles_storage.url("vendor/leaflet/leaflet.css")
    assert hashed.startswith("/static/vendor/leaflet-markercluster/leaflet.markercluster.")
    assert hashed != "/static/vendor/leaflet-markercluster/leaflet.markercluster.js"
    assert (tmp_path / "vendor" / "leaflet" / "images" / "marker-icon.png").exists()
    assert css.endswith(".css")
    assert (tmp_path / "portal" / "portal.css").exists()
