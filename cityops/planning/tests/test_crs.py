"""VN-2000 (Huế's 3° zone) to WGS 84 within a metre, with the Ministry's rotations read in the
right convention; a file's declared coordinate system is honoured, an unknown one refused.

Control points: no published list of points with both VN-2000 (Huế's zone) and WGS 84
coordinates was found to cite. The expected positions are therefore computed through a path
independent of ours: EPSG's registered operation in PROJ's database, EPSG:6960 "VN-2000 to WGS 84
(2)" (Coordinate Frame rotation, source: Department of Survey and Mapping), chained with the
projection EPSG:9214 "VN-2000 / TM-3 107-00" — pyproj picks and builds these from the EPSG
records, while ours is a pipeline written from Quyết định 05/2007/QĐ-BTNMT and Thông tư
973/2001/TT-TCĐC.
"""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
from pyproj.transformer import TransformerGroup

from cityops.planning.importing.crs import (
    HUE_PIPELINE,
    VN2000_HUE,
    WGS84,
    UnknownCrs,
    source_for,
    vn2000_hue_to_wgs84,
)

GEOD = pyproj.Geod(ellps="WGS84")
# Eastings, northings (m) in VN-2000 / TM-3 107°00′ around Huế: the citadel, Thuận An,
# Phú Bài, A Lưới and Lăng Cô.
POINTS = np.array(
    [
        [560_300.0, 1_822_900.0],
        [576_000.0, 1_838_000.0],
        [573_000.0, 1_808_000.0],
        [500_500.0, 1_793_000.0],
        [609_000.0, 1_796_000.0],
    ]
)


def epsg_6960(points: np.ndarray) -> np.ndarray:
    group = TransformerGroup("EPSG:9214", "EPSG:4326", always_xy=True)
    (registered,) = [t for t in group.transformers if "VN-2000 to WGS 84 (2)" in t.description]
    lon, lat = registered.transform(points[:, 0], points[:, 1])
    return np.column_stack([lon, lat])


def metres(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2])


def test_control_points_land_within_a_metre_of_epsgs_registered_transformation():
    ours = vn2000_hue_to_wgs84(POINTS)
    assert metres(ours, epsg_6960(POINTS)).max() <= 1.0
    assert metres(ours, epsg_6960(POINTS)).max() <= 0.01  # the same parameters, the same convention


def test_the_published_rotations_read_as_position_vector_would_be_half_a_metre_off():
    # Why the convention is spelt out: PROJ's +towgs84 reads rotations as position vector.
    wrong = pyproj.Transformer.from_pipeline(
        HUE_PIPELINE.replace("coordinate_frame", "position_vector")
    )
    lon, lat = wrong.transform(POINTS[:, 0], POINTS[:, 1])
    off = metres(vn2000_hue_to_wgs84(POINTS), np.column_stack([lon, lat]))
    assert (off > 0.4).all()


def test_without_the_datum_shift_huế_would_move_by_more_than_200_metres():
    projection_only = pyproj.Transformer.from_crs(
        "+proj=tmerc +lon_0=107 +k=0.9999 +x_0=500000 +ellps=WGS84", "EPSG:4326", always_xy=True
    )
    lon, lat = projection_only.transform(POINTS[:, 0], POINTS[:, 1])
    assert metres(vn2000_hue_to_wgs84(POINTS), np.column_stack([lon, lat])).min() > 200


def test_the_citadel_reads_where_the_map_shows_it():
    (lon, lat), = vn2000_hue_to_wgs84(POINTS[:1])  # fmt: skip
    assert 107.55 < lon < 107.59
    assert 16.46 < lat < 16.49


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("EPSG:4326", WGS84),
        ("OGC:CRS84", WGS84),
        ("EPSG:9214", VN2000_HUE),
        (
            'PROJCS["VN_2000_Hue_107",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",'
            'SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
            'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
            'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
            'PARAMETER["Central_Meridian",107.0],PARAMETER["Scale_Factor",0.9999],'
            'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
            VN2000_HUE,
        ),
    ],
)
def test_a_declared_coordinate_system_is_recognised(declared, expected):
    assert source_for(declared, "wgs84") is expected


def test_no_declared_system_means_the_one_chosen():
    assert source_for(None, "vn2000_107") is VN2000_HUE


def test_another_known_system_is_converted_by_its_own_definition():
    utm = source_for("EPSG:32648", "vn2000_107")  # WGS 84 / UTM 48N
    (lon, lat), = utm.transform(np.array([[800_000.0, 1_823_000.0]]))  # fmt: skip
    assert 107.7 < lon < 107.9
    assert 16.4 < lat < 16.5


def test_an_unknown_coordinate_system_is_refused():
    with pytest.raises(UnknownCrs):
        source_for('LOCAL_CS["site grid",UNIT["metre",1]]', "wgs84")
    with pytest.raises(UnknownCrs):
        source_for("not a crs", "wgs84")
