"""Vetting and cleaning of citizen photo uploads (pure Pillow, no Django).

``image_clean`` accepts an upload only if it really decodes as an allowed format within the
byte and pixel limits, then re-encodes it as a fresh JPEG: EXIF (GPS, device), XMP, ICC and
comments are dropped, EXIF orientation is applied first so the photo stays upright, trailing
bytes of polyglot files are gone, and a thumbnail is made. Everything else raises
``ImageRejected`` with a stable ``code`` and a short English ``message`` for the caller to
translate (``params`` carries the numbers a translation needs).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

_JPEG_QUALITY = 85
_READ_CHUNK = 64 * 1024
_PRETTY = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# Magic numbers consulted only after Pillow (limited to the allowed formats) gave up, to tell
# "a format we refuse" from "not an image"; refused formats never reach a Pillow parser.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF-", "PDF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "PSD"),
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif"}


class ImageRejected(ValueError):
    """An upload that is not an acceptable image; ``code`` is machine-readable.

    Codes: ``empty``, ``too_large``, ``not_an_image``, ``unsupported_format``,
    ``too_many_pixels``, ``too_small``. ``message`` is short, human and English.
    """

    code: str
    message: str
    params: Mapping[str, object]

    def __init__(self, code: str, message: str, params: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.params = code, message, dict(params or {})

    def __reduce__(self) -> tuple[type[ImageRejected], tuple[str, str, Mapping[str, object]]]:
        # Keep the exception picklable (task queues ship exceptions between processes).
        return type(self), (self.code, self.message, self.params)


@dataclass(frozen=True)
class ImageLimits:
    """What an upload may be; ``formats`` are Pillow format names."""

    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000
    min_side: int = 16
    max_side_out: int = 2560  # larger images are downscaled on re-encode
    thumb_side: int = 400
    formats: frozenset[str] = frozenset({"JPEG", "PNG", "WEBP"})


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded, metadata-free JPEG of the upload plus its thumbnail."""

    content: bytes
    thumbnail: bytes
    width: int
    height: int
    content_type: str
    extension: str
    source_format: str


_DEFAULT_LIMITS = ImageLimits()


def image_clean(data: bytes | BinaryIO, *, limits: ImageLimits = _DEFAULT_LIMITS) -> CleanImage:
    """Vet an upload (bytes, or a binary stream read from its current position) and return
    it re-encoded; raise ``ImageRejected`` for anything that is not an acceptable image."""
    raw = _read_limited(data, limits)
    try:
        with warnings.catch_warnings():
            # Local only: Pillow's global MAX_IMAGE_PIXELS is left alone, but its bomb
            # warning becomes a refusal here instead of a log line.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _clean(raw, limits)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _reject("too_many_pixels", limits) from None
    except MemoryError:
        raise  # within our limits this is the server's problem, not the upload's
    except Exception as exc:
        # Hostile input makes Pillow raise almost anything (OSError, SyntaxError, ValueError,
        # struct.error, IndexError...): none of it may escape as a server error.
        raise _reject("not_an_image", limits) from exc


def _read_limited(data: bytes | BinaryIO, limits: ImageLimits) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        if view.nbytes > limits.max_bytes:
            raise _reject("too_large", limits)
        raw = view.tobytes()
    else:
        # Read in chunks up to one byte past the limit: enough to know it is too large,
        # never the whole of a huge stream, and robust to streams that return short reads.
        buf = bytearray()
        while len(buf) <= limits.max_bytes:
            chunk = data.read(min(_READ_CHUNK, limits.max_bytes + 1 - len(buf)))
            if not chunk:
                break
            buf += chunk
        if len(buf) > limits.max_bytes:
            raise _reject("too_large", limits)
        raw = bytes(buf)
    if not raw:
        raise _reject("empty", limits)
    return raw


def _clean(raw: bytes, limits: ImageLimits) -> CleanImage:
    try:
        # Only the allowed plugins ever see the bytes: no GIF/BMP/TIFF/EPS parsing at all.
        opened = Image.open(io.BytesIO(raw), formats=sorted(limits.formats))
    except UnidentifiedImageError:
        sniffed = _sniff(raw)
        if sniffed is not None and sniffed not in limits.formats:
            raise _reject("unsupported_format", limits) from None
        raise _reject("not_an_image", limits) from None
    with opened as im:
        # Phones write multi-picture JPEGs (HDR gain maps, depth): Pillow names them "MPO".
        source = "JPEG" if im.format == "MPO" else (im.format or "")
        if source not in limits.formats:
            raise _reject("unsupported_format", limits)
        width, height = im.size  # from the header: nothing decoded yet
        if width * height > limits.max_pixels:
            raise _reject("too_many_pixels", limits)
        if min(width, height) < limits.min_side:
            raise _reject("too_small", limits)
        if source == "JPEG":
            # libjpeg can decode at 1/2, 1/4 or 1/8 scale while staying >= the output size,
            # which cuts memory for huge photos; it still reads (and checks) all the data.
            im.draft(None, (limits.max_side_out, limits.max_side_out))
        im.load()  # full decode: verify() alone misses truncated or corrupt pixel data
        upright = _upright(im)
    image = _to_rgb(upright)
    image.info.clear()  # convert() copies info (comment, xmp, exif...), which save() may reuse
    if max(image.size) > limits.max_side_out:
        image.thumbnail((limits.max_side_out, limits.max_side_out), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((limits.thumb_side, limits.thumb_side), Image.Resampling.LANCZOS)
    return CleanImage(
        content=_jpeg(image),
        thumbnail=_jpeg(thumb),
        width=image.width,
        height=image.height,
        content_type="image/jpeg",
        extension="jpg",
        source_format=source,
    )


def _upright(im: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(im)
    except MemoryError:
        raise
    except Exception:
        # The pixels decoded fine; a broken EXIF block (discarded anyway) should not cost
        # the citizen the report, only the rotation hint.
        return im.copy()


def _to_rgb(im: Image.Image) -> Image.Image:
    if im.mode.startswith("I;16") or im.mode == "I":
        # 16-bit greyscale PNG: a plain convert() clips everything above 255 to white.
        im = im.convert("I").point(lambda v: v / 256, "L")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))  # JPEG has no alpha: use white
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return im.convert("RGB")


def _jpeg(im: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif/icc_profile/xmp/comment arguments and an empty info: nothing but pixels.
    im.save(out, "JPEG", quality=_JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _sniff(raw: bytes) -> str | None:
    for magic, name in _SIGNATURES:
        if raw.startswith(magic):
            return name
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "WEBP"
    if raw[4:8] == b"ftyp" and raw[8:12] in _HEIF_BRANDS:
        return "HEIF"  # iPhone default; browsers usually convert, some apps do not
    if b"<svg" in raw[:2048].lower():
        return "SVG"
    return None


def _reject(code: str, limits: ImageLimits) -> ImageRejected:
    # One table of every user-facing message, so translators find them all in one place.
    names = [_PRETTY.get(f, f) for f in sorted(limits.formats)]
    formats = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    n, side = limits.max_bytes, limits.min_side
    size = f"{round(n / 2**20, 1):g} MB" if n >= 2**20 else f"{round(n / 1024, 1):g} KB"
    megapixels = f"{round(limits.max_pixels / 1e6, 1):g}"
    table: dict[str, tuple[str, dict[str, object]]] = {
        "empty": ("The file is empty.", {}),
        "too_large": (f"The file is too large (maximum {size}).", {"max_bytes": n}),
        "not_an_image": (
            f"The file is not an image we can read ({formats}).",
            {"formats": formats},
        ),
        "unsupported_format": (
            f"This type of image is not accepted. Please upload a {formats} photo.",
            {"formats": formats},
        ),
        "too_many_pixels": (
            f"The image resolution is too high (maximum {megapixels} megapixels).",
            {"max_pixels": limits.max_pixels},
        ),
        "too_small": (
            f"The image is too small (at least {side} x {side} pixels).",
            {"min_side": side},
        ),
    }
    return ImageRejected(code, *table[code])
