from django.urls import path

from cityops.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("media/attachments/<int:pk>.jpg", views.attachment, {"variant": "full"}, name="photo"),
    path(
        "media/attachments/<int:pk>.thumb.jpg",
        views.attachment,
        {"variant": "thumb"},
        name="thumbnail",
    ),
]
