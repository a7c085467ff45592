from django.urls import path

from cityops.console import views

app_name = "console"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("events/", views.events, name="events"),
]
