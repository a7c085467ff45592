"""Decoding and encoding shared by detection and blurring, so both see the same pixels."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps

from cityops.platform.images import ImageLimits

_LIMITS = ImageLimits()
_FORMATS = sorted(_LIMITS.formats)
JPEG_QUALITY = 85


def image_decode(content: bytes) -> np.ndarray:
    """The upright RGB pixels (height x width x 3, uint8) of a JPEG/PNG/WebP.

    EXIF orientation is applied, so region coordinates always refer to the image as it is
    shown. Raises ``ValueError`` for anything that is not such an image or is too large.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=_FORMATS) as opened:
                width, height = opened.size
                if width * height > _LIMITS.max_pixels:
                    raise ValueError("the image has too many pixels")
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                rgb = upright.convert("RGB")
    except ValueError:
        raise
    except MemoryError:
        raise
    except Exception as exc:
        # Pillow raises almost anything on hostile bytes; callers get one kind of error.
        raise ValueError("not an image that can be read") from exc
    return np.asarray(rgb, dtype=np.uint8).copy()


def image_encode(pixels: np.ndarray) -> bytes:
    """A fresh JPEG of RGB ``pixels`` with nothing in it but the pixels (no EXIF, ICC, XMP)."""
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
