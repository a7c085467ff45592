"""Staff pages of planning layers (imports), included from ``cityops/console/urls.py`` at
``planning/`` (namespace ``console:planning``)."""

from django.urls import path

from cityops.planning import console_views as views

app_name = "planning"
urlpatterns = [
    path("", views.layers, name="layers"),
    path("new/", views.layer_new, name="layer_new"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("<slug:slug>/", views.layer, name="layer"),
    path("<slug:slug>/imports/", views.import_new, name="import_new"),
    path("<slug:slug>/publication/", views.layer_publication, name="layer_publication"),
]
