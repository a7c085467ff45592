"""GeoReport v2 under /open311/v2/: every endpoint with a format suffix, ``.json`` or ``.xml``."""

from django.urls import path

from cityops.open311 import views

app_name = "open311"
urlpatterns = [
    path("discovery.<str:fmt>", views.discovery, name="discovery"),
    path("services.<str:fmt>", views.service_list, name="services"),
    path("services/<str:code>.<str:fmt>", views.service_detail, name="service"),
    path("requests.<str:fmt>", views.request_list, name="requests"),
    path("requests/<str:service_request_id>.<str:fmt>", views.request_detail, name="request"),
    path("tokens/<str:token>.<str:fmt>", views.token_detail, name="token"),
    path("servicerequestupdates.<str:fmt>", views.update_list, name="updates"),
]
