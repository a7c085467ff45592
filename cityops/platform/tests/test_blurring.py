"""Tests for cityops.platform.blurring on a set of photos made in code (blur_photos.py).

The set (about 115 real faces, 100 Vietnamese plates and 40 photos with neither) is made and
searched once per session; the figures it gives are in the assertion messages and printed
(``pytest -s``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
import pytest
from PIL import ExifTags, Image
from skimage import data as samples

from cityops.platform.blurring import Region, image_blur, regions_detect
from cityops.platform.tests.blur_photos import Box, Photo, blur_photos

pytestmark = pytest.mark.no_database  # the SQLite pass runs it; see conftest.py

FOUND_COVER = 0.8  # a box is found when the detected regions cover this share of it
MIN_RECALL = 0.95
MAX_FALSE_REGIONS_PER_EMPTY_PHOTO = 1.0
MIN_DETAIL_LOST = 0.9  # share of the Laplacian's variance that blurring must remove
# ... or what is left must be no more than this: the Laplacian's variance in a face of four
# smooth cells (their colours still change from cell to cell). A sharp face starts in the
# hundreds; the small LFW faces, enlarged, start as low as 4, where a share says little.
MAX_DETAIL_LEFT = 3.0
ASTRONAUT_FACE: Box = (178, 68, 100, 116)  # in skimage.data.astronaut(), brows to chin


@dataclass(frozen=True)
class Searched:
    photo: Photo
    regions: tuple[Region, ...]


@pytest.fixture(scope="session")
def searched() -> list[Searched]:
    cv2.setNumThreads(1)  # the figures are for one core, as the bench measures them
    return [Searched(photo, tuple(regions_detect(photo.content))) for photo in blur_photos()]


def covered(regions: tuple[Region, ...], box: Box, width: int, height: int) -> float:
    """The share of ``box`` inside the union of ``regions``."""
    mask = np.zeros((height, width), dtype=bool)
    for r in regions:
        mask[r.y : r.y + r.height, r.x : r.x + r.width] = True
    x, y, w, h = box
    inside = mask[max(0, y) : y + h, max(0, x) : x + w]
    return float(inside.mean()) if inside.size else 0.0


def touches(region: Region, boxes: tuple[Box, ...]) -> bool:
    return any(
        region.x < x + w
        and x < region.x + region.width
        and region.y < y + h
        and y < region.y + region.height
        for x, y, w, h in boxes
    )


def recall(searched: list[Searched], kind: str) -> tuple[int, int, list[str]]:
    found, total, missed = 0, 0, []
    for item in searched:
        photo = item.photo
        for box in getattr(photo, kind):
            total += 1
            share = covered(item.regions, box, photo.width, photo.height)
            if share >= FOUND_COVER:
                found += 1
            else:
                missed.append(f"{photo.name} {box} {share:.2f}")
    return found, total, missed


def grey(content: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(content)).convert("L"), dtype=np.float64)


def detail(pixels: np.ndarray, box: Box) -> float:
    """Variance of the Laplacian inside ``box``: how much fine detail (edges, strokes) it holds."""
    x, y, w, h = box
    patch = pixels[max(0, y) : y + h, max(0, x) : x + w]
    return float(cv2.Laplacian(patch, cv2.CV_64F).var())


def jpeg(image: Image.Image, **kwargs: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, **kwargs)
    return out.getvalue()


# --- the test set ------------------------------------------------------------------------------


def test_the_test_set_has_over_100_faces_100_plates_and_40_empty_photos(searched):
    photos = [item.photo for item in searched]
    assert sum(len(p.faces) for p in photos) >= 100
    assert sum(len(p.plates) for p in photos) >= 100
    assert sum(1 for p in photos if not p.faces and not p.plates) >= 40


def test_the_test_set_is_the_same_every_time_it_is_made():
    first, second = blur_photos(scenes=3, empty=1), blur_photos(scenes=3, empty=1)
    assert [p.content for p in first] == [p.content for p in second]
    assert [p.faces + p.plates for p in first] == [p.faces + p.plates for p in second]


# --- detection ---------------------------------------------------------------------------------


def test_at_least_95_percent_of_faces_and_plates_are_covered_by_detected_regions(searched):
    faces_found, faces, faces_missed = recall(searched, "faces")
    plates_found, plates, plates_missed = recall(searched, "plates")
    rate = (faces_found + plates_found) / (faces + plates)
    figures = (
        f"recall {rate:.3f}: faces {faces_found}/{faces} ({faces_found / faces:.3f}), "
        f"plates {plates_found}/{plates} ({plates_found / plates:.3f})"
    )
    print(figures)
    assert rate >= MIN_RECALL, f"{figures}; missed {faces_missed + plates_missed}"
    # Neither kind may hide behind the other.
    assert faces_found / faces >= 0.9, figures
    assert plates_found / plates >= 0.9, figures


def test_photos_without_faces_or_plates_get_at_most_one_false_region_each_on_average(searched):
    empty = [item for item in searched if not item.photo.faces and not item.photo.plates]
    false_regions = sum(len(item.regions) for item in empty)
    scenes = [item for item in searched if item.photo.faces or item.photo.plates]
    stray = sum(
        1
        for item in scenes
        for region in item.regions
        if not touches(region, item.photo.faces + item.photo.plates)
    )
    detected = sum(len(item.regions) for item in scenes)
    figures = (
        f"{false_regions} regions on {len(empty)} empty photos "
        f"({false_regions / len(empty):.2f} each, {sum(1 for i in empty if i.regions)} photos "
        f"with any); in the other photos {detected - stray}/{detected} regions "
        f"({(detected - stray) / detected:.3f}) touch a face or plate"
    )
    print(figures)
    assert false_regions / len(empty) <= MAX_FALSE_REGIONS_PER_EMPTY_PHOTO, figures


def test_detected_regions_lie_inside_the_image_and_have_the_kind_they_were_found_as(searched):
    for item in searched:
        for region in item.regions:
            assert region.source == "detector"
            assert region.kind in {"face", "plate"}
            assert region.x + region.width <= item.photo.width
            assert region.y + region.height <= item.photo.height


def test_a_large_photo_is_searched_at_a_bounded_size_and_its_boxes_mapped_back():
    small = Image.fromarray(samples.astronaut())  # 512 px
    big = small.resize((2560, 2560), Image.Resampling.BICUBIC)
    x, y, w, h = ASTRONAUT_FACE
    assert covered(tuple(regions_detect(jpeg(small))), ASTRONAUT_FACE, 512, 512) >= FOUND_COVER
    regions = tuple(regions_detect(jpeg(big)))
    # The same face found in the big photo's own pixels, five times the small one's.
    assert covered(regions, (5 * x, 5 * y, 5 * w, 5 * h), 2560, 2560) >= FOUND_COVER
    face = min(
        (r for r in regions if r.kind == "face"),
        key=lambda r: (
            abs(r.x + r.width / 2 - 5 * (x + w / 2)) + abs(r.y + r.height / 2 - 5 * (y + h / 2))
        ),
    )
    assert face.width < 3 * 5 * w  # a face's box, not the whole photo


def test_regions_are_in_the_upright_photo_when_it_is_stored_sideways():
    upright = Image.fromarray(samples.astronaut())
    # Stored turned a quarter; the EXIF orientation tells a viewer to turn it back.
    sideways = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    content = jpeg(sideways, exif=exif.tobytes())
    regions = regions_detect(content)
    assert covered(tuple(regions), ASTRONAUT_FACE, 512, 512) >= FOUND_COVER
    blurred = Image.open(io.BytesIO(image_blur(content, regions)))
    assert blurred.size == (512, 512)  # upright, as shown, and without the tag
    before = np.asarray(upright.convert("L"), dtype=np.float64)
    after = np.asarray(blurred.convert("L"), dtype=np.float64)
    assert detail(after, ASTRONAUT_FACE) < 0.1 * detail(before, ASTRONAUT_FACE)


@pytest.mark.parametrize(
    "content", [b"", b"not an image", b"%PDF-1.7 ...", b"\xff\xd8\xff\xe0broken"]
)
def test_anything_but_an_image_is_refused_with_a_value_error(content):
    with pytest.raises(ValueError, match="not an image"):
        regions_detect(content)
    with pytest.raises(ValueError, match="not an image"):
        image_blur(content, [])


# --- blurring ----------------------------------------------------------------------------------


def test_blurring_destroys_the_detail_inside_every_face_and_plate_that_was_found(searched):
    weakest = 1.0
    checked = 0
    for item in searched:
        photo = item.photo
        boxes = [
            box
            for box in photo.faces + photo.plates
            if covered(item.regions, box, photo.width, photo.height) >= FOUND_COVER
        ]
        if not boxes:
            continue
        # Measured where the regions cover the box, a few pixels in from their edges, where
        # the blurred and the untouched parts of the photo meet.
        blurred = np.zeros((photo.height, photo.width), dtype=np.uint8)
        for r in item.regions:
            blurred[r.y : r.y + r.height, r.x : r.x + r.width] = 1
        blurred = cv2.erode(blurred, np.ones((7, 7), np.uint8)).astype(bool)
        before = cv2.Laplacian(grey(photo.content), cv2.CV_64F)
        after = cv2.Laplacian(grey(image_blur(photo.content, item.regions)), cv2.CV_64F)
        for x, y, w, h in boxes:
            inside = (slice(max(0, y), y + h), slice(max(0, x), x + w))
            where = blurred[inside]
            left = after[inside][where].var()
            lost = 1 - left / before[inside][where].var()
            weakest = min(weakest, lost)
            checked += 1
            assert lost > MIN_DETAIL_LOST or left < MAX_DETAIL_LEFT, (
                f"{photo.name} {(x, y, w, h)}: {lost:.2f} of its detail lost, {left:.1f} left"
            )
    print(f"{checked} boxes blurred; the least blurred lost {weakest:.3f} of its detail")


def test_blurring_the_whole_of_a_region_leaves_it_fully_covered_and_the_rest_untouched():
    photo = Image.fromarray(samples.astronaut())
    content = jpeg(photo)
    region = Region(x=150, y=40, width=150, height=160, kind="face")
    before, after = grey(content), grey(image_blur(content, [region]))
    box = (region.x, region.y, region.width, region.height)
    assert detail(after, box) < 0.1 * detail(before, box)
    outside = np.ones(before.shape, dtype=bool)
    outside[
        region.y - 8 : region.y + region.height + 8, region.x - 8 : region.x + region.width + 8
    ] = False
    # Outside the region only the JPEG round trip changes anything.
    assert float(np.abs(after - before)[outside].mean()) < 2.0


def test_the_blurred_region_is_different_each_time_so_nobody_can_match_candidates_against_it():
    content = jpeg(Image.fromarray(samples.astronaut()))
    region = Region(x=150, y=40, width=150, height=160, kind="face")
    first, second = grey(image_blur(content, [region])), grey(image_blur(content, [region]))
    inside = (slice(region.y, region.y + region.height), slice(region.x, region.x + region.width))
    assert float(np.abs(first[inside] - second[inside]).mean()) > 1.0


def test_regions_reaching_past_the_edge_are_clipped_and_those_wholly_outside_ignored():
    content = jpeg(Image.fromarray(samples.astronaut()))  # 512 x 512
    edge = Region(x=400, y=400, width=500, height=500, kind="manual", source="operator")
    away = Region(x=600, y=600, width=50, height=50, kind="manual", source="operator")
    out = Image.open(io.BytesIO(image_blur(content, [edge, away])))
    assert out.size == (512, 512)
    assert detail(grey(jpeg(out)), (400, 400, 112, 112)) < 0.1 * detail(
        grey(content), (400, 400, 112, 112)
    )


def test_the_blurred_image_is_a_fresh_jpeg_without_any_metadata():
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SecretCam 9000"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 1.0, 42.0)
    content = jpeg(
        Image.fromarray(samples.astronaut()), exif=exif.tobytes(), comment=b"owner: Nguyen"
    )
    out = image_blur(content, [Region(x=10, y=10, width=40, height=40, kind="plate")])
    with Image.open(io.BytesIO(out)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "comment" not in image.info
        assert "icc_profile" not in image.info
    assert b"SecretCam" not in out
    assert b"Nguyen" not in out


def test_a_png_is_blurred_into_a_jpeg_too():
    out = io.BytesIO()
    Image.fromarray(samples.astronaut()).save(out, "PNG")
    blurred = image_blur(out.getvalue(), [Region(x=0, y=0, width=64, height=64, kind="manual")])
    assert blurred[:3] == b"\xff\xd8\xff"


# --- regions -----------------------------------------------------------------------------------


def test_a_region_survives_the_round_trip_through_a_dict():
    region = Region(x=3, y=4, width=50, height=20, kind="plate", source="operator")
    assert Region.from_dict(region.as_dict()) == region
    assert (
        Region.from_dict({"x": 1, "y": 2, "width": 3, "height": 4, "kind": "face"}).source
        == "detector"
    )


@pytest.mark.parametrize(
    "change",
    [
        {"x": -1},
        {"y": -5},
        {"width": 0},
        {"height": 0},
        {"x": 1.5},
        {"width": "40"},
        {"height": True},
        {"x": None},
        {"width": 100_001},
        {"kind": "car"},
        {"kind": 1},
        {"source": "someone"},
        {"source": None},
    ],
)
def test_a_region_with_a_bad_field_is_refused(change):
    data: dict[str, object] = {"x": 1, "y": 2, "width": 30, "height": 40, "kind": "face"}
    data.update(change)
    with pytest.raises(ValueError, match=r"."):  # each field's own message: test_photo_blur
        Region.from_dict(data)


@pytest.mark.parametrize("missing", ["x", "y", "width", "height", "kind"])
def test_a_region_missing_a_field_is_refused(missing):
    data = {"x": 1, "y": 2, "width": 30, "height": 40, "kind": "face"}
    del data[missing]
    with pytest.raises(ValueError, match=missing):
        Region.from_dict(data)


@pytest.mark.parametrize("data", [None, [], "x=1", 5])
def test_something_other_than_a_mapping_is_refused_as_a_region(data):
    with pytest.raises(ValueError, match=r"."):  # each field's own message: test_photo_blur
        Region.from_dict(data)


def test_a_region_cannot_be_made_invalid_directly_either():
    with pytest.raises(ValueError, match="at least 1"):
        Region(x=0, y=0, width=0, height=4, kind="face")
