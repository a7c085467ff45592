"""Staff pages of indicators (uploads), included from ``cityops/console/urls.py`` at
``indicators/`` (namespace ``console:indicators``)."""

from django.urls import path

from cityops.indicators import console_views as views

app_name = "indicators"
urlpatterns = [
    path("", views.uploads, name="uploads"),
    path("new/", views.upload_new, name="upload_new"),
    path("<int:pk>/", views.upload_detail, name="upload"),
]
