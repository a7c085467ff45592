from django.urls import path

from cityops.monitoring import views

app_name = "air"
urlpatterns = [
    path("", views.air, name="map"),
    path("stations.geojson", views.stations, name="stations"),
]
