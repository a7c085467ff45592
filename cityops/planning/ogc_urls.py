"""OGC API – Features for the published layers, included from ``cityops/urls.py`` at ``ogc/``
(namespace ``ogc``)."""

from django.urls import path

from cityops.planning import ogc_views as views

app_name = "ogc"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("conformance", views.conformance, name="conformance"),
    path("collections", views.collections, name="collections"),
    path("collections/<slug:collection_id>", views.collection, name="collection"),
    path("collections/<slug:collection_id>/items", views.items, name="items"),
    path("collections/<slug:collection_id>/items/<str:feature_id>", views.item, name="item"),
]
