"""Press alarms through the alarm lifecycle: a spike of mentions is one alarm while it lasts,
a negative story about a watched person or agency one alarm per story and entry."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

import pytest

from cityops.alerts.choices import AlarmType
from cityops.alerts.models import Alarm
from cityops.monitoring.choices import SensorKind
from cityops.press.choices import PressAlarmKind, WatchKind
from cityops.press.extraction import ItemIn
from cityops.press.models import Mention, PressAlarm, Story, WatchEntry
from cityops.press.services import (
    item_analyse,
    item_record,
    press_spikes_check,
    source_poll,
    watch_entry_create,
)
from cityops.press.services.alarms import levels_at
from cityops.press.tests.conftest import NOW
from cityops.press.tests.factories import SourceFactory

pytestmark = pytest.mark.django_db
_numbers = count()


def mention(entry: WatchEntry, at: datetime) -> Mention:
    number = next(_numbers)
    item = item_record(
        source=SourceFactory(),
        entry=ItemIn(url=f"https://bao.vn/{number}", title=f"Tin {number}", published_at=at),
        now=at,
    ).item
    return Mention.objects.create(
        item=item, entry=entry, matched_text=entry.name, part="text", position=0, dated_at=at
    )


@pytest.fixture
def person(db):
    return watch_entry_create(kind=WatchKind.PERSON, name="Nguyễn Văn A")


@pytest.fixture
def usual_week(person):
    """One mention at this hour on each of the seven days before."""
    for day in range(1, 8):
        mention(person, NOW - timedelta(days=day, minutes=20))


def spike_alarms() -> list[Alarm]:
    return list(Alarm.objects.filter(type=AlarmType.PRESS_SPIKE).order_by("pk"))


def test_the_usual_level_is_the_same_hours_median_or_the_mean_hour(person, usual_week):
    for minutes in (5, 15, 25):
        mention(person, NOW - timedelta(minutes=minutes))

    level = levels_at(at=NOW, entries=[person])[person.pk]

    assert (level.count, level.usual, level.threshold) == (3, 1.0, 5.0)  # minimum count 5
    assert not level.spiking


def test_a_spike_raises_one_alarm_over_several_checks_and_clears_when_it_ends(person, usual_week):
    for minutes in range(0, 60, 10):
        mention(person, NOW - timedelta(minutes=minutes, seconds=30))  # six in the hour

    checks = [press_spikes_check(at=NOW + timedelta(minutes=m)) for m in (0, 10, 20)]
    during = spike_alarms()
    ended = press_spikes_check(at=NOW + timedelta(hours=2))

    assert [c["raised"] for c in checks] == [1, 0, 0]
    assert len(during) == 1
    alarm = during[0]
    assert (alarm.count, alarm.value) == (1, 6.0)
    assert alarm.sensor.kind == SensorKind.PRESS_WATCH
    assert not alarm.sensor.is_active
    assert "Nguyễn Văn A" in alarm.message
    assert ended == {"raised": 0, "cleared": 1}
    alarm.refresh_from_db()
    assert alarm.cleared_at is not None
    assert PressAlarm.objects.filter(kind=PressAlarmKind.SPIKE, entry=person).count() == 1


def test_a_spike_must_beat_the_usual_level_by_the_factor(person):
    for day in range(1, 8):  # a name always in the news: four an hour
        for minutes in (5, 20, 35, 50):
            mention(person, NOW - timedelta(days=day, minutes=minutes))
    for minutes in range(0, 60, 6):  # ten this hour: not three times four
        mention(person, NOW - timedelta(minutes=minutes, seconds=10))

    assert press_spikes_check(at=NOW) == {"raised": 0, "cleared": 0}
    assert spike_alarms() == []


def test_a_new_spike_after_the_end_is_a_new_alarm(person):
    for minutes in range(0, 60, 10):
        mention(person, NOW - timedelta(minutes=minutes, seconds=30))
        mention(person, NOW + timedelta(days=1) - timedelta(minutes=minutes, seconds=30))

    press_spikes_check(at=NOW)
    press_spikes_check(at=NOW + timedelta(hours=3))
    press_spikes_check(at=NOW + timedelta(days=1))

    assert [alarm.is_active for alarm in spike_alarms()] == [False, True]


@pytest.fixture
def watched(db):
    return {
        "agency": watch_entry_create(kind=WatchKind.AGENCY, name="Sở Xây dựng"),
        "person": watch_entry_create(kind=WatchKind.PERSON, name="Nguyễn Văn A"),
        "place": watch_entry_create(kind=WatchKind.PLACE, name="Phú Hội"),
        "project": watch_entry_create(kind=WatchKind.PROJECT, name="Cầu vượt Thủy Dương"),
    }


def test_a_negative_story_about_a_watched_agency_raises_an_alarm_once(
    press_server, categories, phu_hoi, frozen, watched
):
    for path in ("/a/rss.xml", "/b/atom.xml", "/c/rss.xml"):  # three items: three refreshes
        source_poll(source=SourceFactory(url=press_server.url(path)))
    flood = Story.objects.get(items__title__startswith="Mưa lớn")
    item_analyse(item=flood.items.first())  # read again

    links = PressAlarm.objects.filter(kind=PressAlarmKind.NEGATIVE).select_related("alarm")

    assert {link.entry for link in links} == {watched["agency"], watched["person"]}
    assert {link.story for link in links} == {flood}
    alarms = Alarm.objects.filter(type=AlarmType.PRESS_NEGATIVE)
    assert alarms.count() == 2
    assert all(alarm.count == 1 for alarm in alarms)
    agency_alarm = links.get(entry=watched["agency"]).alarm
    assert agency_alarm.message.startswith("Tin tiêu cực về Sở Xây dựng")  # the city's language


def test_a_second_negative_story_bumps_the_entrys_active_alarm(categories, frozen, watched):
    texts = [
        "Người dân bức xúc vì Sở Xây dựng chậm trễ sửa chữa cầu Phú Xuân.",
        "Sở Xây dựng bị phê bình vì sai phạm trong đấu thầu dự án chiếu sáng công cộng.",
    ]
    for number, text in enumerate(texts):
        item = item_record(
            source=SourceFactory(), entry=ItemIn(url=f"https://bao.vn/{number}", title=text)
        ).item
        item_analyse(item=item)

    links = PressAlarm.objects.filter(entry=watched["agency"], kind=PressAlarmKind.NEGATIVE)
    assert links.count() == 2
    assert {link.alarm_id for link in links} == {links[0].alarm_id}
    links[0].alarm.refresh_from_db()
    assert links[0].alarm.count == 2


def test_a_neutral_or_positive_story_raises_nothing(categories, frozen, watched):
    item = item_record(
        source=SourceFactory(),
        entry=ItemIn(url="https://bao.vn/1", title="Cảm ơn Sở Xây dựng đã sửa đèn đường"),
    ).item

    item_analyse(item=item)

    assert not PressAlarm.objects.exists()
    assert not Alarm.objects.exists()
