"""What printed documents share: the Unicode font for Vietnamese and QR codes as PNG.

The violation notice, the payment receipt and the service desks' sheets draw with fpdf2 in DejaVu
Sans (Debian's fonts-dejavu-core, or the copy matplotlib ships, wherever one is installed) and
print QR codes made by segno.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import segno

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian: fonts-dejavu-core
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MONO = "DejaVuSansMono.ttf"


class FontMissing(RuntimeError):
    """No Unicode TTF font for Vietnamese was found (install fonts-dejavu-core)."""


@cache
def font_dir() -> Path:
    """Where DejaVu Sans is: the system's fonts, else matplotlib's copy if it is installed."""
    candidates = list(FONT_DIRS)
    try:
        import matplotlib  # optional: its copy of DejaVu

        candidates.append(Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf")
    except ImportError:
        pass
    for folder in candidates:
        if all((folder / name).is_file() for name in FONTS.values()):
            return folder
    raise FontMissing(
        "Printed documents need DejaVu Sans for Vietnamese: apt-get install fonts-dejavu-core"
    )


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """The QR code of ``url`` as a PNG (error correction M, a 4-module quiet zone)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
