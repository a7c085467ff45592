"""Vietnamese number plates found with OpenCV primitives (no model, nothing downloaded).

A plate is a light panel, white (private) or yellow (commercial), framed by a dark line, with
dark characters in one line (~4.3:1, ``75A-123.45``) or two (~1.4:1 on motorbikes, ~2:1 on
cars, ``43C1`` over ``234.56``). The finder thresholds a channel in which both panels are light
(the smaller of red and green) at several levels, keeps the regions that are solid rectangles
of a plate's proportions, then keeps those whose inside reads as a row or two of
character-sized dark marks of even height.
"""

from __future__ import annotations

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # x, y, width, height
Row = tuple[int, int, int, int, float, float]  # x0, y0, x1, y1, character height, characters

_LEVELS = tuple(range(65, 246, 15))
_MIN_AREA = 180  # px at the working size: ~40 x 10 for a one-line plate
_ONE_LINE = (2.7, 6.2)  # long side / short side of the panel inside the frame
_TWO_LINES = (1.15, 2.5)
_MIN_FILL = 0.6  # the region's share of its rotated rectangle
_MAX_TILT = 30.0  # degrees from horizontal
_LINE_HEIGHT = 36  # px a text line is scaled to before reading its marks
_MAX_INK_LIGHT = 190  # print is dark: its median at most this, its surroundings' light 255


def plate_boxes(rgb: np.ndarray) -> list[Box]:
    """Upright boxes around the plates in ``rgb`` (height x width x 3, uint8)."""
    light = _stretched(np.minimum(rgb[..., 0], rgb[..., 1]))
    # A panel half in shadow may be found in part, its characters whole, or the reverse:
    # what overlaps is one plate, and the box around both covers it.
    return _merged(_panel_boxes(light) + _line_boxes(light))


def _stretched(light: np.ndarray) -> np.ndarray:
    """``light`` scaled so its brightest parts are white: at dusk or in shade a plate is
    still the lightest thing about, though far from white."""
    top = float(np.percentile(light[::4, ::4], 99.5))
    if top >= 250 or top < 16:
        return light
    return cv2.convertScaleAbs(light, alpha=255.0 / top)


def _panel_boxes(light: np.ndarray) -> list[Box]:
    """Plates found as light panels of a plate's proportions with characters inside."""
    height, width = light.shape
    candidates: list[tuple[float, tuple[tuple[float, float], tuple[float, float], float]]] = []
    for level in _LEVELS:
        _, mask = cv2.threshold(light, level, 255, cv2.THRESH_BINARY)
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            if len(contour) < 4:
                continue
            _x, _y, w, h = cv2.boundingRect(contour)
            if w * h < _MIN_AREA or w > width * 0.6 or h > height * 0.6:
                continue
            (cx, cy), (rw, rh), angle = cv2.minAreaRect(contour)
            rect = ((float(cx), float(cy)), (float(rw), float(rh)), float(angle))
            shape = _panel_shape(rect)
            if shape is None:
                continue
            fill = cv2.contourArea(contour) / max(1.0, rw * rh)
            if fill < _MIN_FILL:
                continue
            candidates.append((fill, rect))
    boxes: list[Box] = []
    kept: list[Box] = []
    for _, rect in sorted(candidates, key=lambda item: -item[0]):
        box = _upright_box(rect, width, height)
        if any(_overlap(box, other) > 0.5 for other in kept):
            continue
        if _reads_as_plate(light, rect):
            kept.append(box)
            boxes.append(box)
    return boxes


def _panel_shape(rect: tuple[tuple[float, float], tuple[float, float], float]) -> int | None:
    """1 or 2 (text lines) if the rotated rectangle has a plate's proportions and lies
    roughly level; None otherwise."""
    (rw, rh), angle = rect[1], rect[2]
    if min(rw, rh) < 6:
        return None
    # Whatever OpenCV's angle convention, the tilt of the long side from horizontal:
    tilt = angle if rw >= rh else angle - 90.0
    tilt = (tilt + 90.0) % 180.0 - 90.0
    if abs(tilt) > _MAX_TILT:
        return None
    aspect = max(rw, rh) / min(rw, rh)
    if _ONE_LINE[0] <= aspect <= _ONE_LINE[1]:
        return 1
    if _TWO_LINES[0] <= aspect <= _TWO_LINES[1]:
        return 2
    return None


def _upright(
    light: np.ndarray, rect: tuple[tuple[float, float], tuple[float, float], float], lines: int
) -> np.ndarray:
    """The panel cut out, turned level and scaled so each text line is ``_LINE_HEIGHT``."""
    points = cv2.boxPoints(rect).astype(np.float32)
    # Order the corners: top-left, top-right, bottom-right, bottom-left (long side across).
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    points = points[np.argsort(angles)]  # clockwise from the top-left on screen (y down)
    (rw, rh) = rect[1]
    long_side, short_side = max(rw, rh), min(rw, rh)
    if np.linalg.norm(points[1] - points[0]) < np.linalg.norm(points[2] - points[1]):
        points = np.roll(points, -1, axis=0)
    out_h = _LINE_HEIGHT * lines
    out_w = max(8, round(out_h * long_side / short_side))
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1]], dtype=np.float32)
    matrix = cv2.getAffineTransform(points[:3], target)
    return cv2.warpAffine(
        light, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def _reads_as_plate(
    light: np.ndarray, rect: tuple[tuple[float, float], tuple[float, float], float]
) -> bool:
    lines = _panel_shape(rect)
    if lines is None:
        return False
    (rw, rh) = rect[1]
    aspect = max(rw, rh) / min(rw, rh)
    # A car's two-line plate (~2:1) and a short one-line crop overlap in proportion: try both.
    layouts = [lines] if not (1.8 <= aspect <= 2.5) else [2, 1]
    return any(_marks_fit(_upright(light, rect, n), n) for n in layouts)


def _marks_fit(panel: np.ndarray, lines: int) -> bool:
    h, w = panel.shape
    margin_y, margin_x = max(1, h // 14), max(1, w // 30)
    inner = panel[margin_y : h - margin_y, margin_x : w - margin_x]
    if inner.size == 0 or int(inner.max()) - int(inner.min()) < 40:
        return False  # no contrast: a blank panel, a window, a wall
    # Divide out the light falling across the panel (a shadow, a headlight): a closing wider
    # than any stroke is the panel without its characters.
    size = _LINE_HEIGHT // 2 | 1
    paper = cv2.morphologyEx(
        inner, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    )
    even = cv2.divide(inner, paper, scale=255)
    _, ink = cv2.threshold(even, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    share = float(np.count_nonzero(ink)) / ink.size
    if not 0.06 <= share <= 0.55:
        return False
    if float(np.median(even[ink > 0])) > _MAX_INK_LIGHT:
        return False  # mottled ground (fur, foliage, clouds), not print
    line_h = inner.shape[0] / lines
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    marks = []
    for i in range(1, count):
        x, y, cw, ch, area = (int(v) for v in stats[i])
        if not 0.35 * line_h <= ch <= 0.98 * line_h:
            continue
        if not 0.08 * ch <= cw <= 1.0 * ch:
            continue
        if not 0.12 * cw * ch <= area <= 0.85 * cw * ch:
            continue  # a speck, or a solid block (a window)
        marks.append((x, y, cw, ch))
    if len(marks) < 3 * lines:
        return False
    heights = np.array([m[3] for m in marks], dtype=float)
    if heights.std() > 0.2 * heights.mean():
        return False
    # Each line holds characters side by side: 3-11 marks whose centres share a row.
    rows = [0] * lines
    for _x, y, _cw, ch in marks:
        rows[min(lines - 1, int((y + ch / 2) / line_h))] += 1
    return all(3 <= n <= 12 for n in rows)


def _upright_box(
    rect: tuple[tuple[float, float], tuple[float, float], float], width: int, height: int
) -> Box:
    points = cv2.boxPoints(rect)
    x0, y0 = np.floor(points.min(axis=0)).astype(int)
    x1, y1 = np.ceil(points.max(axis=0)).astype(int)
    x0, y0 = max(0, int(x0)), max(0, int(y0))
    x1, y1 = min(width, int(x1)), min(height, int(y1))
    return (x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def _overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box's area."""
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return ix * iy / max(1, min(a[2] * a[3], b[2] * b[3]))


# --- plates found from their characters ---------------------------------------------------

_PAPER_KERNEL = 21  # px: wider than any character's stroke at the working size
_INK_LEVELS = (150, 190, 220)  # a pixel this far below its surroundings (of 255) is ink
_MIN_CHARACTER, _MAX_CHARACTER = 7, 110  # px tall at the working size
_MAX_INK_FILL = 0.62  # a row's median share of ink in its marks' boxes
_MAX_MARGIN_INK = 0.2  # share of ink allowed just above and below a row's characters
_MAX_EDGE_INK = 0.5  # median share of ink along the edges of a row's marks' boxes
_MIN_GROUND = 205  # mean of the ground between characters, its surroundings' light being 255


def _line_boxes(light: np.ndarray) -> list[Box]:
    """Plates found as one or two rows of character-sized dark marks on a light ground."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (_PAPER_KERNEL, _PAPER_KERNEL))
    paper = cv2.morphologyEx(light, cv2.MORPH_CLOSE, kernel)
    even = cv2.divide(light, paper, scale=255)
    height, width = light.shape
    lines: list[Row] = []
    for level in _INK_LEVELS:
        ink = (even < level).astype(np.uint8)
        ink[paper < 60] = 0  # a plate's ground is light; ink on a dark ground is not a plate
        _count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        x, y, w, h, area = (stats[1:, i] for i in range(5))
        keep = (
            (h >= _MIN_CHARACTER)
            & (h <= _MAX_CHARACTER)
            & (w >= 0.1 * h)
            & (w <= 2.0 * h)  # up to two characters run together by blur
            & (area >= 0.15 * w * h)
            & (area <= 0.85 * w * h)
        )
        marks = np.stack([x[keep], y[keep], w[keep], h[keep], area[keep]], axis=1)
        lines += _chains(marks, ink, even)
    return _merged(_stacked(_joined(lines), width, height))


def _joined(rows: list[Row]) -> list[Row]:
    """Rows found at several ink levels, or cut in pieces by a dash, a dot or a character
    lost to blur, made one; only rows of at least four characters are kept."""
    rows = sorted(rows, key=lambda r: r[0])
    changed = True
    while changed:
        changed = False
        out: list[Row] = []
        for row in rows:
            for k, other in enumerate(out):
                h = max(row[4], other[4])
                # On the same line, even tilted: the boxes share most of a character's height.
                shared = min(row[3], other[3]) - max(row[1], other[1])
                gap = max(row[0], other[0]) - min(row[2], other[2])
                if shared >= 0.5 * h and gap <= 2.2 * h and 0.7 <= row[4] / other[4] <= 1.4:
                    # The same characters seen at two levels count once; pieces side by side add.
                    overlap = -gap / max(1, min(row[2] - row[0], other[2] - other[0]))
                    count = max(row[5], other[5]) if overlap > 0.5 else row[5] + other[5]
                    out[k] = (
                        min(row[0], other[0]),
                        min(row[1], other[1]),
                        max(row[2], other[2]),
                        max(row[3], other[3]),
                        h,
                        count,
                    )
                    changed = True
                    break
            else:
                out.append(row)
        rows = out
    return [row for row in rows if row[5] >= 4]


def _merged(boxes: list[Box]) -> list[Box]:
    """Overlapping boxes replaced by the box around them."""
    changed = True
    while changed:
        changed = False
        out: list[Box] = []
        for box in boxes:
            for k, other in enumerate(out):
                if _overlap(box, other) > 0:
                    x0, y0 = min(box[0], other[0]), min(box[1], other[1])
                    x1 = max(box[0] + box[2], other[0] + other[2])
                    y1 = max(box[1] + box[3], other[1] + other[3])
                    out[k] = (x0, y0, x1 - x0, y1 - y0)
                    changed = True
                    break
            else:
                out.append(box)
        boxes = out
    return boxes


def _chains(marks: np.ndarray, ink: np.ndarray, even: np.ndarray) -> list[Row]:
    """Rows of 4-12 characters of even height side by side, with clear ground just above
    and below each: (x0, y0, x1, y1, mark height)."""
    if len(marks) < 3:
        return []
    marks = marks[np.argsort(marks[:, 0])]
    parent = list(range(len(marks)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    xs = marks[:, 0]
    for i, (x, y, w, h, _) in enumerate(marks.tolist()):
        reach = x + w + 0.9 * h
        j = i + 1
        end = int(np.searchsorted(xs, reach, side="right"))
        for j in range(i + 1, end):
            x2, y2, _w2, h2, _ = marks[j].tolist()
            if x2 < x + w - 0.3 * h:  # overlapping marks are not neighbours in a line
                continue
            if not 0.75 <= h2 / h <= 1.33:
                continue
            if abs((y + h / 2) - (y2 + h2 / 2)) > 0.3 * max(h, h2):
                continue
            parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(marks)):
        groups.setdefault(root(i), []).append(i)
    rows = []
    for members in groups.values():
        group = marks[members]
        # A mark wider than a character is two (or three) run together.
        characters = float(np.clip(np.round(group[:, 2] / (0.6 * group[:, 3])), 1, 3).sum())
        if not 3 <= characters <= 12 or len(members) < 3:
            continue  # a piece of three is kept: a blurred-out character may cut a row
        x0, y0 = group[:, 0].min(), group[:, 1].min()
        x1, y1 = (group[:, 0] + group[:, 2]).max(), (group[:, 1] + group[:, 3]).max()
        mark_h = float(np.median(group[:, 3]))
        if not 2.0 * mark_h <= x1 - x0 <= 9.0 * mark_h:
            continue
        # Characters are strokes: a row of solid blocks is windows, tiles or a fence.
        if float(np.median(group[:, 4] / (group[:, 2] * group[:, 3]))) > _MAX_INK_FILL:
            continue
        if not _reads_as_text(group, ink, even, (int(x0), int(y0), int(x1), int(y1))):
            continue
        rows.append((int(x0), int(y0), int(x1), int(y1), mark_h, characters))
    return rows


def _reads_as_text(group: np.ndarray, ink: np.ndarray, even: np.ndarray, box: Box) -> bool:
    """Whether a row of marks looks like characters printed on a plate rather than texture
    (grass, gravel, foliage: ink everywhere, a mottled ground) or windows (hollow frames)."""
    if _margins_inked(group, ink) > _MAX_MARGIN_INK:
        return False
    # A window wider than the closing is seen as its frame: ink all along its box's edges.
    edges = []
    for x, y, w, h, _ in group.tolist():
        mark = ink[y : y + h, x : x + w] > 0
        edges.append(
            (mark[0].mean() + mark[-1].mean() + mark[:, 0].mean() + mark[:, -1].mean()) / 4
        )
    if float(np.median(edges)) > _MAX_EDGE_INK:
        return False
    x0, y0, x1, y1 = box
    inked = ink[y0:y1, x0:x1] > 0
    if float(np.median(even[y0:y1, x0:x1][inked])) > _MAX_INK_LIGHT:
        return False
    ground = even[y0:y1, x0:x1][~inked]
    return ground.size > 0 and float(ground.mean()) >= _MIN_GROUND


def _margins_inked(group: np.ndarray, ink: np.ndarray) -> float:
    """The share of ink in thin strips just above, or just below, the marks, whichever is
    cleaner: a plate's frame (or its other line) may run close along one side, never both."""
    shares = []
    for side in (-1, 1):
        inked = total = 0
        for x, y, w, h, _ in group.tolist():
            near, far = max(1, round(0.06 * h)), max(2, round(0.22 * h))
            if side < 0:
                strip = ink[max(0, y - far) : max(0, y - near), x : x + w]
            else:
                strip = ink[y + h + near : y + h + far, x : x + w]
            inked += int(np.count_nonzero(strip))
            total += strip.size
        shares.append(inked / total if total else 1.0)
    return min(shares)


def _stacked(rows: list[Row], width: int, height: int) -> list[Box]:
    """The plates the rows make: a row alone, or two rows one above the other merged; each
    grown by the plate's margins around its characters."""
    boxes = []
    used = set()
    ordered = sorted(rows, key=lambda r: r[1])
    for i, (x0, y0, x1, y1, h, _) in enumerate(ordered):
        if i in used:
            continue
        mx, my = 0.9 * h, 0.5 * h
        if x1 - x0 <= 4.5 * h:
            # Short enough to be one line of a two-line plate whose other line went unseen:
            # grow over where it would be, above or below.
            my = 1.5 * h
        for j in range(i + 1, len(ordered)):
            a0, b0, a1, b1, h2, _ = ordered[j]
            centre_shift = abs((x0 + x1) / 2 - (a0 + a1) / 2)
            if (
                j not in used
                and 0.7 <= h2 / h <= 1.4
                and -0.2 * h <= b0 - y1 <= 0.8 * h
                and centre_shift <= 0.35 * max(x1 - x0, a1 - a0)
            ):
                used.add(j)
                x0, y0, x1, y1 = min(x0, a0), y0, max(x1, a1), b1
                my = 0.5 * h
                break
        bx0, by0 = max(0, int(x0 - mx)), max(0, int(y0 - my))
        bx1, by1 = min(width, int(x1 + mx)), min(height, int(y1 + my))
        boxes.append((bx0, by0, bx1 - bx0, by1 - by0))
    return boxes
