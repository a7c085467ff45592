"""OGC API – Features for the published layers, included from ``cityops/urls.py`` at ``ogc/``
(namespace ``ogc``)."""

from django.urls import URLPattern, URLResolver

app_name = "ogc"
urlpatterns: list[URLPattern | URLResolver] = []
