"""Faces and number plates found in an image (OpenCV's bundled cascades, nothing downloaded)."""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np

from cityops.platform.blurring.pixels import image_decode
from cityops.platform.blurring.plates import plate_boxes
from cityops.platform.blurring.regions import Region

# Each finder works on a copy whose longer side is at most this (boxes are mapped back): the
# cascades' cost grows with the pixels, so faces smaller than ~3 % of the longer side are
# out of reach; plates are found on a larger copy, their characters being small.
FACE_SIDE = 800
PLATE_SIDE = 1600
PROFILE_SIDE = 480
# Boxes are grown by this share of their size on every side: better too much blurred than
# an ear or a plate's edge left readable.
FACE_PAD = 0.25
PLATE_PAD = 0.25
_MIN_FACE = 22  # px at the working size

Box = tuple[int, int, int, int]


@cache
def _cascade(name: str) -> cv2.CascadeClassifier:
    # cv2.data (the bundled cascades' folder) is missing from OpenCV's type stubs.
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)  # type: ignore[attr-defined]
    if classifier.empty():
        raise RuntimeError(f"OpenCV's {name} is missing from the installed package")
    return classifier


def regions_detect(content: bytes) -> list[Region]:
    """Padded boxes around the faces and number plates in ``content`` (JPEG/PNG/WebP).

    Coordinates are in the upright image's pixels and clipped to it. Raises ``ValueError`` if
    ``content`` is not a readable image.
    """
    pixels = image_decode(content)
    height, width = pixels.shape[:2]
    regions = []
    plate_scale, plate_rgb = _shrunk(pixels, PLATE_SIDE)
    for box in plate_boxes(plate_rgb):
        regions.append(_region("plate", box, PLATE_PAD, plate_scale, width, height))
    face_scale, face_rgb = _shrunk(plate_rgb, FACE_SIDE)
    scale = plate_scale * face_scale
    for box in face_boxes(cv2.cvtColor(face_rgb, cv2.COLOR_RGB2GRAY)):
        regions.append(_region("face", box, FACE_PAD, scale, width, height))
    return regions


def face_boxes(gray: np.ndarray) -> list[Box]:
    """Faces, frontal and in profile either way, in a greyscale image."""
    boxes = _boxes(
        _cascade("haarcascade_frontalface_alt.xml").detectMultiScale(
            gray, scaleFactor=1.1, minNeighbors=2, minSize=(_MIN_FACE, _MIN_FACE)
        )
    )
    # Profiles are sought on a smaller copy: the cascade is dear, run twice (once mirrored),
    # and a face seen from the side is rarely the small one in the distance.
    scale, small = _shrunk(gray, PROFILE_SIDE)
    profile = _cascade("haarcascade_profileface.xml")
    width = small.shape[1]
    for flipped in (False, True):
        found = profile.detectMultiScale(
            cv2.flip(small, 1) if flipped else small,
            scaleFactor=1.2,
            minNeighbors=4,
            minSize=(_MIN_FACE, _MIN_FACE),
        )
        for x, y, w, h in _boxes(found):
            x = width - x - w if flipped else x
            boxes.append((round(x / scale), round(y / scale), round(w / scale), round(h / scale)))
    return boxes


def _shrunk(pixels: np.ndarray, side: int) -> tuple[float, np.ndarray]:
    height, width = pixels.shape[:2]
    scale = min(1.0, side / max(height, width))
    if scale >= 1.0:
        return 1.0, pixels
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return scale, cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)


def _boxes(found: object) -> list[Box]:
    return [(int(x), int(y), int(w), int(h)) for x, y, w, h in np.asarray(found).reshape(-1, 4)]


def _region(kind: str, box: Box, pad: float, scale: float, width: int, height: int) -> Region:
    x, y, w, h = (v / scale for v in box)
    dx, dy = w * pad, h * pad
    x0, y0 = max(0, int(x - dx)), max(0, int(y - dy))
    x1, y1 = min(width, int(np.ceil(x + w + dx))), min(height, int(np.ceil(y + h + dy)))
    return Region(x=x0, y=y0, width=max(1, x1 - x0), height=max(1, y1 - y0), kind=kind)
