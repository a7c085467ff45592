"""What the photo-blurring tests share: a detailed photo, a detector that finds known boxes, and
a way to compare two JPEGs inside a box."""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
from PIL import Image

from cityops.platform.blurring import Region
from cityops.reports.photos import photos_blur_pending

Box = tuple[int, int, int, int]  # x, y, width, height

SIZE = (320, 240)
FACE: Box = (40, 30, 80, 100)  # where the fake detector "finds" a face
PLATE: Box = (200, 170, 90, 30)  # and a box an operator may add


@cache
def detailed_jpeg() -> bytes:
    """A photo full of fine detail (a fixed random texture), so that any blur shows."""
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, size=(SIZE[1], SIZE[0], 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=95)
    return out.getvalue()


def detector_finding(monkeypatch: Any, *boxes: Box, kind: str = "face") -> list[Region]:
    """Make the blur job's detector find exactly ``boxes`` in every photo."""
    regions = [Region(*box, kind=kind) for box in boxes]
    monkeypatch.setattr("cityops.reports.photos.regions_detect", lambda content: list(regions))
    return regions


def detector_failing(monkeypatch: Any) -> None:
    def broken(content: bytes) -> list[Region]:
        raise RuntimeError("the cascade could not be read")

    monkeypatch.setattr("cityops.reports.photos.regions_detect", broken)


def blur_now() -> dict[str, int]:
    """Run the blur job for every photo waiting, as the job queue would after the commit."""
    return photos_blur_pending()


def pixels(content: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(content)) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def difference_inside(first: bytes, second: bytes, box: Box) -> float:
    """The mean difference of the two images' pixel values inside ``box`` (0 to 255)."""
    x, y, width, height = box
    a, b = pixels(first), pixels(second)
    return float(np.abs(a[y : y + height, x : x + width] - b[y : y + height, x : x + width]).mean())


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def region_dicts(boxes: Iterable[Box], *, kind: str, source: str) -> list[dict[str, object]]:
    return [Region(*box, kind=kind, source=source).as_dict() for box in boxes]
