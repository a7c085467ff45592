"""Irreversible blurring of boxes: coarse pixelation, a Gaussian over it, with fresh noise.

Pixelation to a handful of cells throws the detail away (each cell keeps only its mean
colour, shifted by noise); the Gaussian hides the cell edges; the noise, drawn from the
operating system's random source, makes the output no deterministic function of the input, so
nobody can recover a plate by rendering candidates and comparing their blurred versions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from cityops.platform.blurring.pixels import image_decode, image_encode
from cityops.platform.blurring.regions import Region

# At most this many cells along a box's longer side: a plate keeps ~2 characters a cell (no
# character shape), a face ~4 cells across (no features).
_CELLS = 4
_NOISE_SIGMA = 6.0


def image_blur(content: bytes, regions: Sequence[Region]) -> bytes:
    """A JPEG of ``content`` with every region irreversibly blurred and no metadata.

    Regions are clipped to the image; those wholly outside it are ignored. Raises
    ``ValueError`` if ``content`` is not a readable JPEG/PNG/WebP.
    """
    pixels = image_decode(content)
    height, width = pixels.shape[:2]
    boxes = []
    for region in regions:
        x0, y0 = max(region.x, 0), max(region.y, 0)
        x1, y1 = min(region.x + region.width, width), min(region.y + region.height, height)
        if x1 > x0 and y1 > y0:
            boxes.append((x0, y0, x1, y1))
    rng = np.random.default_rng()  # seeded from the OS: never reproducible
    for x0, y0, x1, y1 in _joined(boxes):
        pixels[y0:y1, x0:x1] = _destroyed(pixels[y0:y1, x0:x1], rng)
    return image_encode(pixels)


def _joined(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Overlapping boxes replaced by the box around them: blurred once as a whole, with no
    seam where one box's blur would cut across another's."""
    changed = True
    while changed:
        changed = False
        out: list[tuple[int, int, int, int]] = []
        for box in boxes:
            for k, other in enumerate(out):
                if (
                    box[0] < other[2]
                    and other[0] < box[2]
                    and box[1] < other[3]
                    and other[1] < box[3]
                ):
                    out[k] = (
                        min(box[0], other[0]),
                        min(box[1], other[1]),
                        max(box[2], other[2]),
                        max(box[3], other[3]),
                    )
                    changed = True
                    break
            else:
                out.append(box)
        boxes = out
    return boxes


def _destroyed(patch: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = patch.shape[:2]
    cell = max(2, math.ceil(max(h, w) / _CELLS))
    small = cv2.resize(
        patch,
        (max(1, round(w / cell)), max(1, round(h / cell))),
        interpolation=cv2.INTER_AREA,
    )
    # The noise goes on the cells, not the pixels: it changes every cell's colour a little
    # yet adds no fine texture that could pass for detail.
    noisy = np.clip(small.astype(np.float32) + rng.normal(0.0, _NOISE_SIGMA, small.shape), 0, 255)
    blocks = cv2.resize(noisy.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
    sigma = cell / 2
    return cv2.GaussianBlur(
        blocks, (0, 0), sigmaX=sigma, sigmaY=sigma, borderType=cv2.BORDER_REPLICATE
    )
