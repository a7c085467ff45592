import pytest
from django.urls import reverse
from django.utils import translation

from cityops.reports import workflow
from cityops.reports.choices import ReportStatus
from cityops.reports.models import DeadlinePolicy, Report
from cityops.reports.tests.factories import CategoryFactory
from cityops.reports.tests.helpers import jpeg_with_gps
from cityops.reports.tests.photo_blur import blur_now
from cityops.reports.wording import public_status, public_status_help

CONFIG_ADMIN_PAGES = [
    "admin:reports_category_changelist",
    "admin:reports_category_add",
    "admin:reports_deadlinepolicy_changelist",
    "admin:reports_deadlinepolicy_add",
    "admin:reports_routingrule_changelist",
    "admin:reports_routingrule_add",
    "admin:agencies_area_changelist",
    "admin:agencies_area_add",
    "admin:agencies_agency_changelist",
    "admin:agencies_agency_add",
    "admin:accounts_user_changelist",
    "admin:accounts_apikey_changelist",
    "admin:reports_report_changelist",
]


@pytest.mark.django_db
def test_home_page_shows_reviewed_reports_but_not_unreviewed_ones(client, citizen, operator):
    category = CategoryFactory()
    reviewed = workflow.report_submit(
        description="Cây đổ chắn đường Lê Lợi",
        category=category,
        reporter=citizen,
        lat=16.46,
        lon=107.59,
    )
    workflow.report_accept(report=reviewed, actor=operator)
    workflow.report_submit(
        description="Nội dung chưa kiểm duyệt",
        category=category,
        reporter=citizen,
        lat=16.46,
        lon=107.59,
    )
    page = client.get("/").content.decode()
    assert "Cây đổ chắn đường Lê Lợi" in page
    assert "Nội dung chưa kiểm duyệt" not in page


@pytest.mark.django_db
def test_home_page_speaks_vietnamese_first_and_english_on_request(client):
    assert client.get("/").headers["Content-Language"] == "vi"
    english = client.get("/", headers={"Accept-Language": "en"})
    assert english.headers["Content-Language"] == "en"
    assert "Reports at a glance" in english.content.decode()


@pytest.mark.django_db
def test_health_endpoint_answers_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", CONFIG_ADMIN_PAGES)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_admin_serves_every_configuration_page_in_both_languages(
    client, admin_user, name, language
):
    client.force_login(admin_user)
    response = client.get(reverse(name), headers={"Accept-Language": language})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["citizen", "operator", "agency_staff", "leader"])
def test_admin_is_closed_to_everyone_but_administrators(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("admin:reports_category_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_admin_cannot_edit_a_report_behind_the_workflows_back(client, admin_user, citizen):
    report = workflow.report_submit(
        description="Rác tồn đọng", category=CategoryFactory(), reporter=citizen, address="Huế"
    )
    client.force_login(admin_user)
    url = reverse("admin:reports_report_change", args=[report.pk])
    client.post(url, {"status": "closed"})
    assert Report.objects.get(pk=report.pk).status == "submitted"


@pytest.mark.django_db
def test_admin_edits_configuration(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:reports_deadlinepolicy_add"),
        {
            "name": "Khẩn cấp",
            "ack_minutes": 15,
            "urgent_hours": 2,
            "normal_days": 3,
            "complex_days": 10,
        },
    )
    assert response.status_code == 302
    assert DeadlinePolicy.objects.get(name="Khẩn cấp").urgent_hours == 2


@pytest.mark.django_db
def test_report_photos_are_public_once_reviewed_and_private_before(
    client, citizen, operator, other_agency_staff
):
    report = workflow.report_submit(
        description="Ổ gà lớn trên đường Hùng Vương",
        category=CategoryFactory(),
        reporter=citizen,
        lat=16.46,
        lon=107.59,
        photos=[jpeg_with_gps()],
    )
    blur_now()  # the blur job, queued for the commit (a test's transaction never commits)
    photo = report.attachments.get()
    url = reverse("portal:photo", args=[photo.pk])
    thumb = reverse("portal:thumbnail", args=[photo.pk])

    assert client.get(url).status_code == 404  # not yet reviewed: not public
    client.force_login(other_agency_staff)
    assert client.get(url).status_code == 404  # another agency's eyes only after assignment
    client.force_login(operator)
    assert client.get(url).status_code == 200

    workflow.report_accept(report=report, actor=operator)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"Exif" not in b"".join(response.streaming_content)
    assert client.get(thumb).status_code == 200


@pytest.mark.django_db
def test_photos_of_rejected_reports_are_not_served_to_the_public(client, citizen, operator):
    report = workflow.report_submit(
        description="Quảng cáo",
        category=CategoryFactory(),
        reporter=citizen,
        address="Huế",
        photos=[jpeg_with_gps()],
    )
    workflow.report_reject(report=report, actor=operator, reason="spam")
    photo = report.attachments.get()
    assert client.get(reverse("portal:photo", args=[photo.pk])).status_code == 404


@pytest.mark.django_db
def test_the_privacy_page_says_what_is_collected_why_and_who_sees_it(client):
    html = client.get(reverse("portal:privacy")).content.decode()
    for words in ("Chúng tôi thu thập", "Mục đích", "Ai được xem gì", "91/2025/QH15"):
        assert words in html


@pytest.mark.parametrize("status", list(ReportStatus))
def test_every_status_has_words_a_citizen_understands_in_both_languages(status):
    with translation.override("vi"):
        vietnamese = (public_status(status), public_status_help(status))
    with translation.override("en"):
        english = (public_status(status), public_status_help(status))
    assert all(vietnamese)
    assert all(english)
    assert vietnamese != english


def test_key_public_statuses_read_as_hue_s_says_them():
    with translation.override("vi"):
        assert [public_status(s) for s in ("accepted", "in_progress", "resolved")] == [
            "Đã tiếp nhận",
            "Đang xử lý",
            "Đã xử lý",
        ]
