"""Faces and number plates found and irreversibly blurred (pure: OpenCV, Pillow, NumPy; no Django).

``regions_detect`` finds faces (OpenCV's bundled Haar cascades) and number plates (the bundled
plate cascade and a finder of our own for Vietnamese plates) in a JPEG/PNG/WebP and returns
padded boxes in the upright image's pixels; ``image_blur`` returns a fresh metadata-free JPEG in
which every given box is destroyed beyond recovery. Nothing is downloaded at run time.
"""

from cityops.platform.blurring.blur import image_blur
from cityops.platform.blurring.detect import regions_detect
from cityops.platform.blurring.regions import KINDS, SOURCES, Region

__all__ = ["KINDS", "SOURCES", "Region", "image_blur", "regions_detect"]
