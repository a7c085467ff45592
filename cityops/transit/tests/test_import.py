from __future__ import annotations

import pytest

from cityops.transit.models import FeedVersion, Route, Stop, StopTime, Trip
from cityops.transit.selectors import feed_current, trip_schedule
from cityops.transit.services import GtfsError, feed_import
from cityops.transit.tests.factories import feed_zip

pytestmark = pytest.mark.django_db(transaction=False)


def counts() -> tuple[int, int, int, int]:
    feed = feed_current()
    return (
        Route.objects.filter(feed=feed).count(),
        Stop.objects.filter(feed=feed).count(),
        Trip.objects.filter(feed=feed).count(),
        StopTime.objects.filter(feed=feed).count(),
    )


def test_the_cairns_feed_imports_whole(cairns):
    result = feed_import(path=cairns)
    assert counts() == (22, 416, 1339, 37790)
    assert result.problems == []
    assert result.counts["calendar.txt"] == 4
    assert result.counts["calendar_dates.txt"] == 9
    schedule = trip_schedule(trip_id="CNS2014-CNS_MUL-Weekday-00-4165878")
    assert schedule is not None
    assert schedule.route_id == "110-423"
    assert schedule.stops[0].departure == 5 * 3600 + 50 * 60


def test_a_reimport_replaces_the_previous_feed(cairns):
    first = feed_import(path=cairns).feed
    second = feed_import(path=cairns).feed
    assert list(FeedVersion.objects.values_list("pk", flat=True)) == [second.pk]
    assert feed_current() == second
    assert second.pk != first.pk
    assert counts() == (22, 416, 1339, 37790)
    assert StopTime.objects.count() == 37790  # nothing of the first one is left


def test_a_feed_that_fails_halfway_leaves_the_current_one_untouched(hue_feed, tmp_path):
    broken = feed_zip(tmp_path, "broken.zip", **{"calendar.txt": "service_id,monday\nALL,1\n"})
    with pytest.raises(GtfsError) as refused:
        feed_import(path=broken)
    assert "calendar.txt" in refused.value.message
    assert feed_current() == hue_feed
    assert FeedVersion.objects.count() == 1
    assert Trip.objects.count() == 2


def test_a_feed_without_a_required_file_is_refused(db, tmp_path):
    with pytest.raises(GtfsError) as refused:
        feed_import(path=feed_zip(tmp_path, **{"stop_times.txt": None}))
    assert refused.value.code == "gtfs_missing_file"
    assert "stop_times.txt" in refused.value.message
    assert not FeedVersion.objects.exists()


def test_invalid_rows_are_reported_with_file_line_and_reason_and_the_rest_imported(db, tmp_path):
    stops = (
        "stop_id,stop_name,stop_lat,stop_lon\nS1,A,16.46,107.58\nS2,B,nowhere,107.585\n"
        "S3,C,16.46,107.59\nS4,D,16.46,107.595\n"
    )
    times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,S1,1\n"
        "T1,8h05,8h05,S3,2\n"
        "T9,08:10:00,08:10:00,S3,3\n"
        "T1,08:15:00,08:15:00,S4,4\n"
    )
    result = feed_import(path=feed_zip(tmp_path, **{"stops.txt": stops, "stop_times.txt": times}))
    reported = [(p.file, p.line) for p in result.problems]
    assert reported == [("stops.txt", 3), ("stop_times.txt", 3), ("stop_times.txt", 4)]
    assert "stop_lat" in result.problems[0].reason
    assert "HH:MM:SS" in result.problems[1].reason
    assert "T9" in result.problems[2].reason
    assert result.counts["stops.txt"] == 3
    assert result.counts["stop_times.txt"] == 2
    assert result.feed.problem_count == 3
    assert result.feed.problems[0].startswith("stops.txt:3:")


def test_the_command_imports_and_prints_counts_and_time(cairns, capsys):
    from django.core.management import call_command

    call_command("transit", "import", str(cairns), "--quiet-progress")
    out = capsys.readouterr().out
    assert "routes 22" in out
    assert "stop_times 37790" in out
    assert "Time:" in out
