"""One include per platform; each module's endpoints answer 404 while its channel is off."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "webhooks"
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += [path("", include("cityops.webhooks.zalo"))]
urlpatterns += [path("", include("cityops.webhooks.messenger"))]
urlpatterns += [path("", include("cityops.webhooks.sms"))]
