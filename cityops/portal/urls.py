from django.urls import path

from cityops.portal import views
from cityops.portal.views import push, transit

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy", views.privacy, name="privacy"),
    path("reports.geojson", views.report_points, name="points"),
    path("reports/new", views.report_new, name="report_new"),
    path("reports/similar", views.reports_similar, name="similar"),
    path("reports/suggest", views.report_suggest, name="suggest"),
    path("reports/<int:pk>", views.report_detail, name="report"),
    path("reports/<int:pk>/follow", views.report_follow, name="follow"),
    path("reports/<int:pk>/unfollow", views.report_unfollow, name="unfollow"),
    path("reports/<int:pk>/rate", views.report_rate, name="rate"),
    path("reports/<int:pk>/reopen", views.report_reopen, name="reopen"),
    path("account/sign-in", views.sign_in, name="sign_in"),
    path("account/sign-up", views.sign_up, name="sign_up"),
    path("account/sign-out", views.sign_out, name="sign_out"),
    path("account/reports", views.my_reports, name="my_reports"),
    path("account/follows", views.my_follows, name="my_follows"),
    path("account/preferences", views.preferences, name="preferences"),
    path("account/push/subscribe", push.push_subscribe, name="push_subscribe"),
    path("account/push/unsubscribe", push.push_unsubscribe, name="push_unsubscribe"),
    path("push-worker.js", push.push_worker, name="push_worker"),
    path("buses/", transit.transit_stops, name="transit_stops"),
    path("buses/stops/<str:stop_id>", transit.transit_stop, name="transit_stop"),
    path("buses/routes/<str:route_id>", transit.transit_route, name="transit_route"),
    path("account/my-data.json", views.data_export, name="data_export"),
    path("account/delete", views.account_delete, name="account_delete"),
    path("media/attachments/<int:pk>.jpg", views.attachment, {"variant": "full"}, name="photo"),
    path(
        "media/attachments/<int:pk>.thumb.jpg",
        views.attachment,
        {"variant": "thumb"},
        name="thumbnail",
    ),
]
