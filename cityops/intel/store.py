"""Versioned model files under ``DATA_DIR/models``: ``classifier-<version>.joblib`` and a
``current`` pointer naming the version in use.

A version is ``<UTC time>-<training-set hash>``, e.g. ``20260301T080000Z-3fa2b1c4d5``. Files are
written to a temporary name and renamed, so a reader never sees half a model and a pointer
always names a complete file. Old versions are kept (a rollback is rewriting ``current``).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings

POINTER = "current"


@dataclass(frozen=True)
class ModelBundle:
    """A trained classifier and what it was trained on."""

    version: str
    trained_at: str
    pipeline: Any  # sklearn.pipeline.Pipeline
    counts: dict[str, int]
    sources: dict[str, int] = field(default_factory=dict)
    sklearn_version: str = ""

    @property
    def labels(self) -> list[str]:
        return [str(label) for label in self.pipeline.classes_]


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "models"


def pointer_path() -> Path:
    return models_dir() / POINTER


def model_path(version: str) -> Path:
    return models_dir() / f"classifier-{version}.joblib"


def _write_atomically(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def bundle_save(*, bundle: ModelBundle) -> Path:
    """Store ``bundle`` as its version and make it the current one."""
    path = model_path(bundle.version)
    _write_atomically(path, lambda handle: joblib.dump(bundle, handle, compress=3))
    _write_atomically(pointer_path(), lambda handle: handle.write(bundle.version.encode()))
    return path


def current_version() -> str | None:
    try:
        return pointer_path().read_text().strip() or None
    except FileNotFoundError:
        return None


def bundle_load(version: str) -> ModelBundle:
    """The stored bundle of ``version``; raises ``FileNotFoundError`` when it is missing."""
    bundle = joblib.load(model_path(version))
    if not isinstance(bundle, ModelBundle):
        raise FileNotFoundError(f"{model_path(version)} is not a CityOps classifier")
    return bundle


def versions() -> list[str]:
    """Every stored version, oldest first."""
    names = sorted(models_dir().glob("classifier-*.joblib"))
    return [name.stem.removeprefix("classifier-") for name in names]
