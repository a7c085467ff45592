"""Small GTFS feeds written for a test (the real sample is read from ``shared/`` beside the
checkout, or wherever ``CITYOPS_GTFS_SAMPLES`` says: `.ci/run` sets it)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]
SAMPLES = Path(
    os.environ.get("CITYOPS_GTFS_SAMPLES", REPOSITORY.parent / "shared" / "domain" / "gtfs-samples")
)
CAIRNS = SAMPLES / "cairns_gtfs.zip"

# Four stops about 535 m apart eastwards along Lê Lợi street, Huế; five minutes between stops.
STOPS = [
    ("S1", 16.4600, 107.5800),
    ("S2", 16.4600, 107.5850),
    ("S3", 16.4600, 107.5900),
    ("S4", 16.4600, 107.5950),
]
TIMES = ["08:00:00", "08:05:00", "08:10:00", "08:15:00"]


def feed_files(**changes: str | None) -> dict[str, str]:
    files: dict[str, str | None] = {
        "agency.txt": "agency_name,agency_url,agency_timezone\n"
        "Xe buýt Huế,https://example.org,Asia/Ho_Chi_Minh\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
        + "".join(f"{sid},Trạm {sid},{lat},{lon}\n" for sid, lat, lon in STOPS),
        "routes.txt": "route_id,route_short_name,route_long_name,route_type\n"
        "R1,01,Bến xe phía Bắc - Bến xe phía Nam,3\n",
        "trips.txt": "route_id,service_id,trip_id,direction_id,shape_id\n"
        "R1,ALL,T1,0,\nR1,ALL,T2,0,\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "".join(
            f"T1,{t},{t},{sid},{i + 1}\n"
            for i, ((sid, _, _), t) in enumerate(zip(STOPS, TIMES, strict=True))
        )
        + "".join(
            f"T2,{t},{t},{sid},{i + 1}\n"
            for i, ((sid, _, _), t) in enumerate(
                zip(STOPS, ["08:10:00", "08:15:00", "08:20:00", "08:25:00"], strict=True)
            )
        ),
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nALL,1,1,1,1,1,1,1,20260101,20271231\n",
    }
    files.update(changes)
    return {name: text for name, text in files.items() if text is not None}


def feed_zip(folder: Path, name: str = "hue.zip", **changes: str | None) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        for file, text in feed_files(**changes).items():
            archive.writestr(file, text)
    return path
