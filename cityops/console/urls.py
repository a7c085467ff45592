from django.urls import include, path

from cityops.console import views

app_name = "console"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("events/", views.events, name="events"),
    path("views/", views.view_save, name="view_save"),
    path("views/<int:pk>/delete/", views.view_delete, name="view_delete"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/accept/", views.accept, name="accept"),
    path("reports/<int:pk>/reclassify/", views.reclassify, name="reclassify"),
    path("reports/<int:pk>/reject/", views.reject, name="reject"),
    path("reports/<int:pk>/merge/", views.merge, name="merge"),
    path("reports/<int:pk>/assign/", views.assign, name="assign"),
    path("reports/<int:pk>/note/", views.note, name="note"),
    path("reports/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("reports/<int:pk>/close/", views.close, name="close"),
    path("reports/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("reports/<int:pk>/photos/", views.photos_page, name="report_photos"),
    path("photos/", views.photos_waiting, name="photos_waiting"),
    path("photos/<int:pk>/blur/", views.photo_blur_save, name="photo_blur"),
    path(
        "photos/<int:pk>/original.jpg",
        views.photo_original,
        {"variant": "full"},
        name="photo_original",
    ),
    path(
        "photos/<int:pk>/original.thumb.jpg",
        views.photo_original,
        {"variant": "thumb"},
        name="photo_original_thumb",
    ),
    path("hotline/", views.hotline, name="hotline"),
    path("hotline/submit/", views.hotline_submit, name="hotline_submit"),
    path("hotline/suggest/", views.hotline_suggest, name="hotline_suggest"),
    path("map/", views.map_page, name="map"),
    path("map.geojson", views.map_points, name="points"),
    path("map/stations.geojson", views.map_stations, name="stations"),
    path("", include("cityops.alerts.console_urls")),  # alarms/, bulletins/ (alerts app)
    path("transit/", include("cityops.transit.console_urls")),  # the map's buses (transit app)
    path("press/", include("cityops.press.console_urls")),  # press monitoring (press app)
    path("violations/", include("cityops.violations.console_urls")),  # officers (violations app)
    path("services/", include("cityops.services.console_urls")),  # service ratings (services app)
    path("planning/", include("cityops.planning.console_urls")),  # layer imports (planning app)
    path("indicators/", include("cityops.indicators.console_urls")),  # uploads (indicators app)
    path("payments/", include("cityops.payments.console_urls")),  # fees paid (payments app)
]
