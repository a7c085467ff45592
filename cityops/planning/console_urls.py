"""Staff pages of planning layers (imports), included from ``cityops/console/urls.py`` at
``planning/`` (namespace ``console:planning``)."""

from django.urls import URLPattern, URLResolver

app_name = "planning"
urlpatterns: list[URLPattern | URLResolver] = []
