"""The public planning lookup, included from ``cityops/urls.py`` at ``planning/`` (namespace
``planning``)."""

from django.urls import URLPattern, URLResolver

app_name = "planning"
urlpatterns: list[URLPattern | URLResolver] = []
