"""Tests for cityops.platform.images: every test image is made in memory with Pillow."""

from __future__ import annotations

import io
import pickle
import random
import struct
import time
import warnings
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms, ImageFile, ImageOps

from cityops.platform.images import CleanImage, ImageLimits, ImageRejected, image_clean

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


# --- helpers -------------------------------------------------------------------------------


def encode(im: Image.Image, fmt: str, **kwargs: object) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **kwargs)
    return out.getvalue()


def noise(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """Incompressible pixels, so the encoded file is big enough to truncate meaningfully."""
    return Image.frombytes("RGB", size, random.Random(seed).randbytes(size[0] * size[1] * 3))


def png_declaring(width: int, height: int) -> bytes:
    """A valid 1x1 PNG whose IHDR (with a correct CRC) claims width x height."""
    data = bytearray(encode(Image.new("L", (1, 1)), "PNG"))
    # Layout: 8-byte signature, 4-byte length, b"IHDR", 13 bytes of fields, 4-byte CRC.
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def phone_photo() -> bytes:
    """200x100 stored sideways (top half red, bottom blue) with GPS, device, XMP, ICC, comment."""
    im = Image.new("RGB", (200, 100), BLUE)
    im.paste(RED, (0, 0, 200, 50))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "SecretPhone 9000"
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90 degrees clockwise to display"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 1.0, 42.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 51.0, 3.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(
        im,
        "JPEG",
        exif=exif,
        icc_profile=icc,
        comment=b"owner: nguyen van a",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SecretXmp</x:xmpmeta>',
    )


def assert_plain_jpeg(data: bytes) -> Image.Image:
    """Re-open an output and check it is a JPEG carrying nothing but pixels."""
    with Image.open(io.BytesIO(data)) as out:
        out.load()
    assert out.format == "JPEG"
    assert out.mode == "RGB"
    assert len(out.getexif()) == 0
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"):
        assert key not in out.info
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap/1.0/", b"ICC_PROFILE"):
        assert marker not in data
    return out


def rejected(data: object, limits: ImageLimits | None = None) -> ImageRejected:
    with pytest.raises(ImageRejected) as info:
        image_clean(data, limits=limits or ImageLimits())  # type: ignore[arg-type]
    return info.value


def close_to(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 40 for a, b in zip(pixel, colour, strict=True))


class CountingStream:
    """A file-like object of `size` bytes (endless if None) that counts what is read."""

    def __init__(self, payload: bytes = b"", size: int | None = None, max_chunk: int = 0):
        self.payload, self.size, self.max_chunk = payload, size, max_chunk
        self.bytes_read = 0

    def read(self, n: int = -1) -> bytes:
        assert n is not None, "must never ask for the whole stream"
        assert n >= 0, "must never ask for the whole stream"
        if self.max_chunk:
            n = min(n, self.max_chunk)
        if self.payload:
            chunk = self.payload[self.bytes_read : self.bytes_read + n]
        else:
            left = n if self.size is None else max(0, min(n, self.size - self.bytes_read))
            chunk = b"\xff" * left
        self.bytes_read += len(chunk)
        return chunk


# --- accepted uploads ------------------------------------------------------------------------


def test_a_phone_jpeg_comes_back_upright_with_no_exif_gps_device_xmp_icc_or_comment():
    original = phone_photo()
    with Image.open(io.BytesIO(original)) as src:  # the fixture really carries all of it
        assert src.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert {"exif", "xmp", "icc_profile", "comment"} <= set(src.info)

    result = image_clean(original)

    assert (result.width, result.height) == (100, 200)  # width and height swapped
    out = assert_plain_jpeg(result.content)
    assert out.size == (100, 200)
    # Stored top (red) must now be on the right: a 90-degree clockwise turn.
    assert close_to(out.getpixel((90, 100)), RED)
    assert close_to(out.getpixel((10, 100)), BLUE)
    for secret in (b"Canon", b"SecretPhone", b"SecretXmp", b"nguyen van a"):
        assert secret not in result.content
        assert secret not in result.thumbnail
    assert result.source_format == "JPEG"
    assert (result.content_type, result.extension) == ("image/jpeg", "jpg")


def test_the_thumbnail_is_upright_and_metadata_free_too():
    thumb = assert_plain_jpeg(image_clean(phone_photo()).thumbnail)
    assert thumb.size == (100, 200)


def test_a_png_with_alpha_is_accepted_and_becomes_a_jpeg_flattened_over_white():
    im = Image.new("RGBA", (64, 32), (0, 0, 0, 0))
    im.paste((255, 0, 0, 255), (32, 0, 64, 32))
    result = image_clean(encode(im, "PNG"))
    out = assert_plain_jpeg(result.content)
    assert result.source_format == "PNG"
    assert close_to(out.getpixel((5, 16)), WHITE)
    assert close_to(out.getpixel((60, 16)), RED)


def test_a_palette_png_with_a_transparent_colour_is_flattened_over_white():
    im = Image.new("P", (32, 32), 0)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    im.paste(1, (16, 0, 32, 32))
    out = assert_plain_jpeg(image_clean(encode(im, "PNG", transparency=0)).content)
    assert close_to(out.getpixel((4, 16)), WHITE)
    assert close_to(out.getpixel((28, 16)), RED)


def test_a_webp_is_accepted():
    result = image_clean(encode(Image.new("RGB", (48, 32), RED), "WEBP"))
    assert result.source_format == "WEBP"
    assert (result.width, result.height) == (48, 32)
    assert close_to(assert_plain_jpeg(result.content).getpixel((24, 16)), RED)


def test_a_multi_picture_jpeg_from_a_phone_is_accepted_as_jpeg():
    main, extra = Image.new("RGB", (64, 48), RED), Image.new("RGB", (32, 24), BLUE)
    result = image_clean(encode(main, "MPO", save_all=True, append_images=[extra]))
    assert result.source_format == "JPEG"
    assert (result.width, result.height) == (64, 48)
    assert_plain_jpeg(result.content)


def test_a_cmyk_jpeg_is_accepted_and_converted_to_rgb():
    result = image_clean(encode(Image.new("CMYK", (32, 32), (0, 255, 255, 0)), "JPEG"))
    assert close_to(assert_plain_jpeg(result.content).getpixel((16, 16)), RED)


def test_a_16_bit_greyscale_png_keeps_its_tones_instead_of_turning_white():
    result = image_clean(encode(Image.new("I;16", (32, 32), 32768), "PNG"))
    r, g, b = assert_plain_jpeg(result.content).getpixel((16, 16))
    assert 110 <= r <= 145
    assert r == g == b


def test_a_broken_exif_block_costs_only_the_rotation_not_the_upload(monkeypatch):
    def broken(image: Image.Image) -> Image.Image:
        raise SyntaxError("corrupt EXIF")

    monkeypatch.setattr(ImageOps, "exif_transpose", broken)
    result = image_clean(phone_photo())
    assert (result.width, result.height) == (200, 100)
    assert_plain_jpeg(result.content)


def test_a_jpeg_with_a_script_appended_is_accepted_but_the_trailer_is_gone():
    payload = b"<script>alert(document.cookie)</script>"
    result = image_clean(encode(Image.new("RGB", (32, 32), RED), "JPEG") + payload)
    assert b"<script>" not in result.content
    assert b"<script>" not in result.thumbnail
    assert_plain_jpeg(result.content)


def test_a_jpeg_zip_polyglot_comes_back_as_a_plain_jpeg_and_no_longer_an_archive():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as payload:
        payload.writestr("index.html", "<script>alert(document.cookie)</script>")
    polyglot = encode(Image.new("RGB", (32, 32), RED), "JPEG") + archive.getvalue()
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    result = image_clean(polyglot)
    assert not zipfile.is_zipfile(io.BytesIO(result.content))
    assert b"PK\x03\x04" not in result.content
    assert b"index.html" not in result.content
    assert_plain_jpeg(result.content)


def test_html_behind_a_jpeg_signature_is_refused_as_not_an_image():
    html = b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>" * 10
    assert rejected(html).code == "not_an_image"


def test_a_huge_image_is_downscaled_to_max_side_out_keeping_its_ratio():
    result = image_clean(encode(Image.new("RGB", (3000, 1500), RED), "PNG"))
    assert (result.width, result.height) == (2560, 1280)
    assert assert_plain_jpeg(result.content).size == (2560, 1280)


def test_a_huge_jpeg_is_decoded_at_reduced_scale_and_still_downscaled_exactly():
    result = image_clean(encode(Image.new("RGB", (6000, 5200), BLUE), "JPEG"))
    assert max(result.width, result.height) == 2560
    assert result.width / result.height == pytest.approx(6000 / 5200, rel=0.01)


@pytest.mark.parametrize(
    ("size", "thumb"),
    [((1000, 500), (400, 200)), ((300, 1200), (100, 400)), ((120, 60), (120, 60))],
)
def test_the_thumbnail_longest_side_is_at_most_thumb_side_and_never_upscaled(size, thumb):
    result = image_clean(encode(Image.new("RGB", size, RED), "PNG"))
    with Image.open(io.BytesIO(result.thumbnail)) as out:
        assert out.format == "JPEG"
        assert out.size == thumb


def test_a_smaller_thumb_side_is_honoured():
    result = image_clean(
        encode(Image.new("RGB", (500, 250), RED), "PNG"), limits=ImageLimits(thumb_side=50)
    )
    with Image.open(io.BytesIO(result.thumbnail)) as out:
        assert out.size == (50, 25)


def test_a_stream_is_accepted_even_if_it_returns_short_reads():
    data = encode(Image.new("RGB", (32, 32), RED), "PNG")
    result = image_clean(CountingStream(data, max_chunk=7))  # type: ignore[arg-type]
    assert isinstance(result, CleanImage)


def test_bytearray_and_memoryview_inputs_are_accepted():
    data = encode(Image.new("RGB", (32, 32), RED), "PNG")
    assert image_clean(bytearray(data)).width == 32
    assert image_clean(memoryview(data)).width == 32


def test_a_file_of_exactly_max_bytes_is_accepted():
    data = encode(Image.new("RGB", (32, 32), RED), "JPEG")
    limits = ImageLimits(max_bytes=len(data))
    assert image_clean(data, limits=limits).width == 32
    assert image_clean(io.BytesIO(data), limits=limits).width == 32


def test_an_image_of_exactly_min_side_is_accepted():
    assert image_clean(encode(Image.new("RGB", (16, 16), RED), "PNG")).width == 16


# --- refused uploads -------------------------------------------------------------------------


GIF = encode(Image.new("P", (32, 32)), "GIF")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"Pothole on Nguyen Trai street, please fix.\n", "not_an_image", id="text"),
        pytest.param(
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "not_an_image",
            id="html",
        ),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
            b"<script>alert(1)</script></svg>",
            "unsupported_format",
            id="svg",
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
            "unsupported_format",
            id="svg-with-xml-declaration",
        ),
        pytest.param(GIF, "unsupported_format", id="gif"),
        pytest.param(
            b"GIF89a/*" + GIF[8:] + b"*/=1;alert(document.domain);",
            "unsupported_format",
            id="gif-javascript-polyglot",
        ),
        pytest.param(encode(Image.new("RGB", (32, 32)), "BMP"), "unsupported_format", id="bmp"),
        pytest.param(encode(Image.new("RGB", (32, 32)), "TIFF"), "unsupported_format", id="tiff"),
        pytest.param(encode(Image.new("RGB", (32, 32)), "PDF"), "unsupported_format", id="pdf"),
        pytest.param(
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
            "unsupported_format",
            id="heic",
        ),
        pytest.param(b"\x00" * 4096, "not_an_image", id="zeros"),
    ],
)
def test_non_images_and_other_formats_are_refused_with_the_right_code(data, code):
    error = rejected(data)
    assert error.code == code
    assert "JPEG, PNG or WebP" in error.message


def test_the_messages_are_short_and_human():
    assert rejected(b"hello").message == (
        "The file is not an image we can read (JPEG, PNG or WebP)."
    )
    assert rejected(GIF).message == (
        "This type of image is not accepted. Please upload a JPEG, PNG or WebP photo."
    )
    assert rejected(b"").message == "The file is empty."
    assert rejected(b"x" * 11 * 2**20).message == "The file is too large (maximum 10 MB)."
    assert rejected(png_declaring(8000, 8000)).message == (
        "The image resolution is too high (maximum 40 megapixels)."
    )


def test_refused_formats_never_reach_their_pillow_parser(monkeypatch):
    from PIL import BmpImagePlugin, GifImagePlugin

    opened: list[str] = []
    for plugin in (GifImagePlugin.GifImageFile, BmpImagePlugin.BmpImageFile):
        monkeypatch.setattr(plugin, "_open", lambda self: opened.append(self.format))
    assert rejected(GIF).code == "unsupported_format"
    assert rejected(encode(Image.new("RGB", (32, 32)), "BMP")).code == "unsupported_format"
    assert opened == []


def test_a_format_left_out_of_limits_formats_is_unsupported():
    error = rejected(
        encode(Image.new("RGB", (32, 32)), "PNG"), ImageLimits(formats=frozenset({"JPEG"}))
    )
    assert error.code == "unsupported_format"
    assert error.params == {"formats": "JPEG"}


def test_a_png_declaring_30000x30000_is_refused_quickly_without_decoding_pixels(monkeypatch):
    loads: list[object] = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda self: loads.append(self) or real_load(self)
    )
    bomb = png_declaring(30000, 30000)
    assert len(bomb) < 100
    started = time.perf_counter()
    assert rejected(bomb).code == "too_many_pixels"
    assert time.perf_counter() - started < 2
    assert loads == []


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.mark.parametrize(
    ("kind", "header"),
    [(b"zTXt", b"Comment\x00\x00"), (b"iCCP", b"icc\x00\x00")],
    ids=["ztxt", "iccp"],
)
def test_a_png_hiding_a_compressed_bomb_in_a_side_chunk_is_refused_quickly(kind, header):
    png = encode(Image.new("RGB", (32, 32), RED), "PNG")
    bomb_chunk = png_chunk(kind, header + zlib.compress(b"\x00" * (200 * 1024 * 1024), 9))
    bomb = png[:33] + bomb_chunk + png[33:]  # right after IHDR
    assert len(bomb) < 300_000  # 200 MB once inflated
    started = time.perf_counter()
    assert rejected(bomb).code == "not_an_image"
    assert time.perf_counter() - started < 2


def test_a_jpeg_declaring_65000x65000_is_refused_as_too_many_pixels():
    data = bytearray(encode(Image.new("RGB", (16, 16)), "JPEG"))
    frame = data.find(b"\xff\xc0")  # SOF0: length, precision, then height and width
    data[frame + 5 : frame + 9] = struct.pack(">HH", 65000, 65000)
    assert rejected(bytes(data)).code == "too_many_pixels"


@pytest.mark.parametrize(
    ("side", "max_pixels"),
    [
        (8000, 40_000_000),  # under Pillow's own bomb threshold: our limit refuses it
        (10000, 200_000_000),  # Pillow warns: the warning is refused, not merely logged
    ],
)
def test_declared_pixel_counts_over_the_limits_are_refused_as_too_many_pixels(side, max_pixels):
    error = rejected(png_declaring(side, side), ImageLimits(max_pixels=max_pixels))
    assert error.code == "too_many_pixels"


def test_pillows_global_limit_and_the_warning_filters_are_left_alone():
    before_limit, before_filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    rejected(png_declaring(10000, 10000))
    image_clean(phone_photo())
    assert before_limit == Image.MAX_IMAGE_PIXELS
    assert warnings.filters == before_filters


def test_an_image_smaller_than_min_side_is_refused_as_too_small():
    error = rejected(encode(Image.new("RGB", (200, 8), RED), "PNG"))
    assert error.code == "too_small"
    assert error.params == {"min_side": 16}


def test_a_file_over_max_bytes_is_refused_as_too_large():
    data = encode(Image.new("RGB", (32, 32), RED), "JPEG")
    limits = ImageLimits(max_bytes=len(data) - 1)
    assert rejected(data, limits).code == "too_large"
    assert rejected(io.BytesIO(data), limits).code == "too_large"
    assert rejected(b"x" * 2000, ImageLimits(max_bytes=1000)).message == (
        "The file is too large (maximum 1 KB)."
    )


def test_a_stream_larger_than_the_limit_is_not_read_entirely():
    stream = CountingStream(size=50 * 2**20)
    assert rejected(stream, ImageLimits(max_bytes=1000)).code == "too_large"
    assert stream.bytes_read <= 1001


def test_an_endless_stream_is_refused_after_reading_just_past_the_limit():
    stream = CountingStream(size=None)
    assert rejected(stream).code == "too_large"
    assert stream.bytes_read == 10 * 2**20 + 1


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_truncated_image_is_refused_as_not_an_image(fmt):
    data = encode(noise((128, 128)), fmt)
    error = rejected(data[: len(data) * 6 // 10])
    assert error.code == "not_an_image"


@pytest.mark.parametrize("data", [b"", io.BytesIO(b"")], ids=["bytes", "stream"])
def test_empty_input_is_refused_as_empty(data):
    assert rejected(data).code == "empty"


def test_the_error_is_a_value_error_that_reads_well_and_survives_pickling():
    error = rejected(b"")
    assert isinstance(error, ValueError)
    assert str(error) == error.message
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (copy.code, copy.message, copy.params) == (error.code, error.message, error.params)


# --- fuzzing ---------------------------------------------------------------------------------

FUZZ_LIMITS = ImageLimits(max_pixels=1_000_000)  # keeps mutated headers cheap to decode
SEEDS = {fmt: encode(noise((40, 24), seed=1), fmt) for fmt in ("JPEG", "PNG", "WEBP")}


def outcome(data: bytes) -> None:
    try:
        result = image_clean(data, limits=FUZZ_LIMITS)
    except ImageRejected as error:
        code = error.code
    else:
        assert_plain_jpeg(result.content)
        return
    assert code in {"empty", "not_an_image", "unsupported_format", "too_many_pixels", "too_small"}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_are_either_cleaned_or_refused_never_crash(blob):
    outcome(blob)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(SEEDS)),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6),
    st.integers(0, 10**6),
)
def test_mutated_images_are_either_cleaned_or_refused_never_crash(fmt, flips, cut):
    data = bytearray(SEEDS[fmt])
    for position, value in flips:
        data[position % len(data)] = value
    outcome(bytes(data[: max(1, cut % (len(data) + 1))]))


# --- the file's name and declared type count for nothing ----------------------------------


def test_a_png_named_jpg_is_judged_by_its_content_and_becomes_a_jpeg():
    upload = SimpleUploadedFile(
        "photo.jpg", encode(Image.new("RGBA", (32, 32), RED), "PNG"), content_type="image/jpeg"
    )
    result = image_clean(upload)
    assert result.extension == "jpg"
    assert_plain_jpeg(result.content)


@pytest.mark.parametrize(
    ("name", "content_type", "data"),
    [
        ("photo.jpg", "image/jpeg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("photo.png", "image/png", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("photo.webp", "image/webp", b"<?php system($_GET['c']); ?>"),
    ],
)
def test_a_non_image_with_an_image_name_and_type_is_refused(name, content_type, data):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    assert rejected(upload).code in {"not_an_image", "unsupported_format"}


@pytest.mark.django_db
def test_a_stored_photo_gets_our_name_and_extension_never_the_uploaders():
    from cityops.reports.models import Attachment
    from cityops.reports.tests.helpers import submit

    upload = SimpleUploadedFile(
        "../../evil.html", encode(Image.new("RGB", (32, 32), RED), "JPEG"), content_type="text/html"
    )
    submit(photos=[upload])
    stored = Attachment.objects.get()
    assert stored.file.name.endswith(".jpg")
    assert "evil" not in stored.file.name
    assert ".." not in stored.file.name
    assert stored.content_type == "image/jpeg"
