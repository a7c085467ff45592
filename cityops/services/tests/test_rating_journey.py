"""From a printed QR code to the KPIs: the sheet's PNG is decoded like a phone's camera would,
its address followed, a rating sent, and the office's figures move."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import time_machine
import zxingcpp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from PIL import Image

from cityops.reports.choices import Channel, ReportStatus
from cityops.reports.deadlines import working_calendar
from cityops.reports.models import Report
from cityops.services.choices import Level, Via
from cityops.services.models import Dossier, Rating
from cityops.services.selectors import service_kpis
from cityops.services.services import Answers, rating_submit
from cityops.services.tests.factories import DossierFactory, OfficerFactory

HUE = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY = datetime(2026, 12, 11, 10, 0, tzinfo=HUE)


def scanned(png: bytes) -> str:
    """What a phone's camera reads from the QR code: the address, as a path on this site."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1
    url = found[0].text
    assert url.startswith(settings.CITYOPS_SITE_URL)
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def printed_dossier_qr(client: Client, desk, procedure, officer, number: str) -> str:
    """The desk's staff register the dossier and print its slip; the QR code's address."""
    response = client.post(
        reverse("console:services:dossier_new", args=[desk.pk]),
        {"number": number, "procedure": procedure.pk, "officer": officer.pk},
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(number=number)
    sheet = client.get(response["Location"])
    assert sheet.status_code == 200
    qr_src = reverse("console:services:dossier_qr", args=[dossier.pk])
    assert qr_src in sheet.content.decode()
    return scanned(client.get(qr_src).content)


def office_kpi(office):
    return next(k for k in service_kpis(offices=offices_for_all()).offices if k.key == office.pk)


def office_kpis(office):
    from cityops.services.models import Office

    return service_kpis(offices=Office.objects.filter(pk=office.pk))


def offices_for_all():
    from cityops.services.models import Office

    return Office.objects.all()


def test_a_printed_dossier_qr_code_leads_to_a_rating_counted_in_the_kpis(
    agency_staff, desk, officer, procedure, conduct
):
    staff = Client()
    staff.force_login(agency_staff)
    path = printed_dossier_qr(staff, desk, procedure, officer, "H01.25-1201-0001")

    phone = Client()
    page = phone.get(path)
    assert page.status_code == 200
    assert "H01.25-1201-0001" in page.content.decode()
    response = phone.post(path, {"level": Level.VERY_SATISFIED, "attitude": "3", "time": "3"})
    assert response.status_code == 302
    assert phone.get(response["Location"]).status_code == 200

    rating = Rating.objects.get()
    assert (rating.via, rating.officer, rating.procedure) == (Via.DOSSIER, officer, procedure)
    kpi = office_kpi(desk.office)
    assert (kpi.n, kpi.very_satisfied, kpi.dossiers, kpi.dossier_ratings) == (1, 1, 1, 1)
    assert kpi.satisfied_share.percent is None  # one rating: too few to show

    # Nine more dossiers rated: the tenth rating shows the figures.
    for n in range(2, 11):
        path = printed_dossier_qr(staff, desk, procedure, officer, f"H01.25-1201-{n:04d}")
        level = Level.SATISFIED if n < 10 else Level.DISSATISFIED
        assert phone.post(path, {"level": level, "attitude": "3"}).status_code == 302
    kpi = office_kpi(desk.office)
    assert kpi.n == 10
    assert kpi.satisfied_share.percent == 90
    assert kpi.response.percent == 100
    attitude = next(share for label, share in kpi.criteria if share.total == 10)
    assert attitude.percent == 100


def test_the_desk_qr_code_rates_the_desk_and_the_public_ranking_counts_it(desk, agency_staff):
    staff = Client()
    staff.force_login(agency_staff)
    sheet = staff.get(reverse("console:services:desk_sheet", args=[desk.pk]))
    assert sheet.status_code == 200
    png = staff.get(reverse("console:services:desk_qr", args=[desk.pk])).content
    path = scanned(png)
    assert path == reverse("services:desk", args=[desk.key])

    assert Client().post(path, {"level": Level.SATISFIED}).status_code == 302
    rating = Rating.objects.get()
    assert (rating.via, rating.dossier, rating.officer) == (Via.DESK, None, None)
    ranking = Client().get(reverse("services:ranking"))
    body = ranking.content.decode()
    row = re.search(rf'<tr data-office="{desk.office.pk}">(.*?)</tr>', body, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert cells[0].strip().endswith("—</span>")  # not ranked: one rating is too few
    assert cells[2].strip() == "1"  # n


def test_a_dossier_is_rated_once(desk, officer, procedure):
    dossier = DossierFactory(desk=desk, officer=officer, procedure=procedure)
    from cityops.services.public_views import dossier_path

    path = dossier_path(dossier)
    phone = Client()
    assert phone.post(path, {"level": Level.SATISFIED}).status_code == 302
    # The same QR code again, from another phone: refused, with a clear message.
    again = Client().get(path)
    assert again.status_code == 409
    assert "rated" in again.content.decode() or "đánh giá" in again.content.decode()
    assert Client().post(path, {"level": Level.DISSATISFIED}).status_code == 409
    assert Rating.objects.count() == 1


def test_a_dossier_qr_code_expires_after_30_days_and_a_forged_one_is_unknown(desk):
    from cityops.services.public_views import dossier_path

    with time_machine.travel(FRIDAY, tick=False):
        dossier = DossierFactory(desk=desk)
        path = dossier_path(dossier)
        assert Client().get(path).status_code == 200
    with time_machine.travel(FRIDAY + timedelta(days=31), tick=False):
        assert Client().get(path).status_code == 410
        assert Client().post(path, {"level": Level.SATISFIED}).status_code == 410
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    assert Client().get(forged).status_code == 404
    assert Rating.objects.count() == 0


def test_the_desk_tablet_resets_for_the_next_person_and_holds_back_immediate_repeats(desk):
    kiosk = Client()
    path = f"{reverse('services:desk', args=[desk.key])}?kiosk=1"
    with time_machine.travel(FRIDAY, tick=False):
        response = kiosk.post(path, {"level": Level.SATISFIED, "kiosk": "1"})
        assert response.status_code == 302
        thanks = kiosk.get(response["Location"])
        body = thanks.content.decode()
        assert 'http-equiv="refresh"' in body
        assert f"/services/d/{desk.key}?kiosk=1" in body
        # A second tap at once (cookies cleared or not) waits out the cool-down.
        assert Client().post(path, {"level": Level.SATISFIED, "kiosk": "1"}).status_code == 429
    with time_machine.travel(FRIDAY + timedelta(seconds=25), tick=False):
        assert kiosk.post(path, {"level": Level.DISSATISFIED, "kiosk": "1"}).status_code == 302
    assert list(Rating.objects.values_list("via", flat=True)) == [Via.KIOSK, Via.KIOSK]


def test_a_phone_rates_a_desk_once_per_quarter_hour(desk):
    phone = Client()
    path = reverse("services:desk", args=[desk.key])
    assert phone.post(path, {"level": Level.SATISFIED}).status_code == 302
    assert phone.post(path, {"level": Level.SATISFIED}).status_code == 409
    assert Rating.objects.count() == 1


def test_one_address_sending_many_ratings_is_told_to_wait(desk):
    path = reverse("services:desk", args=[desk.key])
    answers = [Client().post(path, {"level": Level.SATISFIED}).status_code for _ in range(21)]
    assert answers[:20] == [302] * 20
    assert answers[20] == 429


def test_a_dissatisfied_rating_opens_a_case_for_the_desks_agency_due_in_two_working_days(
    desk, officer, procedure, conduct, agency
):
    dossier = DossierFactory(desk=desk, officer=officer, procedure=procedure)
    from cityops.services.public_views import dossier_path

    with time_machine.travel(FRIDAY, tick=False):
        response = Client().post(
            dossier_path(dossier),
            {
                "level": Level.DISSATISFIED,
                "time": "1",
                "comment": "Hẹn trả hồ sơ 3 lần vẫn chưa có, gọi 0905123456",
            },
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.channel == Channel.SERVICE_RATING
    assert report.category == conduct
    assert report.agency == agency
    assert report.status == ReportStatus.ASSIGNED
    assert report.reporter is None
    assert report.contact_name == ""
    assert report.contact_phone == ""
    due = report.due_at.astimezone(HUE)
    assert due == working_calendar().add_working_days(FRIDAY, 2)
    assert (due.date().isoformat(), due.hour) == ("2026-12-15", 10)  # Tuesday, past the weekend
    # The case says what was rated, not who rated: no dossier number either.
    assert desk.name in report.description
    assert officer.staff_code in report.description
    assert officer.name not in report.description  # the public reads the case
    assert dossier.number not in report.description
    assert Rating.objects.get().report == report

    # The rater follows the case from the thank-you page.
    thanks = Client().get(response["Location"])
    assert reverse("portal:report", kwargs={"pk": report.pk}) in thanks.content.decode()
    public = Client().get(reverse("portal:report", kwargs={"pk": report.pk}))
    assert public.status_code == 200
    body = public.content.decode()
    assert "0905123456" not in body
    assert "090•••••56" in body


def test_a_satisfied_rating_opens_no_case(desk, conduct):
    rating = rating_submit(
        desk=desk, answers=Answers(level=Level.SATISFIED, scores={}), via=Via.DESK
    )
    assert rating.report is None
    assert not Report.objects.exists()


def test_kpis_are_hidden_below_ten_ratings_and_shown_from_ten(desk, officer, procedure):
    for _n in range(9):
        dossier = DossierFactory(desk=desk, officer=officer, procedure=procedure)
        rating_submit(
            desk=desk,
            dossier=dossier,
            via=Via.DOSSIER,
            answers=Answers(level=Level.SATISFIED, scores={"attitude": 3}),
        )
    kpis = service_kpis(offices=offices_for_all())
    for kpi in (kpis.offices[0], kpis.officers[0], kpis.procedures[0]):
        assert kpi.n == 9
        assert kpi.satisfied_share.percent is None
        assert all(share.percent is None for _label, share in kpi.criteria)
    dossier = DossierFactory(desk=desk, officer=officer, procedure=procedure)
    rating_submit(
        desk=desk,
        dossier=dossier,
        via=Via.DOSSIER,
        answers=Answers(level=Level.DISSATISFIED, scores={"attitude": 1}),
    )
    kpis = service_kpis(offices=offices_for_all())
    for kpi in (kpis.offices[0], kpis.officers[0], kpis.procedures[0]):
        assert (kpi.n, kpi.satisfied_share.percent, kpi.response.percent) == (10, 90, 100)
        assert kpi.criteria[0][1].percent == 90


def test_the_officers_agency_sees_figures_but_never_who_rated(
    desk, officer, procedure, agency_staff
):
    comment = "Chị Lan rất nhiệt tình, tôi là Phạm Minh Tuấn"
    for _n in range(10):
        dossier = DossierFactory(desk=desk, officer=officer, procedure=procedure)
        rating_submit(
            desk=desk,
            dossier=dossier,
            via=Via.DOSSIER,
            answers=Answers(level=Level.SATISFIED, scores={}, comment=comment),
        )
    staff = Client()
    staff.force_login(agency_staff)
    page = staff.get(reverse("console:services:kpis")).content.decode()
    assert officer.name in page
    assert "100%" in page
    assert "Phạm Minh Tuấn" not in page
    # A rating keeps nothing of the rater: no user, no address, no device.
    fields = {f.name for f in Rating._meta.get_fields()}
    assert not fields & {"user", "ip", "ip_address", "device_id", "user_agent", "reporter"}
    # and its time only to the hour (an exact time could point at the person served)
    assert all(r.created_at.minute == 0 and r.created_at.second == 0 for r in Rating.objects.all())


def test_two_officers_with_one_name_are_told_apart_by_their_staff_codes(desk, officer):
    namesake = OfficerFactory(office=desk.office, name=officer.name, staff_code="CB-HUE-2")
    untitled = OfficerFactory(office=desk.office, name="Võ Văn Nam", staff_code="")
    names = {kpi.key: kpi.name for kpi in office_kpis(desk.office).officers}
    assert names[officer.pk] == f"{officer.name} ({officer.staff_code})"
    assert names[namesake.pk] == f"{officer.name} (CB-HUE-2)"
    assert names[untitled.pk] == "Võ Văn Nam"


def test_staff_of_another_agency_see_neither_the_office_nor_its_desks(desk, other_agency_staff):
    staff = Client()
    staff.force_login(other_agency_staff)
    assert desk.office.name not in staff.get(reverse("console:services:kpis")).content.decode()
    assert staff.get(reverse("console:services:desk_sheet", args=[desk.pk])).status_code == 404
    assert staff.get(reverse("console:services:desk_qr", args=[desk.pk])).status_code == 404
