"""The public rating pages, included from ``cityops/urls.py`` at ``services/`` (namespace
``services``): what a desk's or a dossier's QR code opens, and the offices' ranking."""

from django.urls import path

from cityops.services import public_views as views

app_name = "services"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("d/<str:key>", views.desk, name="desk"),
    path("h/<str:token>", views.dossier, name="dossier"),
    path("thanks/<str:token>", views.thanks, name="thanks"),
]
