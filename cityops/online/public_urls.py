"""The citizens' online services, included from ``cityops/urls.py`` at ``online/`` (namespace
``online``): the catalogue, a request, its status, messages and payment."""

from django.urls import URLPattern, URLResolver

app_name = "online"
urlpatterns: list[URLPattern | URLResolver] = []
