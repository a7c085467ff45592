"""Every string a user sees in the Vietnamese interface is Vietnamese: the pages of every area
(public, portal, console, agency, dashboard, admin), their forms with errors, and Django's own
messages (password rules, "10 minutes ago", the admin's user forms).

The page walk reads what a person sees (text and the attributes a browser shows or reads out)
and fails on English words that no Vietnamese page has reason to hold. Names that are the same
in both languages (CityOps, GeoJSON, PM2.5) are not on the list; an element marked ``lang="en"``
(the "English" switch) is left out. The catalogue's completeness is test_translations.py.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise
from django.utils.timesince import timesince

from cityops.alerts.choices import AlarmType, BulletinKind, CapSeverity, Severity
from cityops.alerts.services import alarm_raise, bulletin_create
from cityops.alerts.templatetags.alerts import ago
from cityops.monitoring.choices import SensorKind
from cityops.monitoring.tests.factories import SensorFactory
from cityops.platform import clock
from cityops.platform.django_messages import MESSAGES
from cityops.reports.choices import ReportStatus
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import report_in

# English that has no place on a Vietnamese page (whole words, any case).
ENGLISH = re.compile(
    r"\b(the|and|of|your|you|this|that|these|must|please|enter|valid|invalid|password|"
    r"passwords|minutes?|hours?|days?|weeks?|months?|years?|ago|required|field|fields|"
    r"characters?|too short|at least|select|search|save|delete|history|change|add|view|"
    r"filter|show|hide|users?|name|phone|reports?|agency|status|submit|cancel|none|all|"
    r"from|with|for|or|is|are|not|error|errors|sign in|sign out|log in|log out|home|"
    r"next|previous|page|close|back|today|yesterday|now|new|welcome|toggle|theme|"
    r"navigation|actions?|selected|entries|results|total|by|forgotten|skip|main|content)\b",
    re.IGNORECASE,
)
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-no-data")
# The same in Vietnamese.
NEUTRAL = {", ", "…", "%(class_name)s %(instance)s", "%(truncated_text)s…", "Email"}
NEUTRAL |= {f"%s {unit}" for unit in ("KB", "MB", "GB", "TB", "PB")}


class SeenText(HTMLParser):
    """The text a person sees or hears on a page, without scripts, styles or English parts."""

    SKIPPED = {"script", "style", "template", "code", "pre"}
    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is it hidden from this check?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = bool(self.stack and self.stack[-1]) or tag in self.SKIPPED
        hidden = hidden or values.get("lang") == "en" or values.get("type") == "hidden"
        if not hidden:
            self.parts += [values[name] or "" for name in SHOWN_ATTRIBUTES if name in values]
            if tag == "input" and values.get("type") in ("submit", "button"):
                self.parts.append(values.get("value") or "")
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def english_in(html: str) -> list[str]:
    """Each English word found, with the words around it."""
    seen = SeenText()
    seen.feed(html)
    text = " ".join(" ".join(seen.parts).split())
    return [text[max(0, found.start() - 40) : found.end() + 40] for found in ENGLISH.finditer(text)]


@pytest.fixture
def world(db, operator, agency, agency_staff, citizen):
    cache.clear()  # sign-in and form rate limits count in the cache
    category = CategoryFactory(code="sanitation", name="Vệ sinh môi trường")
    assigned = report_in(
        ReportStatus.ASSIGNED,
        operator=operator,
        agency=agency,
        staff=agency_staff,
        category=category,
        reporter=citizen,
    )
    camera = SensorFactory(code="cam-truong-tien", kind=SensorKind.CAMERA, metrics=[])
    with clock.frozen_at(clock.now() - timedelta(minutes=10)):
        alarm = alarm_raise(
            sensor=camera,
            type=AlarmType.ACCIDENT,
            severity=Severity.MAJOR,
            message="Va chạm trên cầu Trường Tiền",
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
    SensorFactory(code="hue-aq-01", name="Quan trắc không khí Đông Ba")
    return {"report": assigned, "alarm": alarm, "bulletin": bulletin}


def visits(world, users) -> list[tuple[str, str, str, dict[str, str] | None]]:
    """(who, method, path, data): every area's pages, and forms sent with mistakes."""
    report, alarm, bulletin = world["report"], world["alarm"], world["bulletin"]
    short = {"password": "abc"}
    return [
        ("anonymous", "GET", "/", None),
        ("anonymous", "GET", "/?submitted_from=31-31-2026", None),
        ("anonymous", "GET", f"/reports/{report.pk}", None),
        ("citizen", "GET", "/reports/new", None),
        ("anonymous", "GET", "/privacy", None),
        ("anonymous", "GET", "/air/", None),
        ("anonymous", "GET", "/warnings/", None),
        ("anonymous", "GET", f"/warnings/{bulletin.pk}", None),
        ("anonymous", "GET", "/transparency/", None),
        ("anonymous", "GET", "/transparency/?month=2026-13", None),
        ("anonymous", "GET", "/account/sign-up", None),
        ("anonymous", "POST", "/account/sign-up", {"name": "Bình", "login": "x", **short}),
        ("anonymous", "POST", "/account/sign-in", {"login": "citizen", "password": "sai"}),
        ("anonymous", "GET", "/admin/login/", None),
        ("anonymous", "POST", "/admin/login/", {"username": "operator", "password": "x"}),
        ("citizen", "GET", "/account/reports", None),
        ("citizen", "GET", "/account/follows", None),
        ("citizen", "POST", "/account/preferences", {"email": "không-phải-email"}),
        ("citizen", "POST", "/account/delete", {"password": "sai"}),
        ("citizen", "POST", "/reports/new", {"description": ""}),
        ("operator", "GET", "/console/", None),
        ("operator", "GET", f"/console/reports/{report.pk}/", None),
        ("operator", "GET", "/console/map/", None),
        ("operator", "GET", "/console/hotline/", None),
        ("operator", "POST", "/console/hotline/submit/", {"description": ""}),
        ("operator", "GET", "/console/alarms/", None),
        ("operator", "GET", f"/console/alarms/{alarm.pk}/", None),
        ("operator", "GET", "/console/bulletins/", None),
        ("operator", "GET", "/console/bulletins/new", None),
        ("operator", "POST", "/console/bulletins/new", {"headline": ""}),
        ("staff", "GET", "/agency/", None),
        ("staff", "GET", f"/agency/reports/{report.pk}/", None),
        ("staff", "POST", f"/agency/reports/{report.pk}/extend/", {"reason": ""}),
        ("leader", "GET", "/dashboard/", None),
        ("leader", "GET", "/dashboard/monthly/", None),
        ("admin", "GET", "/admin/", None),
        ("admin", "GET", "/admin/accounts/user/", None),
        ("admin", "GET", f"/admin/accounts/user/{users['staff'].pk}/change/", None),
        ("admin", "GET", "/admin/accounts/user/add/", None),
        (
            "admin",
            "POST",
            "/admin/accounts/user/add/",
            {"username": "nguoi moi", "password1": "123", "password2": "1234"},
        ),
        (
            "admin",
            "POST",
            f"/admin/accounts/user/{users['staff'].pk}/password/",
            {"password1": "abc", "password2": "abc"},
        ),
        ("admin", "GET", "/admin/reports/report/", None),
    ]


@pytest.mark.django_db
def test_every_page_and_form_error_reads_vietnamese(
    world, citizen, operator, agency_staff, leader, admin_user
):
    users = {
        "citizen": citizen,
        "operator": operator,
        "staff": agency_staff,
        "leader": leader,
        "admin": admin_user,
    }
    found: dict[str, list[str]] = {}
    for who, method, path, data in visits(world, users):
        client = Client(HTTP_ACCEPT_LANGUAGE="vi")
        if who != "anonymous":
            client.force_login(users[who])
        response = client.get(path) if method == "GET" else client.post(path, data or {})
        assert response.status_code in (200, 400), (method, path, response.status_code)
        assert response.headers["Content-Language"] == "vi", path
        if english := english_in(response.content.decode()):
            found[f"{method} {path}"] = english
    assert found == {}, "\n".join(f"{page}: {words}" for page, words in found.items())


def in_language(message: str | Promise, language: str) -> str:
    with translation.override(language):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def test_djangos_own_messages_read_as_vietnamese():
    untranslated = [
        in_language(message, "en")
        for message in MESSAGES
        if in_language(message, "en") not in NEUTRAL
        and in_language(message, "vi") == in_language(message, "en")
    ]
    assert untranslated == []


def test_password_rules_and_elapsed_time_read_as_vietnamese():
    now = clock.now()
    with translation.override("vi"):
        with pytest.raises(ValidationError) as refused:
            validate_password("abc")
        assert (
            refused.value.messages[0] == "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự."
        )
        assert timesince(now - timedelta(minutes=10), now) == "10\xa0phút"
        assert timesince(now - timedelta(days=3, hours=2), now) == "3\xa0ngày, 2\xa0giờ"
        assert ago(now - timedelta(minutes=10), now) == "10\xa0phút trước"
