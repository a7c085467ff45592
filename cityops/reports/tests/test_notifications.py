"""Followers' emails: one per follower and public change, in their language, never to the
person who made the change, never about internal steps or demo history."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from cityops.accounts.tests.factories import UserFactory
from cityops.platform.events import Event
from cityops.reports import workflow
from cityops.reports.choices import RatingValue, Visibility
from cityops.reports.models import ReportEvent
from cityops.reports.notifications import followers_notify
from cityops.reports.services import follow_create
from cityops.reports.tasks import enqueue_follower_notifications, notify_followers
from cityops.reports.tests.helpers import report_in


@pytest.fixture
def world(citizen, operator, agency, agency_staff):
    report = report_in(
        "in_progress", operator=operator, reporter=citizen, agency=agency, staff=agency_staff
    )
    follower = UserFactory(username="follower", full_name="Lê Thị Hoa", email="hoa@example.vn")
    follow_create(report=report, user=follower)
    mail.outbox.clear()
    return report, follower


def latest_event(report):
    return ReportEvent.objects.filter(report=report).latest("created_at", "pk")


@pytest.mark.django_db
def test_every_follower_but_the_actor_gets_one_email(world, citizen, agency_staff, settings):
    report, follower = world
    follow_create(report=report, user=agency_staff)  # the actor follows too
    workflow.report_resolve(report=report, actor=agency_staff, result="Đã thay bóng đèn.")

    sent = followers_notify(event_id=latest_event(report).pk)

    assert sent == 2
    assert sorted(message.to[0] for message in mail.outbox) == [citizen.email, follower.email]
    message = next(m for m in mail.outbox if m.to == [follower.email])
    assert f"#{report.pk}" in message.subject
    assert "Đã xử lý" in message.subject
    assert "Đã thay bóng đèn." in message.body
    assert settings.CITYOPS_SITE_URL + reverse("portal:report", args=[report.pk]) in message.body
    assert "Chào Hoa," in message.body


@pytest.mark.django_db
def test_the_email_is_in_the_followers_language(world, agency_staff):
    report, follower = world
    follower.language = "en"
    follower.save()
    workflow.report_resolve(report=report, actor=agency_staff, result="Done.")

    followers_notify(event_id=latest_event(report).pk)

    english = next(m for m in mail.outbox if m.to == [follower.email])
    assert "Handled" in english.subject
    assert "Hello Hoa," in english.body


@pytest.mark.django_db
def test_followers_who_turned_emails_off_or_have_no_address_get_none(world, agency_staff, citizen):
    report, follower = world
    follower.email_notifications = False
    follower.save()
    citizen.email = ""
    citizen.save()
    workflow.report_resolve(report=report, actor=agency_staff, result="Xong.")

    assert followers_notify(event_id=latest_event(report).pk) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_internal_events_send_nothing(world, agency_staff):
    report, _follower = world
    note = workflow.report_add_note(
        report=report, actor=agency_staff, text="Nội bộ", visibility=Visibility.INTERNAL
    )
    assert followers_notify(event_id=note.pk) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_rating_tells_the_followers_the_value(world, agency_staff, citizen):
    report, follower = world
    workflow.report_resolve(report=report, actor=agency_staff, result="Xong.")
    mail.outbox.clear()
    workflow.report_rate(report=report, actor=citizen, value=RatingValue.SATISFIED)

    followers_notify(event_id=latest_event(report).pk)

    assert [m.to for m in mail.outbox] == [[follower.email]]  # not the reporter who rated
    assert "Hài lòng" in mail.outbox[0].body


@pytest.mark.django_db
def test_only_the_reporter_hears_that_their_report_was_rejected(citizen, operator):
    report = report_in("submitted", operator=operator, reporter=citizen)
    other = UserFactory(username="other")
    follow_create(report=report, user=other)
    workflow.report_reject(report=report, actor=operator, reason="spam")

    followers_notify(event_id=latest_event(report).pk)

    assert [m.to for m in mail.outbox] == [[citizen.email]]


@pytest.mark.django_db
def test_the_job_runs_the_notification(world, agency_staff):
    report, follower = world
    workflow.report_resolve(report=report, actor=agency_staff, result="Xong.")
    notify_followers.call(event_id=latest_event(report).pk)
    assert follower.email in [m.to[0] for m in mail.outbox]


@pytest.mark.django_db
def test_a_public_change_enqueues_the_job_after_commit(
    world, agency_staff, django_capture_on_commit_callbacks
):
    report, follower = world
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.report_resolve(report=report, actor=agency_staff, result="Xong.")
    assert mail.outbox == []  # nothing before the commit

    for callback in callbacks:
        callback()

    assert follower.email in [m.to[0] for m in mail.outbox]


@pytest.mark.django_db
def test_demo_history_and_other_topics_enqueue_nothing(world, agency_staff):
    report, _follower = world
    workflow.report_resolve(report=report, actor=agency_staff, result="Xong.")
    event = latest_event(report)

    enqueue_follower_notifications(Event("alarm.raised", {"event": event.pk}))
    enqueue_follower_notifications(Event("report.changed", {"event": "x"}))
    assert mail.outbox == []

    type(report).objects.filter(pk=report.pk).update(is_demo=True)
    enqueue_follower_notifications(Event("report.changed", {"event": event.pk}))
    assert mail.outbox == []


# --- what each follower may read (``reports.visibility``) ---------------------------------------

PERSONAL = "gọi 0905 123 456, CCCD 046 099 012 345"
SECRETS = ("0905 123 456", "0905123456", "046 099 012 345", "046099012345")


@pytest.fixture
def personal(citizen, operator, agency, agency_staff):
    """A resolved report whose reporter wrote personal data into the description, followed by a
    citizen and by an IOC operator."""
    report = report_in(
        "resolved",
        operator=operator,
        reporter=citizen,
        agency=agency,
        staff=agency_staff,
        description=f"Cống vỡ trước nhà, {PERSONAL}",
    )
    follower = UserFactory(username="follower", email="hoa@example.vn")
    follow_create(report=report, user=follower)
    follow_create(report=report, user=operator)
    mail.outbox.clear()
    return report, follower


def _mail_to(user):
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return message.body


@pytest.mark.django_db
def test_a_follower_reads_the_reporters_words_masked_and_never_their_comment_or_reason(
    personal, citizen
):
    report, follower = personal
    workflow.report_rate(
        report=report,
        actor=citizen,
        value=RatingValue.UNSATISFIED,
        comment=f"Chưa xong, {PERSONAL}",
    )
    followers_notify(event_id=latest_event(report).pk)
    workflow.report_reopen(report=report, actor=citizen, reason=f"Vẫn vỡ, {PERSONAL}")
    followers_notify(event_id=latest_event(report).pk)

    to_follower = [m.body for m in mail.outbox if m.to == [follower.email]]
    assert len(to_follower) == 2
    for body in to_follower:
        assert "Cống vỡ trước nhà, gọi 090•••••56, CCCD •••••••••345" in body
        assert "Chưa xong" not in body
        assert "Vẫn vỡ" not in body
        for secret in SECRETS:
            assert secret not in body


@pytest.mark.django_db
def test_ioc_staff_following_a_report_read_the_words_as_written(personal, citizen, operator):
    report, _follower = personal
    workflow.report_rate(
        report=report,
        actor=citizen,
        value=RatingValue.UNSATISFIED,
        comment=f"Chưa xong, {PERSONAL}",
    )

    followers_notify(event_id=latest_event(report).pk)

    body = _mail_to(operator)
    assert f"Cống vỡ trước nhà, {PERSONAL}" in body
    assert f"Chưa xong, {PERSONAL}" in body


@pytest.mark.django_db
def test_the_reporter_reads_their_own_words_and_staff_words_come_as_written(
    personal, citizen, operator
):
    report, follower = personal
    workflow.report_reopen(report=report, actor=operator, reason="Gọi 0234 3822 222 nếu cần")

    followers_notify(event_id=latest_event(report).pk)

    assert f"Cống vỡ trước nhà, {PERSONAL}" in _mail_to(citizen)
    assert "Gọi 0234 3822 222 nếu cần" in _mail_to(follower)


@pytest.mark.django_db
def test_a_merged_reports_reporter_reads_the_originals_words_masked(
    personal, operator, agency_staff
):
    original, _follower = personal
    twin_reporter = UserFactory(username="twin", email="twin@example.vn")
    twin = report_in("accepted", operator=operator, reporter=twin_reporter)
    workflow.report_merge(report=twin, original=original, actor=operator)
    workflow.report_reopen(report=original, actor=operator, reason="Kiểm tra lại")
    mail.outbox.clear()

    workflow.report_add_note(
        report=original, actor=agency_staff, text="Đang sửa", visibility=Visibility.PUBLIC
    )
    followers_notify(event_id=latest_event(original).pk)

    body = _mail_to(twin_reporter)
    assert "Cống vỡ trước nhà, gọi 090•••••56" in body
    for secret in SECRETS:
        assert secret not in body
