"""Every URL a browser uses, against every role: who gets in (200), who is sent to sign in
(302), who is refused (403) and who is told the thing does not exist (404).

The URL lists are read from the URL configuration itself, so a new console, agency, dashboard,
portal or public page without a line in ``EXPECTED``/``PUBLIC_EXPECTED`` fails the
``test_every_*_url_is_in_the_matrix`` tests; every admin changelist and change page is checked
too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.core import signing
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from shapely.geometry import box

from cityops.accounts.choices import Role
from cityops.accounts.models import SavedView
from cityops.accounts.tests.factories import UserFactory
from cityops.alerts.choices import AlarmType, BulletinKind, CapSeverity, Severity
from cityops.alerts.services import alarm_raise, bulletin_create
from cityops.indicators.tests.factories import IndicatorFactory, ValueFactory
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import SensorFactory
from cityops.online.services import application_submit
from cityops.online.tests.factories import PDF, OnlineServiceFactory
from cityops.payments.choices import Gateway
from cityops.payments.receipts import receipt_issue
from cityops.payments.services import payment_mark_paid, payment_start
from cityops.planning.models import Layer, LayerImport
from cityops.planning.services import ZoneRow, zones_add
from cityops.platform import clock
from cityops.platform.images import image_clean
from cityops.press.models import Story
from cityops.reports.choices import ReportStatus
from cityops.reports.photos import photos_blur_pending
from cityops.reports.tests.helpers import jpeg_with_gps, report_in
from cityops.services.public_views import THANKS_SALT, dossier_path
from cityops.services.tests.factories import DossierFactory
from cityops.transit.choices import RouteType
from cityops.transit.models import FeedVersion, Route, Stop
from cityops.violations.choices import CaseStatus, EvidenceKind
from cityops.violations.tests.pages.world import case_in

ROLES = ["anonymous", "citizen", "operator", "staff", "other_staff", "leader", "admin", "officer"]
OK = "ok"  # let in: a page (200), or a form handled (redirect, or 400/409 for a refused move)
LET_IN = {200, 302, 400, 409}


@dataclass(frozen=True)
class Access:
    """Expected answer per role, in ROLES order (a POST sends ``data``)."""

    method: str
    answers: tuple[object, ...]
    data: tuple[tuple[str, str], ...] = ()

    def expected(self, role: str) -> object:
        return self.answers[ROLES.index(role)]


#                                 anon citizen operator staff other_staff leader admin officer
IOC_PAGE = Access("GET", (302, 403, 200, 403, 403, 200, 200, 403))
IOC_ACTION = Access("POST", (302, 403, OK, 403, 403, 403, OK, 403))
IOC_FORM = Access("GET", (302, 403, 200, 403, 403, 403, 200, 403))  # a page only for writing
AGENCY_PAGE = Access("GET", (302, 403, 403, 200, 200, 403, 403, 403))
AGENCY_REPORT = Access("GET", (302, 403, 403, 200, 404, 403, 403, 403))
AGENCY_ACTION = Access("POST", (302, 403, 403, OK, 404, 403, 403, 403))
# The admin sends everyone who is not staff to its own sign-in page.
ADMIN_PAGE = Access("GET", (302, 302, 302, 302, 302, 302, 200, 302))
# Camera violation cases: officers act and alone see originals and owners; IOC readers read.
VIOLATION_PAGE = Access("GET", (302, 403, 200, 403, 403, 200, 200, 200))
OFFICER_PAGE = Access("GET", (302, 403, 403, 403, 403, 403, 403, 200))
OFFICER_ACTION = Access("POST", (302, 403, 403, 403, 403, 403, 403, OK))
BLUR_ACTION = Access("POST", (302, 403, OK, 403, 403, 403, OK, OK))  # operators too (the issue)
# Service ratings: IOC readers see every office, agency staff their own (another's desk: 404).
SERVICE_KPIS = Access("GET", (302, 403, 200, 200, 200, 200, 200, 403))
SERVICE_DESK = Access("GET", (302, 403, 200, 200, 404, 200, 200, 403))
SERVICE_ISSUE = Access("POST", (302, 403, OK, OK, 404, 403, OK, 403))
# Indicator uploads: IOC staff and agency staff upload (agency staff: their own department's
# indicators; they see their agency's uploads only); leaders read every upload.
INDICATOR_UPLOADS = Access("GET", (302, 403, 200, 200, 200, 200, 200, 403))
INDICATOR_UPLOAD_FORM = Access("GET", (302, 403, 200, 200, 200, 403, 200, 403))
INDICATOR_UPLOAD = Access("GET", (302, 403, 200, 200, 404, 200, 200, 403))  # by ``agency``

EXPECTED: dict[str, Access] = {
    "console:queue": IOC_PAGE,
    "console:events": IOC_PAGE,
    "console:report": IOC_PAGE,
    "console:hotline": IOC_PAGE,
    "console:hotline_suggest": IOC_FORM,  # the call form's hint: for those who take calls
    "console:map": IOC_PAGE,
    "console:points": IOC_PAGE,
    "console:stations": IOC_PAGE,
    "console:view_save": IOC_ACTION,
    # Only the owner may delete a saved view; it does not exist for anyone else.
    "console:view_delete": Access("POST", (302, 403, OK, 403, 403, 403, 404, 403)),
    "console:accept": IOC_ACTION,
    "console:reclassify": IOC_ACTION,
    "console:reject": IOC_ACTION,
    "console:merge": IOC_ACTION,
    "console:assign": IOC_ACTION,
    "console:note": IOC_ACTION,
    "console:resolve": IOC_ACTION,
    "console:close": IOC_ACTION,
    "console:reopen": IOC_ACTION,
    "console:hotline_submit": IOC_ACTION,
    # A report's photos as taken and the boxes blurred for the public: operators and admins.
    "console:report_photos": IOC_FORM,
    "console:photos_waiting": IOC_FORM,
    "console:photo_original": IOC_FORM,
    "console:photo_original_thumb": IOC_FORM,
    "console:photo_blur": IOC_ACTION,
    "agency:inbox": AGENCY_PAGE,
    "agency:inbox_list": AGENCY_PAGE,
    "agency:events": AGENCY_PAGE,
    "agency:report": AGENCY_REPORT,
    "agency:take_up": AGENCY_ACTION,
    "agency:return": AGENCY_ACTION,
    "agency:note": AGENCY_ACTION,
    "agency:extend": AGENCY_ACTION,
    "agency:resolve": AGENCY_ACTION,
    # Online applications: the responsible agency's staff (another agency's: 404).
    "agency:online": AGENCY_PAGE,
    "agency:online_application": AGENCY_REPORT,
    "agency:online_accept": AGENCY_ACTION,
    "agency:online_ask": AGENCY_ACTION,
    "agency:online_finish": AGENCY_ACTION,
    "agency:online_refuse": AGENCY_ACTION,
    "agency:online_message": AGENCY_ACTION,
    "console:alerts:alarms": IOC_PAGE,
    "console:alerts:alarm_table": IOC_PAGE,
    "console:alerts:alarm_points": IOC_PAGE,
    "console:transit:vehicle_points": IOC_PAGE,
    "console:transit:vehicle_track": IOC_PAGE,
    "console:alerts:alarm": IOC_PAGE,
    "console:alerts:snapshot": IOC_PAGE,
    "console:alerts:snapshot_thumb": IOC_PAGE,
    "console:alerts:duty": IOC_ACTION,
    "console:alerts:acknowledge": IOC_ACTION,
    "console:alerts:clear": IOC_ACTION,
    "console:alerts:assign": IOC_ACTION,
    "console:alerts:to_report": IOC_ACTION,
    "console:alerts:bulletins": IOC_PAGE,
    "console:alerts:bulletin_new": IOC_FORM,
    "console:alerts:bulletin_cancel": IOC_ACTION,
    "console:press:overview": IOC_PAGE,
    "console:press:stories": IOC_PAGE,
    "console:press:story": IOC_PAGE,
    "console:press:to_report": IOC_ACTION,
    "console:press:sources": IOC_PAGE,
    "console:press:watch": IOC_PAGE,
    "console:press:watch_import": IOC_ACTION,
    "console:press:export": IOC_PAGE,
    "console:violations:cases": VIOLATION_PAGE,
    "console:violations:case": VIOLATION_PAGE,
    "console:violations:evidence_blurred": VIOLATION_PAGE,
    "console:violations:evidence_original": OFFICER_PAGE,
    "console:violations:notice_pdf": OFFICER_PAGE,
    "console:violations:owner": OFFICER_ACTION,
    "console:violations:review": OFFICER_ACTION,
    "console:violations:confirm": OFFICER_ACTION,
    "console:violations:reject": OFFICER_ACTION,
    "console:violations:owner_record": OFFICER_ACTION,
    "console:violations:notice": OFFICER_ACTION,
    "console:violations:payment": OFFICER_ACTION,
    "console:violations:contest": OFFICER_ACTION,
    "console:violations:close": OFFICER_ACTION,
    "console:violations:blur_edit": BLUR_ACTION,
    "console:services:kpis": SERVICE_KPIS,
    "console:services:desk_sheet": SERVICE_DESK,
    "console:services:desk_qr": SERVICE_DESK,
    "console:services:dossier_sheet": SERVICE_DESK,
    "console:services:dossier_qr": SERVICE_DESK,
    "console:services:dossier_new": SERVICE_ISSUE,
    "console:indicators:uploads": INDICATOR_UPLOADS,
    "console:indicators:upload_new": INDICATOR_UPLOAD_FORM,
    "console:indicators:upload": INDICATOR_UPLOAD,
    # Planning layers: operators and admins import, leaders read.
    "console:planning:layers": IOC_PAGE,
    "console:planning:layer": IOC_PAGE,
    "console:planning:import_progress": IOC_PAGE,
    "console:planning:layer_new": IOC_ACTION,
    "console:planning:import_new": IOC_ACTION,
    "console:planning:layer_publication": IOC_ACTION,
    "dashboard:overview": IOC_PAGE,
    "dashboard:indicators": IOC_PAGE,
    "dashboard:indicator": IOC_PAGE,
    "dashboard:monthly": IOC_PAGE,
    "dashboard:press": IOC_PAGE,
    "dashboard:violations": VIOLATION_PAGE,
    # Fees paid online: IOC readers see them; operators and admins refund, confirm transfers
    # and import the bank's statement (a refused form is a redirect with a message).
    "console:payments:payments": IOC_PAGE,
    "console:payments:payment": IOC_PAGE,
    "console:payments:receipt_pdf": IOC_PAGE,
    "console:payments:refund": IOC_ACTION,
    "console:payments:confirm_transfer": IOC_ACTION,
    "console:payments:statement": IOC_ACTION,
    "dashboard:online": IOC_PAGE,
    "dashboard:forecasts": IOC_PAGE,
    "dashboard:export": IOC_PAGE,
    "dashboard:export_events": IOC_PAGE,
}

# The public side: the portal, warnings, air quality, transparency and open data. (The API and
# Open311 authenticate machines by key or token, not sessions: their own suites test that.)
PUBLIC = Access("GET", (200, 200, 200, 200, 200, 200, 200, 200))
SIGNED_IN = Access("GET", (302, 200, 200, 200, 200, 200, 200, 200))
FOLLOWING = Access("POST", (302, 302, 302, 302, 302, 302, 302, 302))
# Only the reporter may rate; the reporter and the IOC may reopen (here the report is still with
# the agency, so those who may are told so on the page: a redirect with a message).
RATE = Access("POST", (302, 302, 403, 403, 403, 403, 403, 403), (("value", "satisfied"),))
REOPEN = Access("POST", (302, 302, 302, 403, 403, 403, 302, 403), (("reason", "Chưa sửa xong"),))
ONLINE_READ = Access("GET", (302, 200, 200, 200, 404, 200, 200, 404))
ONLINE_APPLICANT = Access("POST", (302, OK, 404, 404, 404, 404, 404, 404))

PUBLIC_EXPECTED: dict[str, Access] = {
    "portal:home": PUBLIC,
    "portal:healthz": PUBLIC,
    "portal:privacy": PUBLIC,
    "portal:points": PUBLIC,
    "portal:report_new": SIGNED_IN,
    "portal:similar": PUBLIC,
    "portal:suggest": PUBLIC,
    "portal:report": PUBLIC,
    "portal:follow": FOLLOWING,
    "portal:unfollow": FOLLOWING,
    "portal:rate": RATE,
    "portal:reopen": REOPEN,
    "portal:sign_in": Access("GET", (200, 302, 302, 302, 302, 302, 302, 302)),
    "portal:sign_up": PUBLIC,
    "portal:my_reports": SIGNED_IN,
    "portal:my_follows": SIGNED_IN,
    "portal:preferences": SIGNED_IN,
    # A browser's push subscription: signed-in people only; 404 while web push is off.
    "portal:push_subscribe": Access("POST", (403, 404, 404, 404, 404, 404, 404, 404)),
    "portal:push_unsubscribe": Access("POST", (403, 404, 404, 404, 404, 404, 404, 404)),
    "portal:push_worker": PUBLIC,
    "portal:data_export": SIGNED_IN,
    "portal:account_delete": SIGNED_IN,
    "portal:photo": PUBLIC,
    "portal:transit_stops": PUBLIC,
    "portal:transit_stop": PUBLIC,
    "portal:transit_route": PUBLIC,
    "portal:thumbnail": PUBLIC,
    "warnings:list": PUBLIC,
    "warnings:areas": PUBLIC,
    "warnings:detail": PUBLIC,
    "public_stats:transparency": PUBLIC,
    "public_stats:open_data": PUBLIC,
    "air:map": PUBLIC,
    "air:stations": PUBLIC,
    # A violation case, for whoever holds its notice's number and code (blurred frames only).
    "violations:lookup": PUBLIC,
    "violations:case": PUBLIC,
    "violations:frame": PUBLIC,
    # Rating a public service: what a desk's or a dossier's QR code opens; the offices' ranking.
    "services:ranking": PUBLIC,
    "services:desk": PUBLIC,
    "services:dossier": PUBLIC,
    "services:thanks": PUBLIC,
    # Tourist help (no account): the page, its rate-limited POSTs; feedback only on one's own
    # conversation (404 otherwise); a receipt only when signed (404 otherwise).
    "tourist:chat": PUBLIC,
    "tourist:problem": PUBLIC,
    "tourist:feedback": Access("POST", (404, 404, 404, 404, 404, 404, 404, 404)),
    "tourist:sent": Access("GET", (404, 404, 404, 404, 404, 404, 404, 404)),
    # The planning lookup (no account; lookups rate-limited) and the OGC API of its published
    # layers (a draft layer answers 404 to everyone).
    "planning:lookup": PUBLIC,
    "planning:answer": PUBLIC,
    "planning:extract": PUBLIC,
    "ogc:landing": PUBLIC,
    "ogc:conformance": PUBLIC,
    "ogc:collections": PUBLIC,
    "ogc:collection": PUBLIC,
    "ogc:items": PUBLIC,
    "ogc:item": PUBLIC,
    # Payments (no account: the reference is the key). The gateways' notifications are for
    # their servers: an unsigned one is refused (VNPay answers 200 with its own code "99"; MoMo
    # 400 to a body that is not its JSON). The receipt's check page masks the payer.
    "payments:pay": PUBLIC,
    "payments:vietqr_png": PUBLIC,
    "payments:status": PUBLIC,
    "payments:return": Access("GET", (302, 302, 302, 302, 302, 302, 302, 302)),
    "payments:ipn_vnpay": PUBLIC,
    "payments:ipn_momo": Access("POST", (400, 400, 400, 400, 400, 400, 400, 400)),
    "payments:receipt": PUBLIC,
    # The demo's stand-in for VNPay exists only under `cityops run` (off here: 404 for all).
    "payments:demo_vnpay": Access("GET", (404, 404, 404, 404, 404, 404, 404, 404)),
    # Online public services: the catalogue; an application and its documents for its applicant,
    # the responsible agency's staff and the IOC's readers (404 for anyone else); the
    # applicant's own writes (404 for anyone else; withdrawing last, it ends the application).
    "online:catalogue": PUBLIC,
    "online:request": SIGNED_IN,
    "online:mine": SIGNED_IN,
    "online:application": ONLINE_READ,
    "online:document": ONLINE_READ,
    "online:reply": ONLINE_APPLICANT,
    "online:message": ONLINE_APPLICANT,
    "online:withdraw": ONLINE_APPLICANT,
    "portal:sign_out": FOLLOWING,  # last: it ends the session
}

STAFF_NAMESPACES = ("console", "agency", "dashboard")
PUBLIC_NAMESPACES = (
    "portal",
    "warnings",
    "public_stats",
    "air",
    "violations",
    "services",
    "tourist",
    "planning",
    "ogc",
    "payments",
    "online",
)


def _names(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def url_names(namespaces: tuple[str, ...]) -> set[str]:
    return {name for name in _names(get_resolver()) if name.split(":")[0] in namespaces}


def test_every_staff_url_is_in_the_matrix():
    assert url_names(STAFF_NAMESPACES) == set(EXPECTED)


def test_every_public_url_is_in_the_matrix():
    assert url_names(PUBLIC_NAMESPACES) == set(PUBLIC_EXPECTED)


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", role=Role.OFFICER)


@pytest.fixture
def people(citizen, operator, agency_staff, other_agency_staff, leader, admin_user, officer):
    return {
        "anonymous": None,
        "citizen": citizen,
        "operator": operator,
        "staff": agency_staff,
        "other_staff": other_agency_staff,
        "leader": leader,
        "admin": admin_user,
        "officer": officer,
    }


@pytest.fixture
def world(operator, agency, agency_staff, citizen, officer, monkeypatch):
    """A citizen's report with a photo, assigned to ``agency``; a saved view of the operator's;
    a camera's alarm with its snapshot; a bulletin; a bus stop and route of the current feed;
    a violation case whose notice went out; an indicator's figure and its upload."""
    report = report_in(
        ReportStatus.ASSIGNED,
        operator=operator,
        agency=agency,
        staff=agency_staff,
        reporter=citizen,
        photos=[jpeg_with_gps()],
    )
    view = SavedView.objects.create(user=operator, name="Quá hạn", query="overdue=1")
    camera = SensorFactory(code="cam-truong-tien", kind=SensorKind.CAMERA, metrics=[])
    alarm = alarm_raise(
        sensor=camera,
        type=AlarmType.ACCIDENT,
        severity=Severity.MAJOR,
        message="Va chạm trên cầu Trường Tiền",
        confidence=0.8,
        snapshot=image_clean(jpeg_with_gps()),
    ).alarm
    bulletin = bulletin_create(
        actor=operator,
        kind=BulletinKind.FLOOD,
        headline="Cảnh báo lũ trên sông Hương",
        description="Mực nước dâng cao.",
        area_description="Ven sông Hương",
        severity=CapSeverity.SEVERE,
        expires=clock.now() + timedelta(days=1),
    )
    photo = report.attachments.get().pk
    photos_blur_pending()  # the blur job: the photo's public (blurred) copy exists
    feed = FeedVersion.objects.create(source="test", sha256="0" * 64, is_current=True)
    stop = Stop.objects.create(feed=feed, stop_id="S1", name="Trạm Đông Ba", lat=16.47, lon=107.59)
    route = Route.objects.create(feed=feed, route_id="R1", short_name="01", type=RouteType.BUS)
    now = clock.now()
    story = Story.objects.create(
        headline="Ngập sâu ở Phú Hội", first_seen_at=now, last_seen_at=now, item_count=1
    )
    second = UserFactory(username="officer-2", role=Role.OFFICER)
    # The notice's layout is its own tests' business: a one-line PDF keeps this quick.
    monkeypatch.setattr(
        "cityops.violations.notice.notice_pdf", lambda *, case, lookup_url: b"%PDF-1.4\n%%EOF\n"
    )
    violation = case_in(CaseStatus.NOTICE_ISSUED, camera, reviewer=officer, decider=second)
    frame = violation.evidence.filter(kind=EvidenceKind.FRAME).order_by("position").first()
    dossier = DossierFactory(desk__office__agency=agency)  # a one-stop-shop desk of ``agency``
    figure = ValueFactory(
        indicator=IndicatorFactory(department=agency), upload__uploaded_by=agency_staff
    )
    layer = Layer.objects.create(
        slug="phan-khu", title="Phân khu", plan_name="Quy hoạch phân khu", is_published=True,
        decision_number="1/QĐ-UBND", decision_date=date(2024, 1, 2), as_of=date(2024, 1, 2),
    )  # fmt: skip
    zones_add(layer=layer, rows=[ZoneRow(use_code="ODT", use_name="Đất ở",
                                         geometry=box(107.59, 16.46, 107.6, 16.47))])  # fmt: skip
    layer_import = LayerImport.objects.create(layer=layer, file_name="phan-khu.geojson")
    transfer, paid = (
        payment_start(purpose="test", reference=reference, description="Lệ phí",
                      amount_vnd=50_000, gateway=Gateway.VIETQR, payer_name="Lê Văn Tám")
        for reference in ("HS-1", "HS-2")
    )  # fmt: skip
    payment_mark_paid(payment=paid, gateway_transaction="FT1", amount_vnd=50_000)
    receipt = receipt_issue(payment_id=paid.pk)
    application = application_submit(
        service=OnlineServiceFactory(agency=agency), applicant=citizen, files={"cccd": PDF}
    )
    return {"report": report, "view": view, "alarm": alarm, "bulletin": bulletin, "photo": photo,
            "stop": stop, "route": route, "story": story, "violation": violation,
            "frame": frame, "dossier": dossier, "figure": figure,
            "layer": layer, "layer_import": layer_import, "transfer": transfer,
            "paid": paid, "receipt": receipt, "application": application}  # fmt: skip


def url_for(name: str, world: dict) -> str:
    if name == "console:view_delete":
        return reverse(name, kwargs={"pk": world["view"].pk})
    if name in ("dashboard:export", "public_stats:open_data"):
        return reverse(name, kwargs={"fmt": "csv"})
    if name in ("portal:photo", "portal:thumbnail") or name.startswith("console:photo_"):
        return reverse(name, kwargs={"pk": world["photo"]})
    if name == "warnings:detail":
        return reverse(name, kwargs={"pk": world["bulletin"].pk})
    if name == "portal:transit_stop":
        return reverse(name, kwargs={"stop_id": world["stop"].stop_id})
    if name == "portal:transit_route":
        return reverse(name, kwargs={"route_id": world["route"].route_id})
    if name == "console:transit:vehicle_track":
        return reverse(name, kwargs={"vehicle_id": "bus-01"})
    if name in ("console:press:story", "console:press:to_report"):
        return reverse(name, kwargs={"pk": world["story"].pk})
    if name.startswith(("console:violations:evidence", "console:violations:blur")):
        return reverse(name, kwargs={"pk": world["frame"].pk})
    if name.startswith("console:violations:") and name != "console:violations:cases":
        return reverse(name, kwargs={"pk": world["violation"].pk})
    if name == "tourist:feedback":
        return reverse(name, kwargs={"pk": 1})
    if name == "tourist:sent":
        return reverse(name, kwargs={"receipt": "not-signed"})
    if name in ("violations:case", "violations:frame"):
        case, frame = world["violation"], world["frame"]
        args = [case.number] if name == "violations:case" else [case.number, frame.position]
        return f"{reverse(name, args=args)}?code={case.lookup_code}"
    if name == "console:indicators:upload":
        return reverse(name, kwargs={"pk": world["figure"].upload_id})
    if name == "dashboard:indicator":
        return reverse(name, kwargs={"code": world["figure"].indicator.code})
    if name.startswith(("console:services:desk", "console:services:dossier_new")):
        return reverse(name, kwargs={"pk": world["dossier"].desk_id})
    if name.startswith("console:services:dossier"):
        return reverse(name, kwargs={"pk": world["dossier"].pk})
    if name == "console:planning:import_progress":
        return reverse(name, kwargs={"pk": world["layer_import"].pk})
    if name in ("console:planning:layer", "console:planning:import_new",
                "console:planning:layer_publication"):  # fmt: skip
        return reverse(name, kwargs={"slug": world["layer"].slug})
    if name == "services:desk":
        return reverse(name, args=[world["dossier"].desk.key])
    if name == "services:dossier":
        return dossier_path(world["dossier"])
    if name in ("planning:answer", "planning:extract"):
        return f"{reverse(name)}?lat=16.465&lon=107.595"
    if name in ("ogc:collection", "ogc:items"):
        return reverse(name, args=[world["layer"].slug])
    if name == "ogc:item":
        return reverse(name, args=[world["layer"].slug, world["layer"].zones.get().pk])
    if name in ("payments:pay", "payments:vietqr_png", "payments:status"):
        return reverse(name, args=[world["transfer"].txn_ref])
    if name == "payments:return":
        return f"{reverse(name, args=['vnpay'])}?vnp_TxnRef={world['transfer'].txn_ref}"
    if name == "payments:receipt":
        return reverse(name, args=[world["receipt"].verification_code])
    if name in ("console:payments:payment", "console:payments:receipt_pdf",
                "console:payments:refund"):  # fmt: skip
        return reverse(name, kwargs={"pk": world["paid"].pk})
    if name == "console:payments:confirm_transfer":
        return reverse(name, kwargs={"pk": world["transfer"].pk})
    if name.startswith(("online:", "agency:online_")) and name not in (
        "online:catalogue", "online:mine", "online:request"
    ):  # fmt: skip
        application = world["application"]
        if name == "online:document":
            return reverse(name, args=[application.number, application.documents.get().pk])
        return reverse(name, args=[application.number])
    if name == "online:request":
        return reverse(name, args=[world["application"].service.code])
    if name == "services:thanks":
        return reverse(name, args=[signing.dumps({"r": None, "k": ""}, salt=THANKS_SALT)])
    try:
        return reverse(name)
    except NoReverseMatch:
        pass
    if name.startswith("console:alerts:bulletin"):
        return reverse(name, kwargs={"pk": world["bulletin"].pk})
    if name.startswith("console:alerts:"):
        return reverse(name, kwargs={"pk": world["alarm"].pk})
    return reverse(name, kwargs={"pk": world["report"].pk})


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def answer(client: Client, access: Access, url: str) -> int:
    get = access.method == "GET"
    response = client.get(url) if get else client.post(url, dict(access.data))
    status = response.status_code
    if hasattr(response, "streaming_content"):
        # Closing a response ends the request, which would close the test's own database
        # connection (as Django's client avoids for the streams it reads to the end).
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
    return status


def mismatches(role: str, people: dict, world: dict, matrix: dict[str, Access]) -> dict:
    cache.clear()  # the public endpoints' rate limits count per address across roles
    client = client_for(people[role])
    wrong = {}
    for name, access in matrix.items():
        expected = access.expected(role)
        status = answer(client, access, url_for(name, world))
        if (expected == OK and status not in LET_IN) or (expected != OK and status != expected):
            wrong[name] = f"{access.method} got {status}, expected {expected}"
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_staff_urls_answer_each_role_as_the_matrix_says(role, people, world):
    assert mismatches(role, people, world, dict(sorted(EXPECTED.items()))) == {}


@pytest.mark.parametrize("role", ROLES)
def test_public_urls_answer_each_role_as_the_matrix_says(role, people, world):
    assert mismatches(role, people, world, PUBLIC_EXPECTED) == {}


def admin_urls(world: dict) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_administrators_only(role, people, world):
    client = client_for(people[role])
    expected = ADMIN_PAGE.expected(role)
    wrong = {
        url: status
        for url in admin_urls(world)
        if (status := answer(client, ADMIN_PAGE, url)) != expected
    }
    assert wrong == {}
