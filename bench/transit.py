"""Live buses: how soon a vehicle's position is on the map and in the GTFS-realtime feed.

``.venv/bin/python bench/transit.py`` (500 vehicles, a position every 10 s each for 5 minutes,
about 7 minutes in all); ``--quick`` (or ``BENCH_QUICK=1``: 200 vehicles for 1 minute, result in
a temporary file). Needs Debian's ``mosquitto`` binary and PostgreSQL at ``PG_URL`` (default
postgres://postgres@127.0.0.1:5432/cityops; the bench works in a database of its own,
``cityops_bench_transit`` or ``BENCH_DB_NAME``, created afresh) and Redis (``BENCH_REDIS_URL``).

What runs: a Mosquitto started for the bench (``cityops/monitoring/ingest/mosquitto.conf``),
``cityops ingest`` (its vehicle worker takes ``cityops/vehicles/+/position``) and uvicorn with
one web process, both on PostgreSQL. The schedule is a synthetic feed imported with
``cityops transit import``: one route for every ten vehicles, eighteen stops 400 m apart
radiating from central Huế, one trip per vehicle placed so that each bus is on its trip now,
most on time, a few a little late, one route in 25 with a bus eleven minutes late (its alarm).

The bench publishes over MQTT (QoS 1, paho), each vehicle at its own phase of the interval, so
the load is even (50 positions a second for 500 vehicles). About one position in a hundred is
followed by a deliberately stale one (two minutes old) and one in a hundred by an out-of-order
one (older than the vehicle's last): both must be dropped and counted
(``transit_positiontally``), and must never show. For every fresh position it measures the
time from its publication until it is visible

- **map**: in the vehicles table the console's map reads (polled every 0.1 s), and
- **feed**: in ``GET /transit/gtfs-rt/vehicle-positions.pb`` (protobuf, polled every 0.25 s;
  the poller rotates ``X-Forwarded-For`` addresses, the server trusting 127.0.0.1 as a proxy,
  as many consumers would: one address gets 120 requests a minute).

A figure is the first poll that shows the position (or a later one of the same vehicle) minus
the moment it was published: it includes up to one polling interval. Goal: p95 ≤ 2 s, no
fresh position missing, none going back. Results go to ``bench/results/transit.json`` with the
machine, the load averages and the busiest other processes at the start (the cores are shared).
Not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lib.machine import command_version, cpu_seconds, loadavg, machine
from lib.server import BIN, Bench, Server, cityops, free_port, psql, say

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "cityops" / "monitoring" / "ingest" / "mosquitto.conf"
TIMEZONE = "Asia/Ho_Chi_Minh"
CENTRE = (16.4637, 107.5909)
VEHICLES_PER_ROUTE = 10
STOPS_PER_ROUTE = 18
STOP_SPACING_M = 400
LEG_SECONDS = 120  # scheduled time between two stops
BUS_SPACING_S = 150  # scheduled seconds between two buses of a route (no bunching alarm)
STALE_EVERY = 100  # one deliberately stale position after every 100th fresh one
OUT_OF_ORDER_EVERY = 100
GOAL_P95_S = 2.0
DB_POLL_S = 0.1
FEED_POLL_S = 0.25


# -- the synthetic schedule ------------------------------------------------------------------


def _hhmmss(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class BenchBus:
    vehicle_id: str
    trip_id: str
    stops: tuple[tuple[float, float], ...]
    lead_s: int  # how far along its trip (scheduled seconds) the bus is at the bench's start


def _stops(route: int, routes: int) -> tuple[tuple[float, float], ...]:
    bearing = math.radians(route * 360 / routes)
    lat0 = CENTRE[0] + 0.004 * math.sin(bearing * 3)
    lon0 = CENTRE[1] + 0.004 * math.cos(bearing * 3)
    dlat = STOP_SPACING_M * math.cos(bearing) / 111_320
    dlon = STOP_SPACING_M * math.sin(bearing) / (111_320 * math.cos(math.radians(lat0)))
    return tuple((lat0 + n * dlat, lon0 + n * dlon) for n in range(STOPS_PER_ROUTE))


def _delay(route: int, slot: int) -> int:
    if route % 25 == 7 and slot == 3:
        return 660  # past the ten-minute alarm
    return (route * 7 + slot * 37) % 90


def schedule_zip(folder: Path, vehicles: int, start: datetime) -> tuple[Path, list[BenchBus]]:
    """A GTFS zip whose trips put every bench bus on the road at ``start``, and the buses."""
    local = start.astimezone(ZoneInfo(TIMEZONE))
    day = local.date()
    now_s = local.hour * 3600 + local.minute * 60 + local.second
    if now_s < 2 * 3600:  # trips that began yesterday evening, as GTFS writes them (> 24:00)
        day -= timedelta(days=1)
        now_s += 86400
    routes = math.ceil(vehicles / VEHICLES_PER_ROUTE)
    buses, trips, times, stops = [], [], [], []
    for route in range(routes):
        points = _stops(route, routes)
        stops += [
            f"R{route:03d}S{n:02d},Bench {route}/{n},{lat:.6f},{lon:.6f}\n"
            for n, (lat, lon) in enumerate(points)
        ]
        for slot in range(VEHICLES_PER_ROUTE):
            number = route * VEHICLES_PER_ROUTE + slot
            if number >= vehicles:
                break
            lead = 60 + slot * BUS_SPACING_S
            trip_start = now_s - lead - _delay(route, slot)
            trip_id = f"B{route:03d}-{slot}"
            trips.append(f"R{route:03d},DAILY,{trip_id},0\n")
            times += [
                f"{trip_id},{_hhmmss(trip_start + n * LEG_SECONDS)},"
                f"{_hhmmss(trip_start + n * LEG_SECONDS)},R{route:03d}S{n:02d},{n + 1}\n"
                for n in range(STOPS_PER_ROUTE)
            ]
            buses.append(BenchBus(f"bench-{number:04d}", trip_id, points, lead))
    files = {
        "agency.txt": "agency_name,agency_url,agency_timezone\n"
        f"Bench,https://example.org,{TIMEZONE}\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(stops),
        "routes.txt": "route_id,route_short_name,route_type\n"
        + "".join(f"R{r:03d},{r},3\n" for r in range(routes)),
        "trips.txt": "route_id,service_id,trip_id,direction_id\n" + "".join(trips),
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "".join(times),
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        f"start_date,end_date\nDAILY,1,1,1,1,1,1,1,{day:%Y%m%d},{day + timedelta(days=1):%Y%m%d}\n",
    }
    path = folder / "bench-transit.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path, buses


def position_of(bus: BenchBus, elapsed: float) -> tuple[float, float]:
    """Where the bus is ``elapsed`` seconds after the bench's start (it runs to time)."""
    along = min(bus.lead_s + elapsed, LEG_SECONDS * (STOPS_PER_ROUTE - 1) - 1) / LEG_SECONDS
    leg, fraction = int(along), along - int(along)
    (lat1, lon1), (lat2, lon2) = bus.stops[leg], bus.stops[leg + 1]
    return lat1 + fraction * (lat2 - lat1), lon1 + fraction * (lon2 - lon1)


# -- what was sent and what was seen ---------------------------------------------------------


@dataclass
class Ledger:
    """Fresh positions waiting to be seen, per vehicle and per place they are watched in."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    pending: dict[str, dict[str, deque[tuple[int, float]]]] = field(
        default_factory=lambda: {"map": defaultdict(deque), "feed": defaultdict(deque)}
    )
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"map": [], "feed": []})
    superseded: dict[str, int] = field(default_factory=lambda: {"map": 0, "feed": 0})
    newest: dict[str, dict[str, int]] = field(default_factory=lambda: {"map": {}, "feed": {}})
    backwards: dict[str, int] = field(default_factory=lambda: {"map": 0, "feed": 0})

    def sent(self, vehicle: str, stamp: int, at: float) -> None:
        with self.lock:
            for where in ("map", "feed"):
                self.pending[where][vehicle].append((stamp, at))

    def seen(self, where: str, rows: list[tuple[str, int]], at: float) -> None:
        with self.lock:
            for vehicle, stamp in rows:
                newest = self.newest[where].get(vehicle)
                if newest is not None and stamp < newest:
                    self.backwards[where] += 1
                self.newest[where][vehicle] = max(stamp, newest or stamp)
                waiting = self.pending[where].get(vehicle)
                while waiting and waiting[0][0] <= stamp:
                    sent_stamp, sent_at = waiting.popleft()
                    self.latencies[where].append(at - sent_at)
                    self.superseded[where] += sent_stamp < stamp

    def missing(self, where: str) -> int:
        with self.lock:
            return sum(len(waiting) for waiting in self.pending[where].values())


def poll_map(url: str, ledger: Ledger, stop: threading.Event, counts: dict[str, int]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        while not stop.is_set():
            began = time.perf_counter()
            rows = db.execute("SELECT vehicle_id, observed_at FROM transit_vehicle").fetchall()
            ledger.seen("map", [(v, int(at.timestamp())) for v, at in rows], time.perf_counter())
            counts["map_polls"] += 1
            stop.wait(max(0.0, DB_POLL_S - (time.perf_counter() - began)))


def poll_feed(url: str, ledger: Ledger, stop: threading.Event, counts: dict[str, int]) -> None:
    import requests
    from google.transit import gtfs_realtime_pb2 as rt

    session = requests.Session()
    for n in itertools.count():
        if stop.is_set():
            break
        began = time.perf_counter()
        # Consumers from many addresses: the feed's limit is 120 requests a minute per address.
        address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        answer = session.get(url, headers={"X-Forwarded-For": address}, timeout=10)
        at = time.perf_counter()
        if answer.status_code != 200:
            counts[f"feed_http_{answer.status_code}"] += 1
        else:
            message = rt.FeedMessage()
            message.ParseFromString(answer.content)
            rows = [(e.vehicle.vehicle.id, e.vehicle.timestamp) for e in message.entity]
            ledger.seen("feed", rows, at)
            counts["feed_polls"] += 1
            counts["feed_ms_total"] += round((at - began) * 1000)
        stop.wait(max(0.0, FEED_POLL_S - (time.perf_counter() - began)))


# -- processes -------------------------------------------------------------------------------


def busiest_processes(count: int = 6) -> list[str]:
    """What else used the shared cores when the bench began: ``top``'s second frame (its CPU
    shares over one second), this process left out."""
    out = subprocess.run(
        ["top", "-b", "-n", "2", "-d", "1", "-o", "%CPU", "-w", "200"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    frame = out.stdout.rsplit("PID USER", 1)[-1].splitlines()[1:]
    busiest = []
    for line in frame:
        fields = line.split()
        if len(fields) >= 12 and fields[0] != str(os.getpid()) and float(fields[8]) > 0:
            busiest.append(f"{fields[8]}% {' '.join(fields[11:])}")
    return busiest[:count]


def start_mosquitto(folder: Path) -> tuple[subprocess.Popen[bytes], int, str]:
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    port = free_port()
    conf = folder / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n"
        + CONF.read_text()
    )
    process = subprocess.Popen([binary, "-c", str(conf)])  # noqa: S603 - our own binary
    time.sleep(0.5)
    return process, port, binary


def start_ingest(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    worker = subprocess.Popen(  # noqa: S603 - our own binaries and arguments
        [
            *(str(BIN / "cityops"), "ingest", "--url", f"mqtt://127.0.0.1:{port}"),
            *("--client-id", "bench-transit", "--session-expiry", "0", "--stats-interval", "3600"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert worker.stdout is not None
    watchdog = threading.Timer(60, worker.kill)
    watchdog.start()
    for line in worker.stdout:
        if "ingest: subscribed" in line:
            break
    else:
        raise SystemExit("cityops ingest exited (or took 60 s) before subscribing")
    watchdog.cancel()
    threading.Thread(target=_drain, args=(worker,), daemon=True).start()
    return worker


def _drain(process: subprocess.Popen[str]) -> None:
    for _line in process.stdout or []:
        pass


def tallies(bench: Bench) -> dict[str, int]:
    import psycopg

    with psycopg.connect(f"{bench.base}/{bench.db_name}") as db:
        return dict(db.execute("SELECT outcome, count FROM transit_positiontally").fetchall())


# -- the run ---------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)], 3),
        "p99_s": round(ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)], 3),
        "max_s": round(ordered[-1], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="200 vehicles for 60 s")
    parser.add_argument("--vehicles", type=int, default=0)
    parser.add_argument("--seconds", type=int, default=0)
    parser.add_argument("--interval", type=float, default=10.0)
    options = parser.parse_args()
    bench = Bench.from_environment("transit", "cityops_bench_transit", sys.argv)
    vehicles = options.vehicles or (200 if bench.quick else 500)
    seconds = options.seconds or (60 if bench.quick else 300)
    folder = Path(tempfile.mkdtemp(prefix="cityops-bench-transit-"))
    load_at_start, others = loadavg(), busiest_processes()
    say(f"== transit: {vehicles} vehicles, a position every {options.interval:g} s for {seconds} s")
    say(f"   load average {load_at_start}; busiest processes: {'; '.join(others[:4])}")

    bench.flush_redis()
    psql(bench.base, f"DROP DATABASE IF EXISTS {bench.db_name} WITH (FORCE)")
    psql(bench.base, f"CREATE DATABASE {bench.db_name}")
    cityops(bench.env, "migrate", "--no-input", "-v", "0")
    start = datetime.now(UTC) + timedelta(seconds=30)  # the measurement begins about then
    feed, buses = schedule_zip(folder, vehicles, start)
    cityops(bench.env, "transit", "import", str(feed))
    psql(bench.base, "VACUUM ANALYZE", bench.db_name)

    mosquitto, port, binary = start_mosquitto(folder)
    ingest = start_ingest({**bench.env, "LOG_LEVEL": "INFO"}, port)  # it says "subscribed"
    server = Server(bench, workers=1, env={"CITYOPS_TRUSTED_PROXIES": "127.0.0.1"})
    say(f"   mosquitto :{port}, cityops ingest pid {ingest.pid}, uvicorn :{server.port}")

    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    publisher = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    publisher.max_queued_messages_set(0)
    publisher.connect("127.0.0.1", port)
    publisher.loop_start()

    def publish(bus: BenchBus, stamp: int, lat: float, lon: float) -> None:
        body = {
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "timestamp": stamp,
            "trip_id": bus.trip_id,
        }
        topic = f"cityops/vehicles/{bus.vehicle_id}/position"
        publisher.publish(topic, json.dumps(body), qos=1)

    ledger = Ledger()
    counts: dict[str, int] = defaultdict(int)
    stop = threading.Event()
    db_url = f"{bench.base}/{bench.db_name}"
    pollers = [
        threading.Thread(target=poll_map, args=(db_url, ledger, stop, counts), daemon=True),
        threading.Thread(
            target=poll_feed,
            args=(server.url("/transit/gtfs-rt/vehicle-positions.pb"), ledger, stop, counts),
            daemon=True,
        ),
    ]
    try:
        # Warm-up: every bus once, until all are on the map (the worker is subscribed, the
        # vehicles exist, the schedules are cached): not measured.
        say("   warm-up: one position per vehicle")
        for poller in pollers:
            poller.start()
        deadline = time.monotonic() + 120
        while len(ledger.newest["map"]) < len(buses) or len(ledger.newest["feed"]) < len(buses):
            if time.monotonic() > deadline:
                raise SystemExit(f"warm-up: {len(ledger.newest['map'])} vehicles on the map")
            # Again for those not seen: the vehicle worker may have subscribed after them.
            stamp = int(time.time())
            for bus in buses:
                if bus.vehicle_id not in ledger.newest["map"]:
                    publish(bus, stamp, *position_of(bus, stamp - start.timestamp()))
            time.sleep(3)
        stamp = max(ledger.newest["map"].values())
        before: dict[str, int] = {}
        while (settled := tallies(bench)) != before:  # resent warm-up positions still coming
            before = settled
            time.sleep(2)
        pids = {"ingest": [ingest.pid], "web": server.worker_pids()}
        cpu_before = {name: cpu_seconds(p) for name, p in pids.items()}
        say(f"   measuring for {seconds} s")
        began = time.time()
        rounds = math.floor(seconds / options.interval)
        plan = sorted(
            (began + 1 + round_ * options.interval + n / len(buses) * options.interval, n)
            for round_ in range(rounds)
            for n in range(len(buses))
        )
        fresh = stale = out_of_order = 0
        last_stamp = {bus.vehicle_id: stamp for bus in buses}  # the warm-up's
        next_report = began + 30
        for when, n in plan:
            pause = when - time.time()
            if pause > 0:
                time.sleep(pause)
            bus = buses[n]
            stamp = int(time.time())
            if stamp <= last_stamp.get(bus.vehicle_id, 0):
                stamp = last_stamp[bus.vehicle_id] + 1
            last_stamp[bus.vehicle_id] = stamp
            lat, lon = position_of(bus, stamp - start.timestamp())
            ledger.sent(bus.vehicle_id, stamp, time.perf_counter())
            publish(bus, stamp, lat, lon)
            fresh += 1
            if fresh % STALE_EVERY == 0:  # two minutes old: beyond the 90 s limit
                publish(bus, stamp - 120, lat, lon)
                stale += 1
            elif fresh % OUT_OF_ORDER_EVERY == OUT_OF_ORDER_EVERY // 2:  # older than the last
                publish(bus, stamp - 5, lat, lon)
                out_of_order += 1
            if time.time() >= next_report:
                next_report += 30
                say(
                    f"   {time.time() - began:4.0f} s: {fresh} fresh positions sent, "
                    f"map p95 so far {percentiles(ledger.latencies['map']).get('p95_s')} s, "
                    f"feed p95 so far {percentiles(ledger.latencies['feed']).get('p95_s')} s, "
                    f"load {loadavg()[0]}"
                )
        sent_seconds = time.time() - began
        deadline = time.monotonic() + 15  # the last ones' way through
        while (ledger.missing("map") or ledger.missing("feed")) and time.monotonic() < deadline:
            time.sleep(0.2)
        cpu = {name: round(cpu_seconds(p) - cpu_before[name], 1) for name, p in pids.items()}
        time.sleep(1)
        after = tallies(bench)
    finally:
        stop.set()
        publisher.disconnect()
        publisher.loop_stop()
        server.stop()
        ingest.terminate()
        ingest.wait(30)
        mosquitto.terminate()
        mosquitto.wait(10)
    for poller in pollers:
        poller.join(15)

    dropped = {
        outcome: after.get(outcome, 0) - before.get(outcome, 0)
        for outcome in ("accepted", "stale", "out_of_order", "null_island", "invalid")
    }
    places: dict[str, dict[str, Any]] = {}
    for where in ("map", "feed"):
        figures = percentiles(ledger.latencies[where])
        places[where] = figures | {
            "missing": ledger.missing(where),
            "seen_by_a_later_position": ledger.superseded[where],
            "went_back": ledger.backwards[where],
            "goal_met": bool(figures.get("p95_s", math.inf) <= GOAL_P95_S)
            and not ledger.missing(where)
            and not ledger.backwards[where],
        }
    import paho.mqtt

    result = {
        "what": (
            f"{len(buses)} vehicles, a position every {options.interval:g} s each for "
            f"{seconds} s, QoS 1 over Mosquitto → `cityops ingest` → PostgreSQL; the time from "
            "publication until each fresh position is visible in the vehicles table (the map, "
            f"polled every {DB_POLL_S} s) and in /transit/gtfs-rt/vehicle-positions.pb (one "
            f"uvicorn process, polled every {FEED_POLL_S} s); 1 % stale and 1 % out-of-order "
            "positions sent on purpose: dropped, counted, never shown (went_back)"
        ),
        "quick": bench.quick,
        "vehicles": len(buses),
        "interval_s": options.interval,
        "seconds": seconds,
        "positions_per_s": round(fresh / sent_seconds, 1),
        "sent": {"fresh": fresh, "stale": stale, "out_of_order": out_of_order},
        "counted_by_cityops": dropped,
        "drops_counted_right": dropped["stale"] == stale
        and dropped["out_of_order"] == out_of_order
        and dropped["accepted"] == fresh,
        "map": places["map"],
        "feed": places["feed"]
        | {
            "polls": counts["feed_polls"],
            "mean_request_ms": round(counts["feed_ms_total"] / max(1, counts["feed_polls"]), 1),
            "refused": {k: v for k, v in counts.items() if k.startswith("feed_http_")},
        },
        "map_polls": counts["map_polls"],
        "goal_p95_s": GOAL_P95_S,
        "goal_met": places["map"]["goal_met"] and places["feed"]["goal_met"],
        "cpu_seconds": cpu,
        "loadavg_at_start": load_at_start,
        "busiest_processes_at_start": others,
        "loadavg_at_end": loadavg(),
        "machine": machine(
            memory=True,
            postgresql=psql(bench.base, "SHOW server_version"),
            mosquitto=command_version([binary, "-h"]),
            paho_mqtt=paho.mqtt.__version__,
        ),
    }
    path = bench.result_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    say(json.dumps({k: v for k, v in result.items() if k not in ("machine", "what")}, indent=2))
    say(f"== written {path}")
    bench.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
