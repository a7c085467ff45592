"""Backups of the whole IOC: the database and the media files, in one archive.

``backup_create`` writes a ``.tar.gz`` holding ``manifest.json``, the database (SQLite: a
consistent copy made with SQLite's online backup; PostgreSQL: ``pg_dump`` custom format) and
``media/``. ``backup_restore`` puts both back; the media directory it replaces is kept beside
the new one, never deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from cityops.platform import clock
from cityops.platform.errors import InvalidInput

FORMAT = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    vendor: str
    media_files: int
    size_bytes: int


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db.get("USER") or "postgres"}
    env["PGHOST"] = db.get("HOST") or "127.0.0.1"
    env["PGPORT"] = str(db.get("PORT") or 5432)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump_database(target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    elif connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"])
    else:
        raise InvalidInput(f"Backups of {connection.vendor} databases are not supported.")


def _load_database(source: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as saved:
            saved.backup(connection.connection)
        saved.close()
    else:
        connection.close()  # the restore drops and recreates tables this connection may hold
        _restore_postgresql(source)


def _restore_postgresql(source: Path) -> None:
    """Replace the database's tables with the archive's, all or nothing: one transaction that
    empties the schema and runs the archive's SQL. (``pg_restore --clean`` cannot: it drops
    each partition's constraints, which PostgreSQL refuses for the partitioned readings.)"""
    script = subprocess.Popen(  # noqa: S603
        ["pg_restore", "--no-owner", "--file=-", str(source)],  # noqa: S607
        env=_pg_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert script.stdout is not None
    psql = subprocess.Popen(
        ["psql", "--quiet", "--no-psqlrc", "--single-transaction", "-v", "ON_ERROR_STOP=1",  # noqa: S607
         "--command=DROP SCHEMA public CASCADE", "--command=CREATE SCHEMA public",
         "--file=-"],
        env=_pg_env(), stdin=script.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    script.stdout.close()  # psql owns the pipe now
    _, psql_errors = psql.communicate()
    _, restore_errors = script.communicate()
    if script.returncode != 0:
        raise RuntimeError(f"pg_restore failed: {restore_errors.decode(errors='replace').strip()}")
    if psql.returncode != 0:
        raise RuntimeError(f"psql failed: {psql_errors.decode(errors='replace').strip()}")


def backup_create(*, out: Path) -> BackupSummary:
    """Write the database and the media files into ``out`` (a .tar.gz)."""
    media = Path(settings.MEDIA_ROOT)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP_NAMES.get(connection.vendor, "database")
        _dump_database(dump)
        files = [path for path in media.rglob("*") if path.is_file()] if media.exists() else []
        manifest = {
            "format": FORMAT,
            "vendor": connection.vendor,
            "created_at": clock.now().isoformat(),
            "database": dump.name,
            "media_files": len(files),
        }
        (Path(work) / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(work) / "manifest.json", arcname="manifest.json")
            archive.add(dump, arcname=dump.name)
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media).as_posix()}")
        partial.replace(out)  # a half-written archive never carries the final name
    return BackupSummary(out, connection.vendor, len(files), out.stat().st_size)


def backup_restore(*, archive: Path) -> BackupSummary:
    """Replace the database and the media files with those of ``archive``."""
    if not archive.is_file():
        raise InvalidInput(f"No backup at {archive}.", fields={"archive": ["File not found."]})
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")  # refuses absolute paths, links out, devices
        manifest = json.loads((Path(work) / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise InvalidInput(f"{archive} is not a CityOps backup of format {FORMAT}.")
        if manifest["vendor"] != connection.vendor:
            raise InvalidInput(
                f"{archive} holds a {manifest['vendor']} database; this installation uses "
                f"{connection.vendor}. Restore it into a {manifest['vendor']} installation."
            )
        _load_database(Path(work) / manifest["database"])
        media = Path(settings.MEDIA_ROOT)
        restored = Path(work) / "media"
        if media.exists():
            stamp = clock.now().strftime("%Y%m%dT%H%M%S")
            media.rename(media.with_name(f"{media.name}.before-restore-{stamp}"))
        if restored.exists():
            shutil.move(restored, media)
        else:
            media.mkdir(parents=True)
    return BackupSummary(
        archive, manifest["vendor"], manifest["media_files"], archive.stat().st_size
    )
