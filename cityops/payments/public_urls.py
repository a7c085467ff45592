"""The payer's side of payments, included from ``cityops/urls.py`` at ``payments/`` (namespace
``payments``): the pay page, the gateways' return pages, server notifications (IPN) and the
receipts' verification page that their QR codes open."""

from django.urls import path

from cityops.payments import demo_gateway
from cityops.payments import public_views as views

app_name = "payments"
urlpatterns = [
    path("pay/<str:txn_ref>", views.pay, name="pay"),
    path("pay/<str:txn_ref>/vietqr.png", views.vietqr_png, name="vietqr_png"),
    path("status/<str:txn_ref>", views.status, name="status"),
    path("return/<str:gateway>", views.back, name="return"),
    path("ipn/vnpay", views.ipn_vnpay, name="ipn_vnpay"),
    path("ipn/momo", views.ipn_momo, name="ipn_momo"),
    path("receipts/<str:code>", views.receipt, name="receipt"),
    path("demo/vnpay", demo_gateway.demo_vnpay, name="demo_vnpay"),  # 404 unless the demo's
]
