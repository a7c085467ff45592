"""The public planning lookup, included from ``cityops/urls.py`` at ``planning/`` (namespace
``planning``)."""

from django.urls import path

from cityops.planning import public_views as views

app_name = "planning"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("answer", views.answer, name="answer"),
    path("extract", views.extract, name="extract"),
]
