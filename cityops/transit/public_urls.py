"""The public GTFS-realtime feeds, included from ``cityops/urls.py`` at ``transit/``."""

from django.urls import path

from cityops.transit import views

app_name = "transit"
urlpatterns = [
    path("gtfs-rt/vehicle-positions.pb", views.vehicle_positions, name="vehicle_positions"),
    path("gtfs-rt/trip-updates.pb", views.trip_updates, name="trip_updates"),
    path("gtfs-rt/alerts.pb", views.alerts, name="alerts"),
]
