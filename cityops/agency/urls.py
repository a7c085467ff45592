from django.urls import path

from cityops.agency import views

app_name = "agency"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("events/", views.events, name="events"),
]
