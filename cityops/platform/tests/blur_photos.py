"""The test set for face and plate blurring, made in code: nothing downloaded, no image copied in.

Backgrounds are gradients, smooth noise, street-like scenes (buildings with windows, shop
signs, a road with vehicles) and scikit-image's sample photos that ship inside its wheel.
Faces are real ones from the same wheel (the astronaut, and the first 100 of the Labeled Faces
in the Wild subset), composited at known boxes with varied size (48-300 px), place, brightness,
tint and slight rotation. Vietnamese number plates are drawn with Pillow's bundled font: white
(private) and yellow (commercial) plates, one line (``75A-123.45``, ~4.3:1) and two lines
(``43C1`` over ``234.56``, ~1.4:1 on motorbikes, ~2:1 on cars), at several sizes and angles.
Every photo is a JPEG of varied quality. ``blur_photos(seed=...)`` is deterministic.

Ground truth: a face box runs from the eyebrows to the chin and cheek to cheek; a plate box
is the plate's outline; for rotated ones, the upright box around the rotated outline.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from skimage import data as samples

Box = tuple[int, int, int, int]  # x, y, width, height

# The astronaut's face in skimage.data.astronaut() (512 x 512), and the part pasted with it.
_ASTRONAUT_FACE: Box = (178, 68, 100, 116)
_ASTRONAUT_HEAD: Box = (150, 10, 160, 200)
# Sample photos without a person in them (the astronaut and the cameraman have one).
_SAMPLES = (
    "coffee",
    "rocket",
    "chelsea",
    "brick",
    "grass",
    "gravel",
    "motorcycle_left",
    "coins",
    "horse",
    "hubble_deep_field",
    "retina",
    "immunohistochemistry",
)
_SIZES = ((1280, 720), (1024, 768), (960, 640), (1600, 900), (800, 600), (2560, 1440))
_SIZE_WEIGHTS = (0.3, 0.2, 0.2, 0.1, 0.12, 0.08)
_PROVINCES = ("29", "30", "43", "51", "59", "75", "92", "15", "36", "61", "79", "88")


@dataclass(frozen=True)
class Photo:
    """One JPEG of the set with the boxes of what must be blurred in it."""

    name: str
    content: bytes
    width: int
    height: int
    faces: tuple[Box, ...] = ()
    plates: tuple[Box, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)


def blur_photos(*, seed: int = 2026, scenes: int = 58, empty: int = 40) -> list[Photo]:
    """``scenes`` photos with faces and/or plates (about 1.9 of each a photo: 58 give over
    100 of each) and ``empty`` photos with neither; the same list for the same arguments."""
    rng = np.random.default_rng(seed)
    faces = _face_sources()
    order = rng.permutation(len(faces))
    photos = []
    face_index = 0
    for number in range(scenes):
        n_faces = int(rng.choice([0, 1, 2, 3], p=[0.05, 0.25, 0.4, 0.3]))
        n_plates = int(rng.choice([0, 1, 2, 3], p=[0.05, 0.25, 0.4, 0.3]))
        if n_faces + n_plates == 0:
            n_faces = 1
        photo_faces = [faces[order[(face_index + k) % len(faces)]] for k in range(n_faces)]
        face_index += n_faces
        photos.append(_scene(rng, f"scene-{number:03d}", photo_faces, n_plates))
    for number in range(empty):
        photos.append(_scene(rng, f"empty-{number:03d}", [], 0))
    return photos


# --- faces -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FaceSource:
    pixels: np.ndarray  # RGB uint8, the face with whatever context is pasted with it
    face: Box  # the face's box inside ``pixels``
    oval: bool  # paste through a soft oval (a head) rather than the whole rectangle


@cache
def _face_sources() -> tuple[_FaceSource, ...]:
    sources = []
    x, y, w, h = _ASTRONAUT_HEAD
    head = samples.astronaut()[y : y + h, x : x + w]
    fx, fy, fw, fh = _ASTRONAUT_FACE
    astronaut = _FaceSource(head, (fx - x, fy - y, fw, fh), oval=True)
    lfw = samples.lfw_subset()[:100]  # the first 100 are faces, the rest are not
    for grey in lfw:
        # 25 x 25 tight crops: enlarged smoothly so the face is not made of visible squares.
        pixels = np.repeat((grey * 255).astype(np.uint8)[:, :, None], 3, axis=2)
        big = np.asarray(Image.fromarray(pixels).resize((100, 100), Image.Resampling.BICUBIC))
        sources.append(_FaceSource(big, (6, 6, 88, 92), oval=False))
    sources += [astronaut] * 12
    return tuple(sources)


def _face_patch(
    rng: np.random.Generator, source: _FaceSource, size: int
) -> tuple[Image.Image, Image.Image, Box]:
    """The face scaled so its box is ``size`` wide, tinted, lit and slightly turned: the
    patch, its paste mask, and the face box inside the patch."""
    fx, fy, fw, fh = source.face
    scale = size / fw
    image = Image.fromarray(source.pixels)
    width, height = max(1, round(image.width * scale)), max(1, round(image.height * scale))
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    if rng.random() < 0.5:  # the same person looking the other way
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        fx = source.pixels.shape[1] - fx - fw
    pixels = np.asarray(image).astype(np.float32)
    if source.pixels[..., 0].tobytes() == source.pixels[..., 2].tobytes():  # greyscale: skin tone
        tone = np.array([1.0, rng.uniform(0.78, 0.9), rng.uniform(0.62, 0.8)], dtype=np.float32)
        pixels = pixels * tone
    gain, offset = rng.uniform(0.65, 1.25), rng.uniform(-25, 25)
    pixels = np.clip(pixels * gain + offset, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels)
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    if source.oval:
        draw.ellipse((2, 2, width - 3, height - 3), fill=255)
    elif rng.random() < 0.5:  # the crop's corners rounded off, as a head's outline would be
        draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=width // 5, fill=255)
    else:
        draw.rectangle((0, 0, width - 1, height - 1), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, width / 60)))
    box = (round(fx * scale), round(fy * scale), round(fw * scale), round(fh * scale))
    angle = float(rng.uniform(-10, 10))
    return _rotated(image, mask, box, angle)


# --- plates ----------------------------------------------------------------------------------


def _plate_text(rng: np.random.Generator, lines: int) -> list[str]:
    province = str(rng.choice(_PROVINCES))
    series = str(rng.choice(list("ABCDEFGHKLMNPSTUVXYZ")))
    digits = "".join(str(d) for d in rng.integers(0, 10, 5))
    number = f"{digits[:3]}.{digits[3:]}"
    if lines == 1:
        return [f"{province}{series}-{number}"]
    return [f"{province}{series}{rng.integers(1, 10)}", number]


def _plate_image(rng: np.random.Generator, lines: int, aspect: float, yellow: bool) -> Image.Image:
    """A plate drawn at 440 px wide (one line) or 300 px (two lines), RGBA."""
    width = 440 if lines == 1 else 300
    height = round(width / aspect)
    if yellow:
        colour = tuple(int(v) for v in rng.integers([225, 180, 0], [256, 215, 60]))
    else:
        colour = tuple(int(v) for v in rng.integers(215, 256, 3))
    ink = tuple(int(v) for v in rng.integers(0, 45 if rng.random() < 0.7 else 95, 3))
    plate = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(plate)
    radius = max(4, height // 10)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=radius, fill=(*colour, 255))
    inset = max(3, width // 60)
    draw.rounded_rectangle(
        (inset, inset, width - 1 - inset, height - 1 - inset),
        radius=radius,
        outline=(*ink, 255),
        width=max(2, width // 110),
    )
    texts = _plate_text(rng, lines)
    line_height = (height - 4 * inset) / lines
    for row, text in enumerate(texts):
        # The bundled font is wide; drawn large and squeezed it looks like a plate's type.
        font = ImageFont.load_default(size=int(line_height * 0.95))
        left, top, right, bottom = font.getbbox(text)
        glyphs = Image.new("L", (right - left + 4, bottom - top + 4), 0)
        ImageDraw.Draw(glyphs).text((2 - left, 2 - top), text, font=font, fill=255)
        # As on real plates the characters fill the width (the short top line of a two-line
        # plate less so), with a little play.
        share = (0.86 if lines == 1 or row == 1 else 0.72) * rng.uniform(0.93, 1.05)
        glyph_w = min(width - 5 * inset, round((width - 6 * inset) * share))
        glyph_h = round(line_height * 0.78)
        glyphs = glyphs.resize((glyph_w, glyph_h), Image.Resampling.LANCZOS)
        x = (width - glyph_w) // 2
        y = round(2 * inset + row * line_height + (line_height - glyph_h) / 2)
        plate.paste(Image.new("RGBA", glyphs.size, (*ink, 255)), (x, y), glyphs)
    return plate


def _plate_patch(rng: np.random.Generator, width: int) -> tuple[Image.Image, Image.Image, Box]:
    """A plate ``width`` px across, shaded, soiled, seen at an angle and slightly out of focus:
    the patch, its paste mask, and the upright box around the plate's outline in it."""
    lines = int(rng.choice([1, 2], p=[0.55, 0.45]))
    aspect = float(rng.uniform(4.0, 4.6)) if lines == 1 else float(rng.choice([1.35, 1.45, 2.0]))
    plate = np.asarray(_plate_image(rng, lines, aspect, yellow=bool(rng.random() < 0.35)))
    colour, alpha = plate[..., :3].astype(np.float32), plate[..., 3]
    ph, pw = alpha.shape
    # Light falling off across the plate (a shadow, a headlight) and a few smudges of dirt.
    ramp = np.linspace(0, 1, pw, dtype=np.float32)[None, :] * rng.uniform(-0.4, 0.4)
    ramp = ramp + np.linspace(0, 1, ph, dtype=np.float32)[:, None] * rng.uniform(-0.3, 0.3)
    colour *= np.clip(1.0 + ramp - max(0.0, float(ramp.max())), 0.45, 1.0)[..., None]
    for _ in range(int(rng.integers(0, 4))):
        cx, cy, r = rng.uniform(0, pw), rng.uniform(0, ph), rng.uniform(0.05, 0.2) * pw
        ys, xs = np.ogrid[0:ph, 0:pw]
        spot = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * r * r)).astype(np.float32)
        colour *= (1 - 0.35 * spot)[..., None]
    height = max(1, round(width * ph / pw))
    colour = cv2.resize(colour, (width, height), interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(alpha, (width, height), interpolation=cv2.INTER_AREA)
    # Seen from the side or from above: the plate's corners turned and pushed about.
    angle = np.deg2rad(rng.uniform(-12, 12) if rng.random() < 0.6 else 0.0)
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    centre = corners.mean(axis=0)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    moved = (corners - centre) @ turn.T.astype(np.float32)
    if rng.random() < 0.6:
        moved += rng.uniform(-0.07, 0.07, (4, 2)).astype(np.float32) * np.float32(width)
    moved -= moved.min(axis=0)
    out_w, out_h = int(np.ceil(moved[:, 0].max())) + 2, int(np.ceil(moved[:, 1].max())) + 2
    moved += 1
    matrix = cv2.getPerspectiveTransform(corners, moved)
    colour = cv2.warpPerspective(colour, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(alpha, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    if rng.random() < 0.4:
        sigma = float(rng.uniform(0.4, 1.3)) * max(1.0, width / 200)
        colour = cv2.GaussianBlur(colour, (0, 0), sigma)
    image = Image.fromarray(np.clip(colour, 0, 255).astype(np.uint8))
    x0, y0 = np.floor(moved.min(axis=0)).astype(int)
    x1, y1 = np.ceil(moved.max(axis=0)).astype(int)
    return image, Image.fromarray(alpha), (int(x0), int(y0), int(x1 - x0), int(y1 - y0))


# --- backgrounds -----------------------------------------------------------------------------


def _background(rng: np.random.Generator, width: int, height: int) -> tuple[np.ndarray, str]:
    kind = str(rng.choice(["gradient", "noise", "street", "street", "sample", "sample"]))
    if kind == "gradient":
        return _gradient(rng, width, height), kind
    if kind == "noise":
        return _smooth_noise(rng, width, height), kind
    if kind == "street":
        return _street(rng, width, height), kind
    name = str(rng.choice(_SAMPLES))
    return _sample(rng, name, width, height), f"sample:{name}"


def _gradient(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    a = rng.integers(0, 256, 3).astype(np.float32)
    b = rng.integers(0, 256, 3).astype(np.float32)
    angle = rng.uniform(0, np.pi)
    t = np.arange(width, dtype=np.float32)[None, :] * np.float32(np.cos(angle)) + np.arange(
        height, dtype=np.float32
    )[:, None] * np.float32(np.sin(angle))
    t = (t - t.min()) / max(1.0, float(t.max() - t.min()))
    pixels = a + t[..., None] * (b - a)
    return _grain(pixels, 3)


@cache
def _grain_tile() -> np.ndarray:
    """Sensor grain: one fixed tile of unit Gaussian noise, repeated (fast, deterministic)."""
    return np.random.default_rng(7).standard_normal((509, 509, 3), dtype=np.float32)


def _grain(pixels: np.ndarray, sigma: float) -> np.ndarray:
    height, width = pixels.shape[:2]
    tile = _grain_tile()
    reps = (height // tile.shape[0] + 1, width // tile.shape[1] + 1, 1)
    noise = np.tile(tile, reps)[:height, :width]
    return np.clip(pixels + noise * np.float32(sigma), 0, 255).astype(np.uint8)


def _smooth_noise(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    pixels = np.zeros((height, width, 3), dtype=np.float32)
    for cells, weight in ((4, 60.0), (16, 30.0), (64, 15.0)):
        coarse = rng.normal(0, 1, (cells * height // width + 1, cells, 3)).astype(np.float32)
        layer = np.stack(
            [
                np.asarray(
                    Image.fromarray(coarse[..., c]).resize(
                        (width, height), Image.Resampling.BICUBIC
                    )
                )
                for c in range(3)
            ],
            axis=2,
        )
        pixels += layer * weight
    pixels += rng.integers(60, 200, 3)[None, None, :]
    return np.clip(pixels, 0, 255).astype(np.uint8)


def _street(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Sky, a row of buildings with windows and shop signs, a road with lanes and vehicles."""
    a, b = rng.integers(90, 256, 3), rng.integers(90, 256, 3)
    sky = np.linspace(a, b, height, dtype=np.float32).astype(np.uint8)[:, None, :]
    image = Image.fromarray(np.ascontiguousarray(np.broadcast_to(sky, (height, width, 3))))
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.7))
    x = 0
    while x < width:
        w = int(rng.integers(width // 10, width // 4))
        top = int(rng.integers(height // 12, horizon // 2))
        wall = tuple(int(v) for v in rng.integers(60, 230, 3))
        draw.rectangle((x, top, x + w, horizon), fill=wall)
        step_x, step_y = int(rng.integers(18, 40)), int(rng.integers(22, 45))
        glass = tuple(int(v) for v in rng.integers(20, 140, 3))
        for wy in range(top + 10, horizon - step_y * 2, step_y):
            for wx in range(x + 8, x + w - step_x, step_x):
                draw.rectangle((wx, wy, wx + step_x * 0.6, wy + step_y * 0.6), fill=glass)
        if rng.random() < 0.6:  # a shop sign: light text on a coloured board
            board = tuple(int(v) for v in rng.choice([[200, 30, 30], [30, 60, 170], [20, 120, 60]]))
            sign_h = int(rng.integers(20, 50))
            sy = horizon - step_y * 2 + 4
            draw.rectangle((x + 4, sy, x + w - 4, sy + sign_h), fill=board)
            word = str(rng.choice(["PHO BO", "CAFE SUA DA", "TAP HOA", "BANH MI", "NHA THUOC"]))
            font = ImageFont.load_default(size=max(10, int(sign_h * 0.6)))
            draw.text((x + 10, sy + sign_h * 0.15), word, font=font, fill=(250, 245, 230))
        x += w
    road = tuple(int(v) for v in rng.integers(70, 120, 3))
    draw.rectangle((0, horizon, width, height), fill=road)
    for lx in range(0, width, 120):
        ly = (horizon + height) // 2
        draw.rectangle((lx, ly, lx + 60, ly + 6), fill=(230, 230, 230))
    for _ in range(int(rng.integers(1, 4))):  # vehicles without plates (they may get one later)
        vw = int(rng.integers(width // 10, width // 4))
        vh = int(vw * rng.uniform(0.35, 0.6))
        vx = int(rng.integers(0, max(1, width - vw)))
        vy = int(rng.integers(horizon, max(horizon + 1, height - vh)))
        body = tuple(int(v) for v in rng.integers(10, 240, 3))
        draw.rounded_rectangle((vx, vy, vx + vw, vy + vh), radius=vh // 5, fill=body)
        draw.rectangle(
            (vx + vw * 0.15, vy + vh * 0.1, vx + vw * 0.85, vy + vh * 0.4), fill=(40, 50, 60)
        )
    return _grain(np.asarray(image).astype(np.float32), 4)


@cache
def _sample_pixels(name: str) -> np.ndarray:
    if name == "motorcycle_left":
        pixels = samples.stereo_motorcycle()[0]
    else:
        pixels = getattr(samples, name)()
    if pixels.dtype != np.uint8:
        pixels = (np.clip(pixels, 0, 1) * 255).astype(np.uint8)
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[:, :, None], 3, axis=2)
    return np.ascontiguousarray(pixels[:, :, :3])


def _sample(rng: np.random.Generator, name: str, width: int, height: int) -> np.ndarray:
    source = Image.fromarray(_sample_pixels(name))
    scale = max(width / source.width, height / source.height) * rng.uniform(1.0, 1.3)
    big = source.resize(
        (round(source.width * scale) + 1, round(source.height * scale) + 1),
        Image.Resampling.BICUBIC,
    )
    x = int(rng.integers(0, big.width - width + 1))
    y = int(rng.integers(0, big.height - height + 1))
    return np.asarray(big.crop((x, y, x + width, y + height)))


# --- composing -------------------------------------------------------------------------------


def _rotated(
    image: Image.Image, mask: Image.Image, box: Box, angle: float
) -> tuple[Image.Image, Image.Image, Box]:
    """``image`` and ``mask`` turned by ``angle`` degrees, and the upright box around ``box``
    turned with them."""
    if abs(angle) < 0.5:
        return image, mask, box
    w, h = image.size
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    turned_mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    x, y, bw, bh = box
    corners = np.array([[x, y], [x + bw, y], [x, y + bh], [x + bw, y + bh]], dtype=float)
    theta = np.deg2rad(angle)
    centre = np.array([w / 2, h / 2])
    # Pillow turns counter-clockwise on screen (y down): x' = c + R(x - c) with this R.
    rot = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    moved = (corners - centre) @ rot.T + np.array([turned.width / 2, turned.height / 2])
    x0, y0 = moved.min(axis=0)
    x1, y1 = moved.max(axis=0)
    return turned, turned_mask, (round(x0), round(y0), round(x1 - x0), round(y1 - y0))


def _place(
    rng: np.random.Generator, size: tuple[int, int], taken: list[Box], width: int, height: int
) -> tuple[int, int] | None:
    pw, ph = size
    if pw >= width or ph >= height:
        return None
    for _ in range(60):
        x = int(rng.integers(0, width - pw))
        y = int(rng.integers(0, height - ph))
        if all(_apart((x, y, pw, ph), other) for other in taken):
            return x, y
    return None


def _apart(a: Box, b: Box, margin: int = 12) -> bool:
    return (
        a[0] + a[2] + margin <= b[0]
        or b[0] + b[2] + margin <= a[0]
        or a[1] + a[3] + margin <= b[1]
        or b[1] + b[3] + margin <= a[1]
    )


def _scene(rng: np.random.Generator, name: str, faces: list[_FaceSource], n_plates: int) -> Photo:
    index = rng.choice(len(_SIZES), p=_SIZE_WEIGHTS)
    width, height = _SIZES[index]
    if rng.random() < 0.15:
        width, height = height, width  # a portrait photo
    pixels, kind = _background(rng, width, height)
    image = Image.fromarray(pixels)
    taken: list[Box] = []
    face_boxes: list[Box] = []
    plate_boxes: list[Box] = []
    longest = max(width, height)
    for source in faces:
        size = int(np.clip(rng.uniform(48, 300) * longest / 1280, 48, 300))
        size = min(size, min(width, height) // 3)
        patch, mask, box = _face_patch(rng, source, size)
        spot = _place(rng, patch.size, taken, width, height)
        if spot is None:
            continue
        image.paste(patch, spot, mask)
        taken.append((*spot, *patch.size))
        face_boxes.append((spot[0] + box[0], spot[1] + box[1], box[2], box[3]))
    for _ in range(n_plates):
        plate_width = int(rng.uniform(70, 360) * max(1.0, longest / 1600))
        patch, mask, box = _plate_patch(rng, min(plate_width, width // 3))
        if rng.random() < 0.5:  # on a vehicle's body: a darker or coloured frame around it
            frame_w, frame_h = int(patch.width * 1.8), int(patch.height * 2.2)
            spot = _place(rng, (frame_w, frame_h), taken, width, height)
            if spot is None:
                continue
            light = rng.random() < 0.3  # a white or silver car: a light plate on a light body
            body = tuple(
                int(v) for v in rng.integers(190 if light else 10, 256 if light else 240, 3)
            )
            ImageDraw.Draw(image).rectangle(
                (spot[0], spot[1], spot[0] + frame_w, spot[1] + frame_h), fill=body
            )
            taken.append((*spot, frame_w, frame_h))
            spot = (spot[0] + (frame_w - patch.width) // 2, spot[1] + (frame_h - patch.height) // 2)
        else:
            spot = _place(rng, patch.size, taken, width, height)
            if spot is None:
                continue
            taken.append((*spot, *patch.size))
        image.paste(patch, spot, mask)
        plate_boxes.append((spot[0] + box[0], spot[1] + box[1], box[2], box[3]))
    exposure = rng.random()
    if exposure < 0.15 or exposure > 0.9:  # dusk, or a sunny street burning out the sky
        gamma = rng.uniform(1.4, 2.0) if exposure < 0.15 else rng.uniform(0.6, 0.8)
        table = [round(255 * (v / 255) ** gamma) for v in range(256)] * 3
        image = image.point(table)
    if rng.random() < 0.3:  # a softer camera
        image = image.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 1.2))))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=int(rng.integers(55, 96)))
    return Photo(
        name=name,
        content=out.getvalue(),
        width=width,
        height=height,
        faces=tuple(face_boxes),
        plates=tuple(plate_boxes),
        notes=(kind,),
    )


__all__ = ["Box", "Photo", "blur_photos"]
