"""The console's alarm panel and bulletin pages, included from ``cityops/console/urls.py``
(namespace ``console:alerts``)."""

from django.urls import path

from cityops.alerts.views import console as views

app_name = "alerts"
urlpatterns = [
    path("alarms/", views.alarms, name="alarms"),
    path("alarms/table", views.alarm_table, name="alarm_table"),
    path("alarms/points.geojson", views.alarm_points_view, name="alarm_points"),
    path("alarms/duty", views.duty, name="duty"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/acknowledge", views.alarm_acknowledge_view, name="acknowledge"),
    path("alarms/<int:pk>/clear", views.alarm_clear_view, name="clear"),
    path("alarms/<int:pk>/assign", views.alarm_assign_view, name="assign"),
    path("alarms/<int:pk>/report", views.alarm_report_view, name="to_report"),
    path(
        "alarms/<int:pk>/snapshot.jpg",
        views.alarm_snapshot,
        {"variant": "full"},
        name="snapshot",
    ),
    path(
        "alarms/<int:pk>/snapshot.thumb.jpg",
        views.alarm_snapshot,
        {"variant": "thumb"},
        name="snapshot_thumb",
    ),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/new", views.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/cancel", views.bulletin_cancel_view, name="bulletin_cancel"),
]
