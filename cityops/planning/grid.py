"""The lookup grid: square cells of CELL_DEGREES on longitude and latitude, each an integer.

A zone is filed under every cell its bounding box touches (``ZoneCell``); a point lookup reads
the zones of the point's one cell and keeps those whose polygon holds the point. Both databases
answer that with one index, without a spatial extension.
"""

import math

CELL_DEGREES = 0.005  # about 550 m in Huế
_ROW = 1_000_000  # cells per row: longitude index + row * latitude index, both shifted positive


def _index(degrees: float, offset: float) -> int:
    return math.floor((degrees + offset) / CELL_DEGREES)


def cell_of(lon: float, lat: float) -> int:
    """The cell holding a point."""
    return _index(lat, 90.0) * _ROW + _index(lon, 180.0)


def cells_covering(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> list[int]:
    """Every cell a bounding box touches, edges included."""
    columns = range(_index(min_lon, 180.0), _index(max_lon, 180.0) + 1)
    rows = range(_index(min_lat, 90.0), _index(max_lat, 90.0) + 1)
    return [row * _ROW + column for row in rows for column in columns]
