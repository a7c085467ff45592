"""One include per platform; each module's endpoints answer 404 while its channel is off."""

from django.urls import URLPattern, URLResolver

app_name = "webhooks"
urlpatterns: list[URLPattern | URLResolver] = []
