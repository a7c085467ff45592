"""The public pages of the aggregation function: transparency and open data (stable URLs)."""

from django.urls import path, re_path

from cityops.dashboard import views

app_name = "public_stats"
urlpatterns = [
    path("transparency/", views.transparency, name="transparency"),
    re_path(r"^open-data/reports\.(?P<fmt>csv|geojson)$", views.open_data, name="open_data"),
]
