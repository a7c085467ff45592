"""The public lookup of a violation case, included from ``cityops/urls.py`` at ``violations/``
(namespace ``violations``)."""

from django.urls import path

from cityops.violations import public_views as views

app_name = "violations"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:number>", views.case, name="case"),
    path("<str:number>/frames/<int:position>.jpg", views.frame, name="frame"),
]
