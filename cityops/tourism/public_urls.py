"""The tourist help page, included from ``cityops/urls.py`` at ``tourist/`` (namespace
``tourist``): no account needed."""

from django.urls import path

from cityops.tourism import public_views as views

app_name = "tourist"
urlpatterns = [
    path("", views.chat, name="chat"),
    path("answers/<int:pk>/feedback", views.feedback, name="feedback"),
    path("problem", views.problem, name="problem"),
    path("sent/<str:receipt>", views.sent, name="sent"),
]
