"""The rules of the lifecycle beyond its table: intake, deadlines, duplicates, extensions,
photos of the result, overdue and escalation, the quiet close, and routing."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
import time_machine
from PIL import Image

from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.calendar import VIETNAM_TZ
from cityops.agencies.choices import AgencyKind
from cityops.agencies.tests.factories import AgencyFactory, AreaFactory
from cityops.platform.errors import InvalidInput
from cityops.reports import workflow
from cityops.reports.choices import (
    AttachmentKind,
    EventKind,
    Priority,
    RatingValue,
    RejectionReason,
    ReportStatus,
    Visibility,
)
from cityops.reports.models import (
    Attachment,
    DeadlinePolicy,
    Follow,
    Rating,
    Report,
    ReportEvent,
    RoutingRule,
)
from cityops.reports.selectors import agency_suggested_for, reports_overdue
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps, report_in, submit
from cityops.reports.workflow.intake import OUTSIDE_THE_CITY

S = ReportStatus

MONDAY_10 = datetime(2026, 3, 9, 10, 0, tzinfo=VIETNAM_TZ)  # an ordinary week in March 2026
SATURDAY_10 = datetime(2026, 3, 14, 10, 0, tzinfo=VIETNAM_TZ)


def hue(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026 on Huế's wall clock."""
    return datetime(2026, 3, day, hour, minute, tzinfo=VIETNAM_TZ)


@pytest.fixture
def road(operator, citizen, agency, agency_staff):
    """``road(status)``: a report of ``citizen`` brought to ``status``, handled by ``agency``."""

    def make(status: ReportStatus, **kwargs) -> Report:
        return report_in(
            status, operator=operator, reporter=citizen, agency=agency, staff=agency_staff, **kwargs
        )

    return make


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def row(report: Report) -> dict:
    return Report.objects.filter(pk=report.pk).values().get()


# --- intake: what a submission must contain ------------------------------------------------------


@pytest.mark.django_db
def test_a_submission_with_several_problems_lists_them_all_at_once(citizen):
    closed_category = CategoryFactory(is_active=False)

    with pytest.raises(InvalidInput) as refused:
        workflow.report_submit(
            description="  ", category=closed_category, reporter=citizen, lat=16.46, lon=None
        )

    assert set(refused.value.fields) == {"description", "category", "location"}
    assert refused.value.fields["location"] == ["Give both latitude and longitude, or neither."]
    assert Report.objects.count() == 0
    assert ReportEvent.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lat", "lon", "address"),
    [
        pytest.param(16.46, None, "", id="latitude-without-longitude"),
        pytest.param(None, 107.59, "", id="longitude-without-latitude"),
        pytest.param(None, 107.59, "12 Lê Lợi", id="longitude-without-latitude-but-an-address"),
        pytest.param(90.5, 107.59, "", id="latitude-beyond-the-pole"),
        pytest.param(-91.0, 107.59, "", id="latitude-below-the-south-pole"),
        pytest.param(16.46, 180.5, "", id="longitude-out-of-range"),
        pytest.param(float("nan"), 107.59, "", id="latitude-not-a-number"),
        pytest.param(None, None, "", id="no-location-and-no-address"),
        pytest.param(None, None, "   ", id="no-location-and-a-blank-address"),
    ],
)
def test_a_submission_without_a_usable_location_is_refused(lat, lon, address):
    with pytest.raises(InvalidInput) as refused:
        submit(lat=lat, lon=lon, address=address)

    assert list(refused.value.fields) == ["location"]
    assert refused.value.fields["location"]
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_submission_with_only_an_address_is_received_without_an_area():
    AreaFactory()
    report = submit(lat=None, lon=None, address="  12 Lê Lợi, Huế  ")
    assert report.status == S.SUBMITTED
    assert report.address == "12 Lê Lợi, Huế"
    assert report.area is None


@pytest.mark.django_db
def test_a_submission_finds_the_area_whose_polygon_contains_it():
    here = AreaFactory(centroid_lat=16.46, centroid_lon=107.59)
    AreaFactory(centroid_lat=16.50, centroid_lon=107.65)

    report = submit(lat=16.465, lon=107.595)

    assert fresh(report).area == here


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lat", "lon"), [(16.60, 107.80), (21.03, 105.85), (0.0, 0.0)], ids=["nearby", "hanoi", "0-0"]
)
def test_a_submission_outside_every_area_of_the_city_is_refused(lat, lon):
    AreaFactory(centroid_lat=16.46, centroid_lon=107.59)

    with pytest.raises(InvalidInput) as refused:
        submit(lat=lat, lon=lon)

    assert refused.value.fields["location"] == [OUTSIDE_THE_CITY]
    assert "outside the city" in refused.value.message
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_without_any_area_boundary_a_located_submission_is_accepted_without_an_area():
    AreaFactory(boundary=None)

    report = submit(lat=16.60, lon=107.80)

    assert fresh(report).area is None


@pytest.mark.django_db
def test_the_reporter_follows_their_own_report(citizen):
    report = submit(reporter=citizen)
    assert Follow.objects.filter(report=report, user=citizen).exists()


# --- deadlines in working time -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("priority", "due"),
    [
        pytest.param(Priority.NORMAL, hue(18, 10), id="normal-seven-working-days"),
        pytest.param(Priority.URGENT, hue(9, 16), id="urgent-four-working-hours"),
        pytest.param(Priority.COMPLEX, hue(30, 10), id="complex-fifteen-working-days"),
    ],
)
def test_a_submission_on_monday_morning_is_due_in_working_time(priority, due):
    category = CategoryFactory(default_priority=priority)
    with time_machine.travel(MONDAY_10, tick=False):
        report = submit(category=category)

    saved = fresh(report)
    assert saved.priority == priority
    assert saved.submitted_at == MONDAY_10
    assert saved.due_at == due
    assert saved.ack_due_at == hue(9, 10, 30)


@pytest.mark.django_db
def test_a_submission_on_saturday_counts_from_monday_seven_oclock():
    with time_machine.travel(SATURDAY_10, tick=False):
        normal = submit(category=CategoryFactory(default_priority=Priority.NORMAL))
        urgent = submit(category=CategoryFactory(default_priority=Priority.URGENT))

    # Monday 16 at 07:00 plus seven full working days ends as Tuesday 24 closes.
    assert fresh(normal).due_at == hue(24, 17)
    assert fresh(urgent).due_at == hue(16, 11)
    assert fresh(urgent).ack_due_at == hue(16, 7, 30)


@pytest.mark.django_db
def test_a_categorys_own_deadline_policy_overrides_the_city_rules():
    DeadlinePolicy.objects.create(name="Cả thành phố", normal_days=10, is_default=True)
    quick = DeadlinePolicy.objects.create(name="Chiếu sáng", normal_days=3, ack_minutes=60)
    lighting = CategoryFactory(deadline_policy=quick)
    roads = CategoryFactory()

    with time_machine.travel(MONDAY_10, tick=False):
        lit = submit(category=lighting)
        paved = submit(category=roads)

    assert (fresh(lit).due_at, fresh(lit).ack_due_at) == (hue(12, 10), hue(9, 11))
    # Without a policy of its own, the category follows the city default.
    assert fresh(paved).due_at == hue(23, 10)


@pytest.mark.django_db
def test_accepting_with_a_new_priority_recomputes_the_deadline_from_receipt(operator):
    with time_machine.travel(MONDAY_10, tick=False):
        report = submit()
    assert fresh(report).due_at == hue(18, 10)

    with time_machine.travel(hue(9, 14), tick=False):
        workflow.report_accept(report=report, actor=operator, priority=Priority.URGENT)

    accepted = fresh(report)
    assert accepted.priority == Priority.URGENT
    assert accepted.due_at == hue(9, 16)
    assert accepted.acknowledged_at == hue(9, 14)


@pytest.mark.django_db
def test_reclassifying_to_complex_gives_the_longer_deadline(operator):
    with time_machine.travel(MONDAY_10, tick=False):
        report = submit()
        workflow.report_reclassify(report=report, actor=operator, priority=Priority.COMPLEX)
    assert fresh(report).due_at == hue(30, 10)


# --- rejection and duplicates --------------------------------------------------------------------


@pytest.mark.django_db
def test_rejecting_as_a_duplicate_requires_the_original(road, operator):
    report = road(S.SUBMITTED)
    before = row(report)

    with pytest.raises(InvalidInput) as refused:
        workflow.report_reject(report=report, actor=operator, reason=RejectionReason.DUPLICATE)

    assert "original" in refused.value.fields
    assert row(report) == before
    assert report.events.count() == 1


@pytest.mark.django_db
def test_rejecting_as_a_duplicate_links_the_original(road, operator):
    original = road(S.ACCEPTED)
    report = road(S.SUBMITTED)

    workflow.report_reject(
        report=report, actor=operator, reason=RejectionReason.DUPLICATE, original=original
    )

    rejected = fresh(report)
    assert rejected.status == S.REJECTED
    assert rejected.rejection_reason == RejectionReason.DUPLICATE
    assert rejected.duplicate_of == original
    assert report.events.order_by("-pk").first().data == {
        "reason": "duplicate",
        "original": original.pk,
    }


@pytest.mark.django_db
def test_a_report_rejected_for_another_reason_is_linked_to_no_original(road, operator):
    other = road(S.ACCEPTED)
    report = road(S.SUBMITTED)

    workflow.report_reject(
        report=report, actor=operator, reason=RejectionReason.SPAM, original=other
    )

    assert fresh(report).duplicate_of is None
    # The audit row must not claim a link the report does not have.
    assert report.events.order_by("-pk").first().data == {"reason": "spam", "original": None}


@pytest.mark.django_db
def test_a_report_cannot_be_merged_into_itself(road, operator):
    report = road(S.ACCEPTED)
    before = row(report)

    with pytest.raises(InvalidInput) as refused:
        workflow.report_merge(report=report, original=report, actor=operator)

    assert "original" in refused.value.fields
    assert row(report) == before


@pytest.mark.django_db
def test_merging_follows_the_chain_to_the_root_original(road, operator, citizen):
    root = submit()
    middle = road(S.ACCEPTED)
    workflow.report_merge(report=middle, original=root, actor=operator)
    neighbour_report = report_in(
        S.SUBMITTED, operator=operator, reporter=UserFactory(username="hang-xom")
    )

    workflow.report_merge(report=neighbour_report, original=fresh(middle), actor=operator)

    merged = fresh(neighbour_report)
    assert merged.status == S.DUPLICATE
    assert merged.duplicate_of == root
    assert merged.events.order_by("-pk").first().data == {"original": root.pk}
    assert Follow.objects.filter(report=root, user=neighbour_report.reporter).exists()
    assert Follow.objects.filter(report=root, user=citizen).exists()


@pytest.mark.django_db
def test_an_original_cannot_be_merged_into_its_own_duplicate(road, operator):
    original = road(S.ACCEPTED)
    duplicate = road(S.SUBMITTED)
    workflow.report_merge(report=duplicate, original=original, actor=operator)
    before = row(original)

    with pytest.raises(InvalidInput, match="duplicate of itself"):
        workflow.report_merge(report=original, original=fresh(duplicate), actor=operator)

    assert row(original) == before


@pytest.mark.django_db
def test_merging_reads_the_original_afresh_so_two_reports_never_duplicate_each_other(
    road, operator
):
    # Two operators work from the same queue page: the second one still holds the report as it
    # was loaded, before the first merged it. The chain must be followed from the database.
    first = road(S.ACCEPTED)
    second = road(S.SUBMITTED)
    second_as_loaded = Report.objects.get(pk=second.pk)
    workflow.report_merge(report=second, original=first, actor=operator)

    with pytest.raises(InvalidInput, match="duplicate of itself"):
        workflow.report_merge(report=first, original=second_as_loaded, actor=operator)

    assert fresh(first).status == S.ACCEPTED
    assert fresh(first).duplicate_of is None


@pytest.mark.django_db
def test_a_rejected_report_cannot_be_an_original(road, operator):
    spam = road(S.REJECTED)
    report = road(S.SUBMITTED)

    with pytest.raises(InvalidInput, match="rejected"):
        workflow.report_merge(report=report, original=spam, actor=operator)

    assert fresh(report).status == S.SUBMITTED


# --- the agency's one extension ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_agency_extends_a_deadline_once_and_the_first_deadline_is_kept(road, agency_staff):
    with time_machine.travel(MONDAY_10, tick=False):
        report = road(S.IN_PROGRESS)
        workflow.report_extend(
            report=report, actor=agency_staff, reason="Chờ vật tư.", new_due_at=hue(25, 17)
        )

        extended = fresh(report)
        assert extended.due_at == hue(25, 17)
        assert extended.original_due_at == hue(18, 10)
        assert extended.extended_at == MONDAY_10
        assert extended.extension_reason == "Chờ vật tư."
        before = row(report)

        with pytest.raises(workflow.InvalidTransition) as refused:
            workflow.report_extend(
                report=report, actor=agency_staff, reason="Lại chờ.", new_due_at=hue(31, 17)
            )

    assert refused.value.code == "already_extended"
    assert row(report) == before
    assert report.events.filter(kind=EventKind.EXTENDED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("new_due_at", [hue(18, 10), hue(17, 10)], ids=["same", "earlier"])
def test_an_extension_must_end_after_the_current_deadline(road, agency_staff, new_due_at):
    with time_machine.travel(MONDAY_10, tick=False):
        report = road(S.IN_PROGRESS)
        before = row(report)
        with pytest.raises(InvalidInput) as refused:
            workflow.report_extend(
                report=report, actor=agency_staff, reason="Chờ vật tư.", new_due_at=new_due_at
            )

    assert "new_due_at" in refused.value.fields
    assert row(report) == before


@pytest.mark.django_db
def test_an_extension_needs_a_public_reason(road, agency_staff):
    report = road(S.IN_PROGRESS)
    before = row(report)

    with pytest.raises(InvalidInput) as refused:
        workflow.report_extend(
            report=report,
            actor=agency_staff,
            reason="   ",
            new_due_at=fresh(report).due_at + timedelta(days=3),
        )

    assert "reason" in refused.value.fields
    assert row(report) == before


@pytest.mark.django_db
def test_an_extension_survives_a_later_change_of_priority(road, agency_staff, operator):
    with time_machine.travel(MONDAY_10, tick=False):
        report = road(S.ASSIGNED)
        workflow.report_extend(
            report=report, actor=agency_staff, reason="Chờ vật tư.", new_due_at=hue(25, 17)
        )
        workflow.report_reclassify(report=report, actor=operator, priority=Priority.URGENT)

    assert fresh(report).due_at == hue(25, 17)


# --- back to the IOC, rating, reopening ----------------------------------------------------------


@pytest.mark.django_db
def test_returning_a_report_clears_the_agency_and_tells_only_the_ioc(road, agency, agency_staff):
    report = road(S.ASSIGNED)

    workflow.report_return(report=report, actor=agency_staff, reason="Thuộc Điện lực.")

    returned = fresh(report)
    assert (returned.status, returned.agency) == (S.ACCEPTED, None)
    event = returned.events.order_by("-pk").first()
    assert (event.kind, event.visibility, event.agency) == (
        EventKind.RETURNED,
        Visibility.INTERNAL,
        agency,
    )


@pytest.mark.django_db
def test_returning_a_report_requires_a_reason(road, agency_staff):
    report = road(S.ASSIGNED)
    with pytest.raises(InvalidInput) as refused:
        workflow.report_return(report=report, actor=agency_staff, reason="")
    assert "reason" in refused.value.fields
    assert fresh(report).status == S.ASSIGNED


@pytest.mark.django_db
@pytest.mark.parametrize("value", [RatingValue.SATISFIED, RatingValue.ACCEPTABLE])
def test_a_satisfied_or_acceptable_rating_closes_the_report(road, citizen, value):
    report = road(S.RESOLVED)

    rating = workflow.report_rate(report=report, actor=citizen, value=value, comment="Tốt.")

    closed = fresh(report)
    assert closed.status == S.CLOSED
    assert closed.closed_at is not None
    assert (rating.report, rating.rater, rating.value) == (closed, citizen, value)


@pytest.mark.django_db
def test_an_unsatisfied_rating_keeps_the_report_resolved_until_it_is_reopened(
    road, citizen, agency, agency_staff
):
    report = road(S.RESOLVED)

    workflow.report_rate(
        report=report, actor=citizen, value=RatingValue.UNSATISFIED, comment="Vẫn còn ổ gà."
    )
    assert fresh(report).status == S.RESOLVED
    assert fresh(report).closed_at is None

    workflow.report_reopen(report=report, actor=citizen, reason="Vẫn còn ổ gà.")

    reopened = fresh(report)
    assert (reopened.status, reopened.agency) == (S.IN_PROGRESS, agency)
    assert reopened.resolved_at is None
    # The agency that had it can work on it again and resolve it once more.
    workflow.report_resolve(report=report, actor=agency_staff, result="Đã vá lại.")
    assert fresh(report).status == S.RESOLVED
    assert Rating.objects.filter(report=report).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_requires_a_reason(road, citizen, reason):
    report = road(S.RESOLVED)
    before = row(report)

    with pytest.raises(InvalidInput) as refused:
        workflow.report_reopen(report=report, actor=citizen, reason=reason)

    assert "reason" in refused.value.fields
    assert row(report) == before


# --- photos of the result ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_result_photo_is_stored_without_its_location_metadata(road, agency_staff):
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825), "the upload carries GPS"
    report = road(S.IN_PROGRESS)

    workflow.report_resolve(report=report, actor=agency_staff, result="Đã vá.", photos=[photo])

    attachment = Attachment.objects.get(report=report)
    assert attachment.kind == AttachmentKind.RESULT
    assert attachment.uploaded_by == agency_staff
    assert attachment.event == report.events.get(kind=EventKind.RESOLVED)
    with attachment.file.open("rb") as stored:
        content = stored.read()
    assert content != photo
    assert len(content) == attachment.size
    stored_image = Image.open(io.BytesIO(content))
    assert stored_image.format == "JPEG"
    assert (stored_image.width, stored_image.height) == (attachment.width, attachment.height)
    assert dict(stored_image.getexif()) == {}
    assert b"SecretPhone" not in content


@pytest.mark.django_db
def test_a_result_that_is_not_an_image_is_refused_and_changes_nothing(road, agency_staff):
    report = road(S.IN_PROGRESS)
    before, events_before = row(report), report.events.count()

    with pytest.raises(InvalidInput) as refused:
        workflow.report_resolve(
            report=report,
            actor=agency_staff,
            result="Đã vá.",
            photos=[jpeg_with_gps(), b"%PDF-1.7 not a photo"],
        )

    assert refused.value.code == "invalid_image"
    assert refused.value.fields["photos"][0].startswith("Photo 2:")
    assert row(report) == before
    assert report.events.count() == events_before
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_six_result_photos_are_refused(road, agency_staff, settings):
    report = road(S.IN_PROGRESS)
    before = row(report)

    with pytest.raises(InvalidInput) as refused:
        workflow.report_resolve(
            report=report,
            actor=agency_staff,
            result="Đã vá.",
            photos=[jpeg_with_gps()] * (settings.CITYOPS_MAX_PHOTOS + 1),
        )

    assert settings.CITYOPS_MAX_PHOTOS == 5
    assert "photos" in refused.value.fields
    assert row(report) == before
    assert not Attachment.objects.exists()


# --- overdue and escalation ----------------------------------------------------------------------


@pytest.mark.django_db
def test_overdue_is_derived_from_the_deadline_and_the_status(road):
    with time_machine.travel(MONDAY_10, tick=False):
        waiting = road(S.IN_PROGRESS)
        done = road(S.RESOLVED)
        spam = road(S.REJECTED)

    waiting, done, spam = fresh(waiting), fresh(done), fresh(spam)
    before_deadline, after_deadline = hue(18, 9), hue(18, 11)
    assert not waiting.is_overdue(before_deadline)
    assert waiting.is_overdue(after_deadline)
    assert not done.is_overdue(after_deadline)
    assert not spam.is_overdue(after_deadline)
    assert list(reports_overdue(at=before_deadline)) == []
    assert list(reports_overdue(at=after_deadline)) == [waiting]


@pytest.mark.django_db
def test_the_escalation_job_records_each_passed_deadline_exactly_once(road, agency_staff):
    urgent = CategoryFactory(default_priority=Priority.URGENT)
    with time_machine.travel(MONDAY_10, tick=False):
        late = road(S.IN_PROGRESS, category=urgent)  # due Monday 16:00
        also_late = road(S.SUBMITTED, category=urgent)
        in_time = road(S.IN_PROGRESS)  # due next Wednesday
        resolved = road(S.RESOLVED, category=urgent)

    with time_machine.travel(hue(10, 9), tick=False):
        assert workflow.reports_escalate_overdue() == 2
        assert workflow.reports_escalate_overdue() == 0

    def escalations(report: Report) -> list[ReportEvent]:
        return list(report.events.filter(kind=EventKind.ESCALATED))

    assert len(escalations(late)) == 1
    assert len(escalations(also_late)) == 1
    assert escalations(in_time) == []
    assert escalations(resolved) == []
    first = escalations(late)[0]
    assert (first.actor, first.actor_role) == (None, "")
    assert first.data == {"due_at": fresh(late).due_at.isoformat()}

    # The agency takes its extension; once the new date passes too, that is escalated again.
    with time_machine.travel(hue(10, 9, 30), tick=False):
        workflow.report_extend(
            report=late, actor=agency_staff, reason="Chờ vật tư.", new_due_at=hue(11, 14)
        )
        assert workflow.reports_escalate_overdue() == 0
    with time_machine.travel(hue(12, 8), tick=False):
        assert workflow.reports_escalate_overdue() == 1
        assert workflow.reports_escalate_overdue() == 0

    assert [e.data["due_at"] for e in escalations(late)] == [
        hue(9, 16).astimezone(fresh(late).due_at.tzinfo).isoformat(),
        fresh(late).due_at.isoformat(),
    ]
    assert fresh(late).due_at == hue(11, 14)
    assert len(escalations(also_late)) == 1


@pytest.mark.django_db
def test_quiet_resolved_reports_are_closed_after_the_quiet_period_only(road, settings):
    settings.CITYOPS_CLOSE_AFTER_DAYS = 7
    with time_machine.travel(hue(2, 10), tick=False):
        quiet = road(S.RESOLVED)
        still_open = road(S.IN_PROGRESS)
    with time_machine.travel(hue(6, 10), tick=False):
        recent = road(S.RESOLVED)

    with time_machine.travel(hue(9, 11), tick=False):
        assert workflow.reports_close_quiet() == 1

    closed = fresh(quiet)
    assert closed.status == S.CLOSED
    assert closed.closed_at == hue(9, 11)
    event = closed.events.order_by("-pk").first()
    assert (event.kind, event.actor, event.actor_role) == (EventKind.CLOSED, None, "")
    assert fresh(recent).status == S.RESOLVED
    assert fresh(still_open).status == S.IN_PROGRESS


# --- routing -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_routing_prefers_the_rule_for_the_area_over_the_city_wide_rule(agency, other_agency):
    category = CategoryFactory()
    ward, other_ward = AreaFactory(), AreaFactory(centroid_lat=16.50)
    RoutingRule.objects.create(category=category, area=None, agency=agency)
    RoutingRule.objects.create(category=category, area=ward, agency=other_agency)

    assert agency_suggested_for(category=category, area=ward) == other_agency
    assert agency_suggested_for(category=category, area=other_ward) == agency
    assert agency_suggested_for(category=category, area=None) == agency


@pytest.mark.django_db
def test_routing_to_the_area_committee_picks_the_committee_of_the_reports_area():
    category = CategoryFactory()
    ward, other_ward = AreaFactory(), AreaFactory(centroid_lat=16.50)
    committee = AgencyFactory(kind=AgencyKind.COMMITTEE, area=ward)
    AgencyFactory(kind=AgencyKind.COMMITTEE, area=other_ward)
    RoutingRule.objects.create(category=category, area=None, to_area_committee=True)

    assert agency_suggested_for(category=category, area=ward) == committee
    assert agency_suggested_for(category=category, area=None) is None


@pytest.mark.django_db
def test_without_a_routing_rule_the_report_stays_in_the_ioc_queue(agency):
    category, other_category = CategoryFactory(), CategoryFactory()
    RoutingRule.objects.create(category=other_category, area=None, agency=agency)

    assert agency_suggested_for(category=category, area=AreaFactory()) is None


@pytest.mark.django_db
def test_submit_refuses_text_with_nul_characters_instead_of_failing_in_the_database(citizen):
    with pytest.raises(InvalidInput) as refused:
        workflow.report_submit(
            description="Rác\x00", category=CategoryFactory(), reporter=citizen, address="Huế"
        )
    assert "description" in refused.value.fields
