"""The payer's side of payments, included from ``cityops/urls.py`` at ``payments/`` (namespace
``payments``): the gateways' return pages, server notifications (IPN) and the receipts'
verification page that their QR codes open."""

from django.urls import URLPattern, URLResolver

app_name = "payments"
urlpatterns: list[URLPattern | URLResolver] = []
