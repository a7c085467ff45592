"""The privacy sweep: personal data written into a report never reaches anyone but IOC staff.

One report carries a phone number, an e-mail address and a citizen ID in its description, its
address and the citizen's notes (a rating comment, a reopening reason), and a second report
with the same data is merged into it. Every channel that shows reports to someone who is not IOC
staff — the public pages, API v1, Open311 JSON and XML, open data, a follower's e-mails, a
leader's exports, the agency's pages, live events, and the replies on the citizen's channel (SMS,
Zalo, Messenger, e-mail threads, web push) — is read, and none of it may hold the data or the
reporter's identity. Searching for the data finds nothing. A new channel belongs here.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cityops.accounts.choices import Role
from cityops.accounts.tests.factories import UserFactory
from cityops.agencies.tests.factories import AreaFactory
from cityops.channels import outbound
from cityops.channels.push import push_message
from cityops.channels.services import conversation_follow, conversation_open, message_receive
from cityops.channels.sms import status_answer
from cityops.platform import events
from cityops.platform.tests.readcache_client import Site
from cityops.press.services import story_to_report
from cityops.press.tests.factories import SourceFactory
from cityops.press.tests.pages import item_written
from cityops.reports import workflow
from cityops.reports.choices import Channel, RatingValue, ReportStatus, Visibility
from cityops.reports.models import Report, ReportEvent
from cityops.reports.services import follow_create
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

PHONE = "0905 123 456"
EMAIL = "nguyen.van.a@gmail.com"
CITIZEN_ID = "046 099 012 345"
# What must never be readable, in the forms it was written in and the forms a page may print.
SECRETS = (
    PHONE,
    PHONE.replace(" ", ""),
    "0905",
    "123 456",
    "123456",
    EMAIL,
    "nguyen.van.a",
    CITIZEN_ID,
    CITIZEN_ID.replace(" ", ""),
    "099 012",
    "099012",
    # The reporter's identity: their contact details and full name.
    "0914 555 777",
    "0914555777",
    "binh.nguyen@example.vn",
    "Nguyễn Văn Bình",
    "Nguyễn Văn",
)
# What a public search must not confirm: the data, whole or in fragments.
SEARCHES = ("0905123456", "0905", "123456", "nguyen.van.a", "046099012345", "099012")


@pytest.fixture
def leaked(
    db, operator, agency, agency_staff, citizen, monkeypatch, django_capture_on_commit_callbacks
):
    """The report, brought to a reopened state; returns the live events published meanwhile."""
    published: list[events.Event] = []
    real_publish = events.publish

    def keep(event: events.Event) -> None:
        published.append(event)
        real_publish(event)

    monkeypatch.setattr(events, "publish", keep)
    monkeypatch.setattr("cityops.reports.workflow.rules.publish", keep)

    AreaFactory(name="Phường Thuận Hóa")
    category = CategoryFactory(code="traffic-infrastructure")
    reporter = UserFactory(
        username="binh",
        role=Role.CITIZEN,
        email="binh.nguyen@example.vn",
    )
    _set_full_name(reporter, "Nguyễn Văn Bình")
    follower = UserFactory(username="follower", role=Role.CITIZEN, email="follower@example.vn")
    personal = f"gọi {PHONE} hoặc {EMAIL}, CCCD {CITIZEN_ID}"
    with django_capture_on_commit_callbacks(execute=True):
        report = report_in(
            ReportStatus.IN_PROGRESS,
            operator=operator,
            agency=agency,
            staff=agency_staff,
            reporter=reporter,
            category=category,
            title="Ổ gà trước nhà",
            description=f"Ổ gà lớn trước nhà, cần xử lý gấp, {personal}",
            address=f"Số 12 kiệt 3 Lê Lợi, {personal}",
            contact_name="Nguyễn Văn Bình",
            contact_phone="0914 555 777",
            contact_email="binh.nguyen@example.vn",
        )
        follow_create(report=report, user=follower)
        twin = report_in(
            ReportStatus.ACCEPTED,
            operator=operator,
            reporter=citizen,
            category=category,
            description=f"Ổ gà trước nhà số 12, {personal}",
        )
        workflow.report_merge(report=twin, original=report, actor=operator)
        workflow.report_add_note(
            report=report,
            actor=agency_staff,
            text="Đội sửa chữa đã đến hiện trường.",
            visibility=Visibility.PUBLIC,
        )
        report = workflow.report_resolve(
            report=Report.objects.get(pk=report.pk), actor=agency_staff, result="Đã vá ổ gà."
        )
        workflow.report_rate(
            report=report,
            actor=reporter,
            value=RatingValue.UNSATISFIED,
            comment=f"Chưa sửa xong, {personal}",
        )
        workflow.report_reopen(
            report=Report.objects.get(pk=report.pk),
            actor=reporter,
            reason=f"Vẫn còn ổ gà, {personal}",
        )
    return {"report": Report.objects.get(pk=report.pk), "events": published, "follower": follower}


def _set_full_name(user: Any, name: str) -> None:
    """The person's name as they wrote it, whichever way the account model keeps names."""
    if hasattr(user, "full_name"):
        user.full_name = name
    else:
        family_and_middle, _, given = name.rpartition(" ")
        user.first_name, user.last_name = given, family_and_middle
    user.save()


def _unzipped(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        return "\n".join(
            book.read(name).decode() for name in book.namelist() if name.endswith(".xml")
        )


def _read(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if url.endswith(".xlsx"):
        return _unzipped(body)
    return body.decode("utf-8-sig")


def _shown(secrets: tuple[str, ...], text: str) -> list[str]:
    """The secrets ``text`` shows, each standing on its own: a fragment such as "0905" counts
    when a page prints it, not when it falls inside a longer token by chance (a hex ETag, a
    UUID, a CSRF token, a timestamp's microseconds: about 1 in 1,000 of them holds "0905")."""
    return [
        secret
        for secret in secrets
        if re.search(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9])", text)
    ]


def _assert_clean(text: str, *, where: str) -> None:
    found = _shown(SECRETS, text)
    assert not found, f"{where} shows {found}"


def _public_urls(pk: int) -> Iterator[str]:
    yield "/"
    yield f"/reports/{pk}"
    yield "/reports.geojson"
    yield "/transparency/"
    yield "/open-data/reports.csv"
    yield "/open-data/reports.geojson"
    yield "/api/v1/reports"
    yield f"/api/v1/reports/{pk}"
    yield f"/api/v1/reports/{pk}/similar"
    for fmt in ("json", "xml"):
        yield f"/open311/v2/requests.{fmt}"
        yield f"/open311/v2/requests/{pk}.{fmt}"
        yield f"/open311/v2/servicerequestupdates.{fmt}"


def test_no_public_channel_shows_personal_data(leaked, client):
    pk = leaked["report"].pk
    assert "Ổ gà" in _read(client, f"/reports/{pk}")  # the page is there, only the data is not
    for url in _public_urls(pk):
        _assert_clean(_read(client, url), where=url)


def test_kept_public_answers_show_no_personal_data(leaked, client, operator, monkeypatch):
    """Through the read cache (platform/readcache.py): the first read fills it, the second is
    answered from it; a staff member's read before them neither fills nor changes it."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Django inline, in the loop's thread
    pk = leaked["report"].pk
    client.force_login(operator)
    staff = f"sessionid={client.cookies['sessionid'].value}"
    site = Site()
    try:
        assert PHONE in site.get(f"/console/reports/{pk}/", cookie=staff).text
        for url in _public_urls(pk):
            site.get(url, cookie=staff)
        answered = site.django.answered
        for _ in ("filled", "kept"):
            for url in _public_urls(pk):
                answer = site.get(url)
                assert answer.status == 200, (url, answer.status)
                _assert_clean(answer.text, where=f"{url}, kept")
    finally:
        site.close()
    kept = {"/", f"/reports/{pk}", "/api/v1/reports", f"/api/v1/reports/{pk}"}
    kept |= {f"/open311/v2/requests.{fmt}" for fmt in ("json", "xml")}
    kept |= {f"/open311/v2/requests/{pk}.{fmt}" for fmt in ("json", "xml")}
    assert site.django.answered - answered == 2 * len(list(_public_urls(pk))) - len(kept)


def test_a_follower_sees_no_personal_data_on_the_pages_or_in_the_e_mails(leaked, client):
    follower = leaked["follower"]
    client.force_login(follower)
    pk = leaked["report"].pk
    for url in [*_public_urls(pk), "/account/follows"]:
        _assert_clean(_read(client, url), where=f"{url} for a follower")
    to_follower = [message for message in mail.outbox if follower.email in message.to]
    assert to_follower, "the follower was told of the report's progress"
    for message in to_follower:
        bodies = [message.subject, message.body]
        bodies += [content for content, _ in getattr(message, "alternatives", [])]
        for body in bodies:
            _assert_clean(str(body), where=f"the e-mail {message.subject!r} to a follower")


def test_the_agency_sees_the_report_but_no_personal_data(leaked, client, agency_staff):
    client.force_login(agency_staff)
    pk = leaked["report"].pk
    page = _read(client, f"/agency/reports/{pk}/")
    assert "Ổ gà" in page
    _assert_clean(page, where="the agency's report page")
    _assert_clean(_read(client, "/agency/list/"), where="the agency's inbox")
    _assert_clean(_read(client, "/agency/"), where="the agency's inbox page")


def test_a_leader_s_dashboard_console_and_exports_hold_no_personal_data(leaked, client, leader):
    client.force_login(leader)
    pk = leaked["report"].pk
    for url in (
        "/console/",
        f"/console/reports/{pk}/",
        "/console/map.geojson",
        "/dashboard/",
        "/dashboard/export/reports.csv",
        "/dashboard/export/reports.xlsx",
        "/dashboard/export/reports.geojson",
        "/dashboard/export/events.csv",
    ):
        _assert_clean(_read(client, url), where=url)


def test_live_events_carry_no_personal_data(leaked):
    assert leaked["events"], "the report's changes were published"
    for event in leaked["events"]:
        _assert_clean(repr(event), where=f"the live event {event.topic}")


def test_ioc_staff_still_read_the_data_as_written(leaked, client, operator):
    client.force_login(operator)
    page = _read(client, f"/console/reports/{leaked['report'].pk}/")
    assert PHONE in page
    assert "0914 555 777" in page or "0914555777" in page


@pytest.mark.parametrize("words", SEARCHES)
def test_searching_for_the_data_finds_nothing(leaked, client, words):
    assert leaked["report"].status == ReportStatus.IN_PROGRESS
    portal = _read(client, f"/?q={words}")
    assert f"/reports/{leaked['report'].pk}" not in portal
    assert client.get("/api/v1/reports", {"q": words}).json()["count"] == 0
    assert client.get("/open311/v2/requests.json", {"search": words}).json() == []


def test_searching_for_what_the_public_reads_still_finds_the_report(leaked, client):
    pk = leaked["report"].pk
    found = client.get("/api/v1/reports", {"q": "o ga truoc nha"}).json()["results"]
    assert pk in [report["id"] for report in found]
    found = client.get("/open311/v2/requests.json", {"search": "Ổ GÀ"}).json()
    assert str(pk) in [request["service_request_id"] for request in found]


def test_channel_messages_stay_with_the_ioc_and_replies_carry_no_personal_data(
    leaked, client, agency_staff, monkeypatch
):
    """A citizen's texts are evidence for IOC staff only; what goes back on the channel is the
    public wording of each change."""
    report = leaked["report"]
    conversation = conversation_open(channel=Channel.SMS, address="0914555777")
    message_receive(
        channel=Channel.SMS, address="0914555777", conversation=conversation,
        text=f"Ổ gà trước nhà, {PHONE}, {EMAIL}, CCCD {CITIZEN_ID}",
    )  # fmt: skip
    conversation_follow(conversation=conversation, report_id=report.pk)
    sent: list[str] = []
    monkeypatch.setitem(
        outbound._adapters, Channel.SMS, lambda *, conversation, text: sent.append(text) or ""
    )
    for event in ReportEvent.objects.filter(report=report, visibility=Visibility.PUBLIC):
        outbound.channel_replies_send(event_id=event.pk)

    assert sent, "the conversation heard of the report's changes"
    for text in sent:
        _assert_clean(text, where="a reply on the citizen's channel")
    asked = status_answer(number=report.pk, phone="0901000000")  # "PA <number>" by text message
    assert f"#{report.pk}" in asked
    _assert_clean(asked, where="the answer to a status question by SMS")
    for event in ReportEvent.objects.filter(report=report, visibility=Visibility.PUBLIC):
        pushed = push_message(event=event, user=leaked["follower"])
        _assert_clean(" ".join(pushed.values()), where="a web push to a follower")
    for url in _public_urls(report.pk):
        _assert_clean(_read(client, url), where=f"{url} with channel messages")
    client.force_login(agency_staff)
    _assert_clean(_read(client, f"/agency/reports/{report.pk}/"), where="the agency's page")


def test_a_report_made_from_a_press_story_shows_no_personal_data(db, client, operator, agency):
    """Press monitoring (issue 19): an article that prints someone's phone, e-mail and ID
    becomes a field report; the public reads it masked, as any citizen's text."""
    AreaFactory(name="Phường Phú Hội")
    category = CategoryFactory(code="urban-infrastructure")
    source = SourceFactory(name="Báo Sông Hương")
    item = item_written(
        source,
        title="Ngập sâu ở phường Phú Hội",
        url="https://baosonghuong.vn/ngap-phu-hoi",
        published_at=timezone.now(),
        lead=f"Người dân phản ánh, {PHONE}, {EMAIL}, CCCD {CITIZEN_ID}.",
    )
    report = story_to_report(story=item.story, actor=operator, agency=agency, category=category)

    assert PHONE in report.description  # kept as written, for IOC staff
    assert "Ngập sâu" in _read(client, f"/reports/{report.pk}")
    for url in _public_urls(report.pk):
        _assert_clean(_read(client, url), where=f"{url} (a report from the press)")


def test_no_public_channel_shows_a_photo_before_it_is_blurred_nor_its_original_after(
    db, client, operator, agency_staff, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 20: faces and plates in a public photo are blurred before any public URL exists;
    the original stays with IOC staff. Every public channel is read before and after the job."""
    from cityops.reports.tests.photo_blur import (
        FACE,
        detailed_jpeg,
        detector_finding,
        difference_inside,
    )

    detector_finding(monkeypatch, FACE)
    with django_capture_on_commit_callbacks(execute=False) as blur_jobs:
        report = report_in(ReportStatus.ACCEPTED, operator=operator, photos=[detailed_jpeg()])
    photo = report.attachments.get()
    public_url = f"/media/attachments/{photo.pk}.jpg"
    for url in _public_urls(report.pk):
        assert "/media/attachments/" not in _read(client, url), f"{url} names a photo not blurred"
    client.force_login(agency_staff)
    assert client.get(public_url).status_code == 404
    client.logout()
    assert client.get(public_url).status_code == 404

    for job in blur_jobs:
        job()

    assert public_url in _read(client, f"/reports/{report.pk}")
    served = b"".join(client.get(public_url).streaming_content)
    with photo.file.open("rb") as file:
        assert difference_inside(file.read(), served, FACE) > 40  # not the original
    assert client.get(f"/console/photos/{photo.pk}/original.jpg").status_code == 302


# --- camera violation cases (issue 20) ---------------------------------------------------------

OWNER = ("Trần Thị Chủ Xe", "27 Kiệt 5 Nguyễn Trãi")


@pytest.fixture
def violation(db):
    """A case whose notice went out, the owner on record, reviewed and confirmed by two
    officers; returns the case and its officers."""
    from cityops.monitoring.choices import SensorKind
    from cityops.monitoring.tests.factories import SensorFactory
    from cityops.violations import services
    from cityops.violations.choices import CaseStatus
    from cityops.violations.tests.pages.world import case_in

    camera = SensorFactory(code="hue-cam-sweep", name="Ngã tư Hà Nội – Lê Lợi",
                           kind=SensorKind.CAMERA, metrics=[])  # fmt: skip
    first = UserFactory(username="officer-1", role=Role.OFFICER)
    second = UserFactory(username="officer-2", role=Role.OFFICER)
    case = case_in(CaseStatus.CONFIRMED, camera, reviewer=first, decider=second)
    services.case_owner_record(
        case=case, actor=first, name=OWNER[0], address=f"{OWNER[1]}, {PHONE}"
    )
    case = services.case_notice_issue(case=case, actor=second)
    return {"case": case, "officer": first}


def _violation_secrets(case: Any) -> tuple[str, ...]:
    """The owner's data, and the names of the original files."""
    originals = tuple(item.file.name for item in case.evidence.all())
    return (*OWNER, PHONE, *originals)


def _violation_clean(text: str, case: Any, *, where: str) -> None:
    found = _shown(_violation_secrets(case), text)
    assert not found, f"{where} shows {found}"


def test_the_public_lookup_shows_no_owner_and_only_blurred_frames(violation, client):
    from cityops.violations.choices import EvidenceKind

    case = violation["case"]
    query = {"code": case.lookup_code}
    page = client.get(f"/violations/{case.number}", query)
    assert page.status_code == 200
    _violation_clean(page.content.decode(), case, where="the public lookup page")
    for frame in case.evidence.filter(kind=EvidenceKind.FRAME):
        served = client.get(f"/violations/{case.number}/frames/{frame.position}.jpg", query)
        body = b"".join(served.streaming_content)
        assert body == frame.public_file.open("rb").read()
        assert body != frame.file.open("rb").read(), "an original reached the public"
    for item in case.evidence.exclude(kind=EvidenceKind.FRAME):
        assert item.file.name not in page.content.decode()


@pytest.mark.parametrize("role", ["operator", "leader", "admin_user"])
def test_non_officers_never_read_an_owner_or_an_original(violation, client, request, role):
    from cityops.violations.choices import EvidenceKind

    case = violation["case"]
    client.force_login(request.getfixturevalue(role))
    for url in (
        "/console/violations/",
        f"/console/violations/{case.pk}/",
        f"/console/violations/?plate={case.plate}",
        "/dashboard/violations/",
    ):
        _violation_clean(_read(client, url), case, where=f"{url} for {role}")
    assert client.post(f"/console/violations/{case.pk}/owner").status_code == 403
    assert client.get(f"/console/violations/{case.pk}/notice.pdf").status_code == 403
    for item in case.evidence.all():
        original = client.get(f"/console/violations/evidence/{item.pk}/original")
        assert original.status_code == 403, f"{role} got the original {item.kind}"
    for frame in case.evidence.filter(kind=EvidenceKind.FRAME):
        copy = client.get(f"/console/violations/evidence/{frame.pk}/blurred.jpg")
        assert b"".join(copy.streaming_content) == frame.public_file.open("rb").read()


def test_an_officer_reads_the_owner_only_on_request_and_it_is_audited(violation, client):
    from cityops.violations.choices import CaseAction
    from cityops.violations.models import CaseStep

    case, officer = violation["case"], violation["officer"]
    client.force_login(officer)
    _violation_clean(_read(client, f"/console/violations/{case.pk}/"), case, where="a case page")
    shown = client.post(f"/console/violations/{case.pk}/owner").content.decode()
    assert OWNER[0] in shown
    assert CaseStep.objects.filter(
        case=case, action=CaseAction.OWNER_VIEWED, actor=officer
    ).exists()
    for step in CaseStep.objects.filter(case=case):
        _violation_clean(step.note, case, where=f"the audit step {step.action}")


def test_a_dissatisfied_service_rating_shows_no_personal_data(db, client, agency, agency_staff):
    """Service ratings (issue 21): a rater's comment with a phone, an e-mail and an ID becomes a
    case for the office's agency; the public, the agency and the ranking read none of it."""
    from cityops.services.choices import Level
    from cityops.services.public_views import dossier_path
    from cityops.services.tests.factories import DossierFactory

    CategoryFactory(code="administrative-conduct")
    dossier = DossierFactory(desk__office__agency=agency)
    comment = f"Cán bộ hẹn lại nhiều lần, gọi tôi {PHONE}, {EMAIL}, CCCD {CITIZEN_ID}."
    sent = Client().post(dossier_path(dossier), {"level": Level.DISSATISFIED, "comment": comment})
    assert sent.status_code == 302
    report = Report.objects.get(channel=Channel.SERVICE_RATING)
    assert PHONE in report.description  # kept as written, for IOC staff
    thanks = _read(client, sent["Location"])
    assert f"/reports/{report.pk}" in thanks
    for url in [
        *_public_urls(report.pk),
        "/services/",
        "/api/v1/service-offices",
        sent["Location"],
    ]:
        _assert_clean(_read(client, url), where=f"{url} (a service rating)")
    client.force_login(agency_staff)
    _assert_clean(_read(client, f"/agency/reports/{report.pk}/"), where="the agency's page")
    _assert_clean(_read(client, "/console/services/"), where="the agency's service figures")


def test_a_tourist_s_report_shows_no_contact_nor_personal_data_publicly(db, client, operator):
    """Tourist support (issue 21): the contact is kept in the report's contact fields, the
    message (which may print a phone, an e-mail, an ID) and the transcript go in the
    description; the public pages, the API and the tourist pages show none of it."""
    from cityops.tourism.services import faq_load_file

    faq_load_file()
    CategoryFactory(code="tourism")
    client.post("/tourist/", {"text": "The taxi driver overcharged me"})
    sent = client.post(
        "/tourist/problem",
        {"message": f"Driver's card: {PHONE}, {EMAIL}, ID {CITIZEN_ID}.", "place": "Lê Lợi",
         "contact_email": "binh.nguyen@example.vn", "contact_phone": "0914 555 777"},
    )  # fmt: skip
    assert sent.status_code == 302
    report = Report.objects.get(channel=Channel.TOURIST)
    assert report.contact_phone == "0914555777"
    assert report.contact_email == "binh.nguyen@example.vn"
    workflow.report_accept(report=report, actor=operator)  # now the public reads it
    _assert_clean(_read(client, sent["Location"]), where="the tourist's confirmation")
    _assert_clean(_read(client, "/tourist/"), where="the tourist page")
    api = client.post(
        "/api/v1/tourist/reports",
        {"message": "Rude guide", "contact_email": "binh.nguyen@example.vn",
         "contact_phone": "0914 555 777"},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 201
    _assert_clean(api.content.decode(), where="POST /api/v1/tourist/reports")
    assert "overcharged" in _read(client, f"/reports/{report.pk}")
    for url in _public_urls(report.pk):
        _assert_clean(_read(client, url), where=f"{url} (a tourist's report)")


def test_a_zoning_file_s_personal_attributes_never_reach_the_public(db, client):
    """Planning lookup (issue 22): a zoning file may carry the land user's name and phone in
    its attributes; the lookup page, its answer, the extract and the OGC API show none of it."""
    from datetime import date

    from shapely.geometry import box

    from cityops.planning.models import Layer, Zone
    from cityops.planning.services import ZoneRow, zones_add

    layer = Layer.objects.create(
        slug="phan-khu", title="Phân khu", plan_name="Quy hoạch phân khu", is_published=True,
        decision_number="1/QĐ-UBND", decision_date=date(2024, 1, 2), as_of=date(2024, 1, 2),
    )  # fmt: skip
    attributes = {
        "chu_su_dung": "Nguyễn Văn Bình",
        "sdt": PHONE,
        "ghi_chu": f"Hộ ông Nguyễn Văn Bình, ĐT {PHONE}, email {EMAIL}, CCCD {CITIZEN_ID}",
        "dien_tich": 812.5,
    }
    zones_add(layer=layer, rows=[ZoneRow(use_code="ODT", use_name="Đất ở", zone_code="ODT-7",
                                         geometry=box(107.59, 16.46, 107.6, 16.47),
                                         properties=attributes)])  # fmt: skip
    zone = Zone.objects.get()
    where = "lat=16.465&lon=107.595"
    urls = [f"/planning/?{where}", "/planning/?q=16.465,107.595", "/planning/?q=ODT-7",
            f"/planning/answer?{where}", f"/planning/extract?{where}",
            "/ogc/collections/phan-khu/items", f"/ogc/collections/phan-khu/items/{zone.pk}",
            f"/api/v1/planning/lookup?{where}"]  # fmt: skip
    for url in urls:
        text = _read(client, url)
        assert "ODT" in text, url  # the zone is there…
        _assert_clean(text, where=url)  # …without the person
    items = _read(client, "/ogc/collections/phan-khu/items")
    assert "812.5" in items  # the plot's figures stay readable


def test_a_fee_s_receipt_and_payment_pages_show_the_payer_masked(db, client):
    """Payments (issue 23): the receipt's check page (what its QR code opens) and the payment's
    status pages name the payer by family name and initials only."""
    from cityops.payments.choices import Gateway
    from cityops.payments.receipts import receipt_issue
    from cityops.payments.services import payment_mark_paid, payment_start

    payment = payment_start(purpose="test", reference="HS-1", description="Lệ phí cấp phép",
                            amount_vnd=150_000, gateway=Gateway.VNPAY,
                            payer_name="Nguyễn Văn Bình")  # fmt: skip
    payment_mark_paid(payment=payment, gateway_transaction="14226112", amount_vnd=150_000)
    receipt = receipt_issue(payment_id=payment.pk)
    assert receipt is not None
    page = _read(client, f"/payments/receipts/{receipt.verification_code}")
    assert "Nguyễn V. B." in page
    _assert_clean(page, where="receipt check")
    for url in (f"/payments/status/{payment.txn_ref}", f"/payments/pay/{payment.txn_ref}"):
        _assert_clean(Client().get(url, follow=True).content.decode(), where=url)


def test_an_online_application_s_personal_data_reaches_no_one_but_its_applicant_and_agency(
    db, client, agency, agency_staff, leader
):
    """Online services (issue 23): an application whose details and applicant carry a phone,
    an e-mail and an ID; the catalogue, the API, the leaders' dashboard and another citizen
    read none of it (another citizen is told the application does not exist)."""
    from cityops.accounts.services import token_issue
    from cityops.online.services import application_submit
    from cityops.online.tests.factories import PDF, OnlineServiceFactory

    applicant = UserFactory(
        username="binh", email="binh.nguyen@example.vn", phone="0914 555 777", role=Role.CITIZEN
    )
    _set_full_name(applicant, "Nguyễn Văn Bình")
    service = OnlineServiceFactory(agency=agency)
    details = f"Gọi tôi {PHONE}, {EMAIL}, CCCD {CITIZEN_ID}."
    application = application_submit(
        service=service, applicant=applicant, details=details, files={"cccd": PDF}
    )
    for url in ["/online/", "/api/v1/online/services"]:
        _assert_clean(_read(client, url), where=f"{url} (an online application)")
    neighbour = UserFactory(username="neighbour", role=Role.CITIZEN)
    client.force_login(neighbour)
    for url in ["/online/applications/", f"/online/{service.code}/"]:
        _assert_clean(_read(client, url), where=f"{url} for another citizen")
    page = f"/online/applications/{application.number}/"
    assert client.get(page).status_code == 404
    token = token_issue(user=neighbour).secret
    api = f"/api/v1/online/applications/{application.number}"
    assert client.get(api, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    listed = client.get("/api/v1/online/applications", HTTP_AUTHORIZATION=f"Bearer {token}")
    _assert_clean(listed.content.decode(), where="another citizen's API list")
    client.force_login(leader)
    _assert_clean(_read(client, "/dashboard/online/?days=30"), where="the leaders' dashboard")
    client.force_login(applicant)
    assert PHONE in _read(client, page)  # the applicant reads what they wrote
