"""Staff pages of indicators (uploads), included from ``cityops/console/urls.py`` at
``indicators/`` (namespace ``console:indicators``)."""

from django.urls import URLPattern, URLResolver

app_name = "indicators"
urlpatterns: list[URLPattern | URLResolver] = []
