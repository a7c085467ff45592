"""The citizens' online services, included from ``cityops/urls.py`` at ``online/`` (namespace
``online``): the catalogue, a request, its status, messages and payment."""

from django.urls import path

from cityops.online import public_views as views

app_name = "online"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("applications/", views.my_applications, name="mine"),
    path("applications/<str:number>/", views.application, name="application"),
    path("applications/<str:number>/reply/", views.reply, name="reply"),
    path("applications/<str:number>/message/", views.message, name="message"),
    path("applications/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<str:number>/documents/<int:pk>/", views.document, name="document"),
    path("<slug:code>/", views.request_new, name="request"),
]
