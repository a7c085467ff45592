"""The officers' workspace, included from ``cityops/console/urls.py`` at ``violations/``
(namespace ``console:violations``)."""

from django.urls import path

from cityops.violations import console_views as views

app_name = "violations"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/owner", views.owner, name="owner"),
    path("<int:pk>/review", views.review, name="review"),
    path("<int:pk>/confirm", views.confirm, name="confirm"),
    path("<int:pk>/reject", views.reject, name="reject"),
    path("<int:pk>/owner/record", views.owner_record, name="owner_record"),
    path("<int:pk>/notice", views.notice_issue, name="notice"),
    path("<int:pk>/payment", views.payment, name="payment"),
    path("<int:pk>/contest", views.contest, name="contest"),
    path("<int:pk>/close", views.close, name="close"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("evidence/<int:pk>/original", views.evidence_original, name="evidence_original"),
    path("evidence/<int:pk>/blur", views.blur_edit, name="blur_edit"),
    path("evidence/<int:pk>/blurred.jpg", views.evidence_blurred, name="evidence_blurred"),
]
