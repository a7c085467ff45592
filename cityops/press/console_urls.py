"""The console's press pages, included from ``cityops/console/urls.py`` (namespace
``console:press``)."""

from django.urls import path

from cityops.press import console_views as views

app_name = "press"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("stories/", views.stories, name="stories"),
    path("stories/<int:pk>/", views.story, name="story"),
    path("stories/<int:pk>/report", views.story_report, name="to_report"),
    path("sources/", views.sources, name="sources"),
    path("watch/", views.watch, name="watch"),
    path("watch/import", views.watch_import, name="watch_import"),
    path("items.csv", views.export, name="export"),
]
