"""The public warnings pages, included from ``cityops/urls.py`` at ``warnings/``."""

from django.urls import path

from cityops.alerts.views import public as views

app_name = "warnings"
urlpatterns = [
    path("", views.warnings_list, name="list"),
    path("areas.geojson", views.warnings_geojson, name="areas"),
    path("<int:pk>", views.warning_detail, name="detail"),
]
