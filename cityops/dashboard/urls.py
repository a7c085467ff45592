from django.urls import path, re_path

from cityops.dashboard import (
    forecasts_views,
    indicators_views,
    online_views,
    press_views,
    views,
    violations_views,
)

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("monthly/", views.monthly, name="monthly"),
    path("press/", press_views.press, name="press"),
    path("online/", online_views.online, name="online"),
    path("violations/", violations_views.violations, name="violations"),
    path("indicators/", indicators_views.indicators, name="indicators"),
    path("indicators/<slug:code>/", indicators_views.indicator, name="indicator"),
    path("forecasts/", forecasts_views.forecasts, name="forecasts"),
    re_path(r"^export/reports\.(?P<fmt>csv|xlsx|geojson)$", views.export_reports, name="export"),
    path("export/events.csv", views.export_events, name="export_events"),
]
