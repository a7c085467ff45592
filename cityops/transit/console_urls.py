"""The console map's bus layer, included from ``cityops/console/urls.py`` (namespace
``console:transit``)."""

from django.urls import path

from cityops.transit import console_views as views

app_name = "transit"
urlpatterns = [
    path("vehicles/points.geojson", views.vehicle_points, name="vehicle_points"),
    path("vehicles/<str:vehicle_id>/track.geojson", views.vehicle_track_view, name="vehicle_track"),
]
