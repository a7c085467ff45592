"""The monitoring API: registry, HTTP ingest, latest values, history and VN_AQI."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from cityops.accounts.services import apikey_create
from cityops.agencies.tests.factories import AreaFactory
from cityops.monitoring.models import Reading
from cityops.monitoring.payloads import Row
from cityops.monitoring.services import readings_store
from cityops.monitoring.tests.factories import SensorFactory

API = "/api/v1/sensors"
NOW = datetime(2026, 11, 20, 3, 30, tzinfo=UTC)  # 10:30 in Huế

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    cache.clear()  # rate-limit counters
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def key():
    return apikey_create(name="station gateway").secret


@pytest.fixture
def station():
    return SensorFactory(code="hue-aq-01", name="Đông Ba")


def post(client, code, body, key=None):
    headers = {"HTTP_X_API_KEY": key} if key else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(f"{API}/{code}/readings", data, content_type="application/json", **headers)


def reading(minutes_ago=0, **values):
    return {
        "observed_at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
        "values": values or {"pm25": 35.2},
    }


# Registry ---------------------------------------------------------------------------------------


def test_sensors_are_listed_with_their_metrics_and_area(api_client):
    area = AreaFactory(code="19777", name="Phường Đông Ba")
    SensorFactory(code="hue-aq-01", area=area)
    SensorFactory(code="hue-wl-01", kind="water_level", metrics=[])
    body = api_client.get(API).json()
    assert [s["code"] for s in body] == ["hue-aq-01", "hue-wl-01"]
    assert body[0]["area"] == "19777"
    assert {m["code"] for m in body[0]["metrics"]} >= {"pm25", "pm10", "o3"}


def test_sensors_can_be_filtered_by_kind_and_area(api_client):
    area = AreaFactory(code="19777")
    SensorFactory(code="a", area=area)
    SensorFactory(code="b", kind="water_level")
    assert [s["code"] for s in api_client.get(f"{API}?kind=water_level").json()] == ["b"]
    assert [s["code"] for s in api_client.get(f"{API}?area=19777").json()] == ["a"]
    assert api_client.get(f"{API}?kind=toaster").status_code == 400


def test_one_sensor_by_code_and_404_for_an_unknown_one(api_client, station):
    assert api_client.get(f"{API}/hue-aq-01").json()["name"] == "Đông Ba"
    missing = api_client.get(f"{API}/nope")
    assert missing.status_code == 404
    assert missing.json()["code"] == "unknown_sensor"


# HTTP ingest ------------------------------------------------------------------------------------


def test_one_reading_is_accepted_with_an_api_key(api_client, station, key):
    response = post(api_client, "hue-aq-01", reading(pm25=35.2, pm10=60.1), key)
    assert response.status_code == 202
    assert response.json() == {"received": 2, "stored": 2, "duplicates": 0}
    assert sorted(Reading.objects.values_list("metric", "value")) == [
        ("pm10", 60.1),
        ("pm25", 35.2),
    ]


def test_a_list_of_readings_is_accepted_and_a_resend_stores_nothing(api_client, station, key):
    batch = [reading(m) for m in (0, 10, 20)]
    assert post(api_client, "hue-aq-01", batch, key).json()["stored"] == 3
    again = post(api_client, "hue-aq-01", batch, key).json()
    assert again == {"received": 3, "stored": 0, "duplicates": 3}
    assert Reading.objects.count() == 3


def test_readings_need_an_api_key(api_client, station):
    assert post(api_client, "hue-aq-01", reading()).status_code == 401
    assert post(api_client, "hue-aq-01", reading(), "co_wrong_key").status_code == 401
    assert Reading.objects.count() == 0


def test_readings_for_an_unknown_sensor_are_404(api_client, key):
    response = post(api_client, "nope", reading(), key)
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_sensor"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("not json", "body"),
        ({"values": {"pm25": 1}}, "observed_at"),
        ({"observed_at": "2026-11-20T08:00:00", "values": {"pm25": 1}}, "observed_at"),
        ({"observed_at": "2026-11-20T08:00:00+07:00", "values": {}}, "values"),
        ({"observed_at": "2026-11-20T08:00:00+07:00", "values": {"pm25": "high"}}, "values.pm25"),
        ({"observed_at": "2026-11-20T08:00:00+07:00", "values": {"dust": 1}}, "values.dust"),
        ({"observed_at": "2026-11-20T08:00:00+07:00", "values": {"pm25": 1}, "x": 1}, "x"),
        ({"observed_at": 1763600000, "values": {"pm25": 1}}, "observed_at"),  # a Unix time
        ({"observed_at": "1763600000", "values": {"pm25": 1}}, "observed_at"),
        ([], "body"),
    ],
)
def test_invalid_readings_are_refused_with_the_field_named(api_client, station, key, body, field):
    response = post(api_client, "hue-aq-01", body, key)
    assert response.status_code == 400
    assert field in response.json()["fields"], response.json()
    assert Reading.objects.count() == 0


def test_one_bad_reading_in_a_list_refuses_the_whole_list(api_client, station, key):
    batch = [reading(0), {"observed_at": "2999-01-01T00:00:00+00:00", "values": {"pm25": 1}}]
    response = post(api_client, "hue-aq-01", batch, key)
    assert response.status_code == 400
    assert "1.observed_at" in response.json()["fields"]
    assert Reading.objects.count() == 0


# Latest -----------------------------------------------------------------------------------------


def store(sensor, metric, hours_ago, value, *, step_minutes=60):
    moment = NOW - timedelta(hours=hours_ago)
    readings_store(rows=[Row(sensor.pk, sensor.code, metric, moment, value)])


def test_latest_gives_each_metric_and_the_current_aqi_band(
    api_client, station, django_assert_max_num_queries
):
    SensorFactory(
        code="hue-wl-01",
        kind="water_level",
        metrics=[{"code": "water_level", "unit": "m", "label": "x"}],
    )
    for hours_ago in range(3):
        store(station, "pm25", hours_ago, 60.0)  # 60 µg/m³ steady → AQI 117, Poor
    water = SensorFactory._meta.model.objects.get(code="hue-wl-01")
    store(water, "water_level", 0, 1.25)
    with django_assert_max_num_queries(6):
        body = api_client.get(f"{API}/latest").json()
    by_code = {s["code"]: s for s in body}
    assert by_code["hue-aq-01"]["values"]["pm25"]["value"] == 60.0
    assert by_code["hue-aq-01"]["aqi"]["aqi"] == 117
    assert by_code["hue-aq-01"]["aqi"]["level"] == "Poor"
    assert by_code["hue-aq-01"]["aqi"]["colour"] == "#ff7e00"
    assert by_code["hue-wl-01"]["values"]["water_level"]["unit"] == "m"
    assert by_code["hue-wl-01"]["aqi"] is None


def test_a_station_silent_for_hours_has_no_current_aqi(api_client, station):
    for hours_ago in (6, 7, 8):
        store(station, "pm25", hours_ago, 60.0)
    body = api_client.get(f"{API}/latest").json()
    assert body[0]["values"]["pm25"]["value"] == 60.0
    assert body[0]["aqi"] is None


# History ----------------------------------------------------------------------------------------


def fill(sensor, start, count, *, step=timedelta(minutes=15), metric="pm25", value=lambda i: i):
    readings_store(
        rows=[
            Row(sensor.pk, sensor.code, metric, start + i * step, float(value(i)))
            for i in range(count)
        ]
    )


def history(client, code, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items()).replace("+", "%2B")
    return client.get(f"{API}/{code}/readings?{query}")


def test_raw_history_in_a_range(api_client, station):
    start = datetime(2026, 11, 19, 17, 0, tzinfo=UTC)  # 00:00 on the 20th in Huế
    fill(station, start, 8)
    body = history(
        api_client,
        "hue-aq-01",
        **{"from": "2026-11-20T00:30:00+07:00", "to": "2026-11-20T01:30:00+07:00"},
    ).json()
    points = body["series"][0]["points"]
    assert [p["value"] for p in points] == [2, 3, 4, 5]
    assert points[0]["time"] == "2026-11-20T00:30:00+07:00"


def test_hourly_history_averages_each_hour_of_city_time(api_client, station):
    start = datetime(2026, 11, 19, 17, 0, tzinfo=UTC)  # 00:00 on the 20th in Huế
    fill(station, start, 8)  # 0,1,2,3 in the first hour, 4,5,6,7 in the second
    body = history(
        api_client,
        "hue-aq-01",
        **{
            "from": "2026-11-20T00:00:00+07:00",
            "to": "2026-11-20T02:00:00+07:00",
            "resolution": "hour",
        },
    ).json()
    points = body["series"][0]["points"]
    assert [(p["time"], p["value"], p["count"], p["min"], p["max"]) for p in points] == [
        ("2026-11-20T00:00:00+07:00", 1.5, 4, 0, 3),
        ("2026-11-20T01:00:00+07:00", 5.5, 4, 4, 7),
    ]


def test_daily_history_cuts_days_at_midnight_in_hue_not_utc(api_client, station):
    # 16:00 UTC on the 19th is 23:00 in Huế (day 19); 17:00 UTC is 00:00 on the 20th.
    fill(
        station,
        datetime(2026, 11, 19, 16, 0, tzinfo=UTC),
        2,
        step=timedelta(hours=1),
        value=lambda i: 10 * (i + 1),
    )
    body = history(
        api_client,
        "hue-aq-01",
        **{
            "from": "2026-11-19T00:00:00+07:00",
            "to": "2026-11-21T00:00:00+07:00",
            "resolution": "day",
        },
    ).json()
    points = body["series"][0]["points"]
    assert [(p["time"][:10], p["value"]) for p in points] == [
        ("2026-11-19", 10),
        ("2026-11-20", 20),
    ]


def test_history_defaults_to_the_last_24_hours(api_client, station):
    fill(station, NOW - timedelta(hours=30), 31, step=timedelta(hours=1))
    body = history(api_client, "hue-aq-01").json()
    assert len(body["series"][0]["points"]) == 24


def test_history_refuses_a_reversed_range_and_an_unknown_resolution(api_client, station):
    reversed_range = history(
        api_client,
        "hue-aq-01",
        **{"from": "2026-11-20T00:00:00+07:00", "to": "2026-11-19T00:00:00+07:00"},
    )
    assert reversed_range.status_code == 400
    assert history(api_client, "hue-aq-01", resolution="minute").status_code == 400


def test_history_can_be_narrowed_to_metrics(api_client, station):
    fill(station, NOW - timedelta(hours=2), 2)
    fill(station, NOW - timedelta(hours=2), 2, metric="pm10")
    body = history(api_client, "hue-aq-01", metric="pm10").json()
    assert [s["metric"] for s in body["series"]] == ["pm10"]


# AQI --------------------------------------------------------------------------------------------


def test_aqi_of_a_day_from_stored_readings(api_client, station):
    # The decision's example 1 as stored readings on 20 Nov: PM2.5 hourly means of the hours
    # labelled 09:00 … 20:00 (one reading in the middle of each hour), plus O3 and NO2 at 20:00.
    values = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6]
    day_start = datetime(2026, 11, 19, 17, 0, tzinfo=UTC)  # 00:00 in Huế
    rows = [
        Row(station.pk, station.code, "pm25", day_start + timedelta(hours=8 + i, minutes=30), v)
        for i, v in enumerate(values)
    ]
    at_20 = day_start + timedelta(hours=19, minutes=30)  # the hour labelled 20:00
    rows += [
        Row(station.pk, station.code, "o3", at_20, 136.1),
        Row(station.pk, station.code, "no2", at_20, 118.7),
    ]
    readings_store(rows=rows)
    with time_machine.travel(datetime(2026, 11, 21, 3, 0, tzinfo=UTC), tick=False):
        body = api_client.get(f"{API}/hue-aq-01/aqi?date=2026-11-20").json()
    hours = {h["hour"]: h for h in body["hourly"]}
    assert hours["2026-11-20T20:00:00+07:00"]["aqi"] == 59
    assert hours["2026-11-20T20:00:00+07:00"]["dominant"] == "no2"
    assert hours["2026-11-20T20:00:00+07:00"]["level"] == "Moderate"
    # The first hour has a NowCast (c1, c2 present); 21:00 still has c2, c3 (c1 missing).
    assert "2026-11-20T10:00:00+07:00" in hours
    assert "2026-11-20T09:00:00+07:00" not in hours  # only c1
    assert "2026-11-20T21:00:00+07:00" in hours
    assert "2026-11-20T22:00:00+07:00" not in hours
    daily_pm25 = round(sum(values) / len(values), 4)  # the 24-hour mean of what exists
    assert body["date"] == "2026-11-20"
    assert body["daily"]["dominant"] in ("pm25", "no2")
    assert body["daily"]["aqi"] == max(round(daily_pm25 * 2), 59)


def test_aqi_without_pm_has_no_daily_and_no_hours(api_client, station):
    readings_store(rows=[Row(station.pk, station.code, "o3", NOW - timedelta(hours=1), 100)])
    body = api_client.get(f"{API}/hue-aq-01/aqi?date=2026-11-20").json()
    assert body == {"date": "2026-11-20", "daily": None, "hourly": []}


def test_aqi_defaults_to_today_and_refuses_a_bad_date(api_client, station):
    assert api_client.get(f"{API}/hue-aq-01/aqi").json()["date"] == "2026-11-20"
    assert api_client.get(f"{API}/hue-aq-01/aqi?date=20-11-2026").status_code == 400
    assert api_client.get(f"{API}/nope/aqi").status_code == 404


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_aqi_of_a_day_outside_the_accepted_years_is_a_clear_400(api_client, station, day):
    response = api_client.get(f"{API}/hue-aq-01/aqi?date={day}")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["date"]


@pytest.mark.parametrize(
    "query",
    [
        "to=0001-01-01T00:00:00Z",
        "from=0001-01-01T00:30:00%2B01:00",
        "from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:59Z",
        "to=9999-12-31T23:59:59-05:00",
    ],
)
def test_history_outside_the_accepted_years_is_a_clear_400(api_client, station, query):
    response = api_client.get(f"{API}/hue-aq-01/readings?{query}")
    assert response.status_code == 400
    assert set(response.json()["fields"]) <= {"from", "to"}


@pytest.mark.parametrize(
    "query", ["readings?to=0.5", "readings?from=1763600000", "aqi?date=0", "aqi?date=20261120"]
)
def test_a_number_is_no_time_even_if_it_could_be_read_as_a_unix_time(api_client, station, query):
    response = api_client.get(f"{API}/hue-aq-01/{query}")
    assert response.status_code == 400
    assert "ISO-8601" in str(response.json()["fields"])


def test_the_openapi_document_says_which_dates_are_accepted(api_client):
    operations = api_client.get("/api/v1/openapi.json").json()["paths"]
    parameters = {
        parameter["name"]: parameter
        for path in (f"{API}/{{code}}/aqi", f"{API}/{{code}}/readings")
        for parameter in operations[path]["get"]["parameters"]
    }
    for name in ("date", "from", "to"):
        description = parameters[name]["description"]
        assert "1900-01-01" in description, name
        assert "2999-12-31" in description, name


def test_a_gateway_relaying_many_stations_is_not_held_to_the_per_address_limit(
    api_client, key, settings
):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "write_per_ip": "2/m"}
    for n in range(5):
        SensorFactory(code=f"hue-aq-9{n}")
    answers = [post(api_client, f"hue-aq-9{n}", reading(), key).status_code for n in range(5)]
    assert answers == [202] * 5


def test_readings_are_limited_per_key(api_client, station, key, settings):
    settings.CITYOPS_RATE_LIMITS = {**settings.CITYOPS_RATE_LIMITS, "write_per_key": "2/m"}
    answers = [post(api_client, "hue-aq-01", reading(m), key).status_code for m in range(3)]
    assert answers == [202, 202, 429]
