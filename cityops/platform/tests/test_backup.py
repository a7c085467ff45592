"""``cityops backup`` and ``cityops restore``: a round trip brings back reports and photos."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cityops.reports.models import Attachment, Report
from cityops.reports.tests.helpers import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_restores_the_reports_and_their_photos(tmp_path, settings, capsys):
    # A demo report: only those may be deleted (on PostgreSQL the timeline is append-only).
    kept = submit(description="Đèn đường hỏng", photos=[jpeg_with_gps()], is_demo=True)
    photo = Path(Attachment.objects.get(report=kept).file.path)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", out=archive)
    assert "media files" in capsys.readouterr().out

    # After the backup: one report lost, one added, the photo deleted.
    submit(description="Báo cáo sau khi sao lưu")
    Report.objects.filter(pk=kept.pk).delete()
    photo.unlink()

    call_command("restore", str(archive), yes=True)
    assert list(Report.objects.values_list("description", flat=True)) == ["Đèn đường hỏng"]
    assert photo.read_bytes()[:2] == b"\xff\xd8"  # a JPEG again
    assert list(Path(settings.MEDIA_ROOT).parent.glob("media.before-restore-*"))


def test_the_archive_holds_a_manifest_the_database_and_the_media(tmp_path):
    submit(photos=[jpeg_with_gps()])
    archive = tmp_path / "b.tar.gz"
    call_command("backup", out=archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert any(name.startswith("database.") for name in names)
    assert any(name.startswith("media/") for name in names)


def test_restore_refuses_a_missing_or_foreign_file(tmp_path):
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"), yes=True)
    bogus = tmp_path / "bogus.tar.gz"
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"format": 99}')
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(manifest, arcname="manifest.json")
    with pytest.raises(CommandError, match="not a CityOps backup"):
        call_command("restore", str(bogus), yes=True)
