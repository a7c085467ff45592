"""Staff pages of service ratings, included from ``cityops/console/urls.py`` at ``services/``
(namespace ``console:services``)."""

from django.urls import path

from cityops.services import console_views as views

app_name = "services"
urlpatterns = [
    path("", views.kpis, name="kpis"),
    path("desks/<int:pk>/", views.desk_sheet, name="desk_sheet"),
    path("desks/<int:pk>/dossiers", views.dossier_new, name="dossier_new"),
    path("desks/<int:pk>/qr.png", views.desk_qr, name="desk_qr"),
    path("dossiers/<int:pk>/", views.dossier_sheet, name="dossier_sheet"),
    path("dossiers/<int:pk>/qr.png", views.dossier_qr, name="dossier_qr"),
]
